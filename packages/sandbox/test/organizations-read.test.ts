import {
  DescribeAccountCommand,
  DescribeOrganizationCommand,
  DescribeOrganizationalUnitCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListChildrenCommand,
  ListOrganizationalUnitsForParentCommand,
  ListParentsCommand,
  ListRootsCommand,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListChildren,
  paginateListOrganizationalUnitsForParent,
} from '@aws-sdk/client-organizations';
import type { Account, OrganizationsClient } from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPagingOptions } from '../src/paging.js';
import { rejection, startOrganizationsFixture } from './organizations-fixture.js';
import type { OrganizationsFixture } from './organizations-fixture.js';

describe('Organizations reads over HTTP with the real SDK', () => {
  let f: OrganizationsFixture;
  beforeAll(async () => {
    f = await startOrganizationsFixture();
  });
  afterAll(async () => f.close());

  it('describes the organization with AWS ARNs', async () => {
    const { Organization } = await f.management.send(new DescribeOrganizationCommand({}));
    const org = f.world.organization!;
    expect(Organization).toMatchObject({
      Id: org.id,
      FeatureSet: 'ALL',
      MasterAccountId: org.managementAccountId,
      Arn: `arn:aws:organizations::${org.managementAccountId}:organization/${org.id}`,
      MasterAccountArn: `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${org.managementAccountId}`,
    });
    expect(org.id).toMatch(/^o-[a-z0-9]{10}$/);
  });

  it('lists the root', async () => {
    const { Roots } = await f.management.send(new ListRootsCommand({}));
    const org = f.world.organization!;
    expect(Roots).toEqual([
      { Id: org.rootId, Arn: `arn:aws:organizations::${org.managementAccountId}:root/${org.id}/${org.rootId}`, Name: 'Root', PolicyTypes: [] },
    ]);
  });

  it('walks the whole tree with the SDK paginators and finds every account once', async () => {
    const org = f.world.organization!;
    const seen: Account[] = [];
    const stack = [org.rootId];
    let ous = 0;
    while (stack.length > 0) {
      const parent = stack.pop()!;
      for await (const page of paginateListAccountsForParent({ client: f.management, pageSize: 3 }, { ParentId: parent })) seen.push(...(page.Accounts ?? []));
      for await (const page of paginateListOrganizationalUnitsForParent({ client: f.management, pageSize: 2 }, { ParentId: parent })) {
        for (const ou of page.OrganizationalUnits ?? []) {
          ous++;
          expect(ou.Arn).toBe(`arn:aws:organizations::${org.managementAccountId}:ou/${org.id}/${ou.Id}`);
          stack.push(ou.Id!);
        }
      }
    }
    expect(ous).toBe(6);
    expect(seen).toHaveLength(30);
    expect(new Set(seen.map((a) => a.Id)).size).toBe(30);
    const sample = seen[1]!;
    expect(sample).toMatchObject({ State: 'ACTIVE', Status: 'ACTIVE', JoinedMethod: 'CREATED' });
    expect(sample.Arn).toBe(`arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${sample.Id}`);
    expect(sample.JoinedTimestamp).toBeInstanceOf(Date);
  });

  it('pages ListAccounts and ListChildren through empty pages that carry a NextToken', async () => {
    setPagingOptions(f.world, { emptyPageRate: 1 });
    try {
      const pages: number[] = [];
      const ids: string[] = [];
      for await (const page of paginateListAccounts({ client: f.management, pageSize: 20 }, {})) {
        pages.push(page.Accounts?.length ?? 0);
        ids.push(...(page.Accounts ?? []).map((a) => a.Id!));
      }
      expect(pages).toEqual([0, 20, 0, 10]);
      expect(new Set(ids).size).toBe(30);
      const children: string[] = [];
      const org = f.world.organization!;
      for await (const page of paginateListChildren({ client: f.management }, { ParentId: org.rootId, ChildType: 'ORGANIZATIONAL_UNIT' })) {
        children.push(...(page.Children ?? []).map((c) => c.Id!));
      }
      expect(children).toEqual(org.childOus.get(org.rootId));
    } finally {
      setPagingOptions(f.world, { emptyPageRate: 0 });
    }
  });

  it('lists children and parents', async () => {
    const org = f.world.organization!;
    const deepOu = [...org.ous.values()].find((ou) => ou.parentId !== org.rootId)!;
    const { Parents } = await f.management.send(new ListParentsCommand({ ChildId: deepOu.id }));
    expect(Parents).toEqual([{ Id: deepOu.parentId, Type: 'ORGANIZATIONAL_UNIT' }]);
    const { Parents: rootParents } = await f.management.send(new ListParentsCommand({ ChildId: org.managementAccountId }));
    expect(rootParents).toEqual([{ Id: org.rootId, Type: 'ROOT' }]);
    const { Children } = await f.management.send(new ListChildrenCommand({ ParentId: org.rootId, ChildType: 'ACCOUNT' }));
    expect(Children?.[0]).toEqual({ Id: org.managementAccountId, Type: 'ACCOUNT' });
  });

  it('describes an account and an OU', async () => {
    const org = f.world.organization!;
    const { Account: account } = await f.management.send(new DescribeAccountCommand({ AccountId: org.managementAccountId }));
    expect(account).toMatchObject({ Id: org.managementAccountId, Name: 'Management', Email: 'aws-management@example.com' });
    const ou = [...org.ous.values()][0]!;
    const { OrganizationalUnit } = await f.management.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: ou.id }));
    expect(OrganizationalUnit).toEqual({ Id: ou.id, Name: ou.name, Arn: `arn:aws:organizations::${org.managementAccountId}:ou/${org.id}/${ou.id}` });
  });

  it('lets the discovery role (assumed with the External ID) read', async () => {
    const discovery = f.client(await f.assume(f.generated.discoveryRoleArn));
    const { Accounts } = await discovery.send(new ListAccountsCommand({ MaxResults: 5 }));
    expect(Accounts).toHaveLength(5);
  });

  it.each([
    ['MaxResults above 20', { MaxResults: 21 }],
    ['MaxResults of 0', { MaxResults: 0 }],
    ['a forged NextToken', { NextToken: 'eyJzIjoiTGlzdEFjY291bnRzIiwibyI6MTB9.forged' }],
    ['a token of another listing', { NextToken: 'from-other' }],
  ])('answers InvalidInputException for %s', async (_label, input: { MaxResults?: number; NextToken?: string }) => {
    let params = input;
    if (input.NextToken === 'from-other') {
      const org = f.world.organization!;
      const first = await f.management.send(new ListAccountsForParentCommand({ ParentId: org.rootId, MaxResults: 1 }));
      params = { NextToken: first.NextToken };
    }
    const error = await rejection(f.management.send(new ListAccountsCommand(params)));
    expect(error).toMatchObject({ name: 'InvalidInputException', status: 400 });
  });

  it.each([
    ['ListAccountsForParent on an unknown OU', (c: OrganizationsClient) => c.send(new ListAccountsForParentCommand({ ParentId: 'ou-zzzz-zzzzzzzz' })), 'ParentNotFoundException'],
    ['ListOrganizationalUnitsForParent on an unknown root', (c: OrganizationsClient) => c.send(new ListOrganizationalUnitsForParentCommand({ ParentId: 'r-zzzz' })), 'ParentNotFoundException'],
    ['ListParents of an unknown account', (c: OrganizationsClient) => c.send(new ListParentsCommand({ ChildId: '999999999999' })), 'ChildNotFoundException'],
    ['DescribeAccount of an unknown account', (c: OrganizationsClient) => c.send(new DescribeAccountCommand({ AccountId: '999999999999' })), 'AccountNotFoundException'],
    ['DescribeOrganizationalUnit of an unknown OU', (c: OrganizationsClient) => c.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: 'ou-zzzz-zzzzzzzz' })), 'OrganizationalUnitNotFoundException'],
    ['a malformed ParentId', (c: OrganizationsClient) => c.send(new ListAccountsForParentCommand({ ParentId: 'not-an-id' })), 'InvalidInputException'],
    ['a bad ChildType', (c: OrganizationsClient) => c.send(new ListChildrenCommand({ ParentId: 'r-zzzz', ChildType: 'BUCKET' as 'ACCOUNT' })), 'InvalidInputException'],
    ['a missing AccountId', (c: OrganizationsClient) => c.send(new DescribeAccountCommand({} as { AccountId: string })), 'InvalidInputException'],
  ])('answers %s with its AWS error', async (_label, command, name) => {
    expect(await rejection(command(f.management))).toMatchObject({ name, status: 400 });
  });

  it('refuses a member account with AWS message, but lets it DescribeOrganization', async () => {
    const org = f.world.organization!;
    const blocked = new Set(f.generated.blockedAccounts.map((b) => b.accountId));
    const memberId = [...org.childAccounts.values()].flat().find((id) => id !== org.managementAccountId && !blocked.has(id))!;
    const member = f.client(await f.assume(`arn:aws:iam::${memberId}:role/${f.generated.memberRoleName}`));
    expect(await rejection(member.send(new ListAccountsCommand({})))).toEqual({
      name: 'AccessDeniedException',
      message: "You don't have permissions to access this resource.",
      status: 403,
    });
    const { Organization } = await member.send(new DescribeOrganizationCommand({}));
    expect(Organization?.Id).toBe(org.id);
  });

  it('answers AWSOrganizationsNotInUseException to an account outside the organization', async () => {
    const outsider = f.client(f.rootOf(f.generated.platformAccountId));
    expect(await rejection(outsider.send(new ListRootsCommand({})))).toMatchObject({
      name: 'AWSOrganizationsNotInUseException',
      message: 'Your account is not a member of an organization.',
    });
  });
});
