import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateOrganizationalUnitCommand, ListOrganizationalUnitsForParentCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOrganization } from '../src/generator.js';
import { closeAccount, registerDelegatedAdministrator } from '../src/organization-state.js';
import { createMemberAccount } from '../src/organization-state-admin.js';
import { organizationExtras } from '../src/organization-state-extras.js';
import { decodeValue, deserializeWorld, encodeValue, loadWorld, saveWorld, serializeWorld } from '../src/persistence.js';
import { startSandbox } from '../src/start-sandbox.js';
import { createWorld } from '../src/world-factory.js';

describe('persistence', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sandbox-persistence-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it.each([
    ['a Map', new Map([['a', 1], ['b', 2]])],
    ['a Set', new Set(['x', 'y'])],
    ['a Date', new Date('2026-01-02T03:04:05.678Z')],
    ['nested', { list: [new Map([[1, new Set([new Date(0)])]])], plain: 'text', n: null }],
    ['an object using the tag key', { $sandboxType: 'Date', value: 'not a date' }],
  ])('round-trips %s', (_label, value) => {
    expect(decodeValue(JSON.parse(JSON.stringify(encodeValue(value))))).toEqual(value);
  });

  it('saves a world to a file and loads it back with Maps, Sets, Dates and Organizations side state', async () => {
    const world = createWorld({ seed: 4 });
    const g = generateOrganization(world, { seed: 4, accounts: 15, ous: 3, blocked: 0.2 });
    const { request } = createMemberAccount(world, { email: 'saved@example.com', name: 'saved' });
    registerDelegatedAdministrator(world, request.accountId!, 'sso.amazonaws.com');
    const closing = [...world.accounts.values()].find((a) => a.parentId !== null && a.id !== g.managementAccountId && a.id !== request.accountId)!;
    closeAccount(world, closing.id);
    world.cloudformation = { stacks: { a: { createdAt: '2026-01-01T00:00:00Z' } } };
    const path = join(dir, 'world.json');
    await saveWorld(world, path, { generated: g });
    const { world: loaded, meta } = await loadWorld(path);

    expect(loaded.accounts).toEqual(world.accounts);
    expect(loaded.organization).toEqual(world.organization);
    expect(loaded.iam).toEqual(world.iam);
    expect(loaded.credentials).toEqual(world.credentials);
    expect(loaded.cloudformation).toEqual(world.cloudformation);
    expect(loaded.accounts.get(closing.id)?.joinedTimestamp).toBeInstanceOf(Date);
    expect(loaded.organization?.delegatedAdministrators.get(request.accountId!)).toEqual(new Set(['sso.amazonaws.com']));
    const extras = organizationExtras(loaded);
    expect(extras.createAccountStatuses.get(request.id)).toEqual(request);
    expect(extras.pendingClosures.has(closing.id)).toBe(true);
    expect(meta).toEqual({ generated: g });
    expect(loaded.listeners).toEqual([]);
  });

  it.each([
    ['another format', { format: 'other', version: 1 }, /not a sandbox world file/],
    ['a newer version', { format: 'orglink-sandbox-world', version: 99 }, /unsupported/],
  ])('refuses %s', (_label, doc, message) => {
    expect(() => deserializeWorld(doc)).toThrow(message);
  });

  it('refuses a file that is not JSON', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, '{ nope');
    await expect(loadWorld(path)).rejects.toThrow(/not valid JSON/);
  });

  it('keeps a sandbox state file across restarts (startSandbox stateFile)', async () => {
    const stateFile = join(dir, 'state.json');
    const first = await startSandbox({ seed: 8, accounts: 5, ous: 1, stateFile });
    const client = new OrganizationsClient({ endpoint: first.endpoint, region: first.region, credentials: first.managementRoot, maxAttempts: 1 });
    const rootId = first.world.organization!.rootId;
    await client.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'MadeBeforeRestart' }));
    client.destroy();
    await first.close();

    const second = await startSandbox({ seed: 999, stateFile });
    try {
      expect(second.platform).toEqual(first.platform);
      expect(second.managementAccountId).toBe(first.managementAccountId);
      const again = new OrganizationsClient({ endpoint: second.endpoint, region: second.region, credentials: second.managementRoot, maxAttempts: 1 });
      const { OrganizationalUnits } = await again.send(new ListOrganizationalUnitsForParentCommand({ ParentId: rootId }));
      expect(OrganizationalUnits?.map((ou) => ou.Name)).toContain('MadeBeforeRestart');
      again.destroy();
    } finally {
      await second.close();
    }
  });

  it('serializes a 10,000-account world without choking', () => {
    const world = createWorld();
    generateOrganization(world, { accounts: 10_000, ous: 100 });
    const doc = serializeWorld(world);
    expect(deserializeWorld(JSON.parse(JSON.stringify(doc))).world.accounts.size).toBe(10_001);
  });
});
