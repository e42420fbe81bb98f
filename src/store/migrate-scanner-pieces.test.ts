import { describe, expect, it } from 'vitest';
import { TrafficBuilder } from '../../test/detect/traffic-kit.js';
import { parsePeriod, scannerStatistics } from '../analyse/index.js';
import { DEFAULT_SCAN_THRESHOLDS, DistinctCounter } from '../detect/index.js';
import { ingestCapture } from '../ingest/index.js';
import { tempDir, writeTemp } from '../ingest/testdata/captures.js';
import { parseIpv4 } from '../util/ip-address.js';
import { openStore, SCHEMA_VERSION, type AnalyticsStore } from './index.js';
import {
  withClickHouseBackend,
  withDuckDbBackend,
  type OldSchemaBackend,
  type OldTable,
} from './testdata/old-schema-backends.js';

const T0 = 1_275_350_400;
const NET = parseIpv4('192.0.2.0');
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

/** Probes to two sensors' files: 40 sources of one probe, a scanner of 30 probes cut over both files, one of 3. */
function captures(): Buffer[] {
  const files = [new TrafficBuilder(), new TrafficBuilder()];
  // File k goes to sensor k, whose addresses are 192.0.2.0/25 (k = 0) and 192.0.2.128/25 (k = 1).
  const syn = (file: number, ts: number, src: number, host: number, port: number): void =>
    files[file]!.add({
      ts,
      src,
      dst: NET + 128 * file + (host % 128),
      id: 1000 + port,
      l4: { kind: 'tcp', srcPort: 40_000, dstPort: port, seq: 7, flags: 2 },
    });
  for (let k = 0; k < 40; k++) syn(k % 2, T0 + k, parseIpv4('203.0.113.0') + k, k, 23);
  for (let k = 0; k < 30; k++) syn(k % 2, T0 + 100 + k, parseIpv4('198.51.100.7'), k, k % 3 === 0 ? 445 : 23);
  for (let k = 0; k < 3; k++) syn(0, T0 + 200 + k, parseIpv4('198.51.100.9'), 50 + k, 1433);
  return files.map((f) => f.toPcap());
}

async function figures(store: AnalyticsStore): Promise<unknown> {
  // Every source with a probe is listed: a one-probe piece's numbers are read as much as text.
  const stats = await scannerStatistics(store, {
    period: parsePeriod('2010-06-01', { timeZone: 'UTC' }),
    top: 100,
    thresholds: { ...DEFAULT_SCAN_THRESHOLDS, minAddresses: 1, minServices: 1 },
  });
  return JSON.parse(JSON.stringify(stats)) as unknown;
}

/** The store's pieces as schema 6 wrote them: a one-probe piece's address and service as text. */
async function schema6Rows(store: AnalyticsStore): Promise<Record<string, unknown>[]> {
  const rows = await store.query<Record<string, unknown>>({ sql: 'SELECT * FROM scanner_evidence', params: [] });
  return rows.map(({ dst, service, ...row }) => {
    if (row['addresses'] !== '') return row;
    const addresses = new DistinctCounter();
    addresses.add(Number(dst));
    // A service tally's text: `key:probes` pairs (`ServiceTally.toText()`).
    return { ...row, addresses: addresses.toText(), services: `${Number(service)}:1` };
  });
}

async function migrateAndCheck(backend: OldSchemaBackend): Promise<void> {
  const dir = tempDir('teiten-migrate7-');
  const store = await openStore(backend.target, { timeZone: 'UTC' });
  let before: unknown;
  let old: Record<string, unknown>[];
  try {
    for (const [k, capture] of captures().entries()) {
      await store.addSensor({ name: `s${k}`, addresses: [`192.0.2.${128 * k}/25`] });
      await ingestCapture(store, `s${k}`, writeTemp(dir, `s${k}.pcap`, capture), { geo: null });
    }
    before = await figures(store);
    old = await schema6Rows(store);
    // Both kinds of piece are there: one-probe ones as numbers, others as text.
    const [single] = await store.query<{ n: number }>({
      sql: "SELECT COUNT(*) AS n FROM scanner_evidence WHERE addresses = '' AND dst <> 0",
      params: [],
    });
    expect(Number(single!.n)).toBe(40);
    expect(old.length).toBeGreaterThan(40);
  } finally {
    await store.close();
  }
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
  it('moves the scanner evidence of a DuckDB store to the piece table, figures unchanged', async () => {
    await withDuckDbBackend('migrate7', OLD, migrateAndCheck);
  }, 60_000);

  const url = process.env['CLICKHOUSE_URL'];
  it.skipIf(url === undefined || url === '')(
    'moves the scanner evidence of a ClickHouse store to the piece table, figures unchanged (needs CLICKHOUSE_URL)',
    async () => {
      await withClickHouseBackend(url!, 'migrate7', OLD, migrateAndCheck);
    },
    60_000,
  );
});
