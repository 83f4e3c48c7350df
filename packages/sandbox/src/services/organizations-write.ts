/**
 * Organizations' write operations. Each one changes the tree through organization-state.ts
 * (which emits WorldEvents) and records the CloudTrail-shaped event AWS would send for it.
 * CreateAccount answers IN_PROGRESS, as AWS does, but the account exists by the time the
 * response is sent; DescribeCreateAccountStatus then reports SUCCEEDED.
 */
import { recordOrganizationsEvent } from '../events.js';
import type { OrganizationsEventInput } from '../events.js';
import { createMemberAccount } from '../organization-state-admin.js';
import {
  closeAccount,
  createOrganizationalUnit,
  deleteOrganizationalUnit,
  deregisterDelegatedAdministrator,
  moveAccount,
  registerDelegatedAdministrator,
  removeAccountFromOrganization,
  renameOrganizationalUnit,
} from '../organization-state.js';
import type { Operation, OperationContext } from '../service.js';
import {
  ACCOUNT_ID,
  OU_ID,
  checkCaller,
  ouShape,
  requiredEmail,
  requiredMatching,
  requiredOuName,
  requiredParentId,
  requiredServicePrincipal,
  requiredString,
} from './organizations-shapes.js';

function record(ctx: OperationContext, input: Omit<OrganizationsEventInput, 'caller' | 'accessKeyId' | 'requestId'>): void {
  recordOrganizationsEvent(ctx.world, { ...input, caller: ctx.caller, accessKeyId: ctx.accessKeyId, requestId: ctx.requestId });
}

const createAccount: Operation = {
  handler(ctx, input) {
    checkCaller(ctx, 'management');
    const email = requiredEmail(input);
    const accountName = requiredString(input, 'AccountName', 50);
    const roleName = input.RoleName === undefined ? 'OrganizationAccountAccessRole' : requiredMatching(input, 'RoleName', /^[\w+=,.@-]{1,64}$/);
    const { request } = createMemberAccount(ctx.world, { email, name: accountName, roleName });
    const requestParameters = { email: 'HIDDEN_DUE_TO_SECURITY_REASONS', accountName: 'HIDDEN_DUE_TO_SECURITY_REASONS', roleName };
    const createAccountStatus = { id: request.id, state: 'IN_PROGRESS', accountName: 'HIDDEN_DUE_TO_SECURITY_REASONS', requestedTimestamp: request.requestedTimestamp.toISOString() };
    record(ctx, { eventName: 'CreateAccount', requestParameters, responseElements: { createAccountStatus } });
    recordOrganizationsEvent(ctx.world, {
      eventName: 'CreateAccountResult',
      serviceEventDetails: {
        createAccountStatus: {
          id: request.id,
          state: request.state,
          accountName: 'HIDDEN_DUE_TO_SECURITY_REASONS',
          ...(request.accountId ? { accountId: request.accountId } : {}),
          ...(request.failureReason ? { failureReason: request.failureReason } : {}),
          requestedTimestamp: request.requestedTimestamp.toISOString(),
          completedTimestamp: request.completedTimestamp?.toISOString(),
        },
      },
    });
    return {
      CreateAccountStatus: { Id: request.id, AccountName: accountName, State: 'IN_PROGRESS', RequestedTimestamp: request.requestedTimestamp },
    };
  },
};

const moveAccountOp: Operation = {
  handler(ctx, input) {
    checkCaller(ctx, 'management');
    const accountId = requiredMatching(input, 'AccountId', ACCOUNT_ID);
    const sourceParentId = requiredParentId(input, 'SourceParentId');
    const destinationParentId = requiredParentId(input, 'DestinationParentId');
    moveAccount(ctx.world, accountId, sourceParentId, destinationParentId);
    record(ctx, { eventName: 'MoveAccount', requestParameters: { accountId, sourceParentId, destinationParentId } });
    return {};
  },
};

