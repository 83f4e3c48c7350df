/**
 * The sync dependencies of a process, from its configuration: the database, the clock,
 * AWS access from the platform credential chain (endpoints from AWS_ENDPOINT_URL*, read
 * by the SDK), and the delete guard. Built once per process, shared by every sync job.
 */
import type { Config } from '../config/config.js';
import { lazySyncAwsAccess } from '../services/sync/lazy-sync-aws-access.js';
import { createSyncAwsAccess } from '../services/sync/sync-aws-access.js';
import type { SyncDeps } from '../services/sync/sync-service.js';
import type { Store } from '../store/open-store.js';

/** SyncDeps for syncs run by this process. */
export function syncDepsFromConfig(store: Pick<Store, 'db'>, config: Pick<Config, 'aws' | 'sync'>): SyncDeps {
  return {
    db: store.db,
    clock: () => new Date(),
    // Built on the first sync, so the SDK sees the environment as it is then (the demo sets
    // AWS_ENDPOINT_URL after the server is up) and a process that never syncs builds nothing.
    aws: lazySyncAwsAccess(() => createSyncAwsAccess({ region: config.aws.region })),
    guard: { maxShare: config.sync.deleteGuardShare, maxCount: config.sync.deleteGuardMax },
  };
}
