/**
 * The sandbox's whole state: every account (in the organization or not), the
 * organization itself, IAM per account, issued credentials, CloudFormation and
 * Identity Center. Plain data, mutated only by the service modules; serializable
 * (see persistence.ts) so a world can be saved to a file and loaded back.
 */

export type AccountState = 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE' | 'CLOSED';

export interface Account {
  id: string; // 12 digits
  name: string;
  email: string;
  /** Organizations' per-account state; legacy Status is derived from it. */
  state: AccountState;
  joinedMethod: 'INVITED' | 'CREATED';
  joinedTimestamp: Date;
  /** Null when the account is outside the organization (e.g. the platform account). */
  parentId: string | null;
}

export interface OrganizationalUnit {
  id: string; // ou-<root suffix>-<8 chars>
  name: string;
  parentId: string; // root or OU id
}

export interface Organization {
  id: string; // o-<10 chars>
  managementAccountId: string;
  featureSet: 'ALL';
  rootId: string; // r-<4 chars>
  ous: Map<string, OrganizationalUnit>;
  /** Children per parent, in creation order; the source of truth for paging. */
  childOus: Map<string, string[]>;
  childAccounts: Map<string, string[]>;
  /** accountId → service principals it is delegated administrator for. */
  delegatedAdministrators: Map<string, Set<string>>;
}

export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement[] | PolicyStatement;
}

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | { AWS?: string | string[]; Service?: string | string[] };
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface IamRole {
  name: string;
  path: string;
  roleId: string; // AROA...
  arn: string;
  trustPolicy: PolicyDocument;
  inlinePolicies: Map<string, PolicyDocument>;
  attachedPolicyArns: string[];
  maxSessionDuration: number; // seconds
  description?: string;
  createDate: Date;
}

export interface IamUser {
  name: string;
  path: string;
  userId: string; // AIDA...
  arn: string;
  inlinePolicies: Map<string, PolicyDocument>;
  attachedPolicyArns: string[];
  createDate: Date;
}

export interface IamGroup {
  name: string;
  path: string;
  groupId: string; // AGPA...
  arn: string;
  members: Set<string>; // user names
  inlinePolicies: Map<string, PolicyDocument>;
  attachedPolicyArns: string[];
  createDate: Date;
}

export interface ManagedPolicy {
  arn: string;
  name: string;
  path: string;
  policyId: string; // ANPA...
  document: PolicyDocument;
  createDate: Date;
}

export interface IamAccount {
  roles: Map<string, IamRole>; // by role name
  users: Map<string, IamUser>;
  groups: Map<string, IamGroup>;
  /** Customer managed policies, by ARN. AWS managed policies live in managed-policies.ts. */
  policies: Map<string, ManagedPolicy>;
}

/** Who is calling. Resolved from the access key that signed the request. */
export type Principal =
  | { kind: 'root'; accountId: string; arn: string }
  | { kind: 'user'; accountId: string; arn: string; userName: string }
  | {
      kind: 'assumed-role';
      accountId: string;
      arn: string; // arn:aws:sts::<acct>:assumed-role/<role>/<session>
      roleName: string;
      roleArn: string;
      sessionName: string;
      /** True when these credentials came from AssumeRole called with role credentials. */
      chained: boolean;
    };

export interface Credential {
  accessKeyId: string; // AKIA... (long-term) or ASIA... (temporary)
  secretAccessKey: string;
  sessionToken?: string;
  principal: Principal;
  /** Temporary credentials expire; long-term keys do not. */
  expiresAt?: Date;
  /** AssumeRole's session policies (Policy, PolicyArns): calls need their Allow too. */
  sessionPolicies?: PolicyDocument[];
}

/** A change inside the sandbox that other modules react to (StackSets auto-deployment, events). */
export type WorldEvent =
  | { type: 'account-joined'; accountId: string; parentId: string }
  | { type: 'account-moved'; accountId: string; fromParentId: string; toParentId: string }
  | { type: 'account-removed'; accountId: string }
  | { type: 'account-state-changed'; accountId: string; state: AccountState };

export interface World {
  partition: 'aws';
  /** Region reported when a request names none. */
  defaultRegion: string;
  accounts: Map<string, Account>;
  organization: Organization | null;
  iam: Map<string, IamAccount>; // by account id
  credentials: Map<string, Credential>; // by access key id
  /** Module-owned state for CloudFormation, StackSets and Identity Center. */
  cloudformation: unknown;
  identityCenter: unknown;
  /** Synchronous in-process listeners for WorldEvents (see world-events.ts). */
  listeners: Array<(event: WorldEvent) => void>;
  /** Injected clock so tests can expire credentials without sleeping. */
  now: () => Date;
}
