/**
 * `ingestCapture({ memoryBudget })`: rollup and detection rows leave memory
 * while the capture is read (when a local day begins and whenever the
 * tables reach the budget), so the same (day, key, source) can be written
 * in several rows. A capture ingested with a budget so small that the
 * tables are flushed after almost every batch must give exactly the
 * figures of the same capture ingested with the default budget (one flush
 * at the end): period summary, every ranking table with sources per day,
 * signature, backscatter and scanner statistics. On DuckDB always, and on
 * ClickHouse when `CLICKHOUSE_URL` is set (else reported as skipped).
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  backscatterStatistics,
  DIMENSION_NAMES,
  parsePeriod,
  periodSummary,
  rankingTable,
  scannerStatistics,
  signatureStatistics,
} from '../analyse/index.js';
import type { GeoResolver } from '../classify/geoip.js';
import { TcpFlag } from '../decode/batch.js';
import { openStore, type AnalyticsStore } from '../store/index.js';
import { clickHouseTestDb, type ClickHouseTestDb } from '../store/testdata/clickhouse-test-db.js';
import { ingestCapture, type IngestResult } from './ingest-capture.js';
import { at, pcapOf, tempDir, testGeo, writeTemp, type TestFrame } from './testdata/captures.js';
import { CURRENT_FRAMES, DETECT_SENSOR, DETECT_TIME_ZONE, PREVIOUS_FRAMES } from './testdata/detection-scenario.js';

const url = process.env['CLICKHOUSE_URL'];
/** Flushes after every batch: far below what one batch's rows hold. */
const TINY_BUDGET = 1024;
const BATCH_PACKETS = 64;
const PERIODS = ['2010-06-01..2010-06-02', '2010-05-28..2010-06-03'];
const SERVICES = [22, 23, 80, 445, 1433, 3389, 8080];

/**
 * Background traffic over five local days: 3,000 packets from 150 IPv4 and
 * 20 IPv6 sources that come back day after day (so a flushed source-day row
 * is written again later), TCP SYNs, UDP and echo requests to the sensor's
 * addresses, in time order but for one straggler in every 100 packets that
 * arrives after its day has closed.
 */
function background(): TestFrame[] {
  const frames: TestFrame[] = [];
  let seed = 12;
  const next = (n: number): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
  const start = at('2010-05-29T10:00:00Z');
  for (let k = 0; k < 3000; k++) {
    const sec = start + k * 131;
    const v6 = next(10) === 0;
    const src = v6
      ? `2001:db8:ff00::${(next(20) + 1).toString(16)}`
      : next(3) === 0
        ? `1.0.16.${next(50)}`
        : `61.${next(4)}.${next(5)}.${next(5)}`;
    const dst = v6 ? '2001:db8:1::1' : `192.0.2.${next(8)}`;
    const port = SERVICES[next(SERVICES.length)]!;
    const kind = next(3);
    const l4 =
      kind === 0
        ? { kind: 'tcp' as const, srcPort: 1024 + next(5000), dstPort: port, flags: TcpFlag.SYN }
        : kind === 1
          ? { kind: 'udp' as const, srcPort: 1024 + next(5000), dstPort: port }
          : v6
            ? { kind: 'icmpv6' as const, type: 128, id: k }
            : { kind: 'icmp' as const, type: 8, id: k, seq: k };
    const ip = v6 ? { version: 6 as const, src, dst } : { version: 4 as const, src, dst, id: k & 0xffff };
    frames.push({ sec: k % 100 === 99 ? sec - 86_400 : sec, spec: { ip, l4 } as TestFrame['spec'] });
  }
  return frames;
}

function capture(): TestFrame[] {
  const frames = [...background(), ...PREVIOUS_FRAMES, ...CURRENT_FRAMES];
  // Stable by time, stragglers excepted: they stay where they were generated.
  const inOrder = frames.filter((f, k) => k >= 3000 || k % 100 !== 99).sort((a, b) => a.sec - b.sec);
  const stragglers = frames.filter((f, k) => k < 3000 && k % 100 === 99);
  const out: TestFrame[] = [];
  let s = 0;
  for (const frame of inOrder) {
    while (s < stragglers.length && stragglers[s]!.sec + 86_400 <= frame.sec) out.push(stragglers[s++]!);
    out.push(frame);
  }
  return [...out, ...stragglers.slice(s)];
}

/** Every figure the reports publish for the periods, as plain data. */
async function figures(store: AnalyticsStore): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const text of PERIODS) {
    const period = parsePeriod(text, { timeZone: DETECT_TIME_ZONE });
    out.push(await periodSummary(store, { period, filter: {} }));
    for (const by of DIMENSION_NAMES)
      out.push(await rankingTable(store, { period, by, top: 50, movers: 50, sources: true }));
    out.push(await signatureStatistics(store, { period, filter: {}, topSignatures: 50 }));
    out.push(await backscatterStatistics(store, { period, filter: {}, topAttacks: 50 }));
    out.push(await scannerStatistics(store, { period, filter: {}, top: 50 }));
  }
  return out;
}

