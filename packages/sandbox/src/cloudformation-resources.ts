/**
 * What each supported resource type does to the world when a stack creates or deletes
 * it: IAM roles and their policies become real IAM entities in the stack's account
 * (so they can be assumed); EventBridge plumbing is accepted and recorded as no-ops.
 */
import { AwsError } from './aws-error.js';
import { randomIamId, randomString } from './ids.js';
import { iamAccount, putRole, worldRandom } from './world-factory.js';
import type { PolicyDocument, World } from './world.js';

export interface ResourceContext {
  world: World;
  accountId: string;
  region: string;
  stackName: string;
  stackId: string;
  logicalId: string;
}

export interface CreatedResource {
  physicalId: string;
  attributes: Record<string, string>;
}

export interface ResourceHandler {
  create(ctx: ResourceContext, properties: Record<string, unknown>): CreatedResource;
  delete(ctx: ResourceContext, physicalId: string, properties: Record<string, unknown>): void;
}

function invalid(message: string): AwsError {
  return new AwsError('ValidationError', message);
}

function optionalString(properties: Record<string, unknown>, key: string): string | undefined {
  const value = properties[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(`Property ${key} must be a string`);
  return value;
}

function stringList(properties: Record<string, unknown>, key: string): string[] {
  const value = properties[key];
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw invalid(`Property ${key} must be a list of strings`);
  }
  return value;
}

/** Policy documents may be given as objects or as JSON strings. */
function policyDocument(value: unknown, key: string): PolicyDocument {
  const doc = typeof value === 'string' ? safeJson(value, key) : value;
  if (typeof doc !== 'object' || doc === null || !('Statement' in doc)) {
    throw invalid(`Property ${key} must be a policy document with a Statement`);
  }
  return doc as PolicyDocument;
}

function safeJson(text: string, key: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalid(`Property ${key} is not valid JSON`);
  }
}

