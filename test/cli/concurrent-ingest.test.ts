/**
 * Two `teiten ingest` processes at the same time, on DuckDB and on
 * ClickHouse (when `CLICKHOUSE_URL` names a server): of the same capture,
 * and of two framings of the same packets (pcap and pcapng: other bytes,
 * other hash, so only the overlap rule links them). Every packet ends up
 * counted exactly once; the other process is refused (duplicate, concurrent
 * overlapping ingest, or the DuckDB file lock) or finds all its packets
 * already stored, and running a refused one again succeeds.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { clickHouseTestDb, type ClickHouseTestDb } from '../../src/store/testdata/clickhouse-test-db.js';
import { tempDir, testGeo, writeTemp } from '../../src/ingest/testdata/captures.js';
import { bulkCapture } from '../../src/ingest/testdata/bulk-capture.js';
import { runCli, startCli } from './run-cli.js';

/** Big enough that two runs overlap in time (about a second of ingest each), spanning 50 minutes of capture. */
const PACKETS = 60_000;
const PER_SECOND = 20;
const START_SEC = Date.parse('2010-06-01T00:00:00Z') / 1000;
const TIMEOUT_MS = 120_000;
/** A capture whose ingest takes a few seconds, for holding the DuckDB file while others try it. */
const LONG_PACKETS = 400_000;

interface FileReport {
  ok: boolean;
  packetsCounted: number;
  duplicates: number;
  error: { code: string | null; message: string } | null;
}

let dir = '';
let geoArgs: string[] = [];
let pcap = '';
let pcapng = '';
let long = '';

beforeAll(async () => {
  dir = tempDir('teiten-cli-concurrent-');
  const { countryPath, asnPath } = await testGeo(dir);
  geoArgs = ['--geoip', countryPath, '--asn-db', asnPath, '--no-signatures'];
  pcap = writeTemp(
    dir,
    'same.pcap',
    bulkCapture({ packets: PACKETS, startSec: START_SEC, perSecond: PER_SECOND, format: 'pcap' }),
  );
  pcapng = writeTemp(
    dir,
    'same.pcapng',
    bulkCapture({ packets: PACKETS, startSec: START_SEC, perSecond: PER_SECOND, format: 'pcapng' }),
  );
  long = writeTemp(
    dir,
    'long.pcap',
    bulkCapture({ packets: LONG_PACKETS, startSec: START_SEC, perSecond: PER_SECOND, format: 'pcap' }),
  );
});

/** Runs two ingests at once (`--json`) and returns both reports. */
async function ingestTogether(
  storeArgs: string[],
  files: [string, string],
  extra: string[] = [],
): Promise<FileReport[]> {
  const runs = files.map((file) =>
    startCli(['ingest', ...storeArgs, '--sensor', 'tokyo', ...geoArgs, ...extra, '--json', file]),
  );
  const results = await Promise.all(runs.map((r) => r.result));
  return results.map((r) => {
    expect(r.stdout, r.stderr).toMatch(/^\[/);
    return (JSON.parse(r.stdout) as FileReport[])[0]!;
  });
}

/** Ingests committed, and packets the store counts (the committed-row view). */
async function counted(target: string): Promise<{ ingests: number; withPackets: number; packets: number }> {
  const store = await openStore(target);
  try {
    const ingests = await store.listIngests();
    const [row] = await store.query<{ n: number }>({
      sql: 'SELECT COALESCE(SUM(packets), 0) AS n FROM traffic_hour',
      params: [],
    });
    return {
      ingests: ingests.length,
      withPackets: ingests.filter((r) => r.packetsCounted > 0).length,
      packets: row!.n,
    };
  } finally {
    await store.close();
  }
}

/** The same capture twice at once: one ingest counts it, the other is refused as a duplicate. */
async function expectSameCaptureOnce(storeArgs: string[], target: string, extra: string[] = []): Promise<void> {
  const reports = await ingestTogether(storeArgs, [pcap, pcap], extra);
  const ok = reports.filter((r) => r.ok);
  expect(ok).toHaveLength(1);
  expect(ok[0]!.packetsCounted).toBe(PACKETS);
  expect(reports.find((r) => !r.ok)!.error!.code).toBe('TEITEN_STORE_DUPLICATE_INGEST');
  expect(await counted(target)).toEqual({ ingests: 1, withPackets: 1, packets: PACKETS });
}

/**
 * The pcap and the pcapng framing at once: one counts every packet; the other
 * is refused as a concurrent overlapping ingest (then run again, finding every
 * packet stored) or, if it started after the first committed, finds them all.
 */
async function expectOverlapOnce(storeArgs: string[], target: string, extra: string[] = []): Promise<void> {
  const files: [string, string] = [pcap, pcapng];
  const reports = await ingestTogether(storeArgs, files, extra);
  expect(reports.reduce((sum, r) => sum + r.packetsCounted, 0)).toBe(PACKETS);
  const refused = reports.findIndex((r) => !r.ok);
  if (refused >= 0) {
    expect(reports[refused]!.error!.code).toBe('TEITEN_STORE_CONCURRENT_INGEST');
    expect(reports[refused]!.error!.message).toMatch(/run it again/);
    const again = await runCli(['ingest', ...storeArgs, '--sensor', 'tokyo', ...geoArgs, '--json', files[refused]!]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)[0]).toMatchObject({ ok: true, packetsCounted: 0, duplicates: PACKETS });
  } else {
    expect(reports.map((r) => r.duplicates).sort((a, b) => a - b)).toEqual([0, PACKETS]);
  }
  expect(await counted(target)).toMatchObject({ withPackets: 1, packets: PACKETS });
}

