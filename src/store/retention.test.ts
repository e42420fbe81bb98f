/**
 * Retention per table class on DuckDB and on ClickHouse (`CLICKHOUSE_URL`):
 * four days of captures, one a day, with detection on; retention of 1 day
 * at noon of the fourth day (cutoff: the third day) removes the first two
 * days' rows of every retained table and nothing else, leaves every figure of a period after
 * the cutoff (and of the period before it, which the statistics compare
 * with) identical, is recorded in `meta` for later runs, and records the
 * first day kept.
 */

import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DIMENSION_NAMES, parsePeriod, periodSummary, rankingTables } from '../analyse/index.js';
import { ingestCapture } from '../ingest/index.js';
import { bulkCapture } from '../ingest/testdata/bulk-capture.js';
import { at, tempDir, writeTemp } from '../ingest/testdata/captures.js';
import { dayFromCivil } from '../util/tz.js';
import { openStore, parseRetention, type AnalyticsStore } from './index.js';
import { RETENTION_CLASSES, retentionClasses } from './retention.js';
import { clickHouseTestDb, type ClickHouseTestDb } from './testdata/clickhouse-test-db.js';

const TIME_ZONE = 'Asia/Tokyo';
const DAYS = 4;
const KEEP_DAYS = 1;
/** Probes per capture: one capture per day, 03:00 UTC (noon in Tokyo). */
const PACKETS = 50;
const FIRST_DAY = dayFromCivil(2010, 6, 1);
/** Noon (Tokyo) of the fourth day: with 1 day kept, the first day kept is the third. */
const NOW = at('2010-06-04T03:00:00Z');
const CUTOFF_DAY = FIRST_DAY + DAYS - 1 - KEEP_DAYS;
/** Kept days only, and the period before them (also kept): statistics compare with it. */
const KEPT_PERIOD = '2010-06-04';
const ALL_CLASSES = { packets: KEEP_DAYS, hourly: KEEP_DAYS, sources: KEEP_DAYS, evidence: KEEP_DAYS };

const url = process.env['CLICKHOUSE_URL'];
const noClickHouse = url === undefined || url === '';
if (noClickHouse) console.log('retention on ClickHouse skipped: set CLICKHOUSE_URL (e.g. http://127.0.0.1:8123)');
const dir = tempDir('teiten-retention-');
const dbs: ClickHouseTestDb[] = [];
afterAll(async () => {
  for (const db of dbs) await db.drop();
});

describe('parseRetention()', () => {
  it('parseRetention() reads days, weeks, years and forever, and refuses what it cannot read', () => {
    expect(parseRetention('packets=30d, hourly=2y,sources=8w,evidence=forever')).toEqual({
      packets: 30,
      hourly: 730,
      sources: 56,
      evidence: null,
    });
    expect(() => parseRetention('hourly=2 years')).toThrow(/hourly=2 years: write a whole number/);
    expect(() => parseRetention('rollups=2y')).toThrow(/rollups is not one of packets, hourly, sources, evidence/);
    expect(() => parseRetention('packets=forever')).toThrow(/raw packets need a number of days/);
    expect(() => parseRetention('hourly=1y,hourly=2y')).toThrow(/hourly is given twice/);
  });
});

/** Rows per retained table, split at the cutoff: [before, from]. */
async function rowsAtCutoff(store: AnalyticsStore): Promise<Record<string, [number, number]>> {
  const counts: Record<string, [number, number]> = {};
  const cutoff = { day: CUTOFF_DAY, sec: at('2010-06-02T15:00:00Z') };
  for (const name of retentionClasses()) {
    for (const retained of RETENTION_CLASSES[name].tables) {
      // Unprepared, threshold matches all go before the cutoff: so does the run here, whose chains end hours
      // before it (chains across a cutoff: `signature-thresholds.test.ts`).
      const older = retained.older(cutoff);
      const [row] = await store.query<{ before: number; all: number }>({
        sql: `SELECT COALESCE(SUM(CASE WHEN ${older.sql} THEN 1 ELSE 0 END), 0) AS before, COUNT(*) AS all
          FROM ${retained.table.name}`,
        params: older.params,
      });
      counts[retained.table.name] = [Number(row!.before), Number(row!.all) - Number(row!.before)];
    }
  }
  return counts;
}

