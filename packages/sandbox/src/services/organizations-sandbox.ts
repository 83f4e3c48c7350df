/**
 * Sandbox-only Organizations operations, on the same X-Amz-Target prefix. They are NOT
 * AWS APIs (no SDK has commands for them): they stand in for things AWS does outside
 * the API, so tests and demos can drive them over HTTP as the management account.
 *  - SandboxSetAccountState {AccountId, State: ACTIVE|SUSPENDED}: AWS suspends accounts itself.
 *  - SandboxInviteAccount {Name, Email, AccountId?, ParentId?}: an invitation accepted at once,
 *    with the InviteAccountToOrganization, AcceptHandshake and AccountJoinedOrganization events.
 */
import { inviteAccount } from '../organization-state-admin.js';
import { orgError, requireMemberAccount, requireParent, setAccountState } from '../organization-state.js';
import type { Operation } from '../service.js';
import { ACCOUNT_ID, accountShape, checkCaller, requiredEmail, requiredMatching, requiredParentId, requiredString } from './organizations-shapes.js';

const setAccountStateOp: Operation = {
  handler(ctx, input) {
    const org = checkCaller(ctx, 'management');
    const accountId = requiredMatching(input, 'AccountId', ACCOUNT_ID);
    const state = requiredString(input, 'State');
    if (state !== 'ACTIVE' && state !== 'SUSPENDED') throw orgError('InvalidInputException', 'State must be ACTIVE or SUSPENDED.', 'INVALID_ENUM');
    const account = requireMemberAccount(ctx.world, accountId);
    if (account.state === 'PENDING_CLOSURE' || account.state === 'CLOSED') {
      throw orgError('AccountAlreadyClosedException', 'You are trying to change an account that is already closed.');
    }
    setAccountState(ctx.world, accountId, state);
    return { Account: accountShape(ctx.world, org, account) };
  },
};

const inviteAccountOp: Operation = {
  handler(ctx, input) {
    const org = checkCaller(ctx, 'management');
    const name = requiredString(input, 'Name', 50);
    const email = requiredEmail(input);
    const accountId = input.AccountId === undefined ? undefined : requiredMatching(input, 'AccountId', ACCOUNT_ID);
    const parentId = input.ParentId === undefined ? undefined : requireParent(org, requiredParentId(input, 'ParentId'));
    const account = inviteAccount(ctx.world, { name, email, ...(accountId ? { id: accountId } : {}), ...(parentId ? { parentId } : {}) });
    return { Account: accountShape(ctx.world, org, account) };
  },
};

/** Sandbox-only operations, by name. */
export const organizationsSandboxOperations: Record<string, Operation> = {
  SandboxSetAccountState: setAccountStateOp,
  SandboxInviteAccount: inviteAccountOp,
};
