/**
 * AWS SSO Admin (IAM Identity Center) over JSON 1.1 (X-Amz-Target SWBExternalService.<Op>):
 * instances, permission sets with managed and inline policies, provisioning, and account
 * assignments with their async creation/deletion status. The instance exists as soon as
 * the world has an organization; only its management account (or an sso.amazonaws.com
 * delegated administrator) sees it.
 */
import {
  accountsProvisionedWith,
  attachManagedPolicy,
  createAccountAssignment,
  createPermissionSet,
  deleteAccountAssignment,
  deletePermissionSet,
  describeRequest,
  isLatestProvisioned,
  provisionPermissionSet,
  putInlinePolicy,
  requirePermissionSet,
  settleRequests,
  ssoNotFound,
  type AssignmentSpec,
} from '../identity-center-assignments.js';
import { asDate, identityCenterPage, inputEnum, inputObject, inputString } from '../identity-center-input.js';
import { instancesFor, requireInstance, type AsyncRequest, type IdentityCenterInstance, type PermissionSetRecord } from '../identity-center-state.js';
import type { Operation, OperationContext, ServiceDefinition } from '../service.js';

const PROVISIONING_STATUSES = ['LATEST_PERMISSION_SET_PROVISIONED', 'LATEST_PERMISSION_SET_NOT_PROVISIONED'] as const;
const REQUEST_STATUSES = ['IN_PROGRESS', 'FAILED', 'SUCCEEDED'] as const;

/** The caller's instance named by InstanceArn, with due async requests finished. */
function instanceOf(ctx: OperationContext, input: Record<string, unknown>): IdentityCenterInstance {
  const instance = requireInstance(ctx.world, ctx.caller.accountId, inputString(input, 'InstanceArn', true));
  settleRequests(ctx.world, instance);
  return instance;
}

function permissionSetOf(instance: IdentityCenterInstance, input: Record<string, unknown>): PermissionSetRecord {
  return requirePermissionSet(instance, inputString(input, 'PermissionSetArn', true));
}

function permissionSetShape(p: PermissionSetRecord): Record<string, unknown> {
  return { Name: p.name, PermissionSetArn: p.arn, Description: p.description, CreatedDate: asDate(p.createdDate), SessionDuration: p.sessionDuration, RelayState: p.relayState };
}

function assignmentStatusShape(r: AsyncRequest): Record<string, unknown> {
  return {
    Status: r.status,
    RequestId: r.requestId,
    FailureReason: r.failureReason,
    TargetId: r.targetId,
    TargetType: 'AWS_ACCOUNT',
    PermissionSetArn: r.permissionSetArn,
    PrincipalType: r.principalType,
    PrincipalId: r.principalId,
    CreatedDate: asDate(r.createdDate),
  };
}

function provisioningStatusShape(r: AsyncRequest): Record<string, unknown> {
  return {
    Status: r.status,
    RequestId: r.requestId,
    AccountId: r.targetId === '' ? undefined : r.targetId,
    PermissionSetArn: r.permissionSetArn,
    FailureReason: r.failureReason,
    CreatedDate: asDate(r.createdDate),
  };
}

function assignmentSpec(input: Record<string, unknown>): AssignmentSpec {
  inputEnum(input, 'TargetType', ['AWS_ACCOUNT'] as const, true);
  return {
    accountId: inputString(input, 'TargetId', true),
    permissionSetArn: inputString(input, 'PermissionSetArn', true),
    principalType: inputEnum(input, 'PrincipalType', ['USER', 'GROUP'] as const, true),
    principalId: inputString(input, 'PrincipalId', true),
  };
}

function requestStatusList(ctx: OperationContext, input: Record<string, unknown>, kind: AsyncRequest['kind'], scope: string) {
  const instance = instanceOf(ctx, input);
  const filter = inputObject(input, 'Filter');
  const status = filter ? inputEnum(filter, 'Status', REQUEST_STATUSES) : undefined;
  const requests = Object.values(instance.requests).filter((r) => r.kind === kind && (status === undefined || r.status === status));
  const page = identityCenterPage(ctx.world, input, `${scope}:${instance.instanceArn}`, requests);
  return { items: page.items.map((r) => ({ Status: r.status, RequestId: r.requestId, CreatedDate: asDate(r.createdDate) })), nextToken: page.nextToken };
}

const instanceOperations: Record<string, Operation> = {
  ListInstances: {
    handler(ctx, input) {
      const instances = instancesFor(ctx.world, ctx.caller.accountId);
      const page = identityCenterPage(ctx.world, input, `ListInstances:${ctx.caller.accountId}`, instances);
      return {
        Instances: page.items.map((i) => ({
          InstanceArn: i.instanceArn,
          IdentityStoreId: i.identityStoreId,
          OwnerAccountId: i.ownerAccountId,
          CreatedDate: asDate(i.createdDate),
          Status: 'ACTIVE',
        })),
        NextToken: page.nextToken,
      };
    },
  },
  DescribeInstance: {
    handler(ctx, input) {
      const i = instanceOf(ctx, input);
      return { InstanceArn: i.instanceArn, IdentityStoreId: i.identityStoreId, OwnerAccountId: i.ownerAccountId, CreatedDate: asDate(i.createdDate), Status: 'ACTIVE' };
    },
  },
};

