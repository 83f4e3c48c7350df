import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOrganization } from '../src/generator.js';
import { GeneratorInputError, parseOrganizationSpec } from '../src/generator-spec.js';
import { parentDepth } from '../src/organization-state.js';
import { createWorld } from '../src/world-factory.js';
import type { World } from '../src/world.js';
import { rejection, startOrganizationsFixture } from './organizations-fixture.js';
import type { OrganizationsFixture } from './organizations-fixture.js';

function summary(world: World) {
  const org = world.organization!;
  return {
    org: [org.id, org.rootId],
    ous: [...org.ous.values()].map((ou) => [ou.id, ou.name, ou.parentId]),
    accounts: [...world.accounts.values()].map((a) => [a.id, a.name, a.email, a.parentId]),
  };
}

describe('org generator', () => {
  it('builds the same organization for the same seed, and another for another seed', () => {
    const build = (seed: number) => {
      const world = createWorld({ seed });
      const generated = generateOrganization(world, { seed, accounts: 50, ous: 10, depth: 4, blocked: 0.2 });
      return { ...summary(world), externalId: generated.externalId, blocked: generated.blockedAccounts, key: generated.platform.accessKeyId };
    };
    expect(build(3)).toEqual(build(3));
    expect(build(3).accounts).not.toEqual(build(4).accounts);
  });

  it('respects the counts, the depth and the blocked share, with both blocked kinds', () => {
    const world = createWorld({ seed: 9 });
    const g = generateOrganization(world, { seed: 9, accounts: 200, ous: 40, depth: 5, blocked: 0.1 });
    const org = world.organization!;
    expect(g.accountCount).toBe(200);
    expect([...org.childAccounts.values()].flat()).toHaveLength(200);
    expect(org.ous.size).toBe(40);
    const depths = [...org.ous.keys()].map((id) => parentDepth(org, id));
    expect(Math.max(...depths)).toBe(5);
    expect(g.blockedAccounts).toHaveLength(20);
    expect(new Set(g.blockedAccounts.map((b) => b.kind))).toEqual(new Set(['missing-role', 'wrong-external-id']));
    expect(g.blockedAccounts.map((b) => b.accountId)).not.toContain(g.managementAccountId);
    expect(g.platformAccountId).toBe('111111111111');
    expect(world.accounts.get('111111111111')?.parentId).toBeNull();
    expect(g.externalId).toMatch(/^t_sandbox00001:[A-Za-z0-9]{8}$/);
    expect(new Set([...world.accounts.values()].map((a) => a.email)).size).toBe(world.accounts.size);
  });

  it('sets up the platform user, the discovery role and the member roles', () => {
    const world = createWorld({ seed: 5 });
    const g = generateOrganization(world, { seed: 5, accounts: 20, ous: 3, blocked: 0.5, memberRoleName: 'Member', discoveryRoleName: 'Discovery' });
    const user = world.iam.get(g.platformAccountId)!.users.get('orglink-platform')!;
    expect(user.arn).toBe(g.platform.principalArn);
    expect(world.credentials.get(g.platform.accessKeyId)?.principal).toMatchObject({ kind: 'user', arn: user.arn });
    expect(world.credentials.get(g.managementRoot.accessKeyId)?.principal).toMatchObject({ kind: 'root', accountId: g.managementAccountId });
    const trust = { Effect: 'Allow', Principal: { AWS: user.arn }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': g.externalId } } };
    const mgmtIam = world.iam.get(g.managementAccountId)!;
    const discovery = mgmtIam.roles.get('Discovery')!;
    expect(discovery.arn).toBe(g.discoveryRoleArn);
    expect(discovery.trustPolicy.Statement).toEqual([trust]);
    expect(JSON.stringify(discovery.inlinePolicies.get('OrglinkDiscovery'))).toContain('organizations:ListAccountsForParent');
    expect(mgmtIam.roles.get('Member')?.attachedPolicyArns).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    const blocked = new Map(g.blockedAccounts.map((b) => [b.accountId, b.kind]));
    for (const [id, account] of world.accounts) {
      if (account.parentId === null || id === g.managementAccountId) continue;
      const role = world.iam.get(id)!.roles.get('Member');
      if (blocked.get(id) === 'missing-role') expect(role).toBeUndefined();
      else if (blocked.get(id) === 'wrong-external-id') expect(JSON.stringify(role!.trustPolicy)).not.toContain(g.externalId);
      else expect(role!.trustPolicy.Statement).toEqual([trust]);
    }
  });

  it('uses one role for discovery and member in the management account when the names match (the default)', () => {
    const world = createWorld();
    const g = generateOrganization(world, { accounts: 3 });
    expect(g.discoveryRoleName).toBe(g.memberRoleName);
    const role = world.iam.get(g.managementAccountId)!.roles.get(g.memberRoleName)!;
    expect(role.attachedPolicyArns).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    expect(role.inlinePolicies.has('OrglinkDiscovery')).toBe(true);
  });

  it('builds an organization from a YAML spec', () => {
    const spec = parseOrganizationSpec(`
seed: 11
externalId: t_abcdefghijkl:Zz123456
platformAccountId: "222222222222"
management: { name: Acme Management, email: root@acme.example }
root:
  accounts:
    - { name: shared-services }
  ous:
    - name: Workloads
      accounts:
        - { name: payments-prod, id: "333333333333" }
        - { name: legacy, blocked: missing-role }
        - { name: partner, blocked: wrong-external-id, joinedMethod: INVITED }
      ous:
        - name: Suspended
          accounts: [{ name: old, state: SUSPENDED }]
`);
    const world = createWorld({ seed: 11 });
    const g = generateOrganization(world, { spec });
    const org = world.organization!;
    expect(g.platformAccountId).toBe('222222222222');
    expect(g.externalId).toBe('t_abcdefghijkl:Zz123456');
    expect(world.accounts.get(g.managementAccountId)).toMatchObject({ name: 'Acme Management', email: 'root@acme.example' });
    const workloads = [...org.ous.values()].find((ou) => ou.name === 'Workloads')!;
    expect(org.childAccounts.get(workloads.id)?.[0]).toBe('333333333333');
    expect(g.blockedAccounts.map((b) => b.kind).sort()).toEqual(['missing-role', 'wrong-external-id']);
    const byName = (name: string) => [...world.accounts.values()].find((a) => a.name === name)!;
    expect(byName('partner').joinedMethod).toBe('INVITED');
    expect(byName('old').state).toBe('SUSPENDED');
    expect(byName('shared-services').email).toBe('aws+shared-services@example.com');
  });

  it.each([
    ['bad YAML', 'root: [', /not valid YAML/],
    ['no root', 'seed: 1', /root/],
    ['an unknown field', 'root: {}\ncolour: blue', /colour|Unrecognized/],
    ['a bad account id', 'root: { accounts: [{ name: a, id: "12" }] }', /12 digits/],
    ['OUs six levels deep', `root: { ous: [${'{ name: a, ous: ['.repeat(6)}${']}'.repeat(6)}] }`, /5/],
  ])('rejects a spec with %s', (_label, text, message) => {
    expect(() => parseOrganizationSpec(text)).toThrow(message);
  });

  it.each([
    [{ accounts: 0 }, /accounts/],
    [{ ous: -1 }, /ous/],
    [{ depth: 6 }, /depth/],
    [{ blocked: 1.5 }, /blocked/],
  ])('rejects parameters %o', (params, message) => {
    expect(() => generateOrganization(createWorld(), params)).toThrow(GeneratorInputError);
    expect(() => generateOrganization(createWorld(), params)).toThrow(message);
  });
});

describe('a generated organization over HTTP', () => {
  let f: OrganizationsFixture;
  beforeAll(async () => {
    f = await startOrganizationsFixture({ seed: 21, accounts: 12, ous: 2, blocked: 0.35 });
  });
  afterAll(async () => f.close());

  it('lets the platform assume member roles with the External ID, except in blocked accounts', async () => {
    const g = f.generated;
    const kinds = new Map(g.blockedAccounts.map((b) => [b.accountId, b.kind]));
    expect(new Set(kinds.values()).size).toBe(2);
    for (const [id, account] of f.world.accounts) {
      if (account.parentId === null) continue;
      const arn = `arn:aws:iam::${id}:role/${g.memberRoleName}`;
      if (kinds.has(id)) expect((await rejection(f.assume(arn))).name).toBe('AccessDenied');
      else expect((await f.assume(arn)).accessKeyId).toMatch(/^ASIA/);
    }
    expect((await rejection(f.assume(g.discoveryRoleArn, 't_sandbox00001:wrong000'))).name).toBe('AccessDenied');
  });
});
