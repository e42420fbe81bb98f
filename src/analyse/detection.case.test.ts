/**
 * The detection statistics over the hand-built captures of
 * `ingest/testdata/detection-scenario.ts`, worked out by hand: on in-memory
 * DuckDB always, and on ClickHouse when `CLICKHOUSE_URL` is set (the same
 * ingests there must give identical results).
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ATTACK_SETTINGS } from '../detect/index.js';
import { ingestCapture } from '../ingest/index.js';
import { pcapOf, tempDir, testGeo, writeTemp } from '../ingest/testdata/captures.js';
import {
  ATTACK,
  CURRENT_FRAMES,
  DETECT_PERIOD,
  DETECT_SENSOR,
  DETECT_TIME_ZONE,
  PREVIOUS_FRAMES,
  SCANNER,
} from '../ingest/testdata/detection-scenario.js';
import { openStore, type AnalyticsStore } from '../store/index.js';
import { clickHouseTestDb } from '../store/testdata/clickhouse-test-db.js';
import { backscatterStatistics } from './backscatter-stats.js';
import type { BackscatterStatistics, ScannerStatistics, SignatureStatistics } from './detection-types.js';
import { parsePeriod } from '../util/period.js';
import { scannerStatistics } from './scanner-stats.js';
import { signatureStatistics } from './signature-stats.js';

const url = process.env['CLICKHOUSE_URL'];
const clickHouse = url === undefined || url === '' ? undefined : clickHouseTestDb(url, 'detection');
const period = parsePeriod(DETECT_PERIOD, { timeZone: DETECT_TIME_ZONE });
/** 9 addresses (8 IPv4, 1 IPv6 entry) × 2 days, in both periods. */
const ADDRESS_DAYS = 18;

interface Results {
  signatures: SignatureStatistics;
  backscatter: BackscatterStatistics;
  scanners: ScannerStatistics;
}

async function loadAndQuery(target: string, files: string[]): Promise<{ store: AnalyticsStore; results: Results }> {
  const { geo } = await testGeo(tempDir('teiten-detect-geo-'));
  const store = await openStore(target, { timeZone: DETECT_TIME_ZONE });
  await store.addSensor(DETECT_SENSOR);
  for (const file of files) await ingestCapture(store, 'tokyo', file, { geo });
  const [signatures, backscatter, scanners] = await Promise.all([
    signatureStatistics(store, { period }),
    backscatterStatistics(store, { period }),
    scannerStatistics(store, { period }),
  ]);
  return { store, results: { signatures, backscatter, scanners } };
}

const stores: AnalyticsStore[] = [];
let duck: Results;
let files: string[];

beforeAll(async () => {
  const dir = tempDir('teiten-detect-stats-');
  files = [
    writeTemp(dir, 'previous.pcap', pcapOf(PREVIOUS_FRAMES)),
    writeTemp(dir, 'current.pcap', pcapOf(CURRENT_FRAMES)),
  ];
  const loaded = await loadAndQuery(':memory:', files);
  stores.push(loaded.store);
  duck = loaded.results;
}, 60_000);

afterAll(async () => {
  for (const store of stores) await store.close();
  await clickHouse?.drop();
});

