/**
 * IAM over the Query protocol: a global service signed as `iam`, acting on the calling
 * principal's account.
 */
import type { ServiceDefinition } from '../service.js';
import { policyOperations } from './iam-policies.js';
import { principalPolicyOperations } from './iam-principal-policies.js';
import { roleOperations } from './iam-roles.js';
import { userOperations } from './iam-users.js';

/** The IAM service definition. */
export const iamService: ServiceDefinition = {
  signingName: 'iam',
  actionPrefix: 'iam',
  protocol: 'query',
  xmlNamespace: 'https://iam.amazonaws.com/doc/2010-05-08/',
  accessDeniedCode: 'AccessDenied',
  family: 'iam',
  operations: { ...roleOperations, ...userOperations, ...principalPolicyOperations, ...policyOperations },
};