/** CloudFormation's generated physical names: `{stack}-{logicalId}-{13 random}`, at most `max` chars. */
export function generatedName(ctx: ResourceContext, max: number): string {
  const suffix = randomString(worldRandom(ctx.world), 13, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
  const room = max - suffix.length - 2;
  const stackPart = ctx.stackName.slice(0, Math.ceil(room / 2));
  const logicalPart = ctx.logicalId.slice(0, room - stackPart.length);
  return `${stackPart}-${logicalPart}-${suffix}`;
}

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const IAM_PATH = /^\/(?:[\x21-\x7e]*\/)?$/;

function checkManagedPolicyArns(ctx: ResourceContext, arns: string[]): void {
  for (const arn of arns) {
    const match = /^arn:aws[\w-]*:iam::(\d{12}|aws):policy\/.+$/.exec(arn);
    if (!match) throw invalid(`ARN ${arn} is not valid.`);
    // AWS managed policies are modeled by the authorization layer; customer ones must exist.
    if (match[1] !== 'aws' && !iamAccount(ctx.world, match[1]!).policies.has(arn)) {
      throw new AwsError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`, 404);
    }
  }
}

const roleHandler: ResourceHandler = {
  create(ctx, properties) {
    const name = optionalString(properties, 'RoleName') ?? generatedName(ctx, 64);
    if (!ROLE_NAME.test(name)) throw invalid(`1 validation error detected: Value '${name}' at 'roleName' failed to satisfy constraint`);
    const path = optionalString(properties, 'Path') ?? '/';
    if (!IAM_PATH.test(path)) throw invalid(`1 validation error detected: Value '${path}' at 'path' failed to satisfy constraint`);
    if (properties.AssumeRolePolicyDocument === undefined) throw invalid('Property AssumeRolePolicyDocument cannot be empty.');
    const inlinePolicies: Record<string, PolicyDocument> = {};
    const policies = properties.Policies ?? [];
    if (!Array.isArray(policies)) throw invalid('Property Policies must be a list');
    for (const entry of policies as Array<Record<string, unknown>>) {
      const policyName = optionalString(entry ?? {}, 'PolicyName');
      if (!policyName) throw invalid('Every entry of Policies needs a PolicyName');
      inlinePolicies[policyName] = policyDocument(entry.PolicyDocument, 'PolicyDocument');
    }
    const attachedPolicyArns = stringList(properties, 'ManagedPolicyArns');
    checkManagedPolicyArns(ctx, attachedPolicyArns);
    const maxSessionDuration = properties.MaxSessionDuration === undefined ? 3600 : Number(properties.MaxSessionDuration);
    if (!Number.isInteger(maxSessionDuration) || maxSessionDuration < 3600 || maxSessionDuration > 43200) {
      throw invalid('MaxSessionDuration must be between 3600 and 43200 seconds');
    }
    const description = optionalString(properties, 'Description');
    const role = putRole(ctx.world, ctx.accountId, {
      name,
      path,
      trustPolicy: policyDocument(properties.AssumeRolePolicyDocument, 'AssumeRolePolicyDocument'),
      inlinePolicies,
      attachedPolicyArns,
      maxSessionDuration,
      ...(description === undefined ? {} : { description }),
    });
    return { physicalId: role.name, attributes: { Arn: role.arn, RoleId: role.roleId } };
  },
  delete(ctx, physicalId) {
    iamAccount(ctx.world, ctx.accountId).roles.delete(physicalId);
  },
};

function rolesOf(ctx: ResourceContext, properties: Record<string, unknown>) {
  const iam = iamAccount(ctx.world, ctx.accountId);
  return stringList(properties, 'Roles').map((roleName) => {
    const role = iam.roles.get(roleName);
    if (!role) throw new AwsError('NoSuchEntity', `The role with name ${roleName} cannot be found.`, 404);
    return role;
  });
}

const inlinePolicyHandler: ResourceHandler = {
  create(ctx, properties) {
    const policyName = optionalString(properties, 'PolicyName');
    if (!policyName) throw invalid('Property PolicyName cannot be empty.');
    const document = policyDocument(properties.PolicyDocument, 'PolicyDocument');
    const roles = rolesOf(ctx, properties);
    if (roles.length === 0) throw invalid('At least one of [Groups,Roles,Users] must be non-empty.');
    for (const role of roles) role.inlinePolicies.set(policyName, document);
    return { physicalId: generatedName({ ...ctx, stackName: ctx.stackName.slice(0, 5) }, 28), attributes: {} };
  },
  delete(ctx, _physicalId, properties) {
    const iam = iamAccount(ctx.world, ctx.accountId);
    const policyName = String(properties.PolicyName);
    for (const roleName of stringList(properties, 'Roles')) iam.roles.get(roleName)?.inlinePolicies.delete(policyName);
  },
};

const managedPolicyHandler: ResourceHandler = {
  create(ctx, properties) {
    const name = optionalString(properties, 'ManagedPolicyName') ?? generatedName(ctx, 128);
    const path = optionalString(properties, 'Path') ?? '/';
    const arn = `arn:${ctx.world.partition}:iam::${ctx.accountId}:policy${path}${name}`;
    const iam = iamAccount(ctx.world, ctx.accountId);
    if (iam.policies.has(arn)) throw new AwsError('EntityAlreadyExists', `A policy called ${name} already exists.`, 409);
    const roles = rolesOf(ctx, properties);
    iam.policies.set(arn, {
      arn,
      name,
      path,
      policyId: randomIamId(worldRandom(ctx.world), 'ANPA'),
      document: policyDocument(properties.PolicyDocument, 'PolicyDocument'),
      createDate: ctx.world.now(),
    });
    for (const role of roles) if (!role.attachedPolicyArns.includes(arn)) role.attachedPolicyArns.push(arn);
    return { physicalId: arn, attributes: { PolicyArn: arn } };
  },
  delete(ctx, physicalId) {
    const iam = iamAccount(ctx.world, ctx.accountId);
    for (const role of iam.roles.values()) role.attachedPolicyArns = role.attachedPolicyArns.filter((a) => a !== physicalId);
    iam.policies.delete(physicalId);
  },
};

/** Accepted and recorded without effect: EventBridge plumbing orglink's forwarding templates use. */
function noOpHandler(arnOf: (ctx: ResourceContext, name: string) => string): ResourceHandler {
  return {
    create(ctx, properties) {
      const name = optionalString(properties, 'Name') ?? generatedName(ctx, 64);
      const arn = arnOf(ctx, name);
      return { physicalId: name, attributes: { Arn: arn, Name: name } };
    },
    delete() {},
  };
}

const eventsArn = (kind: string, withId: boolean) => (ctx: ResourceContext, name: string) =>
  `arn:${ctx.world.partition}:events:${ctx.region}:${ctx.accountId}:${kind}/${name}` +
  (withId ? `/${randomString(worldRandom(ctx.world), 8, '0123456789abcdef')}` : '');

const handlers = new Map<string, ResourceHandler>([
  ['AWS::IAM::Role', roleHandler],
  ['AWS::IAM::Policy', inlinePolicyHandler],
  ['AWS::IAM::ManagedPolicy', managedPolicyHandler],
  ['AWS::Events::Rule', noOpHandler(eventsArn('rule', false))],
  ['AWS::Events::ApiDestination', noOpHandler(eventsArn('api-destination', true))],
  ['AWS::Events::Connection', noOpHandler(eventsArn('connection', true))],
  ['AWS::Events::EventBus', noOpHandler(eventsArn('event-bus', false))],
  ['AWS::Events::EventBusPolicy', noOpHandler(eventsArn('event-bus-policy', false))],
  ['AWS::CloudFormation::WaitConditionHandle', noOpHandler(eventsArn('wait-condition', false))],
]);

/** The handler for a resource type, or undefined when the sandbox does not model it. */
export function resourceHandler(type: string): ResourceHandler | undefined {
  return handlers.get(type);
}

/** Lets other modules (StackSets) add resource types without an import cycle. */
export function registerResourceHandler(type: string, handler: ResourceHandler): void {
  handlers.set(type, handler);
}

/** Resource types that need CAPABILITY_IAM (or CAPABILITY_NAMED_IAM when they carry an explicit name). */
export function requiredCapability(type: string, properties: Record<string, unknown>): 'CAPABILITY_IAM' | 'CAPABILITY_NAMED_IAM' | undefined {
  if (!type.startsWith('AWS::IAM::')) return undefined;
  const named = ['RoleName', 'ManagedPolicyName', 'UserName', 'GroupName', 'InstanceProfileName'].some((k) => k in properties);
  return named ? 'CAPABILITY_NAMED_IAM' : 'CAPABILITY_IAM';
}
