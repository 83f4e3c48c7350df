/**
 * What the load-generating threads of list-throughput-raw.ts share. Kept apart from
 * list-capture.ts, which loads the AWS SDK: a thread importing these values must not.
 */
import type { CapturedRequest } from './list-capture.js';

/** What list-throughput-raw.ts hands each load-generating thread. */
export interface ReplayInput {
  hostname: string;
  port: number;
  requests: CapturedRequest[];
  /** Index in `requests` to start at, so threads do not send the same request at once. */
  offset: number;
  count: number;
  connections: number;
}

/** The JSON key that holds each captured operation's listing: a replayed answer must carry it. */
export const LISTING_KEY: Readonly<Record<string, string>> = {
  ListRoots: 'Roots',
  ListAccounts: 'Accounts',
  ListAccountsForParent: 'Accounts',
  ListOrganizationalUnitsForParent: 'OrganizationalUnits',
};
