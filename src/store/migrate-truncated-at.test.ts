/**
 * Schema 2 → 3 on stores made to look like schema-2 stores (a DuckDB file;
 * a ClickHouse database when `CLICKHOUSE_URL` is set): `ingests` gains
 * `truncated_at` = 0 for the ingests it held, new ingests record it, and
 * reopening changes nothing. Schema 1 → 3 is `migrate-source-keys.test.ts`.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@clickhouse/client';
import { describe, expect, it } from 'vitest';
import { openStore, SCHEMA_VERSION, type AnalyticsStore } from './index.js';
import { withIngest } from './ingest-writer.js';
import { clickHouseTestDb } from './testdata/clickhouse-test-db.js';

const SUMMARY = {
  packetsRead: 1,
  packetsCounted: 1,
  packetsExcluded: 0,
  packetsMalformed: 0,
  duplicates: 0,
  firstSec: 100,
  lastSec: 100,
};

async function migrateAndCheck(
  target: string,
  run: (store: AnalyticsStore, sql: string) => Promise<void>,
): Promise<void> {
  const store = await openStore(target);
  const sensor = await store.addSensor({ name: 'old', addresses: ['192.0.2.0/24'] });
  const old = await withIngest(store, {
    meta: { sensorId: sensor.id, fileName: 'old.pcap', sha256: 'ab'.repeat(32), bytes: 1 },
    write: async () => SUMMARY,
  });
  await run(store, 'ALTER TABLE ingests DROP COLUMN truncated_at');
  await store.setMeta('schema_version', '2');
  await store.close();
  for (let open = 0; open < 2; open++) {
    const again = await openStore(target);
    try {
      expect(again.settings.schemaVersion).toBe(SCHEMA_VERSION);
      expect((await again.listIngests())[0]).toEqual({ ...old, truncatedAt: 0 });
      if (open === 0) {
        const writer = await again.beginIngest({ sensorId: sensor.id, fileName: 'cut.pcap', sha256: '', bytes: 0 });
        await writer.commit(
          { ...SUMMARY, firstSec: 200, lastSec: 200 },
          { sha256: 'cd'.repeat(32), bytes: 900, truncatedAt: 876 },
        );
      }
      expect((await again.listIngests()).map((r) => [r.fileName, r.truncatedAt])).toEqual([
        ['old.pcap', 0],
        ['cut.pcap', 876],
      ]);
    } finally {
      await again.close();
    }
  }
}

describe('migrate() from schema 2', () => {
  it('adds ingests.truncated_at to a DuckDB store, once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'teiten-migrate3-'));
    const path = join(dir, 'v2.duckdb');
    try {
      // Through the open store: a second instance of the file in this process is refused.
      await migrateAndCheck(path, async (store, sql) => void (await store.query({ sql, params: [] })));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  const url = process.env['CLICKHOUSE_URL'];
  it.skipIf(url === undefined || url === '')(
    'adds ingests.truncated_at to a ClickHouse store, once (needs CLICKHOUSE_URL)',
    async () => {
      const db = clickHouseTestDb(url!, 'migrate3');
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
