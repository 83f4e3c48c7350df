import { InputError } from './errors.js';
import { expectString } from './string-input.js';

/**
 * What an integration's roles may do in the customer's AWS accounts, chosen per integration.
 * Each capability lists its managed policies and actions with the reason each is needed;
 * docs/permissions.md is rendered from these definitions (scripts/render-examples.ts).
 */
export const CAPABILITIES = [
  'discovery',
  'read_only',
  'security_audit',
  'view_only',
  'identity_read',
  'identity_provision',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** The two roles orglink asks a customer to create. */
export type RoleKind = 'discovery' | 'member';

/** Capabilities of a new integration when the client names none. */
export const DEFAULT_CAPABILITIES: readonly Capability[] = ['discovery', 'read_only'];

export interface CapabilityAction {
  action: string;
  reason: string;
}

/** A group of actions on one resource pattern; `{partition}` is replaced when composing. */
export interface CapabilityStatement {
  sid: string;
  resource: string;
  actions: CapabilityAction[];
}

export interface CapabilityManagedPolicy {
  /** Path and name after `arn:<partition>:iam::aws:policy/`. */
  name: string;
  reason: string;
}

export interface CapabilityDefinition {
  id: Capability;
  title: string;
  description: string;
  /** Roles that receive this capability, and why (docs/permissions.md shows it). */
  roles: RoleKind[];
  rolesReason: string;
  managedPolicies: CapabilityManagedPolicy[];
  statements: CapabilityStatement[];
}

const ORG_READ = 'Read the organization tree';
const MEMBER_AND_MANAGEMENT =
  'Both: the member role in every member account, and the discovery role, because a service-managed StackSet never deploys to the management account, so the management account connection uses the discovery role.';
const MANAGEMENT_ONLY =
  'Discovery role only: IAM Identity Center and Identity Store live in the management (or delegated administrator) account.';

/** Every capability, in the fixed order used for rendering. */
export const CAPABILITY_DEFINITIONS: Record<Capability, CapabilityDefinition> = {
  discovery: {
    id: 'discovery',
    title: 'Discovery',
    description: 'Minimal AWS Organizations reads to mirror the OU and account tree. Always granted to the discovery role.',
    roles: ['discovery'],
    rolesReason: 'Discovery role only: Organizations answers only in the management or delegated administrator account.',
    managedPolicies: [],
    statements: [
      {
        sid: 'OrglinkDiscovery',
        resource: '*',
        actions: [
          { action: 'organizations:DescribeOrganization', reason: `${ORG_READ}: the organization id, management account and feature set.` },
          { action: 'organizations:ListRoots', reason: `${ORG_READ}: the root, where every walk starts.` },
          { action: 'organizations:ListOrganizationalUnitsForParent', reason: `${ORG_READ}: the OUs under each parent (one call per parent, not per account).` },
          { action: 'organizations:ListAccountsForParent', reason: `${ORG_READ}: the accounts directly under each parent, with their state.` },
          { action: 'organizations:ListAccounts', reason: 'Cross-check the walk against the flat account list in one paginated call (cheaper than DescribeAccount per account).' },
          { action: 'organizations:DescribeOrganizationalUnit', reason: 'Refresh one OU after an event (UpdateOrganizationalUnit) without a full walk.' },
          { action: 'organizations:DescribeAccount', reason: 'Refresh one account after an event (CreateAccountResult, account state changes) without a full walk.' },
          { action: 'organizations:ListParents', reason: 'Place one account or OU after an event (MoveAccount); never called per account during a walk.' },
          { action: 'organizations:ListDelegatedAdministrators', reason: 'Tell whether the role sits in the management account or a delegated administrator account, and report it.' },
        ],
      },
    ],
  },
  read_only: {
    id: 'read_only',
    title: 'Read-only',
    description: 'AWS managed ReadOnlyAccess: read every service, including data reads such as s3:GetObject.',
    roles: ['discovery', 'member'],
    rolesReason: MEMBER_AND_MANAGEMENT,
    managedPolicies: [{ name: 'ReadOnlyAccess', reason: 'Lets connections query every service read-only; AWS keeps it current as services launch.' }],
    statements: [],
  },
  security_audit: {
    id: 'security_audit',
    title: 'Security audit',
    description: 'AWS managed SecurityAudit: configuration and metadata reads for security review, without data reads.',
    roles: ['discovery', 'member'],
    rolesReason: MEMBER_AND_MANAGEMENT,
    managedPolicies: [{ name: 'SecurityAudit', reason: 'Reads security configuration (policies, logging, encryption settings) maintained by AWS.' }],
    statements: [],
  },
  view_only: {
    id: 'view_only',
    title: 'View-only',
    description: 'AWS managed job-function ViewOnlyAccess: list and describe resources, without reading their content.',
    roles: ['discovery', 'member'],
    rolesReason: MEMBER_AND_MANAGEMENT,
    managedPolicies: [{ name: 'job-function/ViewOnlyAccess', reason: 'The narrowest AWS maintained inventory policy: lists and describes resources only.' }],
    statements: [],
  },
  identity_read: {
    id: 'identity_read',
    title: 'Identity read',
    description: 'Read IAM users, groups and roles, IAM Identity Center permission sets and assignments, and Identity Store users and groups.',
    roles: ['discovery'],
    rolesReason: MANAGEMENT_ONLY,
    managedPolicies: [],
    statements: [
      {
        sid: 'OrglinkIdentityRead',
        resource: '*',
        actions: [
          { action: 'iam:GetGroup', reason: 'Read an IAM group and its member users.' },
          { action: 'iam:ListAccountAliases', reason: 'Name the account by its alias in identity reports.' },
          { action: 'iam:ListGroups', reason: 'List IAM groups.' },
          { action: 'iam:ListRoles', reason: 'List IAM roles, including the roles Identity Center provisions for permission sets.' },
          { action: 'iam:ListUsers', reason: 'List IAM users.' },
          { action: 'identitystore:GetGroupMembershipId', reason: 'Find the membership id of a user in a group.' },
          { action: 'identitystore:ListGroupMemberships', reason: 'List the members of each Identity Store group.' },
          { action: 'identitystore:ListGroups', reason: 'List Identity Store groups.' },
          { action: 'identitystore:ListUsers', reason: 'List Identity Store users.' },
          { action: 'organizations:ListAccounts', reason: 'Relate account assignments to the accounts of the organization.' },
          { action: 'sso:DescribePermissionSet', reason: 'Read a permission set (name, session duration).' },
          { action: 'sso:ListAccountAssignments', reason: 'List who holds which permission set on an account.' },
          { action: 'sso:ListInstances', reason: 'Find the Identity Center instance and its Identity Store id.' },
          { action: 'sso:ListPermissionSets', reason: 'List permission sets.' },
          { action: 'sso:ListPermissionSetsProvisionedToAccount', reason: 'List the permission sets provisioned to each account.' },
        ],
      },
    ],
  },
  identity_provision: {
    id: 'identity_provision',
    title: 'Identity provisioning',
    description: 'Grant and revoke access: IAM group membership, Identity Store group membership and Identity Center account assignments.',
    roles: ['discovery'],
    rolesReason: MANAGEMENT_ONLY,
    managedPolicies: [],
    statements: [
      {
        sid: 'OrglinkIdentityProvision',
        resource: '*',
        actions: [
          { action: 'iam:AddUserToGroup', reason: 'Grant: add an IAM user to an IAM group.' },
          { action: 'iam:RemoveUserFromGroup', reason: 'Revoke: remove an IAM user from an IAM group.' },
          { action: 'identitystore:CreateGroupMembership', reason: 'Grant: add a user to an Identity Store group.' },
          { action: 'identitystore:DeleteGroupMembership', reason: 'Revoke: remove a user from an Identity Store group.' },
          { action: 'organizations:DescribeAccount', reason: 'Check the account is ACTIVE before an assignment, so a suspended account is reported instead of failing with ConflictException.' },
          { action: 'sso:CreateAccountAssignment', reason: 'Grant: assign a permission set on an account to a user or group.' },
          { action: 'sso:DeleteAccountAssignment', reason: 'Revoke: remove such an assignment.' },
          { action: 'sso:DescribeAccountAssignmentCreationStatus', reason: 'Poll an asynchronous assignment until it succeeds or fails.' },
          { action: 'sso:DescribeAccountAssignmentDeletionStatus', reason: 'Poll an asynchronous removal until it succeeds or fails.' },
          { action: 'iam:ListPolicies', reason: 'Assignments in the management account: find the policies of a permission set.' },
          { action: 'iam:ListRoles', reason: 'Assignments in the management account: find the role Identity Center provisions.' },
        ],
      },
      {
        sid: 'OrglinkIdentityProvisionSsoRoles',
        resource: 'arn:{partition}:iam::*:role/aws-reserved/sso.amazonaws.com/*',
        actions: [
          { action: 'iam:AttachRolePolicy', reason: 'Identity Center acts with the caller\'s rights when it provisions a permission set role in the management account.' },
          { action: 'iam:CreateRole', reason: 'Same: create the permission set role in the management account.' },
          { action: 'iam:DeleteRole', reason: 'Same: delete it when the last assignment goes.' },
          { action: 'iam:DeleteRolePolicy', reason: 'Same: remove its inline policy.' },
          { action: 'iam:DetachRolePolicy', reason: 'Same: detach its managed policies.' },
          { action: 'iam:GetRole', reason: 'Same: read it.' },
          { action: 'iam:ListAttachedRolePolicies', reason: 'Same: list its managed policies.' },
          { action: 'iam:ListRolePolicies', reason: 'Same: list its inline policies.' },
          { action: 'iam:PutRolePolicy', reason: 'Same: write its inline policy.' },
          { action: 'iam:UpdateRole', reason: 'Same: update its session duration.' },
          { action: 'iam:UpdateRoleDescription', reason: 'Same: update its description.' },
        ],
      },
      {
        sid: 'OrglinkIdentityProvisionSamlProvider',
        resource: 'arn:{partition}:iam::*:saml-provider/AWSSSO_*_DO_NOT_DELETE',
        actions: [{ action: 'iam:GetSAMLProvider', reason: 'Identity Center reads its SAML provider when it provisions in the management account.' }],
      },
    ],
  },
};

/** Capabilities that apply to a role, in definition order (the discovery role always gets `discovery`). */
export function capabilitiesForRole(capabilities: readonly Capability[], role: RoleKind): Capability[] {
  const chosen = new Set<Capability>(capabilities);
  if (role === 'discovery') chosen.add('discovery');
  return CAPABILITIES.filter((id) => chosen.has(id) && CAPABILITY_DEFINITIONS[id].roles.includes(role));
}

/** True when the value names a capability. */
export function isCapability(value: unknown): value is Capability {
  return typeof value === 'string' && (CAPABILITIES as readonly string[]).includes(value);
}

/** A de-duplicated list of capabilities in definition order, or `capability_unknown` naming the value. */
export function validateCapabilities(value: unknown, field = 'capabilities'): Capability[] {
  if (!Array.isArray(value)) {
    throw new InputError('invalid_type', 'Capabilities must be a list', { field });
  }
  const chosen = new Set<Capability>();
  value.forEach((item, index) => {
    const text = expectString(item, `${field}.${index}`, 'Capability');
    if (!isCapability(text)) {
      throw new InputError('capability_unknown', `Unknown capability '${text}' (known: ${CAPABILITIES.join(', ')})`, {
        field: `${field}.${index}`,
        details: { value: text, allowed: [...CAPABILITIES] },
      });
    }
    chosen.add(text);
  });
  return CAPABILITIES.filter((id) => chosen.has(id));
}
