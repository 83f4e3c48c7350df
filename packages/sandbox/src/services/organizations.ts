/**
 * AWS Organizations over JSON 1.1 (X-Amz-Target AWSOrganizationsV20161128.<Operation>).
 * The server authorizes `organizations:<Operation>` against the caller's IAM policies;
 * the operations then apply Organizations' own rule on top: only the management account
 * may change the organization, delegated administrators may also read, and any member
 * may call DescribeOrganization. Two sandbox-only operations (organizations-sandbox.ts)
 * suspend accounts and invite outside ones.
 */
import type { ServiceDefinition } from '../service.js';
import { organizationsReadOperations } from './organizations-read.js';
import { organizationsSandboxOperations } from './organizations-sandbox.js';
import { organizationsWriteOperations } from './organizations-write.js';

/** The Organizations service definition the sandbox server routes to. */
export const organizationsService: ServiceDefinition = {
  signingName: 'organizations',
  actionPrefix: 'organizations',
  protocol: 'json',
  targetPrefix: 'AWSOrganizationsV20161128',
  accessDeniedCode: 'AccessDeniedException',
  family: 'organizations',
  operations: { ...organizationsReadOperations, ...organizationsWriteOperations, ...organizationsSandboxOperations },
};