const permissionSetOperations: Record<string, Operation> = {
  CreatePermissionSet: {
    handler(ctx, input) {
      const instance = instanceOf(ctx, input);
      const description = inputString(input, 'Description');
      const sessionDuration = inputString(input, 'SessionDuration');
      const relayState = inputString(input, 'RelayState');
      const permissionSet = createPermissionSet(ctx.world, instance, {
        name: inputString(input, 'Name', true),
        ...(description === undefined ? {} : { description }),
        ...(sessionDuration === undefined ? {} : { sessionDuration }),
        ...(relayState === undefined ? {} : { relayState }),
      });
      return { PermissionSet: permissionSetShape(permissionSet) };
    },
  },
  DescribePermissionSet: {
    handler(ctx, input) {
      return { PermissionSet: permissionSetShape(permissionSetOf(instanceOf(ctx, input), input)) };
    },
  },
  ListPermissionSets: {
    handler(ctx, input) {
      const instance = instanceOf(ctx, input);
      const page = identityCenterPage(ctx.world, input, `ListPermissionSets:${instance.instanceArn}`, Object.keys(instance.permissionSets));
      return { PermissionSets: page.items, NextToken: page.nextToken };
    },
  },
  DeletePermissionSet: {
    handler(ctx, input) {
      deletePermissionSet(instanceOf(ctx, input), inputString(input, 'PermissionSetArn', true));
      return {};
    },
  },
  AttachManagedPolicyToPermissionSet: {
    handler(ctx, input) {
      attachManagedPolicy(permissionSetOf(instanceOf(ctx, input), input), inputString(input, 'ManagedPolicyArn', true));
      return {};
    },
  },
  DetachManagedPolicyFromPermissionSet: {
    handler(ctx, input) {
      const permissionSet = permissionSetOf(instanceOf(ctx, input), input);
      const arn = inputString(input, 'ManagedPolicyArn', true);
      if (!permissionSet.managedPolicyArns.includes(arn)) throw ssoNotFound(`Managed policy ${arn} is not attached to the permission set.`);
      permissionSet.managedPolicyArns = permissionSet.managedPolicyArns.filter((a) => a !== arn);
      permissionSet.version++;
      return {};
    },
  },
  ListManagedPoliciesInPermissionSet: {
    handler(ctx, input) {
      const instance = instanceOf(ctx, input);
      const permissionSet = permissionSetOf(instance, input);
      const page = identityCenterPage(ctx.world, input, `ListManagedPoliciesInPermissionSet:${permissionSet.arn}`, permissionSet.managedPolicyArns);
      return { AttachedManagedPolicies: page.items.map((arn) => ({ Arn: arn, Name: arn.split('/').pop() })), NextToken: page.nextToken };
    },
  },
  PutInlinePolicyToPermissionSet: {
    handler(ctx, input) {
      putInlinePolicy(permissionSetOf(instanceOf(ctx, input), input), inputString(input, 'InlinePolicy', true));
      return {};
    },
  },
  GetInlinePolicyForPermissionSet: {
    handler(ctx, input) {
      return { InlinePolicy: permissionSetOf(instanceOf(ctx, input), input).inlinePolicy ?? '' };
    },
  },
  DeleteInlinePolicyFromPermissionSet: {
    handler(ctx, input) {
      const permissionSet = permissionSetOf(instanceOf(ctx, input), input);
      delete permissionSet.inlinePolicy;
      permissionSet.version++;
      return {};
    },
  },
  ProvisionPermissionSet: {
    handler(ctx, input) {
      const instance = instanceOf(ctx, input);
      const targetType = inputEnum(input, 'TargetType', ['AWS_ACCOUNT', 'ALL_PROVISIONED_ACCOUNTS'] as const, true);
      const targetId = targetType === 'AWS_ACCOUNT' ? inputString(input, 'TargetId', true) : undefined;
      const request = provisionPermissionSet(ctx.world, instance, inputString(input, 'PermissionSetArn', true), targetId);
      return { PermissionSetProvisioningStatus: provisioningStatusShape(request) };
    },
  },
  DescribePermissionSetProvisioningStatus: {
    handler(ctx, input) {
      const instance = instanceOf(ctx, input);
      const request = describeRequest(ctx.world, instance, inputString(input, 'ProvisionPermissionSetRequestId', true), ['provision']);
      return { PermissionSetProvisioningStatus: provisioningStatusShape(request) };
    },
  },
};

