/**
 * Schema 1 → 2 on a DuckDB file made to look like a schema-1 store: the
 * text rows come back as the same rows through source keys.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { openStore, SCHEMA_VERSION } from './index.js';
import { withIngest } from './ingest-writer.js';
import { withSourceTexts } from './testdata/source-texts.js';

const SUMMARY = { packetsRead: 4, packetsCounted: 4, packetsExcluded: 0, packetsMalformed: 0, duplicates: 0, firstSec: 0, lastSec: 0 };
const OLD_ROWS = [
  { localDay: 14761, src: '192.0.2.1', country: 1, asn: 64500, service: 7, packets: 3 },
  { localDay: 14761, src: '2001:db8::1', country: 2, asn: 0, service: 7, packets: 1 },
  { localDay: 14762, src: '2001:db8::1', country: 2, asn: 0, service: 8, packets: 2 },
  { localDay: 14762, src: '10.0.0.255', country: 0, asn: 0, service: 8, packets: 5 },
];

test('migrate() turns a schema-1 store\'s text sources into keys, once', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'teiten-migrate-'));
  const path = join(dir, 'old.duckdb');
  try {
    const store = await openStore(path);
    const sensor = await store.addSensor({ name: 'old', addresses: ['192.0.2.0/24'] });
    const record = await withIngest(store, {
      meta: { sensorId: sensor.id, fileName: 'old.pcap', sha256: 'ab'.repeat(32), bytes: 1 },
      write: async () => SUMMARY,
    });
    // What schema 1 had: text sources in source_day_rows under the view, no keyed table, no dictionary.
    for (const sql of [
      `CREATE TABLE source_day_rows (ingest_id BIGINT NOT NULL, sensor_id INTEGER NOT NULL, local_day INTEGER NOT NULL,
        src VARCHAR NOT NULL, country USMALLINT NOT NULL, asn UINTEGER NOT NULL, service UINTEGER NOT NULL, packets UBIGINT NOT NULL)`,
      'DROP VIEW source_day',
      'CREATE VIEW source_day AS SELECT * FROM source_day_rows WHERE ingest_id IN (SELECT id FROM ingests)',
      'DROP TABLE source_key_day_rows',
      'DROP TABLE ipv6_sources',
    ]) await store.query({ sql, params: [] });
    for (const r of OLD_ROWS) {
      await store.query({
        sql: 'INSERT INTO source_day_rows VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        params: [record.id, sensor.id, r.localDay, r.src, r.country, r.asn, r.service, r.packets],
      });
    }
    await store.setMeta('schema_version', '1');
    await store.close();

    for (let open = 0; open < 2; open++) {
      const again = await openStore(path);
      expect(again.settings.schemaVersion).toBe(SCHEMA_VERSION);
      const rows = await again.query<{ src: number }>({
        sql: 'SELECT local_day AS "localDay", src, country, asn, service, packets FROM source_day ORDER BY local_day, packets', params: [],
      });
      expect(await withSourceTexts(again, rows)).toEqual([...OLD_ROWS].sort((a, b) => a.localDay - b.localDay || a.packets - b.packets));
      expect(await again.query({ sql: 'SELECT COUNT(DISTINCT src) AS n FROM source_day', params: [] })).toEqual([{ n: 3 }]);
      expect(await again.query({ sql: 'SELECT COUNT(*) AS n FROM ipv6_sources', params: [] })).toEqual([{ n: 1 }]);
      const old = await again.query({ sql: "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = 'source_day_rows'", params: [] });
      expect(old).toEqual([{ n: 0 }]);
      await again.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
