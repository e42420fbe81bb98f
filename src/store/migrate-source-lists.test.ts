/**
 * Schema 3 → 4 on stores made to look like schema-3 stores (a DuckDB file;
 * a ClickHouse database when `CLICKHOUSE_URL` is set): one row per (day,
 * source, service), some repeated as a flushed ingest wrote them, become one
 * row per (day, source, country, ASN) with sorted service and packet lists;
 * every figure read through `source_day` is unchanged, rows of an ingest
 * that never committed are not copied, and reopening changes nothing.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@clickhouse/client';
import { describe, expect, it } from 'vitest';
import { openStore, SCHEMA_VERSION, type AnalyticsStore } from './index.js';
import { withIngest } from './ingest-writer.js';
import { clickHouseTestDb } from './testdata/clickhouse-test-db.js';
import { storeHasTable } from './testdata/old-schema-backends.js';

const SUMMARY = {
  packetsRead: 4,
  packetsCounted: 4,
  packetsExcluded: 0,
  packetsMalformed: 0,
  duplicates: 0,
  firstSec: 0,
  lastSec: 0,
};
/** (local_day, src, country, asn, service, packets); the 0x0a000001 service-80 row is written twice, as across two flushes. */
const OLD_ROWS: readonly (readonly number[])[] = [
  [14761, 0xc000_0201, 1, 64500, 443, 3],
  [14761, 0xc000_0201, 1, 64500, 22, 1],
  [14761, 0x0a00_0001, 2, 0, 80, 2],
  [14761, 0x0a00_0001, 2, 0, 80, 5],
  [14762, 0x0a00_0001, 2, 0, 80, 4],
];
const COLUMNS = 'ingest_id, sensor_id, local_day, src, country, asn, service, packets';
const FIGURES = `SELECT local_day AS "localDay", service, COUNT(DISTINCT src) AS sources, SUM(packets) AS packets
  FROM source_day GROUP BY local_day, service ORDER BY local_day, service`;

/** The statements that turn a fresh store into what schema 3 left: one row per service under the view, no list table. */
function schema3(
  kind: 'duckdb' | 'clickhouse',
  ids: { ingest: number; uncommitted: number; sensor: number },
): string[] {
  const values = [
    ...OLD_ROWS.map((r) => [ids.ingest, ids.sensor, ...r]),
    [ids.uncommitted, ids.sensor, 14761, 7, 0, 0, 9, 1],
  ];
  const table =
    kind === 'duckdb'
      ? `CREATE TABLE source_key_day_rows (ingest_id BIGINT NOT NULL, sensor_id INTEGER NOT NULL, local_day INTEGER NOT NULL,
        src UBIGINT NOT NULL, country USMALLINT NOT NULL, asn UINTEGER NOT NULL, service UINTEGER NOT NULL, packets UBIGINT NOT NULL)`
      : `CREATE TABLE source_key_day_rows (ingest_id Int64, sensor_id Int32, local_day Int32, src UInt64, country UInt16, asn UInt32,
        service UInt32, packets UInt64) ENGINE = MergeTree() ORDER BY (sensor_id, local_day, service, src)`;
  return [
    table,
    kind === 'duckdb' ? 'DROP VIEW source_day' : 'DROP TABLE source_day',
    'CREATE VIEW source_day AS SELECT * FROM source_key_day_rows WHERE ingest_id IN (SELECT id FROM ingests)',
    'DROP TABLE source_list_day_rows',
    `INSERT INTO source_key_day_rows (${COLUMNS}) VALUES ${values.map((v) => `(${v.join(', ')})`).join(', ')}`,
  ];
}

async function migrateAndCheck(
  target: string,
  run: (store: AnalyticsStore, sql: string) => Promise<void>,
): Promise<void> {
  const store = await openStore(target);
  const sensor = await store.addSensor({ name: 'old', addresses: ['192.0.2.0/24'] });
  const record = await withIngest(store, {
    meta: { sensorId: sensor.id, fileName: 'old.pcap', sha256: 'ab'.repeat(32), bytes: 1 },
    write: async () => SUMMARY,
  });
  for (const sql of schema3(store.kind, { ingest: record.id, uncommitted: record.id + 1, sensor: sensor.id }))
    await run(store, sql);
  await store.setMeta('schema_version', '3');
  const figures = await store.query({ sql: FIGURES, params: [] });
  expect(figures).toEqual([
    { localDay: 14761, service: 22, sources: 1, packets: 1 },
    { localDay: 14761, service: 80, sources: 1, packets: 7 },
    { localDay: 14761, service: 443, sources: 1, packets: 3 },
    { localDay: 14762, service: 80, sources: 1, packets: 4 },
  ]);
  await store.close();
  for (let open = 0; open < 2; open++) {
    const again = await openStore(target);
    try {
      await expectMigrated(again, figures);
    } finally {
      await again.close();
    }
  }
}

async function expectMigrated(store: AnalyticsStore, figures: unknown[]): Promise<void> {
  expect(store.settings.schemaVersion).toBe(SCHEMA_VERSION);
  expect(await store.query({ sql: FIGURES, params: [] })).toEqual(figures);
  const rows = await store.query({
    sql: 'SELECT local_day AS "localDay", src, country, asn, services, packets FROM source_list_day_rows ORDER BY local_day, src',
    params: [],
  });
  expect(rows).toEqual([
    { localDay: 14761, src: 0x0a00_0001, country: 2, asn: 0, services: [80], packets: [7] },
    { localDay: 14761, src: 0xc000_0201, country: 1, asn: 64500, services: [22, 443], packets: [1, 3] },
    { localDay: 14762, src: 0x0a00_0001, country: 2, asn: 0, services: [80], packets: [4] },
  ]);
  expect(await storeHasTable(store, 'source_key_day_rows')).toBe(false);
}

describe('migrate() from schema 3', () => {
  it("turns a DuckDB store's per-service source rows into lists, once", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'teiten-migrate4-'));
    const path = join(dir, 'v3.duckdb');
    try {
      await migrateAndCheck(path, async (store, sql) => void (await store.query({ sql, params: [] })));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  const url = process.env['CLICKHOUSE_URL'];
  it.skipIf(url === undefined || url === '')(
    "turns a ClickHouse store's per-service source rows into lists, once (needs CLICKHOUSE_URL)",
    async () => {
      const db = clickHouseTestDb(url!, 'migrate4');
      const client = createClient({ url: url!, database: db.database });
      try {
        await migrateAndCheck(db.storeUrl, async (_store, query) => void (await client.command({ query })));
      } finally {
        await client.close();
        await db.drop();
      }
    },
  );
});
