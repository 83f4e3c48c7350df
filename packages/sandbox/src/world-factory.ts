/**
 * Creating an empty world and the IAM primitives every module builds on (accounts'
 * IAM namespaces, roles, long-term keys). Services mutate the world only through
 * functions like these so invariants (unique names, ARNs) hold in one place.
 */
import { AwsError } from './aws-error.js';
import { randomIamId, randomString, seededRandom } from './ids.js';
import type { Credential, IamAccount, IamRole, PolicyDocument, Principal, World, WorldEvent } from './world.js';

export interface WorldOptions {
  now?: () => Date;
  defaultRegion?: string;
  /** Seed for ids and keys; the same seed gives the same world. */
  seed?: number;
}

/** Worlds carry their own PRNG so ids are reproducible per seed. */
const randomByWorld = new WeakMap<World, () => number>();

/** An empty world: no accounts, no organization. */
export function createWorld(options: WorldOptions = {}): World {
  const world: World = {
    partition: 'aws',
    defaultRegion: options.defaultRegion ?? 'us-east-1',
    accounts: new Map(),
    organization: null,
    iam: new Map(),
    credentials: new Map(),
    cloudformation: undefined,
    identityCenter: undefined,
    listeners: [],
    now: options.now ?? (() => new Date()),
  };
  randomByWorld.set(world, seededRandom(options.seed ?? 1));
  return world;
}

/** The world's seeded random source. */
export function worldRandom(world: World): () => number {
  let random = randomByWorld.get(world);
  if (!random) {
    random = seededRandom(1);
    randomByWorld.set(world, random);
  }
  return random;
}

/** The IAM namespace of an account, created on first use. */
export function iamAccount(world: World, accountId: string): IamAccount {
  let iam = world.iam.get(accountId);
  if (!iam) {
    iam = { roles: new Map(), users: new Map(), groups: new Map(), policies: new Map() };
    world.iam.set(accountId, iam);
  }
  return iam;
}

export interface RoleSpec {
  name: string;
  path?: string;
  trustPolicy: PolicyDocument;
  inlinePolicies?: Record<string, PolicyDocument>;
  attachedPolicyArns?: string[];
  description?: string;
  maxSessionDuration?: number;
}

/** Creates a role; EntityAlreadyExists if the name is taken in that account. */
export function putRole(world: World, accountId: string, spec: RoleSpec): IamRole {
  const iam = iamAccount(world, accountId);
  if (iam.roles.has(spec.name)) {
    throw new AwsError('EntityAlreadyExists', `Role with name ${spec.name} already exists.`, 409);
  }
  const path = spec.path ?? '/';
  const role: IamRole = {
    name: spec.name,
    path,
    roleId: randomIamId(worldRandom(world), 'AROA'),
    arn: `arn:${world.partition}:iam::${accountId}:role${path}${spec.name}`,
    trustPolicy: spec.trustPolicy,
    inlinePolicies: new Map(Object.entries(spec.inlinePolicies ?? {})),
    attachedPolicyArns: [...(spec.attachedPolicyArns ?? [])],
    maxSessionDuration: spec.maxSessionDuration ?? 3600,
    createDate: world.now(),
    ...(spec.description === undefined ? {} : { description: spec.description }),
  };
  iam.roles.set(spec.name, role);
  return role;
}

/** Deletes a role; NoSuchEntity if it is not there. */
export function deleteRole(world: World, accountId: string, name: string): void {
  const iam = iamAccount(world, accountId);
  if (!iam.roles.delete(name)) {
    throw new AwsError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404);
  }
}

/** Issues a long-term access key (AKIA...) for a root or user principal. */
export function issueLongTermKey(world: World, principal: Principal): Credential {
  const random = worldRandom(world);
  const credential: Credential = {
    accessKeyId: randomIamId(random, 'AKIA'),
    secretAccessKey: randomString(random, 40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'),
    principal,
  };
  world.credentials.set(credential.accessKeyId, credential);
  return credential;
}

/** The root principal of an account (all actions allowed, as for a real root user). */
export function rootPrincipal(world: World, accountId: string): Principal {
  return { kind: 'root', accountId, arn: `arn:${world.partition}:iam::${accountId}:root` };
}

/** Tells every in-process listener (StackSets auto-deployment, event delivery) about a change. */
export function emitWorldEvent(world: World, event: WorldEvent): void {
  for (const listener of world.listeners) listener(event);
}
