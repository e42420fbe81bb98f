/**
 * Threshold rules decided when the statistics are read, over every sensor
 * and capture, against an independent truth: the same packets as one uncut
 * stream (both sensors merged in time order) through the signature engine's
 * own per-stream `ThresholdTable`. The statistics must equal that truth,
 * whether each sensor came as one capture or as pieces ingested out of
 * order, on DuckDB and (with `CLICKHOUSE_URL`) ClickHouse. A second
 * scenario packs one chain's matches from both sensors into single seconds,
 * where the stored groups must be laid out match by match to be exact.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { SignatureAlerts, SignatureEngine } from '../detect/index.js';
import { craftBatch, udp } from '../detect/signatures/testdata/craft-batch.js';
import { ingestCapture, loadDetectionSetup } from '../ingest/index.js';
import { pcapOf, tempDir, writeTemp } from '../ingest/testdata/captures.js';
import { openStore, type AnalyticsStore } from '../store/index.js';
import { clickHouseTestDb } from '../store/testdata/clickhouse-test-db.js';
import { parsePeriod } from '../util/period.js';
import { Rng } from '../util/random.js';
import type { SignatureStatistics } from './detection-types.js';
import { keptByChain } from './testdata/threshold-kept.js';
import { signatureStatistics } from './signature-stats.js';
import {
  DENSE_RULES,
  denseThresholdPackets,
  EAST,
  frameOf,
  T0,
  THRESHOLD_RULES,
  thresholdPackets,
  WEST,
  type ScenarioPacket,
} from './testdata/threshold-scenario.js';

const DAY = 86_400;
const D0 = T0 / DAY;
const url = process.env['CLICKHOUSE_URL'];
if (url === undefined || url === '')
  console.log('signature-thresholds: ClickHouse case skipped, CLICKHOUSE_URL is not set');
type Backend = () => { target: string; drop: () => Promise<void> };
const targets: [string, Backend][] = [
  ['DuckDB', () => ({ target: ':memory:', drop: async () => undefined })],
  ...(url === undefined || url === ''
    ? []
    : [
        [
          'ClickHouse',
          () => {
            const db = clickHouseTestDb(url, 'thresholds');
            return { target: db.storeUrl, drop: () => db.drop() };
          },
        ] as [string, Backend],
      ]),
];

const dir = tempDir('teiten-thresholds-');
const rulesFile = writeTemp(dir, 'thresholds.rules', Buffer.from(THRESHOLD_RULES));
const setup = await loadDetectionSetup({ bundledRules: false, ruleFiles: [rulesFile] });
type Setup = typeof setup;
const denseRulesFile = writeTemp(dir, 'dense.rules', Buffer.from(DENSE_RULES));
const denseSetup = await loadDetectionSetup({ bundledRules: false, ruleFiles: [denseRulesFile] });
const packets = thresholdPackets(7);

interface DayTruth {
  /** Alerts per sid. */
  bySid: Map<number, number>;
  /** Per category: packets that raised a rule of it, and their sources. */
  byCategory: Map<string, { packets: number; sources: Set<string> }>;
  sources: Set<string>;
}

/** What one engine says of `stream` (time order), per UTC day since the epoch. */
function truthOf(stream: readonly ScenarioPacket[], rules: Setup = setup): Map<number, DayTruth> {
  const engine = new SignatureEngine(rules.signatures!.rules, { categories: rules.signatures!.categories });
  const batch = craftBatch(
    stream.map((p) => ({
      packet: udp(p.dport, new Uint8Array(8), { src: p.src, dst: p.dst, srcPort: 40000 + (p.us % 1000) }),
      at: (p.us - T0 * 1e6) / 1e6,
    })),
  );
  const alerts = new SignatureAlerts();
  const n = engine.match(batch, alerts);
  const days = new Map<number, DayTruth>();
  const counted = new Set<string>();
  for (let k = 0; k < n; k++) {
    const i = alerts.packet[k]!;
    const rule = engine.rules[alerts.rule[k]!]!;
    const p = stream[i]!;
    const day = Math.floor(p.us / 1e6 / DAY);
    let t = days.get(day);
    if (t === undefined) days.set(day, (t = { bySid: new Map(), byCategory: new Map(), sources: new Set() }));
    t.bySid.set(rule.sid, (t.bySid.get(rule.sid) ?? 0) + 1);
    const category = engine.categoryOf(alerts.rule[k]!);
    let c = t.byCategory.get(category);
    if (c === undefined) t.byCategory.set(category, (c = { packets: 0, sources: new Set() }));
    if (!counted.has(`${i} ${category}`)) {
      counted.add(`${i} ${category}`);
      c.packets++;
    }
    c.sources.add(p.src);
    t.sources.add(p.src);
  }
  return days;
}

