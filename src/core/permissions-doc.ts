import { CAPABILITIES, CAPABILITY_DEFINITIONS, DEFAULT_CAPABILITIES, type Capability, type RoleKind, capabilitiesForRole } from './capabilities.js';
import { MAX_EXTRA_ACTIONS, MAX_INLINE_POLICY_CHARACTERS, MAX_MANAGED_POLICIES_PER_ROLE } from './policy-composition.js';
import { SAMPLE_STANDALONE_CONNECTION } from './templates/example-files.js';
import { renderTemplate } from './templates/render-template.js';
import { INLINE_POLICY_NAME } from './templates/role-model.js';

const ROLE_TITLE: Record<RoleKind, string> = { discovery: 'discovery role', member: 'member role' };

function capabilityTable(): string {
  const rows = CAPABILITIES.map((id) => {
    const d = CAPABILITY_DEFINITIONS[id];
    const on = (role: RoleKind) => (d.roles.includes(role) ? 'yes' : 'no');
    const managed = d.managedPolicies.map((p) => `\`${p.name}\``).join(', ') || '(none)';
    return `| \`${id}\` | ${on('discovery')} | ${on('member')} | ${managed} |`;
  });
  return `| capability | discovery role | member role | AWS managed policies |\n|---|---|---|---|\n${rows.join('\n')}`;
}

function capabilitySection(id: (typeof CAPABILITIES)[number]): string {
  const d = CAPABILITY_DEFINITIONS[id];
  const parts = [`### \`${id}\`: ${d.title}`, '', d.description, '', `**Granted to:** ${d.roles.map((r) => ROLE_TITLE[r]).join(' and ')}. ${d.rolesReason}`];
  for (const policy of d.managedPolicies) {
    parts.push('', `**AWS managed policy** \`arn:<partition>:iam::aws:policy/${policy.name}\`: ${policy.reason}`);
  }
  for (const statement of d.statements) {
    const resource = statement.resource.replaceAll('{partition}', '<partition>');
    parts.push('', `Statement \`${statement.sid}\`, resource \`${resource}\`:`, '', '| action | why orglink needs it |', '|---|---|');
    for (const a of statement.actions) parts.push(`| \`${a.action}\` | ${a.reason} |`);
  }
  return parts.join('\n');
}

const codes = (ids: readonly string[]) => ids.map((id) => `\`${id}\``).join(', ');

/** What the sample standalone connection's role (docs/examples) is made of, in words. */
function sampleConnectionSummary(): string {
  const sample = SAMPLE_STANDALONE_CONNECTION;
  const parts = [
    sample.capabilities.length === 0 ? 'no capabilities' : `capabilities ${codes(sample.capabilities)}`,
    sample.customPolicyArns.length === 0 ? 'no custom managed policies' : `${sample.customPolicyArns.length} custom managed policies`,
    `${sample.extraActions.length} extra actions`,
  ];
  const { filename } = renderTemplate('member-cloudformation', sample);
  return `[examples/${filename}](examples/${filename}) is such a role (\`${sample.handle}\`): ${parts.join(', ')}.`;
}

/** The inline policy of a standalone connection's role, from what its capabilities can bring. */
function standaloneInlinePolicy(memberCapabilities: readonly Capability[]): string {
  const sids = memberCapabilities.flatMap((id) => CAPABILITY_DEFINITIONS[id].statements.map((statement) => `\`${statement.sid}\``));
  if (sids.length === 0) {
    return `The member-role capabilities bring AWS managed policies only, so the inline policy
  \`${INLINE_POLICY_NAME}\` holds just \`OrglinkExtraActions\`, and the role has no inline policy when
  there are no extra actions.`;
  }
  return `The inline policy \`${INLINE_POLICY_NAME}\` holds the chosen capabilities' statements (${sids.join(', ')})
  and then \`OrglinkExtraActions\`.`;
}

/**
 * What a standalone connection's one role gets. Its default is the member-role part of an
 * integration's default, as DEFAULT_CONNECTION_CAPABILITIES (src/services/connection-settings.ts) defines it.
 */
