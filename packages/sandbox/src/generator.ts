/**
 * The org generator: builds a ready-to-use organization in a world from parameters or a
 * spec, the same one for the same seed (ids, names, emails, which accounts are blocked).
 * It also sets up the identities orglink needs: a platform account outside the org whose
 * IAM user may call sts:AssumeRole, a discovery role in the management account and a
 * member role in every account, each trusting that user with one External ID — except
 * the blocked accounts, whose member role is missing or expects another External ID.
 */
import { normalizeParameters } from './generator-spec.js';
import type { AccountSpec, BlockedKind, OrganizationParameters, OrganizationSpec, OuSpec } from './generator-spec.js';
import { randomAccountId, randomString, seededRandom } from './ids.js';
import { addAccountToOrganization, createOrganization, createOrganizationalUnit } from './organization-state.js';
import { setupGeneratedIdentities } from './generator-identities.js';
import type { GeneratedIdentities } from './generator-identities.js';
import type { World } from './world.js';

export interface GeneratorOptions extends OrganizationParameters {
  seed?: number;
  /** Build from this spec instead of from the parameters. */
  spec?: OrganizationSpec;
  /** External ID every member role expects (default `t_sandbox00001:` + 8 seeded characters). */
  externalId?: string;
  /** Platform account id (default 111111111111; `'random'` draws one from the seed). */
  platformAccountId?: string;
  /** Member role name (default OrglinkRole; orglink uses one name for both roles). */
  memberRoleName?: string;
  /** Discovery role name (default: the member role name, so the management account holds one role doing both). */
  discoveryRoleName?: string;
}

export interface BlockedAccount {
  accountId: string;
  kind: BlockedKind;
}