const assignmentOperations: Record<string, Operation> = {
  CreateAccountAssignment: {
    handler(ctx, input) {
      const request = createAccountAssignment(ctx.world, instanceOf(ctx, input), assignmentSpec(input));
      return { AccountAssignmentCreationStatus: assignmentStatusShape(request) };
    },
  },
  DescribeAccountAssignmentCreationStatus: {
    handler(ctx, input) {
      const instance = instanceOf(ctx, input);
      const request = describeRequest(ctx.world, instance, inputString(input, 'AccountAssignmentCreationRequestId', true), ['create-assignment']);
      return { AccountAssignmentCreationStatus: assignmentStatusShape(request) };
    },
  },
  DeleteAccountAssignment: {
    handler(ctx, input) {
      const request = deleteAccountAssignment(ctx.world, instanceOf(ctx, input), assignmentSpec(input));
      return { AccountAssignmentDeletionStatus: assignmentStatusShape(request) };
    },
  },
  DescribeAccountAssignmentDeletionStatus: {
    handler(ctx, input) {
      const instance = instanceOf(ctx, input);
      const request = describeRequest(ctx.world, instance, inputString(input, 'AccountAssignmentDeletionRequestId', true), ['delete-assignment']);
      return { AccountAssignmentDeletionStatus: assignmentStatusShape(request) };
    },
  },
  ListAccountAssignmentCreationStatus: {
    handler(ctx, input) {
      const { items, nextToken } = requestStatusList(ctx, input, 'create-assignment', 'ListAccountAssignmentCreationStatus');
      return { AccountAssignmentsCreationStatus: items, NextToken: nextToken };
    },
  },
  ListAccountAssignmentDeletionStatus: {
    handler(ctx, input) {
      const { items, nextToken } = requestStatusList(ctx, input, 'delete-assignment', 'ListAccountAssignmentDeletionStatus');
      return { AccountAssignmentsDeletionStatus: items, NextToken: nextToken };
    },
  },
  ListAccountAssignments: {
    handler(ctx, input) {
      const instance = instanceOf(ctx, input);
      const accountId = inputString(input, 'AccountId', true);
      const permissionSet = permissionSetOf(instance, input);
      const assignments = instance.assignments.filter((a) => a.accountId === accountId && a.permissionSetArn === permissionSet.arn);
      const page = identityCenterPage(ctx.world, input, `ListAccountAssignments:${accountId}:${permissionSet.arn}`, assignments);
      return {
        AccountAssignments: page.items.map((a) => ({ AccountId: a.accountId, PermissionSetArn: a.permissionSetArn, PrincipalType: a.principalType, PrincipalId: a.principalId })),
        NextToken: page.nextToken,
      };
    },
  },
  ListPermissionSetsProvisionedToAccount: {
    handler(ctx, input) {
      const instance = instanceOf(ctx, input);
      const accountId = inputString(input, 'AccountId', true);
      const status = inputEnum(input, 'ProvisioningStatus', PROVISIONING_STATUSES);
      const arns = Object.keys(instance.permissionSets).filter((arn) => {
        if (!accountsProvisionedWith(instance, arn).includes(accountId)) return false;
        if (status === undefined) return true;
        return isLatestProvisioned(instance, accountId, arn) === (status === 'LATEST_PERMISSION_SET_PROVISIONED');
      });
      const page = identityCenterPage(ctx.world, input, `ListPermissionSetsProvisionedToAccount:${accountId}`, arns);
      return { PermissionSets: page.items, NextToken: page.nextToken };
    },
  },
  ListAccountsForProvisionedPermissionSet: {
    handler(ctx, input) {
      const instance = instanceOf(ctx, input);
      const permissionSet = permissionSetOf(instance, input);
      const status = inputEnum(input, 'ProvisioningStatus', PROVISIONING_STATUSES);
      const accounts = accountsProvisionedWith(instance, permissionSet.arn).filter(
        (accountId) => status === undefined || isLatestProvisioned(instance, accountId, permissionSet.arn) === (status === 'LATEST_PERMISSION_SET_PROVISIONED'),
      );
      const page = identityCenterPage(ctx.world, input, `ListAccountsForProvisionedPermissionSet:${permissionSet.arn}`, accounts);
      return { AccountIds: page.items, NextToken: page.nextToken };
    },
  },
};

/** The SSO Admin service definition the sandbox server routes to. */
export const ssoAdminService: ServiceDefinition = {
  signingName: 'sso',
  actionPrefix: 'sso',
  protocol: 'json',
  targetPrefix: 'SWBExternalService',
  accessDeniedCode: 'AccessDeniedException',
  family: 'identitycenter',
  operations: { ...instanceOperations, ...permissionSetOperations, ...assignmentOperations },
};
