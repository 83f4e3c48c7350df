/**
 * Organizations' read operations: Describe* and the List* calls, paged with AWS's caps
 * (MaxResults 1–20, opaque NextToken, occasionally an empty page). Every List slices the
 * parent's child array, so a page costs O(page) even under a 10,000-account parent.
 */
import { organizationExtras } from '../organization-state-extras.js';
import type { CreateAccountStatus } from '../organization-state-extras.js';
import {
  isParent,
  orgError,
  organizationAccountIds,
  organizationArn,
  requireOu,
  requireParent,
} from '../organization-state.js';
import { paginate } from '../paging.js';
import type { Operation, OperationContext } from '../service.js';
import type { Organization } from '../world.js';
import {
  ACCOUNT_ID,
  OU_ID,
  accountShape,
  checkCaller,
  optionalServicePrincipal,
  ouShape,
  requiredMatching,
  requiredParentId,
  requiredString,
  rootShape,
} from './organizations-shapes.js';

const ORG_MAX_RESULTS = 20;

function page<T>(ctx: OperationContext, input: Record<string, unknown>, scope: string, total: number, slice: (a: number, b: number) => T[]) {
  return paginate(ctx.world, { scope, maxResults: input.MaxResults, nextToken: input.NextToken, maxLimit: ORG_MAX_RESULTS }, total, slice);
}

function withToken<K extends string>(key: K, result: { items: unknown[]; nextToken?: string }): Record<string, unknown> {
  return result.nextToken ? { [key]: result.items, NextToken: result.nextToken } : { [key]: result.items };
}

function accountsOf(ctx: OperationContext, org: Organization, ids: string[], start: number, end: number): unknown[] {
  const out: unknown[] = [];
  for (let i = start; i < end; i++) {
    const account = ctx.world.accounts.get(ids[i] as string);
    if (account) out.push(accountShape(ctx.world, org, account));
  }
  return out;
}

const describeOrganization: Operation = {
  handler(ctx) {
    const org = checkCaller(ctx, 'member');
    const management = ctx.world.accounts.get(org.managementAccountId);
    return {
      Organization: {
        Id: org.id,
        Arn: organizationArn(ctx.world, org),
        FeatureSet: org.featureSet,
        MasterAccountArn: `arn:${ctx.world.partition}:organizations::${org.managementAccountId}:account/${org.id}/${org.managementAccountId}`,
        MasterAccountId: org.managementAccountId,
        MasterAccountEmail: management?.email ?? '',
        AvailablePolicyTypes: [],
      },
    };
  },
};

const listRoots: Operation = {
  handler(ctx, input) {
    const org = checkCaller(ctx, 'read');
    return withToken('Roots', page(ctx, input, 'ListRoots', 1, () => [rootShape(ctx.world, org)]));
  },
};

const listAccounts: Operation = {
  handler(ctx, input) {
    const org = checkCaller(ctx, 'read');
    const ids = organizationAccountIds(ctx.world);
    return withToken('Accounts', page(ctx, input, 'ListAccounts', ids.length, (a, b) => accountsOf(ctx, org, ids, a, b)));
  },
};

const listAccountsForParent: Operation = {
  handler(ctx, input) {
    const org = checkCaller(ctx, 'read');
    const parentId = requireParent(org, requiredParentId(input, 'ParentId'));
    const ids = org.childAccounts.get(parentId) ?? [];
    const result = page(ctx, input, `ListAccountsForParent:${parentId}`, ids.length, (a, b) => accountsOf(ctx, org, ids, a, b));
    return withToken('Accounts', result);
  },
};

const listOrganizationalUnitsForParent: Operation = {
  handler(ctx, input) {
    const org = checkCaller(ctx, 'read');
    const parentId = requireParent(org, requiredParentId(input, 'ParentId'));
    const ids = org.childOus.get(parentId) ?? [];
    const result = page(ctx, input, `ListOrganizationalUnitsForParent:${parentId}`, ids.length, (a, b) =>
      ids.slice(a, b).flatMap((id) => {
        const ou = org.ous.get(id);
        return ou ? [ouShape(ctx.world, org, ou)] : [];
      }),
    );
    return withToken('OrganizationalUnits', result);
  },
};

const listChildren: Operation = {
  handler(ctx, input) {
    const org = checkCaller(ctx, 'read');
    const requestedParent = requiredParentId(input, 'ParentId');
    const childType = requiredString(input, 'ChildType');
    if (childType !== 'ACCOUNT' && childType !== 'ORGANIZATIONAL_UNIT') {
      throw orgError('InvalidInputException', 'You provided a value for ChildType that is not ACCOUNT or ORGANIZATIONAL_UNIT.', 'INVALID_ENUM');
    }
    const parentId = requireParent(org, requestedParent);
    const ids = (childType === 'ACCOUNT' ? org.childAccounts : org.childOus).get(parentId) ?? [];
    const result = page(ctx, input, `ListChildren:${childType}:${parentId}`, ids.length, (a, b) =>
      ids.slice(a, b).map((id) => ({ Id: id, Type: childType })),
    );
    return withToken('Children', result);
  },
};