async function rowCount(store: AnalyticsStore, table: string): Promise<number> {
  const [row] = await store.query<{ n: number }>({ sql: `SELECT COUNT(*) AS n FROM ${table}`, params: [] });
  return Number(row!.n);
}

interface Ingested {
  store: AnalyticsStore;
  result: IngestResult;
}

async function ingestInto(target: string, file: string, geo: GeoResolver, memoryBudget?: number): Promise<Ingested> {
  const store = await openStore(target, { timeZone: DETECT_TIME_ZONE });
  await store.addSensor(DETECT_SENSOR);
  const result = await ingestCapture(store, DETECT_SENSOR.name, file, {
    geo,
    batchPackets: BATCH_PACKETS,
    decodeThread: false,
    ...(memoryBudget === undefined ? {} : { memoryBudget }),
  });
  return { store, result };
}

function budgetSuite(name: string, target: () => string): void {
  describe(`ingestCapture() with a tiny memory budget on ${name}`, () => {
    let whole: Ingested;
    let flushed: Ingested;

    beforeAll(async () => {
      const dir = tempDir('teiten-budget-');
      const { geo } = await testGeo(dir);
      const file = writeTemp(dir, 'budget.pcap', pcapOf(capture()));
      whole = await ingestInto(target(), file, geo);
      flushed = await ingestInto(target(), file, geo, TINY_BUDGET);
    }, 120_000);

    afterAll(async () => {
      await whole?.store.close();
      await flushed?.store.close();
    });

    it('flushes at every new day and at the budget, and writes repeated source-day rows', async () => {
      expect(whole.result.budgetFlushes).toBe(0);
      expect(whole.result.dayFlushes).toBe(flushed.result.dayFlushes);
      expect(flushed.result.dayFlushes).toBeGreaterThanOrEqual(5);
      expect(flushed.result.budgetFlushes).toBeGreaterThan(20);
      expect(flushed.result.record.packetsCounted).toBe(whole.result.record.packetsCounted);
      // Detection found something to compare: signature alerts, backscatter, the attack and the scanner.
      // Scanner evidence: the flushes cut source-windows into more pieces, which must merge to the same scanners.
      expect(flushed.result.detection!.scannerEvidenceRows).toBeGreaterThan(
        whole.result.detection!.scannerEvidenceRows,
      );
      expect(flushed.result.detection!.alerts).toBeGreaterThan(0);
      expect(flushed.result.detection!.backscatterPackets).toBeGreaterThan(100);
      // The flushes wrote the same (day, source) more than once, and so the same (day, source, service) the view shows:
      // the figures below must not see it.
      expect(await rowCount(flushed.store, 'source_list_day_rows')).toBeGreaterThan(
        await rowCount(whole.store, 'source_list_day_rows'),
      );
      expect(await rowCount(flushed.store, 'source_day')).toBeGreaterThan(await rowCount(whole.store, 'source_day'));
      expect(await rowCount(flushed.store, 'traffic_hour')).toBeGreaterThan(
        await rowCount(whole.store, 'traffic_hour'),
      );
      expect(flushed.result.sourceRows).toBe(await rowCount(flushed.store, 'source_list_day_rows'));
    });

    it('gives exactly the figures of the same capture ingested in one flush', async () => {
      const expected = await figures(whole.store);
      expect(JSON.stringify(expected)).toContain('"sources"');
      // A scanner is among the figures (its source-window is stored in several pieces by the flushed ingest).
      expect(
        expected.some((f) => (f as { top?: Array<{ scanType?: string }> }).top?.some((s) => s.scanType !== undefined)),
      ).toBe(true);
      expect(await figures(flushed.store)).toEqual(expected);
    });
  });
}

budgetSuite('DuckDB', () => ':memory:');

if (url === undefined || url === '') {
  describe('ingestCapture() with a tiny memory budget on ClickHouse', () => {
    it.skip('needs CLICKHOUSE_URL (e.g. http://127.0.0.1:8123) to run against a real ClickHouse server', () =>
      undefined);
  });
} else {
  const dbs: ClickHouseTestDb[] = [];
  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });
  budgetSuite('ClickHouse', () => {
    const db = clickHouseTestDb(url, 'memory_budget');
    dbs.push(db);
    return db.storeUrl;
  });

  describe('ingestCapture() with a tiny memory budget: DuckDB and ClickHouse agree', () => {
    it('every figure of the flushed ingest is the same on both stores', async () => {
      const dir = tempDir('teiten-budget-');
      const { geo } = await testGeo(dir);
      const file = writeTemp(dir, 'budget.pcap', pcapOf(capture()));
      const db = clickHouseTestDb(url, 'memory_budget');
      dbs.push(db);
      const duck = await ingestInto(':memory:', file, geo, TINY_BUDGET);
      const click = await ingestInto(db.storeUrl, file, geo, TINY_BUDGET);
      try {
        expect(await figures(click.store)).toEqual(await figures(duck.store));
      } finally {
        await duck.store.close();
        await click.store.close();
      }
    }, 120_000);
  });
}
