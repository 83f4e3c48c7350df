/**
 * SyncAwsAccess built on first use. A server builds its AWS access at start-up but may not
 * sync for a while, and the demo points AWS_ENDPOINT_URL at its sandbox only after the
 * server is up; the SDK reads endpoints and the credential chain when clients are made.
 */
import type { SyncAwsAccess } from './sync-aws-access.js';

/** A SyncAwsAccess that calls `build` once, the first time any member is used. */
export function lazySyncAwsAccess(build: () => SyncAwsAccess): SyncAwsAccess {
  let access: SyncAwsAccess | undefined;
  const get = (): SyncAwsAccess => (access ??= build());
  return {
    get factory() {
      return get().factory;
    },
    get platformCache() {
      return get().platformCache;
    },
    get walkConcurrency() {
      return get().walkConcurrency;
    },
    get probeConcurrency() {
      return get().probeConcurrency;
    },
    get exposureSampleSize() {
      return get().exposureSampleSize;
    },
    discoveryClients: (credentials, limiterKey) => get().discoveryClients(credentials, limiterKey),
    organizationsLimiter: (limiterKey) => get().organizationsLimiter(limiterKey),
  };
}