/** Each sensor's packets in `pieces` captures, ingested last piece first, sensors one after another. */
async function ingest(
  store: AnalyticsStore,
  pieces: number,
  at: { seed: number; stream?: readonly ScenarioPacket[]; rules?: Setup },
): Promise<void> {
  const { seed, stream: all = packets, rules = setup } = at;
  const rng = new Rng(seed);
  for (const sensor of [EAST.name, WEST.name]) {
    const mine = all.filter((p) => p.sensor === sensor);
    const cuts = [
      0,
      ...Array.from({ length: pieces - 1 }, () => rng.int(mine.length)).sort((a, b) => a - b),
      mine.length,
    ];
    for (let k = pieces - 1; k >= 0; k--) {
      const piece = mine.slice(cuts[k], cuts[k + 1]);
      if (piece.length === 0) continue;
      const file = writeTemp(dir, `${sensor}-${pieces}-${seed}-${k}.pcap`, pcapOf(piece.map(frameOf)));
      await ingestCapture(store, sensor, file, { geo: null, detection: rules });
    }
  }
}

/** The statistics of 2010-06-02 without the method record (it counts ingests, which cutting multiplies by design). */
async function statsOf(store: AnalyticsStore): Promise<Omit<SignatureStatistics, 'method' | 'previousMethod'>> {
  const {
    method: _method,
    previousMethod: _previous,
    ...stats
  } = await signatureStatistics(store, {
    period: parsePeriod('2010-06-02', { timeZone: 'UTC' }),
    topSignatures: 100,
  });
  return stats;
}

describe('threshold truth', () => {
  it('the scenario needs the matches before the period: deciding from one window before it differs', () => {
    const truth = truthOf(packets).get(D0 + 1)!;
    const late = truthOf(packets.filter((p) => p.us >= (T0 + DAY - 60) * 1e6)).get(D0 + 1)!;
    expect(late.bySid).not.toEqual(truth.bySid);
    // Every threshold rule alerts that day, and the rule without threshold covers some of their packets.
    expect([...truth.bySid.keys()].sort()).toEqual([9100001, 9100002, 9100003, 9100004, 9100005, 9100006, 9100007]);
  });
});