async function figures(store: AnalyticsStore): Promise<unknown> {
  const period = parsePeriod(KEPT_PERIOD, { timeZone: TIME_ZONE });
  return {
    summary: await periodSummary(store, { period }),
    rankings: await rankingTables(store, { period, by: DIMENSION_NAMES }),
  };
}

function suite(name: string, target: () => Promise<string>, skip: boolean): void {
  describe.skipIf(skip)(`retention on ${name}`, () => {
    it('applyRetention() removes the rows of days before the cutoff from every retained table and changes no figure of the kept days', async () => {
      const where = await target();
      let store = await openStore(where, { timeZone: TIME_ZONE, now: () => NOW });
      try {
        await store.addSensor({
          name: 'tokyo',
          addresses: ['192.0.2.0/24'],
          operating: [{ from: '2000-01-01T00:00:00Z' }],
        });
        for (let d = 0; d < DAYS; d++) {
          const startSec = at(`2010-06-0${d + 1}T03:00:00Z`);
          const file = writeTemp(
            dir,
            `${name}-day${d}.pcap`,
            bulkCapture({ packets: PACKETS, startSec, perSecond: 10, format: 'pcap' }),
          );
          await ingestCapture(store, 'tokyo', file, { geo: null });
        }
        const before = await rowsAtCutoff(store);
        // Every class has rows on both sides of the cutoff, so each removal is seen.
        for (const table of ['packet_rows', 'traffic_hour_rows', 'source_list_day_rows', 'scanner_probe_rows']) {
          expect(before[table]![0], table).toBeGreaterThan(0);
          expect(before[table]![1], table).toBeGreaterThan(0);
        }
        const kept = await figures(store);
        await store.close();

        store = await openStore(where, { now: () => NOW, retention: ALL_CLASSES });
        const dry = await store.applyRetention({ dryRun: true });
        expect(await rowsAtCutoff(store)).toEqual(before);
        const run = await store.applyRetention();
        expect(run.steps).toEqual(dry.steps);
        expect(run.serverTtl).toBe(false);
        expect(Object.fromEntries(run.steps.map((s) => [s.table, s.rows]))).toEqual(
          Object.fromEntries(Object.entries(before).map(([t, [old]]) => [t, old])),
        );
        expect(new Set(run.steps.map((s) => s.keptFromDay))).toEqual(new Set([CUTOFF_DAY]));
        const after = await rowsAtCutoff(store);
        expect(after).toEqual(Object.fromEntries(Object.entries(before).map(([t, [, from]]) => [t, [0, from]])));
        expect(await figures(store)).toEqual(kept);
        // The ingests stay: a capture whose rows were removed is still a duplicate.
        expect(await store.listIngests()).toHaveLength(DAYS);
        await store.close();

        // Recorded: a later run with no options applies the same and finds nothing more.
        store = await openStore(where, { now: () => NOW });
        expect(store.settings.retention).toEqual(ALL_CLASSES);
        expect(store.settings.keptFromDay).toEqual({
          packets: CUTOFF_DAY,
          hourly: CUTOFF_DAY,
          sources: CUTOFF_DAY,
          evidence: CUTOFF_DAY,
        });
        expect((await store.applyRetention()).steps.every((s) => s.rows === 0)).toBe(true);
      } finally {
        await store.close();
      }
    }, 60_000);
  });
}

suite('DuckDB', async () => join(dir, `store-${Date.now()}.duckdb`), false);
suite(
  'ClickHouse',
  async () => {
    const db = clickHouseTestDb(url!, 'retention');
    dbs.push(db);
    return db.storeUrl;
  },
  noClickHouse,
);
