/**
 * `orglink serve --database-url` on the local PostgreSQL server: the same CLI against the
 * same API, stored in a throwaway database created for this suite.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresConnectionConfig } from '../../src/store/open-store.js';
import { generateSecretKey } from '../../src/store/secret-box.js';
import { parseJson, runOrglink, startServe, type ServeProcess } from './cli-harness.js';

const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test';
const databaseName = `orglink_cli_${process.pid}_${Date.now().toString(36)}`;

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(postgresConnectionConfig(adminUrl));
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function databaseUrl(): string {
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
}

let server: ServeProcess | undefined;

beforeAll(async () => {
  await admin((client) => client.query(`CREATE DATABASE ${databaseName}`));
  server = await startServe({ ORGLINK_SECRET_KEY: generateSecretKey() }, ['--database-url', databaseUrl()]);
});

afterAll(async () => {
  const code = await server?.stop();
  await admin((client) => client.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`));
  expect(code).toBe(0);
});

describe('orglink serve on PostgreSQL', { timeout: 180_000 }, () => {
  it('says which database it uses, and serves the CLI', async () => {
    expect(server?.output()).toContain('PostgreSQL');
    const env = { ORGLINK_URL: server?.url, ORGLINK_TOKEN: server?.adminToken };
    const created = await runOrglink(['tenant', 'create', '--name', 'Pg Tenant', '--plan', 'standard', '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    const { id } = parseJson<{ id: string }>(created);

    // The row is in the PostgreSQL database, not in the data dir.
    const client = new pg.Client(postgresConnectionConfig(databaseUrl()));
    await client.connect();
    const { rows } = await client.query<{ name: string }>('SELECT name FROM tenants WHERE id = $1', [id]).finally(() => client.end());
    expect(rows).toEqual([{ name: 'Pg Tenant' }]);
  });
});
