/**
 * @module
 * A fresh database on the ClickHouse test server (`CLICKHOUSE_URL`) for one
 * test file or case, and the drop that removes it afterwards, so no test
 * sees another's rows and the server is left as found.
 */

import { createClient } from '@clickhouse/client';

let created = 0;

export interface ClickHouseTestDb {
  /** `clickhouse://host:port/database` for `openStore`. */
  storeUrl: string;
  database: string;
  /** Drops the database (and everything in it). */
  drop(): Promise<void>;
}

/** A new database name on the server at `serverUrl` (`http://127.0.0.1:8123`), unique per process and call. */
export function clickHouseTestDb(serverUrl: string, prefix: string): ClickHouseTestDb {
  const url = new URL(serverUrl);
  const database = `teiten_${prefix}_${process.pid}_${Date.now()}_${created++}`;
  return {
    storeUrl: `clickhouse://${url.host}/${database}`,
    database,
    drop: async () => {
      const client = createClient({ url: `${url.protocol}//${url.host}` });
      try {
        await client.command({ query: `DROP DATABASE IF EXISTS ${database}` });
      } finally {
        await client.close();
      }
    },
  };
}

/** A store for `describe.each`: its name, and how to make its `openStore` target and drop it after. */
export type StoreTarget = [name: string, make: () => { target: string; drop: () => Promise<void> }];

/** DuckDB in memory, and a fresh ClickHouse database when `serverUrl` is set: the stores a test runs on. */
export function storeTargets(serverUrl: string | undefined, prefix: string): StoreTarget[] {
  const targets: StoreTarget[] = [['DuckDB', () => ({ target: ':memory:', drop: async () => undefined })]];
  if (serverUrl !== undefined && serverUrl !== '') {
    targets.push([
      'ClickHouse',
      () => {
        const db = clickHouseTestDb(serverUrl, prefix);
        return { target: db.storeUrl, drop: () => db.drop() };
      },
    ]);
  }
  return targets;
}
