import { describe, expect } from 'vitest';
import { openStore, SCHEMA_VERSION } from './index.js';
import { itOnOldSchemaStores, type OldSchemaBackend, type OldTable } from './testdata/old-schema-backends.js';
import { figures, ingestScannerPieces } from './testdata/scanner-pieces.js';

const OLD_COLUMNS = `ingest_id, sensor_id, window_start, window_end, src, country, asn, packets, first_sec, last_sec,
  zmap_packets, masscan_packets, mirai_packets, nmap_packets, addresses, services`;
const OLD_DDL = {
  duckdb: `CREATE TABLE scanner_evidence_rows (ingest_id BIGINT NOT NULL, sensor_id INTEGER NOT NULL,
    window_start BIGINT NOT NULL, window_end BIGINT NOT NULL, src UINTEGER NOT NULL, country USMALLINT NOT NULL,
    asn UINTEGER NOT NULL, packets UBIGINT NOT NULL, first_sec DOUBLE NOT NULL, last_sec DOUBLE NOT NULL,
    zmap_packets UBIGINT NOT NULL, masscan_packets UBIGINT NOT NULL, mirai_packets UBIGINT NOT NULL,
    nmap_packets UBIGINT NOT NULL, addresses VARCHAR NOT NULL, services VARCHAR NOT NULL)`,
  clickhouse: `CREATE TABLE scanner_evidence_rows (ingest_id Int64, sensor_id Int32, window_start Int64,
    window_end Int64, src UInt32, country UInt16, asn UInt32, packets UInt64, first_sec Float64, last_sec Float64,
    zmap_packets UInt64, masscan_packets UInt64, mirai_packets UInt64, nmap_packets UInt64, addresses String,
    services String) ENGINE = MergeTree ORDER BY (window_start, src)`,
};
const OLD_VIEW = `CREATE VIEW scanner_evidence AS SELECT * FROM scanner_evidence_rows
  WHERE ingest_id IN (SELECT id FROM ingests)`;

async function migrateAndCheck(backend: OldSchemaBackend): Promise<void> {
  const { figures: before, schema6: old, singles } = await ingestScannerPieces(backend.target);
  // Both kinds of piece are there: one-probe ones as numbers, others as text.
  expect(singles).toBe(40);
  expect(old.length).toBeGreaterThan(40);
  const dropView = backend.kind === 'duckdb' ? 'DROP VIEW' : 'DROP TABLE';
  for (const sql of [`${dropView} scanner_evidence`, 'DROP TABLE scanner_piece_rows', OLD_DDL[backend.kind], OLD_VIEW])
    await backend.run(sql);
  await backend.insertOld(old);
  const v6 = await openStore(backend.target, { migrate: false });
  await v6.setMeta('schema_version', '6');
  await v6.close();
  const v7 = await openStore(backend.target);
  try {
    expect(v7.settings.schemaVersion).toBe(SCHEMA_VERSION);
    expect(await figures(v7)).toEqual(before);
    const [copied] = await v7.query<{ n: number }>({ sql: 'SELECT COUNT(*) AS n FROM scanner_evidence', params: [] });
    expect(Number(copied!.n)).toBe(old.length);
    const [gone] = await v7.query<{ n: number }>({
      sql:
        backend.kind === 'duckdb'
          ? "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = 'scanner_evidence_rows'"
          : "SELECT COUNT(*) AS n FROM system.tables WHERE database = currentDatabase() AND name = 'scanner_evidence_rows'",
      params: [],
    });
    expect(Number(gone!.n)).toBe(0);
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