describe('concurrent teiten ingest on DuckDB', () => {
  async function newDb(name: string): Promise<string> {
    const db = join(dir, name);
    expect(
      await runCli([
        'sensors',
        'add',
        'tokyo',
        '--from',
        '2000-01-01T00:00:00Z',
        '--address',
        '192.0.2.0/24',
        '--db',
        db,
      ]),
    ).toMatchObject({ code: 0 });
    return db;
  }

  it(
    'ingest of the same capture twice at once (--wait): one counts it, the other waits and is refused as a duplicate',
    async () => {
      const db = await newDb('same.duckdb');
      await expectSameCaptureOnce(['--db', db, '--wait', '60'], db);
    },
    TIMEOUT_MS,
  );

  it(
    'ingest of two framings of the same packets at once (--wait): every packet counted once',
    async () => {
      const db = await newDb('overlap.duckdb');
      await expectOverlapOnce(['--db', db, '--wait', '60'], db);
    },
    TIMEOUT_MS,
  );

  it(
    'a second process without --wait is refused with TEITEN_STORE_LOCKED naming the holder; stats --wait waits and reads the committed state',
    async () => {
      const db = await newDb('locked.duckdb');
      const first = startCli(['ingest', '--db', db, '--sensor', 'tokyo', ...geoArgs, long]);
      await first.printed('detection:');
      const stats = startCli(['stats', '--db', db, '--period', '2010-06', '--json', '--wait', '60']);
      const refused = await runCli(['ingest', '--db', db, '--sensor', 'tokyo', ...geoArgs, pcapng]);
      expect(first.child.exitCode).toBeNull();
      expect(refused.code).not.toBe(0);
      // The first line is teiten's own; DuckDB's I/O error follows only as the cause.
      const [line] = refused.stderr.split('\n');
      expect(line).toMatch(
        new RegExp(`in use by another process \\(pid ${first.child.pid}\\).*--wait SECONDS.*\\[TEITEN_STORE_LOCKED\\]`),
      );
      expect(line).not.toMatch(/Could not set lock/);
      expect((await first.result).code).toBe(0);
      const read = await stats.result;
      expect(read.code, read.stderr).toBe(0);
      expect(read.stderr).toMatch(/waiting for the store lock held by another process \(pid \d+\)/);
      expect(JSON.parse(read.stdout).summary).toBeDefined();
      expect(await counted(db)).toEqual({ ingests: 1, withPackets: 1, packets: LONG_PACKETS });
    },
    TIMEOUT_MS,
  );
});

describe('concurrent teiten ingest on ClickHouse', () => {
  const url = process.env['CLICKHOUSE_URL'];
  const needs = url === undefined || url === '';
  if (needs)
    console.log('concurrent ingest on ClickHouse skipped: set CLICKHOUSE_URL (e.g. http://127.0.0.1:8123) to a server');
  const dbs: ClickHouseTestDb[] = [];
  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });

  async function newDb(prefix: string): Promise<string> {
    const db = clickHouseTestDb(url!, prefix);
    dbs.push(db);
    expect(
      await runCli([
        'sensors',
        'add',
        'tokyo',
        '--from',
        '2000-01-01T00:00:00Z',
        '--address',
        '192.0.2.0/24',
        '--store',
        db.storeUrl,
      ]),
    ).toMatchObject({ code: 0 });
    return db.storeUrl;
  }

  it.skipIf(needs)(
    'ingest of the same capture twice at once: one counts it, the other is refused as a duplicate at commit',
    async () => {
      const target = await newDb('same');
      await expectSameCaptureOnce(['--store', target], target);
    },
    TIMEOUT_MS,
  );

  it.skipIf(needs)(
    'ingest of two framings of the same packets at once: every packet counted once',
    async () => {
      const target = await newDb('overlap');
      await expectOverlapOnce(['--store', target], target);
    },
    TIMEOUT_MS,
  );
});
