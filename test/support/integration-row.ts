/**
 * A complete `integrations` row for fixtures that insert directly (bypassing the service):
 * defaults for every column a test does not care about, so a schema change is one edit.
 */
import type { NewIntegration } from '../../src/store/database.js';

/** The row's identity and role settings; everything else defaults (tenant-level, all regions, discovery only, no permissions). */
export function integrationRow(
  row: Pick<NewIntegration, 'id' | 'tenant_id' | 'handle' | 'role_name' | 'external_id'> & Partial<NewIntegration>,
): NewIntegration {
  return {
    org_id: null,
    kind: 'aws_organization',
    role_arn: null,
    handle_prefix: null,
    regions: JSON.stringify('all'),
    advanced: JSON.stringify({}),
    capabilities: JSON.stringify(['discovery']),
    custom_policy_arns: JSON.stringify([]),
    extra_actions: JSON.stringify([]),
    permission_mode: 'none',
    permission_workspace_ids: JSON.stringify([]),
    webhook_secret_enc: null,
    updated_at: new Date(),
    ...row,
  };
}
