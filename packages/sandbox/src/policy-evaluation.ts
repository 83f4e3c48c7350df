/**
 * IAM policy evaluation, the subset the sandbox needs: Effect Allow/Deny with explicit
 * Deny winning, Action/NotAction and Resource/NotResource wildcards (`*`, `?`; actions
 * match case-insensitively, as in IAM), and String/Arn/Bool conditions (with IfExists
 * and ForAnyValue/ForAllValues prefixes). Pure: no world, no I/O.
 */
import type { PolicyDocument, PolicyStatement } from './world.js';

export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

export interface EvaluationRequest {
  action: string;
  resource: string;
  /** Condition keys, lower-cased (`sts:externalid`, `aws:principalarn`…); absent keys are undefined. */
  context?: Record<string, string | string[] | undefined>;
}

/** The statements of a document, whether Statement is one object or a list. */
export function statementsOf(document: PolicyDocument): PolicyStatement[] {
  const statement = document.Statement;
  return Array.isArray(statement) ? statement : [statement];
}

/** Evaluates identity policies for one request: explicit Deny > Allow > implicit deny. */
export function evaluatePolicies(documents: PolicyDocument[], request: EvaluationRequest): Decision {
  let allowed = false;
  for (const document of documents) {
    for (const statement of statementsOf(document)) {
      if (!statementApplies(statement, request)) continue;
      if (statement.Effect === 'Deny') return 'explicit-deny';
      if (statement.Effect === 'Allow') allowed = true;
    }
  }
  return allowed ? 'allow' : 'implicit-deny';
}

/** True when the statement's action, resource and conditions all cover the request. */
export function statementApplies(statement: PolicyStatement, request: EvaluationRequest): boolean {
  if (!actionMatches(statement, request.action)) return false;
  if (!resourceMatches(statement, request.resource)) return false;
  return conditionsHold(statement.Condition, request.context ?? {});
}

function actionMatches(statement: PolicyStatement, action: string): boolean {
  if (statement.Action !== undefined) return toList(statement.Action).some((p) => wildcardMatch(p, action, true));
  if (statement.NotAction !== undefined) return !toList(statement.NotAction).some((p) => wildcardMatch(p, action, true));
  return false;
}

function resourceMatches(statement: PolicyStatement, resource: string): boolean {
  if (statement.Resource !== undefined) return toList(statement.Resource).some((p) => wildcardMatch(p, resource, false));
  if (statement.NotResource !== undefined) return !toList(statement.NotResource).some((p) => wildcardMatch(p, resource, false));
  // Trust policies carry no Resource: the role itself is the resource.
  return true;
}

/** IAM wildcard matching: `*` any run of characters, `?` exactly one. */
export function wildcardMatch(pattern: string, value: string, caseInsensitive: boolean): boolean {
  if (pattern === '*') return true;
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const v = caseInsensitive ? value.toLowerCase() : value;
  // Iterative glob match: linear-ish, no regex backtracking blow-ups on hostile input.
  let pi = 0;
  let vi = 0;
  let star = -1;
  let mark = 0;
  while (vi < v.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === v[vi])) {
      pi++;
      vi++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = vi;
    } else if (star >= 0) {
      pi = star + 1;
      vi = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

type Context = Record<string, string | string[] | undefined>;

/** Every operator block must hold; within a block every key must hold; values are ORed. */
export function conditionsHold(condition: PolicyStatement['Condition'], context: Context): boolean {
  if (!condition) return true;
  for (const [rawOperator, block] of Object.entries(condition)) {
    if (!block || typeof block !== 'object') return false;
    for (const [rawKey, expected] of Object.entries(block)) {
      if (!conditionHolds(rawOperator, context[rawKey.toLowerCase()], toList(expected))) return false;
    }
  }
  return true;
}

function conditionHolds(rawOperator: string, actual: string | string[] | undefined, expected: string[]): boolean {
  let operator = rawOperator;
  let setMode: 'any' | 'all' | null = null;
  if (operator.startsWith('ForAnyValue:')) [setMode, operator] = ['any', operator.slice(12)];
  else if (operator.startsWith('ForAllValues:')) [setMode, operator] = ['all', operator.slice(13)];
  const ifExists = operator.endsWith('IfExists');
  if (ifExists) operator = operator.slice(0, -8);
  if (operator === 'Null') {
    const isNull = actual === undefined;
    return expected.some((e) => (e === 'true') === isNull);
  }
  if (actual === undefined) return ifExists || setMode === 'all';
  const values = Array.isArray(actual) ? actual : [actual];
  const test = (value: string): boolean => compare(operator, value, expected);
  if (setMode === 'all') return values.every(test);
  if (isNegated(operator)) return values.every(test);
  return values.some(test);
}

function isNegated(operator: string): boolean {
  return operator.includes('Not');
}

function compare(operator: string, value: string, expected: string[]): boolean {
  switch (operator) {
    case 'StringEquals':
    case 'ArnEquals':
      return expected.some((e) => e === value);
    case 'StringNotEquals':
    case 'ArnNotEquals':
      return !expected.some((e) => e === value);
    case 'StringEqualsIgnoreCase':
      return expected.some((e) => e.toLowerCase() === value.toLowerCase());
    case 'StringNotEqualsIgnoreCase':
      return !expected.some((e) => e.toLowerCase() === value.toLowerCase());
    case 'StringLike':
    case 'ArnLike':
      return expected.some((e) => wildcardMatch(e, value, false));
    case 'StringNotLike':
    case 'ArnNotLike':
      return !expected.some((e) => wildcardMatch(e, value, false));
    case 'Bool':
      return expected.some((e) => e.toLowerCase() === value.toLowerCase());
    default:
      // An operator the sandbox does not model never matches, so it can only narrow access.
      return false;
  }
}

function toList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}
