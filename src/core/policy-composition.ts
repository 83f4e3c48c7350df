import { CAPABILITY_DEFINITIONS, capabilitiesForRole, type Capability, type RoleKind } from './capabilities.js';
import { PARTITIONS, type Partition } from './arn.js';
import { InputError } from './errors.js';
import { expectString } from './string-input.js';

/** IAM's default quota of managed policies attached to one role. */
export const MAX_MANAGED_POLICIES_PER_ROLE = 10;

/** IAM's limit on a role's inline policies, counted without whitespace. */
export const MAX_INLINE_POLICY_CHARACTERS = 10_240;

/** Extra actions kept small so the inline policy stays far below IAM's 10,240-character limit per role. */
export const MAX_EXTRA_ACTIONS = 100;

/** One statement of an IAM policy document as orglink renders it. */
export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string;
}

export interface ComposePermissionsInput {
  capabilities: readonly Capability[];
  customPolicyArns: readonly string[];
  extraActions: readonly string[];
  partition: Partition;
  role: RoleKind;
}

export interface ComposedPermissions {
  managedPolicyArns: string[];
  statements: PolicyStatement[];
}

const POLICY_ARN = new RegExp(
  `^arn:(${PARTITIONS.join('|')}):iam::(aws|\\d{12}):policy/((?:[\\x21-\\x2e\\x30-\\x7e]+/)*)([\\w+=,.@-]{1,128})$`,
);
const EXTRA_ACTION = /^([a-z0-9-]+):([A-Za-z0-9*?]+)$/;

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

function expectList(value: unknown, field: string, what: string): unknown[] {
  if (!Array.isArray(value)) throw new InputError('invalid_type', `${what} must be a list`, { field });
  return value;
}

/**
 * AWS managed (`arn:aws:iam::aws:policy/…`) or customer managed (`arn:aws:iam::<12 digits>:policy/…`) policy ARNs,
 * sorted and de-duplicated; at most 10. Refuses with managed_policy_arn_invalid naming the value.
 */
export function validateManagedPolicyArns(value: unknown, field = 'customPolicyArns'): string[] {
  const items = expectList(value, field, 'Managed policy ARNs');
  const arns = items.map((item, index) => {
    const arn = expectString(item, `${field}.${index}`, 'Managed policy ARN');
    if (!POLICY_ARN.test(arn)) {
      throw new InputError(
        'managed_policy_arn_invalid',
        `'${arn}' is not a managed policy ARN (expected arn:aws:iam::aws:policy/Name or arn:aws:iam::123456789012:policy/Name)`,
        { field: `${field}.${index}`, details: { value: arn } },
      );
    }
    return arn;
  });
  const unique = sortedUnique(arns);
  if (unique.length > MAX_MANAGED_POLICIES_PER_ROLE) {
    throw new InputError(
      'managed_policy_arns_too_many',
      `At most ${MAX_MANAGED_POLICIES_PER_ROLE} managed policy ARNs (got ${unique.length}): IAM's default quota per role`,
      { field, details: { max: MAX_MANAGED_POLICIES_PER_ROLE, got: unique.length } },
    );
  }
  return unique;
}

/** Why an extra action is refused, or null when it is fine. */
function extraActionProblem(action: string): string | null {
  if (action === '*' || action === '*:*') return 'it would allow every action in every service';
  if (!action.includes(':')) return "it must have the form 'service:Action'";
  if (!EXTRA_ACTION.test(action)) {
    return 'the service prefix must be lowercase letters, digits or -, and the action letters, digits or the wildcards * and ?';
  }
  return null;
}

/**
 * Extra allowed actions such as `s3:GetObject` or `ec2:Describe*`, sorted and de-duplicated
 * (IAM compares actions case-insensitively). The service prefix is lowercased first, since IAM
 * ignores its case (`S3:GetObject` becomes `s3:GetObject`). Refuses `*`, `*:*` and malformed
 * values with extra_action_invalid naming the value.
 */