const removeAccount: Operation = {
  handler(ctx, input) {
    checkCaller(ctx, 'management');
    const accountId = requiredMatching(input, 'AccountId', ACCOUNT_ID);
    removeAccountFromOrganization(ctx.world, accountId);
    record(ctx, { eventName: 'RemoveAccountFromOrganization', requestParameters: { accountId } });
    return {};
  },
};

const closeAccountOp: Operation = {
  handler(ctx, input) {
    checkCaller(ctx, 'management');
    const accountId = requiredMatching(input, 'AccountId', ACCOUNT_ID);
    closeAccount(ctx.world, accountId);
    record(ctx, { eventName: 'CloseAccount', requestParameters: { accountId } });
    return {};
  },
};

const createOu: Operation = {
  handler(ctx, input) {
    const org = checkCaller(ctx, 'management');
    const parentId = requiredParentId(input, 'ParentId');
    const name = requiredOuName(input);
    const ou = createOrganizationalUnit(ctx.world, parentId, name);
    const shape = ouShape(ctx.world, org, ou);
    record(ctx, {
      eventName: 'CreateOrganizationalUnit',
      requestParameters: { parentId, name },
      responseElements: { organizationalUnit: { id: ou.id, arn: shape.Arn, name: ou.name } },
    });
    return { OrganizationalUnit: shape };
  },
};

const updateOu: Operation = {
  handler(ctx, input) {
    const org = checkCaller(ctx, 'management');
    const organizationalUnitId = requiredMatching(input, 'OrganizationalUnitId', OU_ID);
    const current = org.ous.get(organizationalUnitId);
    const name = input.Name === undefined || input.Name === null ? current?.name ?? '' : requiredOuName(input);
    const ou = renameOrganizationalUnit(ctx.world, organizationalUnitId, name);
    const shape = ouShape(ctx.world, org, ou);
    record(ctx, {
      eventName: 'UpdateOrganizationalUnit',
      requestParameters: { organizationalUnitId, name },
      responseElements: { organizationalUnit: { id: ou.id, arn: shape.Arn, name: ou.name } },
    });
    return { OrganizationalUnit: shape };
  },
};

const deleteOu: Operation = {
  handler(ctx, input) {
    checkCaller(ctx, 'management');
    const organizationalUnitId = requiredMatching(input, 'OrganizationalUnitId', OU_ID);
    deleteOrganizationalUnit(ctx.world, organizationalUnitId);
    record(ctx, { eventName: 'DeleteOrganizationalUnit', requestParameters: { organizationalUnitId } });
    return {};
  },
};

const registerDelegatedAdmin: Operation = {
  handler(ctx, input) {
    checkCaller(ctx, 'management');
    const accountId = requiredMatching(input, 'AccountId', ACCOUNT_ID);
    const servicePrincipal = requiredServicePrincipal(input);
    registerDelegatedAdministrator(ctx.world, accountId, servicePrincipal);
    record(ctx, { eventName: 'RegisterDelegatedAdministrator', requestParameters: { accountId, servicePrincipal } });
    return {};
  },
};

const deregisterDelegatedAdmin: Operation = {
  handler(ctx, input) {
    checkCaller(ctx, 'management');
    const accountId = requiredMatching(input, 'AccountId', ACCOUNT_ID);
    const servicePrincipal = requiredServicePrincipal(input);
    deregisterDelegatedAdministrator(ctx.world, accountId, servicePrincipal);
    record(ctx, { eventName: 'DeregisterDelegatedAdministrator', requestParameters: { accountId, servicePrincipal } });
    return {};
  },
};

/** Organizations' write operations, by name. */
export const organizationsWriteOperations: Record<string, Operation> = {
  CreateAccount: createAccount,
  MoveAccount: moveAccountOp,
  RemoveAccountFromOrganization: removeAccount,
  CloseAccount: closeAccountOp,
  CreateOrganizationalUnit: createOu,
  UpdateOrganizationalUnit: updateOu,
  DeleteOrganizationalUnit: deleteOu,
  RegisterDelegatedAdministrator: registerDelegatedAdmin,
  DeregisterDelegatedAdministrator: deregisterDelegatedAdmin,
};
