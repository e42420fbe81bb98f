/**
 * The quarterly report of the bundled `quarterly-2010q1fy` scenario (shaped
 * after the @police report for fiscal 2010 Q1), end to end: captures made
 * by the simulator at 2% of its volume, ingested with the bundled GeoIP
 * database, composed in both languages. Checked against truth.json (the
 * exact record of what was planted) and against the seed's story: 445/TCP
 * on top, 11/ICMP rising from nothing to second, Japan overtaking China, the
 * 53/UDP-sourced traffic from 1 June among the headlines. A digest of the
 * document's structure is kept as a snapshot.
 */

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePeriod } from '../../src/analyse/index.js';
import { openGeoResolver } from '../../src/classify/geo-sources.js';
import { ingestCapture } from '../../src/ingest/index.js';
import { composeQuarterly } from '../../src/report/compose/index.js';
import { renderHtml, renderJson, renderMarkdown, type ReportDocument } from '../../src/report/index.js';
import { readTruth, simulateScenario, type Truth } from '../../src/simulate/index.js';
import { openStore, type AnalyticsStore } from '../../src/store/index.js';
import { allSections, allBlocks, cells, plainText, table } from './doc-helpers.js';

const SCALE = 0.02;
const TIME_ZONE = 'Asia/Tokyo';
const Q1 = parsePeriod('FY2010Q1', { timeZone: TIME_ZONE });
/** 24 addresses × 91 days, less s10's 4 addresses down 1.5 days (24 May 00:00 – 25 May 12:00). */
const Q1_ADDRESS_DAYS = 24 * 91 - 4 * 1.5;
const DIGITS = 9;

let store: AnalyticsStore;
let truth: Truth;
let ja: ReportDocument;
let en: ReportDocument;

/** Truth packets of FY2010Q1 whose service (or country) is `key`. */
function plantedQ1(key: string, by: 'service' | 'country'): number {
  const column = by === 'service' ? 3 : 5;
  const names = by === 'service' ? truth.services : truth.countries;
  let packets = 0;
  for (const row of truth.traffic.rows as number[][]) {
    const date = truth.days[row[0]!]!;
    if (date >= '2010-04-01' && date <= '2010-06-30' && names[row[column]!] === key) packets += row[6]!;
  }
  return packets;
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'teiten-sim-report-'));
  const sim = await simulateScenario('quarterly-2010q1fy', { outDir: dir, scale: SCALE });
  truth = readTruth(join(dir, 'truth.json'));
  store = await openStore(':memory:', { timeZone: TIME_ZONE });
  for (const s of truth.sensors) {
    const sensor = await store.addSensor({ name: s.name, label: s.label, addresses: s.addresses });
    for (const d of s.downtime) await store.addDowntime(sensor.id, { from: d.fromSec, to: d.toSec, note: d.note });
  }
  const geo = await openGeoResolver({ asn: false });
  for (const file of sim.files) await ingestCapture(store, file.sensor, file.path, { geo });
  [ja, en] = await Promise.all([
    composeQuarterly(store, Q1, { lang: 'ja' }),
    composeQuarterly(store, Q1, { lang: 'en' }),
  ]);
}, 120_000);

afterAll(async () => {
  await store?.close();
});

describe('composeQuarterly() on the simulated fiscal 2010 Q1', () => {
  it('composeQuarterly() puts 445/TCP first at the planted rate and 11/ICMP second, up from almost nothing', () => {
    const ports = table(ja, 't2-1');
    expect(ports.rows.slice(0, 2).map((r) => r.key)).toEqual(['445/TCP', '11/ICMP']);
    expect(cells(ports, '445/TCP')['current']).toBeCloseTo(plantedQ1('445/TCP', 'service') / Q1_ADDRESS_DAYS, DIGITS);
    expect(cells(ports, '11/ICMP')['current']).toBeCloseTo(plantedQ1('11/ICMP', 'service') / Q1_ADDRESS_DAYS, DIGITS);
    expect(cells(ports, '11/ICMP')['increaseRank']).toBe(1);
    expect(cells(ports, '445/TCP')['decreaseRank']).toBe(1);
  });

  it('composeQuarterly() ranks Japan first, swapping places with China', () => {
    const countries = table(ja, 't2-2');
    expect(cells(countries, 'JP')).toMatchObject({ rank: 1, previousRank: 2, item: '日本' });
    expect(cells(countries, 'CN')).toMatchObject({ rank: 2, previousRank: 1, item: '中国' });
    expect(cells(countries, 'JP')['current']).toBeCloseTo(plantedQ1('JP', 'country') / Q1_ADDRESS_DAYS, DIGITS);
    expect(plainText(renderHtml(ja))).toMatch(
      /上位の国・地域では、日本は前期 2位から今期 1位、中国は前期 1位から今期 2位/,
    );
  });

  it('composeQuarterly() heads the report with the 53/UDP-sourced traffic from 1 June', () => {
    const md = renderMarkdown(ja);
    const headlines = md.split('\n').filter((line) => line.startsWith('- **'));
    expect(headlines.length).toBeGreaterThanOrEqual(2);
    expect(headlines[0]).toBe(
      '- **53/UDP を発信元ポートとするアクセスの新規観測 (2010年6月1日以降、一日・1IP 当たり 0.00 件 → 8.60 件)**',
    );
    expect(renderMarkdown(en)).toContain(
      '- **New accesses from source port 53/UDP (since 1 June 2010, 0.00 → 8.60 per day per address)**',
    );
  });

  it('composeQuarterly() keeps a stable structure for the scenario (digest snapshot)', async () => {
    const digest = {
      sections: allSections(ja).map((s) => `${s.number ?? ''} ${s.title}`),
      headlines: renderMarkdown(ja)
        .split('\n')
        .filter((line) => line.startsWith('- **')),
      blocks: allBlocks(ja).flatMap((b) =>
        b.kind === 'table'
          ? [`${b.id} ${b.rows.map((r) => r.key).join(',')}`]
          : b.kind === 'chart'
            ? [`${b.id} ${b.chart.type}`]
            : [],
      ),
    };
    await expect(`${JSON.stringify(digest, null, 2)}\n`).toMatchFileSnapshot(
      '__snapshots__/simulated-quarter.digest.json',
    );
    const again = await composeQuarterly(store, Q1, { lang: 'ja' });
    expect(renderJson(again)).toBe(renderJson(ja));
  });
});
