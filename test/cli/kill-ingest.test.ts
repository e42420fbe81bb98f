/**
 * `kill -9` of a `teiten ingest` mid-way, on DuckDB and on ClickHouse (when
 * `CLICKHOUSE_URL` names a server): nothing of the capture is counted (no
 * ingest, nothing in the committed-row views; DuckDB not even in the base
 * tables), and running the same command again ingests it whole.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { clickHouseTestDb, type ClickHouseTestDb } from '../../src/store/testdata/clickhouse-test-db.js';
import { baseTableCounts, tempDir, testGeo, writeTemp } from '../../src/ingest/testdata/captures.js';
import { bulkCapture } from '../../src/ingest/testdata/bulk-capture.js';
import { runCli, startCli } from './run-cli.js';

/** About three seconds of ingest on the test machine. */
const PACKETS = 400_000;
const PER_SECOND = 20;
const START_SEC = Date.parse('2010-06-01T00:00:00Z') / 1000;
/** Time between the store being open and the kill: the capture is being read and rows written. */
const KILL_AFTER_MS = 1000;
const TIMEOUT_MS = 120_000;
const POLL_MS = 100;

let dir = '';
let geoArgs: string[] = [];
let capture = '';

beforeAll(async () => {
  dir = tempDir('teiten-cli-kill-');
  const { countryPath, asnPath } = await testGeo(dir);
  geoArgs = ['--geoip', countryPath, '--asn-db', asnPath, '--no-signatures'];
  capture = writeTemp(
    dir,
    'long.pcap',
    bulkCapture({ packets: PACKETS, startSec: START_SEC, perSecond: PER_SECOND, format: 'pcap' }),
  );
});

async function committed(target: string): Promise<{ ingests: number; packets: number; sources: number; raw: number }> {
  const store = await openStore(target);
  try {
    const one = async (sql: string): Promise<number> => (await store.query<{ n: number }>({ sql, params: [] }))[0]!.n;
    return {
      ingests: (await store.listIngests()).length,
      packets: await one('SELECT COALESCE(SUM(packets), 0) AS n FROM traffic_hour'),
      sources: await one('SELECT COUNT(*) AS n FROM source_day'),
      raw: await one('SELECT COUNT(*) AS n FROM packets'),
    };
  } finally {
    await store.close();
  }
}

/**
 * Starts the ingest, kills it with SIGKILL mid-way (`KILL_AFTER_MS` after the
 * store is open, or once `written()` says rows have reached the store), and
 * checks it was still running then.
 */
async function killMidway(storeArgs: string[], written?: () => Promise<boolean>): Promise<void> {
  const run = startCli(['ingest', ...storeArgs, '--sensor', 'tokyo', ...geoArgs, capture]);
  await run.printed('detection:');
  if (written === undefined) await new Promise((resolve) => setTimeout(resolve, KILL_AFTER_MS));
  else
    while (run.child.exitCode === null && !(await written()))
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  expect(run.child.exitCode, 'the ingest ended before it could be killed').toBeNull();
  run.child.kill('SIGKILL');
  const result = await run.result;
  expect(result.signal).toBe('SIGKILL');
  expect(result.stdout).not.toMatch(/ingest \d+ in/);
}

async function rerunSucceeds(storeArgs: string[], target: string): Promise<void> {
  const again = await runCli(['ingest', ...storeArgs, '--sensor', 'tokyo', ...geoArgs, '--json', capture]);
  expect(again.code, again.stderr).toBe(0);
  expect(JSON.parse(again.stdout)[0]).toMatchObject({ ok: true, packetsCounted: PACKETS, duplicates: 0 });
  expect(await committed(target)).toMatchObject({ ingests: 1, packets: PACKETS, raw: PACKETS });
}

describe('teiten ingest killed with SIGKILL', () => {
  it(
    'on DuckDB leaves nothing of the capture, and the same command then ingests it',
    async () => {
      const db = join(dir, 'kill.duckdb');
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
      await killMidway(['--db', db]);
      expect(await committed(db)).toEqual({ ingests: 0, packets: 0, sources: 0, raw: 0 });
      const store = await openStore(db);
      try {
        expect(await baseTableCounts(store)).toEqual({
          ingests: 0,
          traffic_hour_rows: 0,
          source_list_day_rows: 0,
          packet_rows: 0,
        });
      } finally {
        await store.close();
      }
      await rerunSucceeds(['--db', db], db);
    },
    TIMEOUT_MS,
  );

  const url = process.env['CLICKHOUSE_URL'];
  const needs = url === undefined || url === '';
  if (needs)
    console.log('SIGKILL test on ClickHouse skipped: set CLICKHOUSE_URL (e.g. http://127.0.0.1:8123) to a server');
  let db: ClickHouseTestDb | undefined;
  afterAll(async () => {
    await db?.drop();
  });

  it.skipIf(needs)(
    'on ClickHouse counts nothing of the capture (its rows stay invisible), and the same command then ingests it',
    async () => {
      db = clickHouseTestDb(url!, 'kill');
      const target = db.storeUrl;
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
          target,
        ]),
      ).toMatchObject({ code: 0 });
      // Killed once its first block of raw packets is in the server: those rows stay, invisible.
      const rawRows = async (): Promise<number> => {
        const store = await openStore(target);
        try {
          return (await store.query<{ n: number }>({ sql: 'SELECT COUNT(*) AS n FROM packet_rows', params: [] }))[0]!.n;
        } finally {
          await store.close();
        }
      };
      await killMidway(['--store', target], async () => (await rawRows()) > 0);
      expect(await rawRows()).toBeGreaterThan(0);
      expect(await committed(target)).toEqual({ ingests: 0, packets: 0, sources: 0, raw: 0 });
      await rerunSucceeds(['--store', target], target);
    },
    TIMEOUT_MS,
  );
});
