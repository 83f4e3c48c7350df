import { composePermissions, policyDocument, type PolicyStatement } from '../policy-composition.js';
import type { RoleKind } from '../capabilities.js';
import type { TemplateInput } from './template-input.js';

/** The inline policy name on every orglink role. */
export const INLINE_POLICY_NAME = 'orglink-permissions';

/** Tag put on every role (value: the integration or connection handle) so customers can find what orglink asked them to create. */
export const HANDLE_TAG_KEY = 'orglink:handle';

/** The trust policy: only the platform principal, and only with the External ID. */
export function trustPolicy(input: TemplateInput) {
  return {
    Version: '2012-10-17' as const,
    Statement: [
      {
        Effect: 'Allow' as const,
        Principal: { AWS: input.platformPrincipalArn },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': input.externalId } },
      },
    ],
  };
}

/** Everything a renderer needs to declare one role, format-neutral. */
export interface RoleModel {
  kind: RoleKind;
  roleName: string;
  description: string;
  trustPolicy: ReturnType<typeof trustPolicy>;
  managedPolicyArns: string[];
  /** The inline policy document, or null when the role needs no inline statements. */
  inlinePolicy: { Version: '2012-10-17'; Statement: PolicyStatement[] } | null;
}

/** The role of the given kind for an integration, with its composed permissions. */
export function roleModel(input: TemplateInput, kind: RoleKind): RoleModel {
  const { managedPolicyArns, statements } = composePermissions({
    capabilities: input.capabilities,
    customPolicyArns: input.customPolicyArns,
    extraActions: input.extraActions,
    partition: input.partition,
    role: kind,
  });
  const what = kind === 'discovery' ? 'discovery role (management or delegated administrator account)' : 'member account role';
  return {
    kind,
    roleName: input.roleName,
    description: `orglink ${input.handle}: ${what}`,
    trustPolicy: trustPolicy(input),
    managedPolicyArns,
    inlinePolicy: statements.length > 0 ? policyDocument(statements) : null,
  };
}

/** The AWS::IAM::Role resource for a role, as a plain object (long-form intrinsics only). */
export function cloudFormationRoleResource(model: RoleModel, handle: string) {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      RoleName: model.roleName,
      Description: model.description,
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: model.trustPolicy,
      ...(model.managedPolicyArns.length > 0 ? { ManagedPolicyArns: model.managedPolicyArns } : {}),
      ...(model.inlinePolicy === null ? {} : { Policies: [{ PolicyName: INLINE_POLICY_NAME, PolicyDocument: model.inlinePolicy }] }),
      Tags: [{ Key: HANDLE_TAG_KEY, Value: handle }],
    },
  };
}
