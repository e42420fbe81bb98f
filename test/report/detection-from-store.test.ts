/**
 * §3 and §4 drawn from the store: the `detector-check` scenario (every
 * signature family and backscatter kind over three days on three sensors)
 * simulated, ingested with detection, and the quarterly layout composed over
 * its days with `detectionInputFromStore()`. The tables and charts must hold
 * the detection statistics' numbers, and those must be truth.json's where it
 * gives them: packets per category (through `streams[].category`) and
 * backscatter packets per day (streams of kind `backscatter`, and ICMP
 * errors quoting a packet spoofed with a sensor's address).
 */

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  backscatterStatistics,
  parsePeriod,
  recordAttackSettings,
  signatureStatistics,
  type BackscatterStatistics,
  type Period,
  type SignatureStatistics,
} from '../../src/analyse/index.js';
import { openCountryDb } from '../../src/classify/index.js';
import { ingestCapture, loadDetectionSetup, type DetectionSetup } from '../../src/ingest/index.js';
import { tempDir } from '../../src/ingest/testdata/captures.js';
import { composeQuarterly, detectionInputFromStore, type DetectionInput } from '../../src/report/compose/index.js';
import { renderJson, type ReportDocument } from '../../src/report/index.js';
import { readTruth, simulateScenario, type Truth } from '../../src/simulate/index.js';
import { openStore, type AnalyticsStore } from '../../src/store/index.js';
import { allSections, cells, chart, table } from './doc-helpers.js';

/** Planted attacks are small (a few packets an hour per address): thresholds to match, as the detection test uses. */
const BACKSCATTER = { minPackets: 10, minDurationSec: 60, minWindowPackets: 1 };
/** Streams without a truth category that a bundled Scan rule matches (see `analyse/detection-simulated.test.ts`). */
const RULE_CATEGORY_OF_STREAM: Readonly<Record<string, string>> = { 'netbios-ns': 'Scan', 'proxy-9415': 'Scan' };
/** Conficker.C P2P port rules: a random-port packet can match by chance (Worm, no Worm traffic planted as such). */
const CONFICKER_SIDS = new Set([9_000_003, 9_000_004]);
const DIGITS = 9;

let truth: Truth;
let store: AnalyticsStore;
let bare: AnalyticsStore;
let period: Period;
let setup: DetectionSetup;
let sig: SignatureStatistics;
let bs: BackscatterStatistics;
let input: DetectionInput;
let ja: ReportDocument;
let en: ReportDocument;