const listParents: Operation = {
  handler(ctx, input) {
    const org = checkCaller(ctx, 'read');
    const childId = requiredString(input, 'ChildId');
    if (!ACCOUNT_ID.test(childId) && !OU_ID.test(childId)) {
      throw orgError('InvalidInputException', 'You provided a value that does not match the required pattern for ChildId.', 'INVALID_PATTERN');
    }
    const parentId = ACCOUNT_ID.test(childId) ? ctx.world.accounts.get(childId)?.parentId : org.ous.get(childId)?.parentId;
    if (!parentId || !isParent(org, parentId)) {
      throw orgError('ChildNotFoundException', "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.");
    }
    const type = parentId === org.rootId ? 'ROOT' : 'ORGANIZATIONAL_UNIT';
    return withToken('Parents', page(ctx, input, `ListParents:${childId}`, 1, () => [{ Id: parentId, Type: type }]));
  },
};

const describeAccount: Operation = {
  handler(ctx, input) {
    const org = checkCaller(ctx, 'read');
    const accountId = requiredMatching(input, 'AccountId', ACCOUNT_ID);
    const account = ctx.world.accounts.get(accountId);
    if (!account || account.parentId === null) throw orgError('AccountNotFoundException', "You specified an account that doesn't exist.");
    return { Account: accountShape(ctx.world, org, account) };
  },
};

const describeOrganizationalUnit: Operation = {
  handler(ctx, input) {
    const org = checkCaller(ctx, 'read');
    const ou = requireOu(org, requiredMatching(input, 'OrganizationalUnitId', OU_ID));
    return { OrganizationalUnit: ouShape(ctx.world, org, ou) };
  },
};

const describeCreateAccountStatus: Operation = {
  handler(ctx, input) {
    checkCaller(ctx, 'read');
    const id = requiredMatching(input, 'CreateAccountRequestId', /^car-[a-z0-9]{8,32}$/);
    const status = organizationExtras(ctx.world).createAccountStatuses.get(id);
    if (!status) {
      throw orgError('CreateAccountStatusNotFoundException', "We can't find a create account request with the CreateAccountRequestId that you specified.");
    }
    return { CreateAccountStatus: createAccountStatusShape(status) };
  },
};

const listCreateAccountStatus: Operation = {
  handler(ctx, input) {
    checkCaller(ctx, 'read');
    const states = Array.isArray(input.States) ? new Set(input.States as unknown[]) : null;
    const all = [...organizationExtras(ctx.world).createAccountStatuses.values()].filter((s) => !states || states.has(s.state));
    const result = page(ctx, input, `ListCreateAccountStatus:${[...(states ?? [])].join(',')}`, all.length, (a, b) =>
      all.slice(a, b).map(createAccountStatusShape),
    );
    return withToken('CreateAccountStatuses', result);
  },
};

const listDelegatedAdministrators: Operation = {
  handler(ctx, input) {
    const org = checkCaller(ctx, 'read');
    const servicePrincipal = optionalServicePrincipal(input);
    const dates = organizationExtras(ctx.world).delegationDates;
    const admins = [...org.delegatedAdministrators.entries()].filter(([, services]) => !servicePrincipal || services.has(servicePrincipal));
    const result = page(ctx, input, `ListDelegatedAdministrators:${servicePrincipal ?? ''}`, admins.length, (a, b) =>
      admins.slice(a, b).flatMap(([accountId, services]) => {
        const account = ctx.world.accounts.get(accountId);
        if (!account) return [];
        const enabled = [...services].map((sp) => dates.get(`${accountId} ${sp}`)?.getTime() ?? 0);
        return [{ ...accountShape(ctx.world, org, account), DelegationEnabledDate: new Date(Math.min(...enabled)) }];
      }),
    );
    return withToken('DelegatedAdministrators', result);
  },
};

/** A CreateAccountStatus as Organizations returns it. */
export function createAccountStatusShape(status: CreateAccountStatus): Record<string, unknown> {
  return {
    Id: status.id,
    AccountName: status.accountName,
    State: status.state,
    RequestedTimestamp: status.requestedTimestamp,
    ...(status.completedTimestamp ? { CompletedTimestamp: status.completedTimestamp } : {}),
    ...(status.accountId ? { AccountId: status.accountId } : {}),
    ...(status.failureReason ? { FailureReason: status.failureReason } : {}),
  };
}

/** Organizations' read operations, by name. */
export const organizationsReadOperations: Record<string, Operation> = {
  DescribeOrganization: describeOrganization,
  ListRoots: listRoots,
  ListAccounts: listAccounts,
  ListAccountsForParent: listAccountsForParent,
  ListOrganizationalUnitsForParent: listOrganizationalUnitsForParent,
  ListChildren: listChildren,
  ListParents: listParents,
  DescribeAccount: describeAccount,
  DescribeOrganizationalUnit: describeOrganizationalUnit,
  DescribeCreateAccountStatus: describeCreateAccountStatus,
  ListCreateAccountStatus: listCreateAccountStatus,
  ListDelegatedAdministrators: listDelegatedAdministrators,
};
