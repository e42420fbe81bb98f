/**
 * Schema 1 → 2 on stores made to look like schema-1 stores (a DuckDB file;
 * a ClickHouse database when `CLICKHOUSE_URL` is set): the text rows come
 * back as the same rows through source keys, and reopening changes nothing.
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
import { withSourceTexts } from './testdata/source-texts.js';

const SUMMARY = {
  packetsRead: 4,
  packetsCounted: 4,
  packetsExcluded: 0,
  packetsMalformed: 0,
  duplicates: 0,
  firstSec: 0,
  lastSec: 0,
};
const OLD_ROWS = [
  { localDay: 14761, src: '192.0.2.1', country: 1, asn: 64500, service: 7, packets: 3 },
  { localDay: 14761, src: '2001:db8::1', country: 2, asn: 0, service: 7, packets: 1 },
  { localDay: 14762, src: '2001:db8::1', country: 2, asn: 0, service: 8, packets: 2 },
  { localDay: 14762, src: '10.0.0.255', country: 0, asn: 0, service: 8, packets: 5 },
];
const COLUMNS = 'ingest_id, sensor_id, local_day, src, country, asn, service, packets';

/** The statements that turn a fresh store into what schema 1 left: text sources under the view, no keyed table, no dictionary. */
function schema1(kind: 'duckdb' | 'clickhouse', ingestId: number, sensorId: number): string[] {
  const values = OLD_ROWS.map(
    (r) => `(${ingestId}, ${sensorId}, ${r.localDay}, '${r.src}', ${r.country}, ${r.asn}, ${r.service}, ${r.packets})`,
  );
  const table =
    kind === 'duckdb'
      ? `CREATE TABLE source_day_rows (ingest_id BIGINT NOT NULL, sensor_id INTEGER NOT NULL, local_day INTEGER NOT NULL,
        src VARCHAR NOT NULL, country USMALLINT NOT NULL, asn UINTEGER NOT NULL, service UINTEGER NOT NULL, packets UBIGINT NOT NULL)`
      : `CREATE TABLE source_day_rows (ingest_id Int64, sensor_id Int32, local_day Int32, src String, country UInt16, asn UInt32,
        service UInt32, packets UInt64) ENGINE = MergeTree() ORDER BY (sensor_id, local_day, service, src)`;
  return [
    table,
    kind === 'duckdb' ? 'DROP VIEW source_day' : 'DROP TABLE source_day',
    'CREATE VIEW source_day AS SELECT * FROM source_day_rows WHERE ingest_id IN (SELECT id FROM ingests)',
    'DROP TABLE source_list_day_rows',
    'DROP TABLE ipv6_sources',
    `INSERT INTO source_day_rows (${COLUMNS}) VALUES ${values.join(', ')}`,
  ];
}

/** Makes the store at `target` a schema-1 store, then checks two opens of it. */
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
  for (const sql of schema1(store.kind, record.id, sensor.id)) await run(store, sql);
  await store.setMeta('schema_version', '1');
  await store.close();
  for (let open = 0; open < 2; open++) {
    const again = await openStore(target);
    try {
      await expectMigrated(again);
    } finally {
      await again.close();
    }
  }
}

async function expectMigrated(store: AnalyticsStore): Promise<void> {
  expect(store.settings.schemaVersion).toBe(SCHEMA_VERSION);
  const rows = await store.query<{ src: number }>({
    sql: 'SELECT local_day AS "localDay", src, country, asn, service, packets FROM source_day ORDER BY local_day, packets',
    params: [],
  });
  expect(await withSourceTexts(store, rows)).toEqual(
    [...OLD_ROWS].sort((a, b) => a.localDay - b.localDay || a.packets - b.packets),
  );
  expect(await store.query({ sql: 'SELECT COUNT(DISTINCT src) AS n FROM source_day', params: [] })).toEqual([{ n: 3 }]);
  expect(await store.query({ sql: 'SELECT COUNT(*) AS n FROM ipv6_sources', params: [] })).toEqual([{ n: 1 }]);
  expect(await storeHasTable(store, 'source_day_rows')).toBe(false);
}

describe('migrate() from schema 1', () => {
  it("turns a DuckDB store's text sources into keys, once", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'teiten-migrate-'));
    const path = join(dir, 'old.duckdb');
    try {
      await migrateAndCheck(path, async (store, sql) => void (await store.query({ sql, params: [] })));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  const url = process.env['CLICKHOUSE_URL'];
  it.skipIf(url === undefined || url === '')(
    "turns a ClickHouse store's text sources into keys, once (needs CLICKHOUSE_URL)",
    async () => {
      const db = clickHouseTestDb(url!, 'migrate');
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