beforeAll(async () => {
  const dir = tempDir('teiten-report-detect-');
  const simulated = await simulateScenario('detector-check', { outDir: join(dir, 'captures') });
  truth = readTruth(simulated.truthPath);
  const { timeZone } = truth.scenario;
  [store, bare] = await Promise.all([openStore(':memory:', { timeZone }), openStore(':memory:', { timeZone })]);
  const geo = { country: openCountryDb(), asn: null };
  setup = await loadDetectionSetup();
  for (const target of [store, bare]) await recordAttackSettings(target, BACKSCATTER);
  for (const sensor of truth.sensors) {
    for (const [target, detection] of [
      [store, setup],
      [bare, null],
    ] as const) {
      const added = await target.addSensor({ name: sensor.name, label: sensor.label, addresses: sensor.addresses });
      for (const down of sensor.downtime)
        await target.addDowntime(added.id, { from: down.from, to: down.to, note: down.note });
      for (const file of simulated.files.filter((f) => f.sensor === sensor.name))
        await ingestCapture(target, sensor.name, file.path, { geo, detection });
    }
  }
  period = parsePeriod(`${truth.days[0]}..${truth.days[truth.days.length - 1]}`, { timeZone });
  [sig, bs, input] = await Promise.all([
    signatureStatistics(store, { period, topSignatures: 20 }),
    backscatterStatistics(store, { period, topAttacks: 500 }),
    detectionInputFromStore(store, period),
  ]);
  [ja, en] = await Promise.all([
    composeQuarterly(store, period, { lang: 'ja', detections: input }),
    composeQuarterly(store, period, { lang: 'en', detections: input }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([store?.close(), bare?.close()]);
});

/** Truth packets of the scenario by signature category. */
function plantedByCategory(): Map<string, number> {
  const out = new Map<string, number>();
  for (const [, , stream, , , , n] of truth.traffic.rows) {
    const s = truth.streams[stream]!;
    const category = s.category ?? RULE_CATEGORY_OF_STREAM[s.name] ?? null;
    if (category !== null) out.set(category, (out.get(category) ?? 0) + n);
  }
  return out;
}

/**
 * Truth backscatter packets by date (every sensor): the backscatter streams'
 * replies, and the ICMP time-exceeded errors quoting a packet "from" a
 * sensor (`streams[].quoted`), which are backscatter too (Moore et al.).
 */
function plantedBackscatterByDay(): Map<string, number> {
  const out = new Map<string, number>();
  for (const [day, , stream, , , , n] of truth.traffic.rows) {
    const s = truth.streams[stream]!;
    if (s.kind !== 'backscatter' && s.quoted === null) continue;
    const date = truth.days[day]!;
    out.set(date, (out.get(date) ?? 0) + n);
  }
  return out;
}

describe('detectionInputFromStore()', () => {
  it('detectionInputFromStore() gives per-category packets equal to truth, Others included', () => {
    const planted = plantedByCategory();
    const chance = sig.signatures.filter((s) => CONFICKER_SIDS.has(s.sid)).reduce((n, s) => n + s.packets, 0);
    if (chance > 0) planted.set('Worm', (planted.get('Worm') ?? 0) + chance);
    expect(chance).toBeLessThanOrEqual(3);
    expect(planted.get('Others')).toBeGreaterThan(0);
    expect(new Map(sig.categories.filter((c) => c.packets > 0).map((c) => [c.category, c.packets]))).toEqual(planted);
    expect(sig.current.addressDays).toBeGreaterThan(0);
    for (const c of sig.categories) {
      const row = input.signatures!.byCategory.find((x) => x.key === c.category)!;
      expect(row.current).toBeCloseTo(c.packets / sig.current.addressDays, DIGITS);
      expect(row.previous).toBe(0);
    }
  });

  it('detectionInputFromStore() gives backscatter packets per day equal to truth and the statistics', () => {
    const planted = plantedBackscatterByDay();
    expect([...planted.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    const daily = input.backscatter!.daily;
    expect(daily.map((d) => d.date)).toEqual(bs.daily.dates);
    expect(daily.map((d) => d.packets)).toEqual(bs.daily.dates.map((date) => planted.get(date) ?? 0));
    expect(daily.map((d) => d.sources)).toEqual(bs.daily.victims);
    expect(input.backscatter!.bySourcePort).toEqual(bs.byVictimPort.map((p) => ({ key: p.key, packets: p.packets })));
    expect(input.backscatter!.byCountry.reduce((n, c) => n + c.packets, 0)).toBe(bs.current.packets);
    // The previous range has no ingests: nothing to compare with.
    expect(input.backscatter!.previous).toBeNull();
  });

  it('detectionInputFromStore() names the victims that sent the most backscatter, with their packets from truth', () => {
    const victims = input.backscatter!.victims;
    expect(victims.length).toBeGreaterThan(0);
    // Planted backscatter per victim; ICMP errors quoting a packet "from" the sensor name their quoted destination too.
    const planted = new Map<string, number>();
    for (const b of truth.backscatter) planted.set(b.victim, (planted.get(b.victim) ?? 0) + b.packets);
    const quoted = new Set(truth.streams.flatMap((s) => s.quoted?.victims ?? []));
    for (const v of victims) {
      if (!quoted.has(v.address)) expect(v.packets).toBe(planted.get(v.address));
      expect(truth.days).toContain(v.firstDate);
      expect(v.lastDate >= v.firstDate).toBe(true);
    }
    expect(victims.map((v) => v.packets)).toEqual([...victims.map((v) => v.packets)].sort((a, b) => b - a));
    expect(victims.map((v) => v.address)).toEqual(bs.victims.slice(0, victims.length).map((v) => v.victim));
  });

  it('detectionInputFromStore() gives the rules loaded at ingest', () => {
    expect(input.signatures!.rulesLoaded).toBe(sig.method.ruleSets[0]!.rulesLoaded);
    expect(input.signatures!.rulesLoaded).toBe(setup.signatures!.rules.length);
  });

  it('detectionInputFromStore() gives null parts for a store whose ingests ran no detection', async () => {
    expect(await detectionInputFromStore(bare, period)).toEqual({ signatures: null, backscatter: null });
    const doc = await composeQuarterly(bare, period, {
      lang: 'en',
      detections: await detectionInputFromStore(bare, period),
    });
    expect(allSections(doc).find((s) => s.id === 's3')!.blocks).toEqual([
      { kind: 'paragraph', content: ['No signature detection data was stored for this period.'] },
    ]);
  });
});

describe('composeQuarterly() with detections from the store', () => {
  it('composeQuarterly() prints §3 category values equal to the statistics and truth', () => {
    const t = table(ja, 't3-1');
    const planted = plantedByCategory();
    for (const c of sig.categories) {
      expect(cells(t, c.category)['current']).toBeCloseTo(c.current, DIGITS);
      if (c.category !== 'Worm')
        expect(cells(t, c.category)['current']).toBeCloseTo(
          (planted.get(c.category) ?? 0) / sig.current.addressDays,
          DIGITS,
        );
    }
    const daily = chart(ja, 'f3-1').chart;
    expect(daily.type).toBe('line');
    if (daily.type === 'line') {
      expect(daily.categories).toEqual(sig.dates);
      for (const s of sig.categorySeries)
        expect(daily.series.find((x) => x.key === s.category)!.values).toEqual(s.perDayPerAddress);
    }
    const summary = cells(table(ja, 't1-1'), 'signatures');
    expect(summary['current']).toBeCloseTo(sig.current.perDayPerAddress!, DIGITS);
  });

  it('composeQuarterly() prints §4 backscatter per day equal to the statistics and truth', () => {
    const planted = plantedBackscatterByDay();
    const daily = chart(ja, 'f4-3').chart;
    expect(daily.type).toBe('line');
    if (daily.type === 'line') {
      expect(daily.series.find((s) => s.key === 'packets')!.values).toEqual(
        bs.daily.dates.map((d) => planted.get(d) ?? 0),
      );
      expect(daily.series.find((s) => s.key === 'sources')!.values).toEqual(bs.daily.victims);
    }
    expect(cells(table(ja, 't1-1'), 'backscatterPackets')['current']).toBeCloseTo(bs.current.packetsPerDay!, DIGITS);
    expect(cells(table(ja, 't1-1'), 'backscatterSources')['current']).toBeCloseTo(bs.current.victimsPerDay!, DIGITS);
    const ports = chart(ja, 'f4-1').chart;
    expect(ports.type).toBe('pie');
    const victims = table(ja, 't4-1');
    expect(cells(victims, 'victim-1')['packets']).toBe(input.backscatter!.victims[0]!.packets);
  });

  it('composeQuarterly() no longer says that no detection data was stored', () => {
    for (const doc of [ja, en]) {
      const json = renderJson(doc);
      expect(json).not.toContain('保存されていない');
      expect(json).not.toContain('was stored for this period');
      expect(allSections(doc).find((s) => s.id === 's3')!.sections?.length).toBe(2);
    }
  });
});