describe.each(targets)('signatureStatistics() threshold alerts on %s', (_name, make) => {
  const stores: AnalyticsStore[] = [];
  const drops: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const s of stores) await s.close();
    for (const d of drops) await d();
  });
  async function fresh(): Promise<AnalyticsStore> {
    const backend = make();
    drops.push(backend.drop);
    const store = await openStore(backend.target, { timeZone: 'UTC' });
    stores.push(store);
    await store.addSensor(EAST);
    await store.addSensor(WEST);
    return store;
  }

  /** The statistics of `stream` ingested whole equal its truth, and ingested in four pieces equal those. */
  async function expectTruth(
    stream: ScenarioPacket[],
    seeds: [number, number],
    rules = setup,
  ): Promise<AnalyticsStore> {
    const whole = await fresh();
    await ingest(whole, 1, { seed: seeds[0], stream, rules });
    const stats = await statsOf(whole);
    const days = truthOf(stream, rules);
    const day = days.get(D0 + 1)!;
    expect(new Map(stats.signatures.map((s) => [s.sid, s.packets]))).toEqual(day.bySid);
    expect(new Map(stats.signatures.map((s) => [s.sid, s.previousPackets]))).toEqual(
      new Map([...day.bySid.keys()].map((sid) => [sid, days.get(D0)?.bySid.get(sid) ?? 0])),
    );
    const series = new Map(
      stats.categorySeries.map((c) => [c.category, { packets: c.packets[0], sources: c.sources[0] }]),
    );
    expect(series).toEqual(
      new Map([...day.byCategory].map(([c, t]) => [c, { packets: t.packets, sources: t.sources.size }])),
    );
    expect(stats.current.sources).toBe(day.sources.size);
    expect(stats.current.detections).toBe([...day.byCategory.values()].reduce((a, t) => a + t.packets, 0));
    const cut = await fresh();
    await ingest(cut, 4, { seed: seeds[1], stream, rules });
    expect(await statsOf(cut)).toEqual(stats);
    return whole;
  }

  it("retention before 2010-06-02 removes the matches of chains that paused before it, keeps those running across it from their open window's start, and leaves the day's alerts as they were", async () => {
    const backend = make();
    drops.push(backend.drop);
    const cutoff = T0 + DAY;
    // Noon of 06-03 with evidence kept one day: the first day kept is 06-02.
    const store = await openStore(backend.target, {
      timeZone: 'UTC',
      now: () => cutoff + DAY + DAY / 2,
      retention: { evidence: 1 },
    });
    stores.push(store);
    await store.addSensor(EAST);
    await store.addSensor(WEST);
    await ingest(store, 1, { seed: 1 });
    const current = async (): Promise<unknown> => {
      const stats = await statsOf(store);
      return {
        alerts: new Map(stats.signatures.map((s) => [s.sid, s.packets])),
        series: stats.categorySeries.map((c) => [c.category, c.packets[0], c.sources[0]]),
        sources: stats.current.sources,
        detections: stats.current.detections,
      };
    };
    const before = await current();
    const truth = truthOf(packets).get(D0 + 1)!;
    expect((before as { alerts: unknown }).alerts).toEqual(truth.bySid);
    // The scenario needs it: from the matches at or after the cutoff alone the day's alerts differ.
    expect(truthOf(packets.filter((p) => p.us >= cutoff * 1e6)).get(D0 + 1)!.bySid).not.toEqual(truth.bySid);
    const preCutoff = async (): Promise<number> => {
      const [row] = await store.query<{ n: number }>({
        sql: 'SELECT COUNT(*) AS n FROM signature_match_rows WHERE us < ?',
        params: [cutoff * 1e6],
      });
      return Number(row!.n);
    };
    const rowsBefore = await preCutoff();
    const expected = await keptByChain(store, cutoff);
    // The scenario has chains that pause before the cutoff, chains that run across it after a pause, and
    // chains running for more than a window before it: kept from their last reset, 369 rows would stay.
    expect(expected.running).toBeGreaterThan(expected.fromReset);
    expect(expected.fromReset).toBeGreaterThan(expected.exact);
    expect(expected.exact).toBeGreaterThan(0);
    const run = await store.applyRetention();
    const removed = run.steps.find((s) => s.table === 'signature_match_rows')!.rows;
    expect(await current()).toEqual(before);
    const kept = await preCutoff();
    expect(kept).toBe(expected.exact);
    expect(kept + removed).toBe(rowsBefore);
    // A second run finds nothing more to remove: what is left is still needed.
    expect(run.steps.find((s) => s.table === 'signature_match_rows')!.keptFromDay).toBe(D0 + 1);
    expect((await store.applyRetention()).steps.find((s) => s.table === 'signature_match_rows')!.rows).toBe(0);
  }, 120_000);

  it('equal the uncut stream through ThresholdTable, whole captures or pieces out of order', async () => {
    await expectTruth(packets, [1, 2]);
  }, 120_000);

  it("equal the uncut stream when one chain's matches in a second come from two sensors and differ in source and coverage", async () => {
    const dense = denseThresholdPackets(11);
    await expectTruth(dense, [5, 6]);
    // Rules of which no two with threshold share a category: a packet's matches group with other packets'.
    const store = await expectTruth(dense, [3, 4], denseSetup);
    expect(
      [
        ...truthOf(dense, denseSetup)
          .get(D0 + 1)!
          .bySid.keys(),
      ].sort(),
    ).toEqual([9200001, 9200002, 9200003, 9200004, 9200005]);
    // The case is there: groups of several matches, and chain-seconds holding both sensors' matches.
    const [shape] = await store.query<{ groups: number; matches: number }>({
      sql: 'SELECT COUNT(*) AS groups, SUM(matches) AS matches FROM signature_evidence',
      params: [],
    });
    expect(Number(shape!.matches)).toBeGreaterThan(Number(shape!.groups));
    const mixed = await store.query({
      sql: `SELECT sid, CAST(FLOOR(us / 1000000) AS BIGINT) AS sec FROM signature_evidence GROUP BY sid, sec
        HAVING COUNT(DISTINCT sensor_id) > 1 AND COUNT(DISTINCT covered) > 1 AND MAX(matches) > 1`,
      params: [],
    });
    expect(mixed.length).toBeGreaterThan(0);
  }, 120_000);
});