describe('signatureStatistics()', () => {
  it('signatureStatistics() gives detections and detected sources per day against the previous period', () => {
    const s = duck.signatures;
    expect(s.current).toEqual({
      detections: 10,
      addressDays: ADDRESS_DAYS,
      perDayPerAddress: 10 / 18,
      observedDays: 2,
      sourcesPerDay: 3,
      sources: 5,
    });
    expect(s.previous).toEqual({
      detections: 2,
      addressDays: ADDRESS_DAYS,
      perDayPerAddress: 2 / 18,
      observedDays: 2,
      sourcesPerDay: 0.5,
      sources: 1,
    });
    expect(s.change.detections).toEqual({ abs: 8, pct: 400 });
    expect(s.change.sourcesPerDay).toEqual({ abs: 2.5, pct: 500 });
    expect(s.method).toMatchObject({ ingests: 1, ingestsWithDetection: 1, ingestsWithSignatures: 1 });
    expect(s.previousMethod).toMatchObject({ ingests: 1, ingestsWithDetection: 1, ingestsWithSignatures: 1 });
    expect(s.method.ruleSets).toHaveLength(1);
    expect(s.method.ruleSets[0]).toMatchObject({
      rulesLoaded: 36,
      rulesSkipped: 0,
      ingests: 1,
      files: [{ file: 'teiten-darknet.rules', rules: 36 }],
    });
  });

  it('signatureStatistics() ranks categories with previous rank, shares, sources per day and daily series', () => {
    const s = duck.signatures;
    expect(
      s.categories.map((c) => [
        c.category,
        c.rank,
        c.previousRank,
        c.packets,
        c.previousPackets,
        c.sharePct,
        c.sourcesPerDay,
      ]),
    ).toEqual([
      ['Worm', 1, 1, 5, 2, 50, 1.5],
      ['DoS', 2, null, 3, 0, 30, 0.5],
      ['Scan(P2P)', 3, null, 2, 0, 20, 1],
    ]);
    expect(s.categories[0]).toMatchObject({
      current: 5 / 18,
      previous: 2 / 18,
      rounded: { current: 0.28, previous: 0.11, changeAbs: 0.17, changePct: 150 },
    });
    expect(s.categories[0]!.changePct).toBeCloseTo(150, 6);
    expect(s.dates).toEqual(['2010-06-01', '2010-06-02']);
    expect(s.categorySeries.map((c) => [c.category, c.packets, c.sources])).toEqual([
      ['Worm', [4, 1], [2, 1]],
      ['DoS', [3, 0], [1, 0]],
      ['Scan(P2P)', [1, 1], [1, 1]],
    ]);
    expect(s.categorySeries[0]!.perDayPerAddress).toEqual([4 / 9, 1 / 9]);
  });

  it("signatureStatistics() breaks detections down by country with each country's category mix, and lists signatures", () => {
    const s = duck.signatures;
    expect(
      s.countries.map((c) => [
        c.country,
        c.packets,
        c.sharePct,
        c.sourcesPerDay,
        c.categories.map((k) => `${k.category} ${k.packets} ${k.sharePct}`),
      ]),
    ).toEqual([
      ['CN', 5, 50, 1.5, ['DoS 3 60', 'Scan(P2P) 1 20', 'Worm 1 20']],
      ['JP', 4, 40, 1, ['Worm 4 100']],
      ['TW', 1, 10, 0.5, ['Scan(P2P) 1 100']],
    ]);
    expect(s.countries[0]).toMatchObject({ countryEn: 'China' });
    expect(s.signatures.map((g) => [g.sid, g.category, g.packets, g.previousPackets])).toEqual([
      [9_000_002, 'Worm', 4, 0],
      [9_000_402, 'DoS', 3, 0],
      [9_000_200, 'Scan(P2P)', 2, 0],
      [9_000_001, 'Worm', 1, 2],
    ]);
  });
});