function standaloneConnectionSection(): string {
  const memberCapabilities = capabilitiesForRole(CAPABILITIES, 'member');
  const discoveryOnly = CAPABILITIES.filter((id) => !CAPABILITY_DEFINITIONS[id].roles.includes('member'));
  return `## Standalone connections

A standalone connection is created by hand, without an AWS Organization: for one account (as in
Trelica's setup) or for several or all accounts sharing one role (as in DoiT's). It has **one role of its
own**, a member role, rendered by the \`member-cloudformation\` and \`member-terraform\` templates
(\`src/core/templates/\`) and deployed in each account the connection reaches. That role gets:

- **The trust policy above, with the connection's own External ID**: \`t_…\` for a tenant-level
  connection, \`o_…\` for one owned by an org, never an integration's. No two integrations or connections
  share an External ID (\`external_id_taken\`). A connection to several accounts uses the same role name
  and the same External ID in each, so orglink assumes the one role it was given wherever it goes.
- **Member-role capabilities only**: ${codes(memberCapabilities)}, any number of them, none included
  (default: ${codes(capabilitiesForRole(DEFAULT_CAPABILITIES, 'member'))}, the member-role part of an integration's default).
  ${codes(discoveryOnly)} exist only on an integration's discovery role:
  AWS Organizations, IAM Identity Center and Identity Store answer only in the management (or delegated administrator)
  account, and orglink walks no organization through a standalone connection. Rather than leave them
  silently out of the template, orglink refuses them with \`capability_not_for_connection\`. A connection
  that needs one such action (say \`organizations:ListAccounts\` in a management account) grants it as
  an extra action.
- **Its own custom managed policy ARNs and extra actions**, with the rules and limits of the section
  above, on its one role: a platform's own features often need actions no capability covers.
  ${standaloneInlinePolicy(memberCapabilities)}
  Managed policies, the capabilities' and the custom ones together, stay within ${MAX_MANAGED_POLICIES_PER_ROLE}.
- **Limits checked when the connection is saved**: create and PATCH compose the role's permissions, so
  \`managed_policy_limit_exceeded\` and \`inline_policy_too_large\` come back then, not at download.
- **The platform principal's partition** in its managed policy ARNs: a standalone connection has no role
  ARN of its own to take one from.

${sampleConnectionSummary()}

A connection created by an integration has no role of its own: it assumes its integration's member role (in the management account, the discovery role), and asking for its template answers \`template_not_available\`.`;
}

/** docs/permissions.md, rendered from the capability definitions so the two never disagree. */
export function renderPermissionsDoc(): string {
  return `# Permissions

Generated by \`node --import tsx scripts/render-examples.ts\` from \`src/core/capabilities.ts\`; do not edit by hand.

orglink asks the customer to create two kinds of IAM role, both with the integration's **role name**:

- the **discovery role**, in the AWS Organizations management account (or a delegated administrator
  account). orglink walks the organization through it. Because a service-managed StackSet never deploys
  to the management account, this role is also what the management account's own connection assumes.
- the **member role**, in every member account, deployed by the StackSet (or by the single-account stack
  for a standalone connection). Connections assume it.

A standalone connection, created by hand without an Organization, has one member role of its own
instead (see [Standalone connections](#standalone-connections)).

## Trust policy (both roles)

Only the platform's principal (\`platformPrincipalArn\` in orglink's config) may assume the roles, and
only when it presents the integration's External ID:

\`\`\`json
{
  "Effect": "Allow",
  "Principal": { "AWS": "<platform principal ARN>" },
  "Action": "sts:AssumeRole",
  "Condition": { "StringEquals": { "sts:ExternalId": "<t_… or o_…>:<8 letters or digits>" } }
}
\`\`\`

The External ID defeats the confused deputy problem: another customer of the same platform cannot make
orglink assume your role, because it does not know your External ID. \`sts:GetCallerIdentity\` (used to
verify a connection) needs no permission.

## Capabilities

The user chooses capabilities per integration (default: ${DEFAULT_CAPABILITIES.map((c) => `\`${c}\``).join(', ')}).
The discovery role always gets \`discovery\`.

${capabilityTable()}

${CAPABILITIES.map(capabilitySection).join('\n\n')}

## Custom managed policies and extra actions

As in DoiT's connection wizard, a user may add permissions beyond the capabilities. On an integration
both go on **both roles**, since both are connection roles (a standalone connection has only its one role):

- **Custom managed policy ARNs**: an AWS managed policy (\`arn:aws:iam::aws:policy/Name\`, with a path
  such as \`job-function/\` allowed) or a customer managed policy (\`arn:aws:iam::123456789012:policy/Name\`),
  in the aws, aws-cn or aws-us-gov partition. At most ${MAX_MANAGED_POLICIES_PER_ROLE} per role, capability policies included
  (IAM's default quota). Refusals: \`managed_policy_arn_invalid\`, \`managed_policy_arns_too_many\`,
  \`managed_policy_limit_exceeded\`.
- **Extra allowed actions**: \`service:Action\`, where the service prefix is lowercase letters, digits and
  \`-\` (an uppercase prefix such as \`S3:GetObject\` is lowercased, as IAM ignores its case), and the
  action is letters and digits with the wildcards \`*\` and \`?\` (\`ec2:Describe*\`, \`s3:*\`). \`*\` alone
  and \`*:*\` are refused, since they would grant everything. At most ${MAX_EXTRA_ACTIONS}. They go in the
  \`OrglinkExtraActions\` statement on resource \`*\`. Refusals: \`extra_action_invalid\` (naming the value),
  \`extra_actions_too_many\`, and \`inline_policy_too_large\` when the role's inline policy would exceed
  IAM's ${MAX_INLINE_POLICY_CHARACTERS} characters.

${standaloneConnectionSection()}

## How a role's policy is composed

\`composePermissions\` (src/core/policy-composition.ts) is deterministic, so templates are byte-for-byte
reproducible:

- managed policy ARNs are sorted and de-duplicated;
- inline statements follow the capability order above, then the extra actions; actions within a
  statement are sorted, and an action already granted on the same resource by an earlier statement is
  not repeated (\`organizations:ListAccounts\` appears under \`OrglinkDiscovery\`, not again under
  \`OrglinkIdentityRead\`);
- all statements go in one inline policy named \`orglink-permissions\`.
`;
}
