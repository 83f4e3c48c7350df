/**
 * A standalone connection's role permissions (DoiT style: capabilities, custom managed policy
 * ARNs and extra allowed actions), so its member template grants what the user chose. The
 * columns stay null for connections an integration discovered: those inherit the integration's.
 * Standalone connections created before this migration rendered their member template with the
 * default capabilities, whose member part is read_only; they are backfilled with exactly that,
 * so their template does not change.
 */
import { type Kysely, sql } from 'kysely';

/** Adds the nullable capabilities, custom_policy_arns and extra_actions columns to connections, and backfills standalone ones. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE connections
      ADD COLUMN capabilities jsonb,
      ADD COLUMN custom_policy_arns jsonb,
      ADD COLUMN extra_actions jsonb;
    UPDATE connections
      SET capabilities = '["read_only"]'::jsonb, custom_policy_arns = '[]'::jsonb, extra_actions = '[]'::jsonb
      WHERE integration_id IS NULL;
  `.execute(db);
}

/** Removes what up() added. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE connections
      DROP COLUMN capabilities,
      DROP COLUMN custom_policy_arns,
      DROP COLUMN extra_actions;
  `.execute(db);
}
