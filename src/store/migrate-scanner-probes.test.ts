import { describe, expect } from 'vitest';
import { TrafficBuilder } from '../../test/detect/traffic-kit.js';
import { ingestCapture } from '../ingest/index.js';
import { tempDir, writeTemp } from '../ingest/testdata/captures.js';
import { parseIpv4 } from '../util/ip-address.js';
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

const COLUMNS = `ingest_id, sensor_id, window_start, window_end, src, country, asn, packets, first_sec, last_sec,
  zmap_packets, masscan_packets, mirai_packets, nmap_packets, addresses, services, dst, service`;
const SCHEMA_7: OldSchema = {
  version: 7,
  views: ['scanner_evidence'],
  tables: ['scanner_probe_rows', 'scanner_piece_rows'],
  ddl: {
    duckdb: `CREATE TABLE scanner_piece_rows (ingest_id BIGINT NOT NULL, sensor_id INTEGER NOT NULL,
    window_start BIGINT NOT NULL, window_end BIGINT NOT NULL, src UINTEGER NOT NULL, country USMALLINT NOT NULL,
    asn UINTEGER NOT NULL, packets UBIGINT NOT NULL, first_sec DOUBLE NOT NULL, last_sec DOUBLE NOT NULL,
    zmap_packets UBIGINT NOT NULL, masscan_packets UBIGINT NOT NULL, mirai_packets UBIGINT NOT NULL,
    nmap_packets UBIGINT NOT NULL, addresses VARCHAR NOT NULL, services VARCHAR NOT NULL, dst UINTEGER NOT NULL,
    service UINTEGER NOT NULL)`,
    clickhouse: `CREATE TABLE scanner_piece_rows (ingest_id Int64, sensor_id Int32, window_start Int64,
    window_end Int64, src UInt32, country UInt16, asn UInt32, packets UInt64, first_sec Float64, last_sec Float64,
    zmap_packets UInt64, masscan_packets UInt64, mirai_packets UInt64, nmap_packets UInt64, addresses String,
    services String, dst UInt32, service UInt32) ENGINE = MergeTree ORDER BY (window_start, src)`,
  },
  view: `CREATE VIEW scanner_evidence AS SELECT * FROM scanner_piece_rows
  WHERE ingest_id IN (SELECT id FROM ingests)`,
};

async function migrateAndCheck(backend: OldSchemaBackend): Promise<void> {
  const { figures: before, schema7: old, singles, probeRows } = await ingestScannerPieces(backend.target);
  // Today one-probe pieces go to their own table, and the view shows them as schema 7 stored them.
  expect(singles).toBe(40);
  expect(probeRows).toBe(singles);
  expect(old.length).toBeGreaterThan(40);
  await rewindTo(backend, SCHEMA_7, old);
  const v8 = await openStore(backend.target);
  try {
    expect(v8.settings.schemaVersion).toBe(SCHEMA_VERSION);
    expect(await figures(v8)).toEqual(before);
    expect(await storeHasTable(v8, 'scanner_probe_rows')).toBe(true);
    const shown = async (): Promise<number> =>
      Number((await v8.query<{ n: number }>({ sql: 'SELECT COUNT(*) AS n FROM scanner_evidence', params: [] }))[0]!.n);
    expect(await shown()).toBe(old.length);
    // A capture ingested after the upgrade: its one-probe piece is a narrow row, and the view shows it.
    const capture = new TrafficBuilder();
    const src = parseIpv4('203.0.113.200');
    capture.add({
      ts: 1_275_350_700,
      src,
      dst: parseIpv4('192.0.2.9'),
      l4: { kind: 'tcp', srcPort: 1, dstPort: 23, flags: 2 },
    });
    await ingestCapture(v8, 's0', writeTemp(tempDir(), 'after.pcap', capture.toPcap()), { geo: null });
    expect(await shown()).toBe(old.length + 1);
    const [piece] = await v8.query<Record<string, unknown>>({
      sql: 'SELECT packets, first_sec, last_sec, addresses, dst FROM scanner_evidence WHERE src = ?',
      params: [src],
    });
    expect(piece).toEqual({
      packets: 1,
      first_sec: 1_275_350_700,
      last_sec: 1_275_350_700,
      addresses: '',
      dst: parseIpv4('192.0.2.9'),
    });
  } finally {
    await v8.close();
  }
}

const OLD: OldTable = { name: 'scanner_piece_rows', columns: COLUMNS };

describe('migrate() from schema 7', () => {
  itOnOldSchemaStores(
    (store) =>
      `keeps the scanner pieces of a ${store} store where they are, figures unchanged, and shows new one-probe rows beside them`,
    'migrate8',
    OLD,
    migrateAndCheck,
  );
});
