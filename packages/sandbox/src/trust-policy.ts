/**
 * Evaluating a role's trust policy for sts:AssumeRole: does a statement name the caller
 * as Principal (`*`, an account id, `arn:…:root`, a user ARN, or a role ARN matching an
 * assumed-role session), cover the action, and do its conditions (sts:ExternalId…) hold?
 * Pure: callers pass the facts about the caller.
 */
import { conditionsHold, statementsOf, wildcardMatch } from './policy-evaluation.js';
import type { Decision } from './policy-evaluation.js';
import type { PolicyDocument, PolicyStatement, Principal } from './world.js';

export interface TrustRequest {
  caller: Principal;
  action?: string; // default sts:AssumeRole
  externalId?: string;
  roleSessionName?: string;
}

/** Decides whether the trust policy lets the caller assume the role. */
export function evaluateTrustPolicy(document: PolicyDocument, request: TrustRequest): Decision {
  const action = request.action ?? 'sts:AssumeRole';
  const context = trustContext(request);
  let allowed = false;
  for (const statement of statementsOf(document)) {
    if (!principalMatches(statement, request.caller)) continue;
    if (!trustActionMatches(statement, action)) continue;
    if (!conditionsHold(statement.Condition, context)) continue;
    if (statement.Effect === 'Deny') return 'explicit-deny';
    if (statement.Effect === 'Allow') allowed = true;
  }
  return allowed ? 'allow' : 'implicit-deny';
}

function trustContext(request: TrustRequest): Record<string, string | undefined> {
  const { caller } = request;
  return {
    'sts:externalid': request.externalId,
    'sts:rolesessionname': request.roleSessionName,
    'aws:principalarn': caller.kind === 'assumed-role' ? caller.roleArn : caller.arn,
    'aws:principalaccount': caller.accountId,
    'aws:principaltype': caller.kind === 'root' ? 'Account' : caller.kind === 'user' ? 'User' : 'AssumedRole',
  };
}

function trustActionMatches(statement: PolicyStatement, action: string): boolean {
  const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  if (statement.Action !== undefined) return list(statement.Action).some((p) => wildcardMatch(p, action, true));
  if (statement.NotAction !== undefined) return !list(statement.NotAction).some((p) => wildcardMatch(p, action, true));
  return false;
}

/** True when the statement's Principal covers the caller. */
export function principalMatches(statement: PolicyStatement, caller: Principal): boolean {
  const principal = statement.Principal;
  if (principal === undefined) return false;
  if (principal === '*') return true;
  const aws = principal.AWS === undefined ? [] : Array.isArray(principal.AWS) ? principal.AWS : [principal.AWS];
  return aws.some((entry) => principalEntryMatches(entry, caller));
}

function principalEntryMatches(entry: string, caller: Principal): boolean {
  if (entry === '*') return true;
  if (/^\d{12}$/.test(entry)) return entry === caller.accountId;
  const root = /^arn:aws[\w-]*:iam::(\d{12}):root$/.exec(entry);
  if (root) return root[1] === caller.accountId;
  if (caller.kind === 'user') return entry === caller.arn;
  if (caller.kind === 'assumed-role') return entry === caller.roleArn || entry === caller.arn;
  return false;
}