describe('backscatterStatistics()', () => {
  it('backscatterStatistics() gives packets and victims per day against the previous period', () => {
    const b = duck.backscatter;
    expect(b.current).toEqual({
      packets: 128,
      addressDays: ADDRESS_DAYS,
      perDayPerAddress: 128 / 18,
      observedDays: 2,
      packetsPerDay: 64,
      victimsPerDay: 1.5,
      victims: 3,
      attacks: 1,
      openAttacks: 0,
    });
    expect(b.previous).toEqual({
      packets: 10,
      addressDays: ADDRESS_DAYS,
      perDayPerAddress: 10 / 18,
      observedDays: 2,
      packetsPerDay: 5,
      victimsPerDay: 0.5,
      victims: 1,
      attacks: 0,
      openAttacks: 0,
    });
    expect(b.change.packets).toEqual({ abs: 118, pct: 1180 });
    expect(b.change.victimsPerDay).toEqual({ abs: 1, pct: 200 });
    expect(b.daily).toEqual({
      dates: ['2010-06-01', '2010-06-02'],
      packets: [128, 0],
      perDayPerAddress: [128 / 9, 0],
      victims: [3, 0],
    });
  });

  it('backscatterStatistics() breaks backscatter down by victim port, country and response kind', () => {
    const b = duck.backscatter;
    expect(b.byVictimPort).toEqual([
      { key: '6667/TCP', packets: 120, sharePct: 93.75, victims: 1, victimsPerDay: 0.5 },
      { key: '80/TCP', packets: 5, sharePct: 3.90625, victims: 1, victimsPerDay: 0.5 },
      { key: 'ICMP', packets: 3, sharePct: 2.34375, victims: 1, victimsPerDay: 0.5 },
    ]);
    expect(b.byCountry.map((c) => [c.country, c.packets, c.victims, c.victimsPerDay])).toEqual([
      ['CN', 123, 2, 1],
      ['JP', 5, 1, 0.5],
    ]);
    expect(b.byResponse.map((r) => [r.key, r.packets, r.victims])).toEqual([
      ['TCP SYN/ACK', 120, null],
      ['ICMP unreachable', 5, null],
      ['ICMP echo reply', 3, null],
    ]);
  });

  it('backscatterStatistics() lists the attacks derived over the telescope; eight addresses are too few to extrapolate from', () => {
    const b = duck.backscatter;
    const [a, ...rest] = b.attacks;
    expect(rest).toEqual([]);
    expect(a).toMatchObject({
      sensors: [{ sensor: 'tokyo', packets: 120, addresses: 8 }],
      victim: ATTACK.victim,
      country: 'CN',
      protocol: 'TCP',
      ports: ['6667/TCP'],
      startSec: ATTACK.startSec,
      endSec: ATTACK.endSec,
      start: '2010-06-01T03:00:10.000Z',
      durationSec: 119,
      packets: 120,
      sensorAddresses: 8,
      peakWindowPackets: 60,
      peakPps: 1,
      meanPps: 1.008,
      extrapolatedPps: null,
      extrapolatedPeakPps: null,
      responses: { 'TCP SYN/ACK': 120 },
    });
    expect(a!.extrapolationWithheld).toMatch(/monitors 8 IPv4 address\(es\), fewer than 256/);
    expect(b.attackSettings).toEqual({ ...DEFAULT_ATTACK_SETTINGS, monitoredAddresses: 8 });
  });

  it('backscatterStatistics() lists the victims by backscatter packets, attack or not, with their main service and days', () => {
    expect(
      duck.backscatter.victims.map((v) => [v.victim, v.country, v.service, v.packets, v.firstDate, v.lastDate]),
    ).toEqual([
      ['61.5.5.5', 'CN', '6667/TCP', 120, '2010-06-01', '2010-06-01'],
      ['1.0.16.9', 'JP', '80/TCP', 5, '2010-06-01', '2010-06-01'],
      ['61.6.6.6', 'CN', 'ICMP', 3, '2010-06-01', '2010-06-01'],
    ]);
  });
});

describe('scannerStatistics()', () => {
  it('scannerStatistics() summarises scanners by type and tool', () => {
    const s = duck.scanners;
    expect(s).toMatchObject({
      windows: 1,
      sources: 1,
      packets: 16,
      byScanType: [{ scanType: 'none', sources: 1, packets: 16 }],
    });
    expect(s.byTool).toEqual([
      {
        tool: 'zmap',
        sources: 1,
        packets: 16,
        countries: [{ country: 'CN', countryJa: '中国', countryEn: 'China', sources: 1 }],
      },
    ]);
    expect(s.top[0]).toMatchObject({
      source: SCANNER.src,
      addresses: 8,
      services: 2,
      tools: ['zmap'],
      firstSeen: '2010-06-01T03:06:40.000Z',
    });
  });

  it('signatureStatistics() refuses filters the detection tables cannot apply', async () => {
    await expect(
      signatureStatistics(stores[0]!, { period, filter: { service: '445/TCP' } as never }),
    ).rejects.toMatchObject({ code: 'TEITEN_ANALYSE_INPUT', field: 'service' });
    const other = await signatureStatistics(stores[0]!, { period, filter: { sensors: ['tokyo'] } });
    expect(other.current).toEqual(duck.signatures.current);
  });
});

if (clickHouse === undefined) {
  describe('detection statistics parity: DuckDB and ClickHouse', () => {
    it.skip('needs CLICKHOUSE_URL (e.g. http://127.0.0.1:8123) to compare with a real ClickHouse server', () =>
      undefined);
  });
} else {
  describe('detection statistics parity: DuckDB and ClickHouse', () => {
    it('signatureStatistics(), backscatterStatistics() and scannerStatistics() agree on ClickHouse', async () => {
      const loaded = await loadAndQuery(clickHouse.storeUrl, files);
      stores.push(loaded.store);
      expect(loaded.results).toEqual(duck);
    }, 120_000);
  });
}
