/**
 * The AWS managed policies orglink's templates attach, modeled by their action patterns.
 * The real documents list hundreds of services; these keep the patterns that matter for
 * the services the sandbox serves (plus the generic read verbs), so that "read only"
 * really is read only here too. Each is addressable as arn:aws:iam::aws:policy/<Name>.
 */
import type { PolicyDocument } from './world.js';

export interface AwsManagedPolicy {
  name: string;
  arn: string;
  path: string;
  policyId: string;
  description: string;
  document: PolicyDocument;
  /** AWS managed policies were created long ago; a fixed date keeps responses stable. */
  createDate: Date;
}

const CREATED = new Date('2015-02-06T18:39:46Z');

function allow(...actions: string[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] };
}

function policy(name: string, policyId: string, description: string, document: PolicyDocument, path = '/'): AwsManagedPolicy {
  return { name, arn: `arn:aws:iam::aws:policy${path}${name}`, path, policyId, description, document, createDate: CREATED };
}

const ORGANIZATIONS_READ = ['organizations:Describe*', 'organizations:List*'];
const IAM_READ = ['iam:Generate*', 'iam:Get*', 'iam:List*', 'iam:Simulate*'];
const IDENTITY_STORE_READ = ['identitystore:Describe*', 'identitystore:Get*', 'identitystore:List*', 'identitystore:IsMemberInGroups'];

/** Every AWS managed policy the sandbox knows, in a stable order. */
export const AWS_MANAGED_POLICIES: readonly AwsManagedPolicy[] = [
  policy('AdministratorAccess', 'ANPAIWMBCKSKIEE64ZLYK', 'Provides full access to AWS services and resources.', allow('*')),
  policy(
    'ReadOnlyAccess',
    'ANPAILL3HVNFSB6DCOWYQ',
    'Provides read-only access to AWS services and resources.',
    allow('*:Describe*', '*:Get*', '*:List*', '*:BatchGet*', '*:Search*', '*:View*', 'identitystore:IsMemberInGroups', 'sts:GetCallerIdentity'),
  ),
  policy(
    'ViewOnlyAccess',
    'ANPAID22R6XPJATWOFDK6',
    'This policy grants permissions to view resources and basic metadata across all AWS services.',
    allow('*:Describe*', '*:List*', '*:View*', 'iam:GetAccountSummary', 'iam:GetAccountPasswordPolicy', 'iam:GetLoginProfile'),
    '/job-function/',
  ),
  policy(
    'SecurityAudit',
    'ANPAIX2T3QCXHR2OGGCTO',
    'The security audit template grants access to read security configuration metadata.',
    allow(...IAM_READ, ...ORGANIZATIONS_READ, '*:Describe*', '*:List*', 'sso:Get*', 'cloudformation:GetTemplate', 'cloudformation:GetStackPolicy', 'sts:GetCallerIdentity'),
  ),
  policy('IAMReadOnlyAccess', 'ANPAJKSO7NDY4T57MWDSQ', 'Provides read only access to IAM via the AWS Management Console.', allow(...IAM_READ)),
  policy(
    'AWSOrganizationsReadOnlyAccess',
    'ANPAJY3CJOE7JZ2JQ4QTS',
    'Provides read-only access to AWS Organizations.',
    allow(...ORGANIZATIONS_READ, 'account:GetAlternateContact', 'account:GetContactInformation', 'account:ListRegions'),
  ),
  policy(
    'AWSSSOReadOnly',
    'ANPAJBSMEEZXFDMKMY43I',
    'Provides read-only access to AWS SSO configurations.',
    allow('sso:Describe*', 'sso:Get*', 'sso:List*', 'sso:Search*', ...IDENTITY_STORE_READ, ...ORGANIZATIONS_READ, 'ds:DescribeDirectories'),
  ),
  policy(
    'AWSSSODirectoryReadOnly',
    'ANPAJDPMQELJXZD2NC7AW',
    'Provides read-only access to AWS SSO directory.',
    allow('sso-directory:Describe*', 'sso-directory:List*', 'sso-directory:Search*', ...IDENTITY_STORE_READ),
  ),
];

const BY_ARN = new Map(AWS_MANAGED_POLICIES.map((p) => [p.arn, p]));

/** The AWS managed policy with this ARN, if the sandbox models it. */
export function awsManagedPolicy(arn: string): AwsManagedPolicy | undefined {
  return BY_ARN.get(arn);
}