export function validateExtraActions(value: unknown, field = 'extraActions'): string[] {
  const items = expectList(value, field, 'Extra actions');
  const byKey = new Map<string, string>();
  items.forEach((item, index) => {
    const raw = expectString(item, `${field}.${index}`, 'Extra action');
    const colon = raw.indexOf(':');
    const action = colon < 0 ? raw : `${raw.slice(0, colon).toLowerCase()}${raw.slice(colon)}`;
    const problem = extraActionProblem(action);
    if (problem !== null) {
      throw new InputError('extra_action_invalid', `Extra action '${raw}' is refused: ${problem}`, {
        field: `${field}.${index}`,
        details: { value: raw },
      });
    }
    if (!byKey.has(action.toLowerCase())) byKey.set(action.toLowerCase(), action);
  });
  if (byKey.size > MAX_EXTRA_ACTIONS) {
    throw new InputError('extra_actions_too_many', `At most ${MAX_EXTRA_ACTIONS} extra actions (got ${byKey.size})`, {
      field,
      details: { max: MAX_EXTRA_ACTIONS, got: byKey.size },
    });
  }
  return [...byKey.values()].sort();
}

/** The ARN of an AWS managed policy in a partition. */
export function awsManagedPolicyArn(partition: Partition, name: string): string {
  return `arn:${partition}:iam::aws:policy/${name}`;
}

/**
 * The managed policies and inline statements for one role, deterministic: ARNs sorted and
 * de-duplicated, statements in capability order with sorted actions, and an action granted on a
 * resource once only. Custom policies and extra actions go on both roles (the discovery role is
 * also the management account's connection role). Refuses when the role would exceed 10 managed policies
 * or IAM's inline policy size.
 */
export function composePermissions(input: ComposePermissionsInput): ComposedPermissions {
  const capabilities = capabilitiesForRole(input.capabilities, input.role);
  const managed = sortedUnique([
    ...capabilities.flatMap((id) => CAPABILITY_DEFINITIONS[id].managedPolicies.map((p) => awsManagedPolicyArn(input.partition, p.name))),
    ...input.customPolicyArns,
  ]);
  if (managed.length > MAX_MANAGED_POLICIES_PER_ROLE) {
    throw new InputError(
      'managed_policy_limit_exceeded',
      `The ${input.role} role would have ${managed.length} managed policies; IAM allows ${MAX_MANAGED_POLICIES_PER_ROLE} by default`,
      { field: 'customPolicyArns', details: { max: MAX_MANAGED_POLICIES_PER_ROLE, got: managed.length } },
    );
  }
  const granted = new Set<string>();
  const statements: PolicyStatement[] = [];
  const add = (sid: string, resource: string, actions: readonly string[]) => {
    const fresh = sortedUnique(actions).filter((action) => !granted.has(`${resource}|${action.toLowerCase()}`));
    fresh.forEach((action) => granted.add(`${resource}|${action.toLowerCase()}`));
    if (fresh.length > 0) statements.push({ Sid: sid, Effect: 'Allow', Action: fresh, Resource: resource });
  };
  for (const id of capabilities) {
    for (const statement of CAPABILITY_DEFINITIONS[id].statements) {
      const resource = statement.resource.replaceAll('{partition}', input.partition);
      add(statement.sid, resource, statement.actions.map((a) => a.action));
    }
  }
  add('OrglinkExtraActions', '*', input.extraActions);
  const size = JSON.stringify(policyDocument(statements)).length;
  if (size > MAX_INLINE_POLICY_CHARACTERS) {
    throw new InputError(
      'inline_policy_too_large',
      `The ${input.role} role's inline policy would be ${size} characters; IAM allows ${MAX_INLINE_POLICY_CHARACTERS}. Use fewer extra actions or wildcards`,
      { field: 'extraActions', details: { max: MAX_INLINE_POLICY_CHARACTERS, got: size } },
    );
  }
  return { managedPolicyArns: managed, statements };
}

/** An IAM policy document holding the statements. */
export function policyDocument(statements: readonly PolicyStatement[]): { Version: '2012-10-17'; Statement: PolicyStatement[] } {
  return { Version: '2012-10-17', Statement: [...statements] };
}
