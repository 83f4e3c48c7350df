/**
 * Shared IAM rules: names and paths, policy documents (parsed from the JSON text the
 * client sent, returned URL-encoded exactly as IAM does), Marker/MaxItems paging and
 * the NoSuchEntity / EntityAlreadyExists / MalformedPolicyDocument errors.
 */
import { AwsError } from '../aws-error.js';
import { queryInt, queryString } from '../protocols/query-values.js';
import type { PolicyDocument } from '../world.js';

const NAME = /^[\w+=,.@-]+$/;
const PATH = /^(\/|\/[\x21-\x7e]*\/)$/;

/** The original JSON text of each document, so Get* returns what was sent. */
const documentText = new WeakMap<PolicyDocument, string>();

/** A required IAM name (role, user, group, policy) of at most `max` characters. */
export function iamName(input: Record<string, unknown>, member: string, max = 64): string {
  const value = queryString(input, member, true);
  if (value.length < 1 || value.length > max || !NAME.test(value)) {
    throw new AwsError(
      'ValidationError',
      `1 validation error detected: Value '${value.slice(0, 200)}' at '${member.charAt(0).toLowerCase()}${member.slice(1)}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+ and have length between 1 and ${max}`,
      400,
    );
  }
  return value;
}

/** An optional IAM path; `/` when absent. */
export function iamPath(input: Record<string, unknown>, member = 'Path'): string {
  const value = queryString(input, member) ?? '/';
  if (value.length > 512 || !PATH.test(value)) {
    throw new AwsError('ValidationError', `The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.`, 400);
  }
  return value;
}

/** Parses a policy document; `kind` decides whether Principal or Resource is required. */
export function parsePolicyDocument(text: string, kind: 'identity' | 'trust', maxLength: number): PolicyDocument {
  if (text.length > maxLength) {
    throw new AwsError('LimitExceeded', `Cannot exceed quota for ${kind === 'trust' ? 'ACLSizePerRole' : 'PolicySize'}: ${maxLength}`, 409);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw malformed('Syntax errors in policy.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw malformed('Syntax errors in policy.');
  const document = parsed as Record<string, unknown>;
  if (document.Version !== undefined && document.Version !== '2012-10-17' && document.Version !== '2008-10-17') {
    throw malformed('The policy must contain a valid version string');
  }
  const statements = Array.isArray(document.Statement) ? document.Statement : document.Statement === undefined ? [] : [document.Statement];
  if (statements.length === 0) throw malformed('Syntax errors in policy.');
  for (const statement of statements) checkStatement(statement, kind);
  const result = document as unknown as PolicyDocument;
  documentText.set(result, text);
  return result;
}

function checkStatement(statement: unknown, kind: 'identity' | 'trust'): void {
  if (typeof statement !== 'object' || statement === null || Array.isArray(statement)) throw malformed('Syntax errors in policy.');
  const s = statement as Record<string, unknown>;
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw malformed('Invalid effect.');
  if (!isStringOrList(s.Action) && !isStringOrList(s.NotAction)) throw malformed('Policy statement must contain actions.');
  if (kind === 'identity') {
    if (s.Principal !== undefined) throw malformed('Policy document should not specify a principal.');
    if (!isStringOrList(s.Resource) && !isStringOrList(s.NotResource)) throw malformed('Policy statement must contain resources.');
  } else {
    if (!isPrincipal(s.Principal)) throw malformed('Invalid principal in policy');
    if (s.Resource !== undefined) throw malformed('Has prohibited field Resource');
  }
  if (s.Condition !== undefined && (typeof s.Condition !== 'object' || s.Condition === null || Array.isArray(s.Condition))) {
    throw malformed('Syntax errors in policy.');
  }
}

function isStringOrList(value: unknown): boolean {
  return typeof value === 'string' || (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string'));
}

function isPrincipal(value: unknown): boolean {
  if (value === '*') return true;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.length > 0 && entries.every(([k, v]) => ['AWS', 'Service', 'Federated', 'CanonicalUser'].includes(k) && isStringOrList(v));
}

function malformed(message: string): AwsError {
  return new AwsError('MalformedPolicyDocument', message, 400);
}

/** A policy document as IAM returns it: the sent JSON text, URL-encoded. */
export function encodePolicyDocument(document: PolicyDocument): string {
  return encodeURIComponent(documentText.get(document) ?? JSON.stringify(document));
}

/** A required policy document member. */
export function policyDocumentInput(input: Record<string, unknown>, member: string, kind: 'identity' | 'trust', maxLength: number): PolicyDocument {
  return parsePolicyDocument(queryString(input, member, true), kind, maxLength);
}

export function noSuchEntity(message: string): AwsError {
  return new AwsError('NoSuchEntity', message, 404);
}

export function alreadyExists(message: string): AwsError {
  return new AwsError('EntityAlreadyExists', message, 409);
}

export function deleteConflict(message: string): AwsError {
  return new AwsError('DeleteConflict', message, 409);
}

/** One page of `items` per Marker/MaxItems (1..1000, default 100), in IAM's output shape. */
export function pageItems<T>(items: T[], input: Record<string, unknown>): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const maxItems = queryInt(input, 'MaxItems', 1, 1000) ?? 100;
  const marker = queryString(input, 'Marker');
  let start = 0;
  if (marker !== undefined) {
    const decoded = /^[A-Za-z0-9+/=]+$/.test(marker) ? Number(Buffer.from(marker, 'base64').toString('utf8').replace(/^o:/, '')) : NaN;
    if (!Number.isInteger(decoded) || decoded < 0) throw new AwsError('ValidationError', 'Invalid Marker.', 400);
    start = decoded;
  }
  const page = items.slice(start, start + maxItems);
  const next = start + page.length;
  if (next < items.length) return { items: page, IsTruncated: true, Marker: Buffer.from(`o:${next}`, 'utf8').toString('base64') };
  return { items: page, IsTruncated: false };
}
