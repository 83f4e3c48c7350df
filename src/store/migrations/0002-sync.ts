/**
 * Sync bookkeeping: one row per discovery run (`sync_runs`), the integration's sync
 * status and schedule, and the ids of Organizations events already received
 * (`integration_events`), so a redelivered event is applied once. Run rows are kept
 * apart from the mirror (folders, connections, permissions) on purpose: recording a run
 * that changed nothing must not count as a write to the mirror.
 */
import { type Kysely, sql } from 'kysely';

/** Adds sync_runs, integration_events and the integrations' sync columns. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE sync_runs (
      id text PRIMARY KEY,
      tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      integration_id text NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
      trigger text NOT NULL CHECK (trigger IN ('manual', 'schedule', 'event', 'create', 'approval')),
      status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'awaiting_approval', 'superseded')),
      dry_run boolean NOT NULL DEFAULT false,
      auto_approve boolean NOT NULL DEFAULT false,
      approves_run_id text REFERENCES sync_runs(id) ON DELETE SET NULL,
      plan jsonb,
      summary jsonb,
      progress jsonb,
      error jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      finished_at timestamptz
    );
    CREATE INDEX sync_runs_integration_created ON sync_runs(integration_id, created_at DESC);
    CREATE INDEX sync_runs_active ON sync_runs(integration_id) WHERE status IN ('queued', 'running', 'awaiting_approval');
    ALTER TABLE integrations
      ADD COLUMN last_synced_at timestamptz,
      ADD COLUMN last_sync_status text CHECK (last_sync_status IS NULL OR last_sync_status IN ('succeeded', 'failed', 'awaiting_approval')),
      ADD COLUMN sync_interval_seconds integer CHECK (sync_interval_seconds IS NULL OR sync_interval_seconds >= 0),
      ADD COLUMN mirror_handle_prefix text;
    CREATE TABLE integration_events (
      id bigserial PRIMARY KEY,
      tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      integration_id text NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
      event_id text NOT NULL,
      event_name text,
      received_at timestamptz NOT NULL DEFAULT now(),
      processed_at timestamptz,
      outcome jsonb,
      UNIQUE (integration_id, event_id)
    );
  `.execute(db);
}

/** Removes what up() added. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE integration_events, sync_runs;
    ALTER TABLE integrations
      DROP COLUMN last_synced_at,
      DROP COLUMN last_sync_status,
      DROP COLUMN sync_interval_seconds,
      DROP COLUMN mirror_handle_prefix;
  `.execute(db);
}
