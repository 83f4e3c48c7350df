/**
 * STS over the Query protocol: AssumeRole (the target role's trust policy, the caller's
 * identity policy, External ID, DurationSeconds and role-chaining rules, as AWS applies
 * them) and GetCallerIdentity. Every time comes from world.now().
 */
import { decide, managedPolicyDocument } from '../authorization.js';
import { AwsError } from '../aws-error.js';
import { randomIamId, randomString } from '../ids.js';
import { queryInt, queryList, queryString } from '../protocols/query-values.js';
import type { OperationContext, ServiceDefinition } from '../service.js';
import { evaluateTrustPolicy } from '../trust-policy.js';
import { worldRandom } from '../world-factory.js';
import type { Credential, IamRole, PolicyDocument, Principal, World } from '../world.js';
import { parsePolicyDocument } from './iam-common.js';

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role((?:\/[\x21-\x7e]*)?\/)([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Session length for role chaining; AWS refuses anything longer. */
export const ROLE_CHAINING_MAX_SECONDS = 3600;

function validation(message: string): AwsError {
  return new AwsError('ValidationError', message, 400);
}

interface AssumeRoleInput {
  roleArn: string;
  accountId: string;
  roleName: string;
  sessionName: string;
  externalId: string | undefined;
  duration: number | undefined;
  sessionPolicies: PolicyDocument[] | undefined;
}

/** Validates AssumeRole's members the way STS does, before any authorization. */
function readAssumeRoleInput(world: World, input: Record<string, unknown>): AssumeRoleInput {
  const roleArn = queryString(input, 'RoleArn', true);
  const sessionName = queryString(input, 'RoleSessionName', true);
  const externalId = queryString(input, 'ExternalId');
  const duration = queryInt(input, 'DurationSeconds', 900, 43_200);
  if (!SESSION_NAME.test(sessionName)) {
    throw validation(`1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
  }
  if (externalId !== undefined && !EXTERNAL_ID.test(externalId)) {
    throw validation(`1 validation error detected: Value '${externalId.slice(0, 1300)}' at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]* and have length between 2 and 1224`);
  }
  if (roleArn.length < 20 || roleArn.length > 2048) {
    throw validation(`1 validation error detected: Value '${roleArn.slice(0, 2100)}' at 'roleArn' failed to satisfy constraint: Member must have length between 20 and 2048`);
  }
  const match = ROLE_ARN.exec(roleArn);
  if (!match) throw validation(`${roleArn} is invalid`);
  const [, accountId = '', , roleName = ''] = match;
  return { roleArn, accountId, roleName, sessionName, externalId, duration, sessionPolicies: readSessionPolicies(world, input, accountId) };
}

const SESSION_POLICY_MAX = 2048;
const SESSION_POLICY_ARNS_MAX = 10;

/** Policy (inline JSON) and PolicyArns (managed, up to 10) become the session's policies. */
function readSessionPolicies(world: World, input: Record<string, unknown>, accountId: string): PolicyDocument[] | undefined {
  const inline = queryString(input, 'Policy');
  const arns = queryList(input, 'PolicyArns');
  if (inline === undefined && arns === undefined) return undefined;
  const documents: PolicyDocument[] = [];
  if (inline !== undefined) {
    if (inline.length > SESSION_POLICY_MAX) throw new AwsError('PackedPolicyTooLarge', 'Packed size of session policies exceeds the limit.', 400);
    documents.push(parsePolicyDocument(inline, 'identity', SESSION_POLICY_MAX));
  }
  const list = arns ?? [];
  if (list.length > SESSION_POLICY_ARNS_MAX) throw validation(`1 validation error detected: Value at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to ${SESSION_POLICY_ARNS_MAX}`);
  for (const entry of list) {
    const arn = typeof entry === 'object' && entry !== null ? (entry as { arn?: unknown }).arn : undefined;
    if (typeof arn !== 'string') throw validation("1 validation error detected: Value at 'policyArns.member.arn' failed to satisfy constraint: Member must not be null");
    const document = managedPolicyDocument(world, accountId, arn);
    if (!document) throw validation(`Policy ${arn} does not exist or is not attachable.`);
    documents.push(document);
  }
  return documents;
}

/** The role, if the caller may assume it: identity policy, existence, trust policy. */
function authorizeAssumeRole(ctx: OperationContext, request: AssumeRoleInput): IamRole {
  const caller = ctx.caller;
  if (caller.kind === 'root') throw new AwsError('AccessDenied', 'Roles may not be assumed by root accounts.', 403);
  const denied = new AwsError('AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${request.roleArn}`, 403);
  const callerSession = ctx.world.credentials.get(ctx.accessKeyId)?.sessionPolicies;
  if (decide(ctx.world, caller, 'sts:AssumeRole', request.roleArn, ctx.region, callerSession) !== 'allow') throw denied;
  const role = ctx.world.iam.get(request.accountId)?.roles.get(request.roleName);
  // A missing role and a refusing trust policy look the same from outside, as in AWS.
  if (!role || role.arn !== request.roleArn) throw denied;
  const trust = evaluateTrustPolicy(role.trustPolicy, { caller, externalId: request.externalId, roleSessionName: request.sessionName });
  if (trust !== 'allow') throw denied;
  return role;
}

function assumeRole(ctx: OperationContext, input: Record<string, unknown>): unknown {
  const request = readAssumeRoleInput(ctx.world, input);
  const role = authorizeAssumeRole(ctx, request);
  const chained = ctx.caller.kind === 'assumed-role';
  const seconds = request.duration ?? 3600;
  if (chained && seconds > ROLE_CHAINING_MAX_SECONDS) {
    throw validation('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  }
  if (seconds > role.maxSessionDuration) {
    throw validation('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }
  const principal: Principal = {
    kind: 'assumed-role',
    accountId: request.accountId,
    arn: `arn:aws:sts::${request.accountId}:assumed-role/${role.name}/${request.sessionName}`,
    roleName: role.name,
    roleArn: role.arn,
    sessionName: request.sessionName,
    chained,
  };
  const credential = issueSessionCredential(ctx.world, principal, seconds);
  if (request.sessionPolicies) credential.sessionPolicies = request.sessionPolicies;
  return {
    Credentials: {
      AccessKeyId: credential.accessKeyId,
      SecretAccessKey: credential.secretAccessKey,
      SessionToken: credential.sessionToken,
      Expiration: credential.expiresAt,
    },
    AssumedRoleUser: { AssumedRoleId: `${role.roleId}:${request.sessionName}`, Arn: principal.arn },
    PackedPolicySize: request.sessionPolicies ? Math.min(100, Math.ceil((JSON.stringify(request.sessionPolicies).length / SESSION_POLICY_MAX) * 100)) : undefined,
  };
}

/** Issues temporary credentials (ASIA…, with a session token) valid for `seconds` from world.now(). */
export function issueSessionCredential(world: World, principal: Principal, seconds: number): Credential {
  const random = worldRandom(world);
  const credential: Credential = {
    accessKeyId: randomIamId(random, 'ASIA'),
    secretAccessKey: randomString(random, 40, SECRET_ALPHABET),
    sessionToken: `IQoJb3JpZ2luX2VjE${randomString(random, 300, SECRET_ALPHABET)}`,
    principal,
    expiresAt: new Date(world.now().getTime() + seconds * 1000),
  };
  world.credentials.set(credential.accessKeyId, credential);
  pruneExpiredSessions(world);
  return credential;
}

const issuedSincePrune = new WeakMap<World, number>();
/** How long an expired session key still answers ExpiredToken before it is forgotten. */
const EXPIRED_RETENTION_MS = 12 * 3600_000;

/** Long benchmark runs issue many sessions; forget long-expired ones every 1,000 issues. */
function pruneExpiredSessions(world: World): void {
  const issued = (issuedSincePrune.get(world) ?? 0) + 1;
  issuedSincePrune.set(world, issued % 1000);
  if (issued < 1000) return;
  const cutoff = world.now().getTime() - EXPIRED_RETENTION_MS;
  for (const [id, credential] of world.credentials) {
    if (credential.expiresAt && credential.expiresAt.getTime() < cutoff) world.credentials.delete(id);
  }
}

function getCallerIdentity(ctx: OperationContext): unknown {
  const caller = ctx.caller;
  const iam = ctx.world.iam.get(caller.accountId);
  let userId: string = caller.accountId;
  if (caller.kind === 'user') userId = iam?.users.get(caller.userName)?.userId ?? caller.accountId;
  if (caller.kind === 'assumed-role') userId = `${iam?.roles.get(caller.roleName)?.roleId ?? 'AROA'}:${caller.sessionName}`;
  return { UserId: userId, Account: caller.accountId, Arn: caller.arn };
}

/** The STS service definition. */
export const stsService: ServiceDefinition = {
  signingName: 'sts',
  actionPrefix: 'sts',
  protocol: 'query',
  xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
  accessDeniedCode: 'AccessDenied',
  family: 'sts',
  operations: {
    AssumeRole: { handler: assumeRole, skipAuthorization: true },
    GetCallerIdentity: { handler: getCallerIdentity, skipAuthorization: true },
  },
};
