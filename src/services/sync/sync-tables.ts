/**
 * Kysely types of the tables and columns migration 0002-sync adds. Kept here until they
 * are merged into src/store/database.ts; `SyncDatabase` is the schema with them.
 */
import type { ColumnType, Kysely, Selectable, Transaction } from 'kysely';
import type { Database, IntegrationTable } from '../../store/database.js';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type NullableJson<T> = ColumnType<T | null, string | null | undefined, string | null>;

export type SyncTrigger = 'manual' | 'schedule' | 'event' | 'create' | 'approval';
export type SyncRunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'awaiting_approval' | 'superseded';
export type LastSyncStatus = 'succeeded' | 'failed' | 'awaiting_approval';

export const SYNC_TRIGGERS: readonly SyncTrigger[] = ['manual', 'schedule', 'event', 'create', 'approval'];

export interface SyncRunTable {
  id: string; // sr_xxxxxxxxxxxx
  tenant_id: string;
  integration_id: string;
  trigger: SyncTrigger;
  status: SyncRunStatus;
  dry_run: ColumnType<boolean, boolean | undefined, boolean>;
  auto_approve: ColumnType<boolean, boolean | undefined, boolean>;
  /** For trigger 'approval': the awaiting run whose plan a person approved. */
  approves_run_id: string | null;
  /** The stored plan: only for runs awaiting approval (the ops a person approves). */
  plan: NullableJson<unknown>;
  summary: NullableJson<unknown>;
  progress: NullableJson<unknown>;
  error: NullableJson<unknown>;
  created_at: CreatedAt;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
}

export interface IntegrationEventTable {
  id: ColumnType<string, never, never>; // bigserial, read as string
  tenant_id: string;
  integration_id: string;
  event_id: string;
  event_name: string | null;
  received_at: CreatedAt;
  processed_at: NullableTimestamp;
  outcome: NullableJson<unknown>;
}

/** The integration columns 0002-sync adds. */
export interface IntegrationSyncColumns {
  last_synced_at: NullableTimestamp;
  last_sync_status: ColumnType<LastSyncStatus | null, LastSyncStatus | null | undefined, LastSyncStatus | null>;
  /** Null: the configured default interval. */
  sync_interval_seconds: ColumnType<number | null, number | null | undefined, number | null>;
  /** The handle prefix the mirror's handles were derived with (to notice a prefix change). */
  mirror_handle_prefix: ColumnType<string | null, string | null | undefined, string | null>;
}

/** The orglink schema including the sync tables. */
export type SyncDatabase = Database & SyncTables;

/** What 0002-sync adds, as an extension of the foundation's schema. */
export type SyncTables = {
  integrations: IntegrationSyncColumns;
  sync_runs: SyncRunTable;
  integration_events: IntegrationEventTable;
};

export type SyncRunRow = Selectable<SyncRunTable>;
export type SyncIntegrationRow = Selectable<IntegrationTable & IntegrationSyncColumns>;
export type SyncDb = Kysely<SyncDatabase> | Transaction<SyncDatabase>;

/** The store's database typed with the sync tables (Kysely's schema is a compile-time view only). */
export function withSyncTables(db: Kysely<Database>): Kysely<SyncDatabase> {
  return db.withTables<SyncTables>();
}
