import { describe, expect } from 'vitest';
import { openStore, SCHEMA_VERSION } from './index.js';
import {
  itOnOldSchemaStores,
  rewindTo,
  storeHasTable,
  type OldSchema,
  type OldSchemaBackend,
  type OldTable,
} from './testdata/old-schema-backends.js';
import { figures, ingestScannerPieces } from './testdata/scanner-pieces.js';

const OLD_COLUMNS = `ingest_id, sensor_id, window_start, window_end, src, country, asn, packets, first_sec, last_sec,
  zmap_packets, masscan_packets, mirai_packets, nmap_packets, addresses, services`;
const SCHEMA_6: OldSchema = {
  version: 6,
  views: ['scanner_evidence'],
  tables: ['scanner_piece_rows', 'scanner_probe_rows'],
  ddl: {
    duckdb: `CREATE TABLE scanner_evidence_rows (ingest_id BIGINT NOT NULL, sensor_id INTEGER NOT NULL,
    window_start BIGINT NOT NULL, window_end BIGINT NOT NULL, src UINTEGER NOT NULL, country USMALLINT NOT NULL,
    asn UINTEGER NOT NULL, packets UBIGINT NOT NULL, first_sec DOUBLE NOT NULL, last_sec DOUBLE NOT NULL,
    zmap_packets UBIGINT NOT NULL, masscan_packets UBIGINT NOT NULL, mirai_packets UBIGINT NOT NULL,
    nmap_packets UBIGINT NOT NULL, addresses VARCHAR NOT NULL, services VARCHAR NOT NULL)`,
    clickhouse: `CREATE TABLE scanner_evidence_rows (ingest_id Int64, sensor_id Int32, window_start Int64,
    window_end Int64, src UInt32, country UInt16, asn UInt32, packets UInt64, first_sec Float64, last_sec Float64,
    zmap_packets UInt64, masscan_packets UInt64, mirai_packets UInt64, nmap_packets UInt64, addresses String,
    services String) ENGINE = MergeTree ORDER BY (window_start, src)`,
  },
  view: `CREATE VIEW scanner_evidence AS SELECT * FROM scanner_evidence_rows
  WHERE ingest_id IN (SELECT id FROM ingests)`,
};

async function migrateAndCheck(backend: OldSchemaBackend): Promise<void> {
  const { figures: before, schema6: old, singles } = await ingestScannerPieces(backend.target);
  // Both kinds of piece are there: one-probe ones as numbers, others as text.
  expect(singles).toBe(40);
  expect(old.length).toBeGreaterThan(40);
  await rewindTo(backend, SCHEMA_6, old);
  const v7 = await openStore(backend.target);
  try {
    expect(v7.settings.schemaVersion).toBe(SCHEMA_VERSION);
    expect(await figures(v7)).toEqual(before);
    const [copied] = await v7.query<{ n: number }>({ sql: 'SELECT COUNT(*) AS n FROM scanner_evidence', params: [] });
    expect(Number(copied!.n)).toBe(old.length);
    expect(await storeHasTable(v7, 'scanner_evidence_rows')).toBe(false);
  } finally {
    await v7.close();
  }
}

const OLD: OldTable = { name: 'scanner_evidence_rows', columns: OLD_COLUMNS };

describe('migrate() from schema 6', () => {
  itOnOldSchemaStores(
    (store) => `moves the scanner evidence of a ${store} store to the piece table, figures unchanged`,
    'migrate7',
    OLD,
    migrateAndCheck,
  );
});
