import { ListAccountsCommand, ListAccountsForParentCommand } from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOrganizationsFixture } from './organizations-fixture.js';
import type { OrganizationsFixture } from './organizations-fixture.js';

describe('Organizations with 10,000 accounts under one parent', () => {
  let f: OrganizationsFixture;
  let lookups = 0;
  beforeAll(async () => {
    f = await startOrganizationsFixture({ accounts: 10_000, ous: 0 });
    // Count account lookups: a page must touch its own accounts, not the whole parent.
    const accounts = f.world.accounts;
    const get = accounts.get.bind(accounts);
    accounts.get = (id: string) => {
      lookups++;
      return get(id);
    };
  });
  afterAll(async () => f.close());

  it.each([['ListAccountsForParent'], ['ListAccounts']])('%s reads only one page of accounts per call, wherever the page is', async (operation) => {
    const rootId = f.world.organization!.rootId;
    const page = (token?: string) =>
      operation === 'ListAccounts'
        ? f.management.send(new ListAccountsCommand({ MaxResults: 20, NextToken: token }))
        : f.management.send(new ListAccountsForParentCommand({ ParentId: rootId, MaxResults: 20, NextToken: token }));
    const first = await page();
    const seen = new Set((first.Accounts ?? []).map((a) => a.Id));
    let token = first.NextToken;
    for (let i = 0; i < 5; i++) {
      lookups = 0;
      const next = await page(token);
      expect(lookups).toBeLessThanOrEqual(25);
      for (const account of next.Accounts ?? []) {
        expect(seen.has(account.Id)).toBe(false);
        seen.add(account.Id);
      }
      token = next.NextToken;
    }
    expect(seen.size).toBe(120);
    expect(token).toBeTypeOf('string');
  });
});