export interface GeneratedOrganization extends GeneratedIdentities {
  seed: number;
  organizationId: string;
  rootId: string;
  managementAccountId: string;
  platformAccountId: string;
  externalId: string;
  memberRoleName: string;
  discoveryRoleName: string;
  blockedAccounts: BlockedAccount[];
  accountCount: number;
  ouCount: number;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const TEAMS = ['payments', 'search', 'data', 'identity', 'billing', 'mobile', 'web', 'ml', 'ops', 'security', 'media', 'growth'];
const ENVS = ['prod', 'staging', 'dev', 'test', 'sandbox', 'shared'];
const OU_WORDS = ['Workloads', 'Security', 'Infrastructure', 'Sandbox', 'Platform', 'Teams', 'Regulated', 'Suspended', 'Exceptions', 'Labs'];

interface PlannedAccount {
  spec: AccountSpec;
  parentId: string;
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function uniqueAccountId(random: () => number, world: World, wanted?: string): string {
  if (wanted) return wanted;
  let id = randomAccountId(random);
  while (world.accounts.has(id)) id = randomAccountId(random);
  return id;
}

/** Lays out a seeded tree: the first `depth` OUs form a chain, the rest hang anywhere above the depth limit. */
function buildParameterTree(world: World, random: () => number, rootId: string, params: Required<OrganizationParameters>): PlannedAccount[] {
  const rootSuffix = rootId.slice(2);
  const parents: string[] = [rootId];
  const shallow: Array<{ id: string; depth: number }> = [{ id: rootId, depth: 0 }];
  for (let i = 0; i < params.ous; i++) {
    const parent = i < params.depth ? (shallow[shallow.length - 1] as { id: string; depth: number }) : pick(random, shallow);
    const id = `ou-${rootSuffix}-${randomString(random, 8)}`;
    createOrganizationalUnit(world, parent.id, `${pick(random, OU_WORDS)}-${String(i + 1).padStart(4, '0')}`, id);
    parents.push(id);
    if (parent.depth + 1 < params.depth) shallow.push({ id, depth: parent.depth + 1 });
  }
  const planned: PlannedAccount[] = [];
  for (let i = 1; i < params.accounts; i++) {
    const name = `${pick(random, TEAMS)}-${pick(random, ENVS)}-${String(i).padStart(5, '0')}`;
    planned.push({ spec: { name }, parentId: pick(random, parents) });
  }
  return planned;
}

function buildSpecTree(world: World, random: () => number, rootId: string, spec: OrganizationSpec): PlannedAccount[] {
  const rootSuffix = rootId.slice(2);
  const planned: PlannedAccount[] = (spec.root.accounts ?? []).map((account) => ({ spec: account, parentId: rootId }));
  const walk = (ous: OuSpec[], parentId: string): void => {
    for (const ou of ous) {
      const created = createOrganizationalUnit(world, parentId, ou.name, `ou-${rootSuffix}-${randomString(random, 8)}`);
      for (const account of ou.accounts ?? []) planned.push({ spec: account, parentId: created.id });
      walk(ou.ous ?? [], created.id);
    }
  };
  walk(spec.root.ous ?? [], rootId);
  return planned;
}

/** Which planned accounts are blocked, and how: explicit in a spec, a seeded share otherwise. Kinds alternate so both occur. */
function chooseBlocked(random: () => number, planned: PlannedAccount[], share: number): Map<number, BlockedKind> {
  const blocked = new Map<number, BlockedKind>();
  planned.forEach((account, index) => {
    const flag = account.spec.blocked;
    if (flag === 'missing-role' || flag === 'wrong-external-id') blocked.set(index, flag);
    else if (flag === true) blocked.set(index, random() < 0.5 ? 'missing-role' : 'wrong-external-id');
  });
  const count = Math.round(share * planned.length);
  if (count === 0) return blocked;
  const order = planned.map((_, index) => index);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const firstKind: BlockedKind = random() < 0.5 ? 'missing-role' : 'wrong-external-id';
  const otherKind: BlockedKind = firstKind === 'missing-role' ? 'wrong-external-id' : 'missing-role';
  order.slice(0, count).forEach((index, n) => blocked.set(index, n % 2 === 0 ? firstKind : otherKind));
  return blocked;
}

function emailFor(name: string, used: Set<string>): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'account';
  let email = `aws+${slug}@example.com`;
  for (let n = 2; used.has(email); n++) email = `aws+${slug}-${n}@example.com`;
  return email;
}

/** Builds the organization and its identities into an empty world; deterministic for a seed. */
export function generateOrganization(world: World, options: GeneratorOptions = {}): GeneratedOrganization {
  if (world.organization) throw new Error('generateOrganization needs a world without an organization');
  const seed = options.spec?.seed ?? options.seed ?? 1;
  const random = seededRandom(seed);
  const spec = options.spec;
  const params = normalizeParameters(options);
  const platformChoice = spec?.platformAccountId ?? options.platformAccountId ?? '111111111111';
  const platformAccountId = platformChoice === 'random' ? randomAccountId(random) : platformChoice;
  const externalId = spec?.externalId ?? options.externalId ?? `t_sandbox00001:${randomString(random, 8, ALNUM)}`;
  const memberRoleName = spec?.memberRoleName ?? options.memberRoleName ?? 'OrglinkRole';
  const discoveryRoleName = spec?.discoveryRoleName ?? options.discoveryRoleName ?? memberRoleName;
  const joined = world.now();

  world.accounts.set(platformAccountId, {
    id: platformAccountId, name: 'orglink-platform', email: 'platform@example.com', state: 'ACTIVE', joinedMethod: 'CREATED', joinedTimestamp: joined, parentId: null,
  });
  const managementAccountId = uniqueAccountId(random, world, spec?.management?.id);
  const usedEmails = new Set<string>(['platform@example.com']);
  const managementEmail = spec?.management?.email ?? 'aws-management@example.com';
  usedEmails.add(managementEmail);
  world.accounts.set(managementAccountId, {
    id: managementAccountId, name: spec?.management?.name ?? 'Management', email: managementEmail, state: 'ACTIVE', joinedMethod: 'CREATED', joinedTimestamp: joined, parentId: null,
  });
  const org = createOrganization(world, managementAccountId, { id: `o-${randomString(random, 10)}`, rootId: `r-${randomString(random, 4)}` });

  const planned = spec ? buildSpecTree(world, random, org.rootId, spec) : buildParameterTree(world, random, org.rootId, params);
  const blockedKinds = chooseBlocked(random, planned, spec ? 0 : params.blocked);
  const memberAccountIds: string[] = [];
  for (const plan of planned) {
    const id = uniqueAccountId(random, world, plan.spec.id);
    const email = plan.spec.email ?? emailFor(plan.spec.name, usedEmails);
    usedEmails.add(email);
    addAccountToOrganization(world, {
      id, name: plan.spec.name, email, parentId: plan.parentId, joinedMethod: plan.spec.joinedMethod ?? 'CREATED', state: plan.spec.state ?? 'ACTIVE', joinedTimestamp: joined,
    });
    memberAccountIds.push(id);
  }
  const blockedAccounts: BlockedAccount[] = [...blockedKinds].map(([index, kind]) => ({ accountId: memberAccountIds[index] as string, kind }));
  const otherExternalId = `t_othertenant:${randomString(random, 8, ALNUM)}`;
  const identities = setupGeneratedIdentities(world, {
    platformAccountId, managementAccountId, memberAccountIds, externalId, otherExternalId, memberRoleName, discoveryRoleName, blockedAccounts,
  });
  return {
    ...identities, seed, organizationId: org.id, rootId: org.rootId, managementAccountId, platformAccountId, externalId, memberRoleName, discoveryRoleName,
    blockedAccounts, accountCount: memberAccountIds.length + 1, ouCount: org.ous.size,
  };
}
