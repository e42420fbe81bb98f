/**
 * The monthly report's intervals (issue 18) on the hand-written store of
 * `report-fixture.ts`: table 1.2's interval of the month's accesses per day
 * per address, the ranking tables of §2.3 and §2.4 with the quarterly
 * report's interval and q-value columns (今月/前月 in their headings), and
 * the bands of the daily charts, in both languages and in the HTML and JSON.
 *
 * Every printed bound is checked against an independent computation: the
 * day counts are worked out by hand from the fixture's levels, and the
 * quasi-Poisson interval is recomputed here from its textbook definition
 * with a gamma distribution function integrated numerically (Simpson's
 * rule over the density, normalised by its own integral, so neither log Γ
 * nor the incomplete-gamma series of `analyse/distributions.ts` is used)
 * and the t quantile from the published table.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePeriod } from '../../src/analyse/index.js';
import { composeMonthly } from '../../src/report/compose/index.js';
import { renderHtml, renderJson, type ReportDocument, type TableBlock } from '../../src/report/index.js';
import { openStore, type AnalyticsStore } from '../../src/store/index.js';
import { allSections, cells, chart, plainText, table } from './doc-helpers.js';
import { loadReportFixture, TIME_ZONE } from './report-fixture.js';

const JUNE = parsePeriod('2010-06', { timeZone: TIME_ZONE });
const MAY = parsePeriod('2010-05', { timeZone: TIME_ZONE });
/** Sensor addresses: tokyo 4 + osaka 1, observing every day. */
const ADDRESSES = 5;
/** Two-sided 95 %: z, and t with 30 degrees of freedom (published t table: 2.0423; digits from scipy). */
const Z = 1.959963984540054;
const T30 = 2.042272456301238;
/** Printed bounds have two decimals (one in table 1.2). */
const HALF_CENT = 0.005 + 1e-9;

let store: AnalyticsStore;
let ja: ReportDocument;
let en: ReportDocument;
let may: ReportDocument;

beforeAll(async () => {
  store = await openStore(':memory:', { timeZone: TIME_ZONE });
  await loadReportFixture(store);
  [ja, en, may] = await Promise.all([
    composeMonthly(store, JUNE, { lang: 'ja' }),
    composeMonthly(store, JUNE, { lang: 'en' }),
    composeMonthly(store, MAY, { lang: 'en' }),
  ]);
}, 60_000);

afterAll(async () => {
  await store.close();
});

/** Standard deviations of a gamma density kept on either side of its mean: the mass outside is below 1e-30. */
const WINDOW_SDS = 12;
const SIMPSON_STEPS = 4000;

/** The window [from, to] of Gamma(a, 1) integrated over, and P(X ≤ x) in it by Simpson's rule over the unnormalised density. */
function gammaCdf(a: number): { from: number; to: number; cdf: (x: number) => number } {
  const mode = a - 1;
  const logDensity = (t: number): number => (a - 1) * Math.log(t) - t - ((a - 1) * Math.log(mode) - mode);
  const from = Math.max(1e-9, a - WINDOW_SDS * Math.sqrt(a));
  const to = a + WINDOW_SDS * Math.sqrt(a);
  const simpson = (end: number): number => {
    const h = (end - from) / SIMPSON_STEPS;
    let sum = Math.exp(logDensity(from)) + Math.exp(logDensity(end));
    for (let i = 1; i < SIMPSON_STEPS; i++) sum += (i % 2 === 0 ? 2 : 4) * Math.exp(logDensity(from + i * h));
    return (sum * h) / 3;
  };
  const whole = simpson(to);
  return { from, to, cdf: (x) => simpson(Math.min(Math.max(x, from), to)) / whole };
}

/** The p-quantile of Gamma(a, 1) (a > 1) by bisection on `gammaCdf`. */
function gammaQuantileBySearch(p: number, a: number): number {
  const { from, to, cdf } = gammaCdf(a);
  let low = from;
  let high = to;
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (cdf(mid) < p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/**
 * The quasi-Poisson 95 % interval of a rate from its day counts (every day
 * observed by `ADDRESSES` addresses), from its definition: φ̂ = max(1,
 * n/(n−1)·Σ(c − λ̂e)²/C); Garwood bounds of C/φ̂ scaled by φ̂/E; when φ̂ > 1
 * stretched on the log scale by t(n−1)/z (here n = 31 days only).
 */
function expectedInterval(counts: readonly number[]): { rate: number; low: number; high: number } {
  const n = counts.length;
  const exposure = n * ADDRESSES;
  const total = counts.reduce((s, c) => s + c, 0);
  const rate = total / exposure;
  const squares = counts.reduce((s, c) => s + (c - rate * ADDRESSES) ** 2, 0);
  const phi = Math.max(1, ((n / (n - 1)) * squares) / total);
  const low = (gammaQuantileBySearch(0.025, total / phi) * phi) / exposure;
  const high = (gammaQuantileBySearch(0.975, total / phi + 1) * phi) / exposure;
  if (phi === 1) return { rate, low, high };
  expect(n).toBe(31);
  const widen = T30 / Z;
  return { rate, low: rate * (low / rate) ** widen, high: rate * (high / rate) ** widen };
}

/** Day counts of a month with `level` accesses per day per address on each day (from `fromDay`, 0 before). */
const days = (n: number, level: number, fromDay = 1): number[] =>
  Array.from({ length: n }, (_, i) => (i + 1 >= fromDay ? level * ADDRESSES : 0));

/** The printed "low⁠–⁠high" of a cell as numbers. */
function bounds(text: unknown): [number, number] {
  const [low, high] = String(text).split('\u2060–\u2060').map(Number);
  return [low!, high!];
}

function expectPrinted(text: unknown, expected: { low: number; high: number }, half = HALF_CENT): void {
  const [low, high] = bounds(text);
  expect(Math.abs(low - expected.low)).toBeLessThanOrEqual(half);
  expect(Math.abs(high - expected.high)).toBeLessThanOrEqual(half);
}

/** The band of a series chart. */
function bandOf(doc: ReportDocument, id: string): { low: number; high: number; label: string } | undefined {
  const spec = chart(doc, id).chart;
  if (spec.type === 'pie') throw new Error(`${id} is a pie`);
  return spec.band;
}

function sectionTable(doc: ReportDocument, section: string): TableBlock {
  const block = allSections(doc)
    .find((s) => s.id === section)
    ?.blocks.find((b) => b.kind === 'table');
  if (block?.kind !== 'table') throw new Error(`no table in ${section}`);
  return block;
}

describe('composeMonthly() intervals', () => {
  it("table 1.2 prints the month's accesses per day per address with its interval", () => {
    // June: 34 per day per address every day (445 12 + 23/TCP 10 + 33000/UDP 5 + ping 4 + 1433 2 + 135 1).
    const expected = expectedInterval(days(30, 34));
    const row = cells(table(ja, 't1.2'), 'accesses');
    expect(row['current']).toBeCloseTo(expected.rate, 10);
    expectPrinted(row['interval'], expected, 0.05 + 1e-9);
    expect(cells(table(ja, 't1.2'), 'sources')['interval']).toBeNull();
    expect(table(ja, 't1.2').columns.map((c) => c.label)).toEqual(['項目', '今月', '95%区間', '前月', '前月比']);
    // The notes and the method speak of the month: 今月/前月, not the quarterly report's 今期/前期.
    const text = plainText(renderHtml(ja));
    expect(text).toContain('を考慮した今月の値の区間。前月比の増加・減少は');
    expect(text).toContain('前月比の変化は、両期間の件数の比の対数を Welch の t 検定で検定し');
    expect(text).not.toMatch(/今期|前期/);
    expect(table(en, 't1.2').columns.map((c) => c.label)).toEqual([
      'Figure',
      'This month',
      '95 % interval',
      'Previous month',
      'Change',
    ]);
  });

  it('the ranking tables of §2.3 and §2.4 carry the interval and q-value columns with hand-checked bounds', () => {
    const ports = sectionTable(ja, 's2.3');
    expect(ports.number).toBe('2.3');
    expect(ports.columns.map((c) => c.label)).toEqual([
      '今月順位',
      '前月順位',
      'ポート',
      '今月件数(一日・1IP当たり)',
      '95%区間',
      '前月比',
      'q値',
      '増加順位',
      '減少順位',
    ]);
    const levels: Record<string, number> = { '445/TCP': 12, '23/TCP': 10, '33000/UDP': 5, '8/ICMP': 4, '1433/TCP': 2 };
    expect(ports.rows.map((r) => r.key)).toEqual(Object.keys(levels));
    for (const [port, level] of Object.entries(levels)) {
      const row = cells(ports, port);
      expect(row['current']).toBeCloseTo(level, 10);
      expectPrinted(row['interval'], expectedInterval(days(30, level)));
    }
    // 445/TCP held 12 in both months: nothing to claim; 23/TCP went from 1 to 10: claimed, marked *.
    expect(cells(ports, '445/TCP')['qValue']).toBe('1.000');
    expect(cells(ports, '23/TCP')['qValue']).toBe('<0.001*');
    const regions = sectionTable(ja, 's2.4');
    expect(regions.number).toBe('2.4');
    // Japan: 23/TCP 10 + 33000/UDP 5; China: 445/TCP 12 + 1433/TCP 2.
    expect(cells(regions, 'JP')['item']).toBe('日本');
    expectPrinted(cells(regions, 'JP')['interval'], expectedInterval(days(30, 15)));
    expectPrinted(cells(regions, 'CN')['interval'], expectedInterval(days(30, 14)));
    expect(sectionTable(en, 's2.3').columns.map((c) => c.label)).toEqual([
      'Rank',
      'Previous rank',
      'Port',
      'Count (per day per address)',
      '95 % interval',
      'Change',
      'q-value',
      'Rise rank',
      'Fall rank',
    ]);
    expect(plainText(renderHtml(ja))).toContain(
      '宛先ポート別の一日・1IP 当たりアクセス件数を、その 95%区間と前月比の検定の q 値とともに表2.3に示します。',
    );
  });

  it('a dispersed month widens the interval by the estimated over-dispersion (May, 33000/UDP from the 10th)', () => {
    const ports = sectionTable(may, 's2.3');
    const udp = expectedInterval(days(31, 5, 10));
    expect(cells(ports, '33000/UDP')['current']).toBeCloseTo(udp.rate, 10);
    expectPrinted(cells(ports, '33000/UDP')['interval'], udp);
    // The over-dispersed interval is far wider than the plain Poisson one of the same count.
    const [low, high] = bounds(cells(ports, '33000/UDP')['interval']);
    const poisson = [(gammaQuantileBySearch(0.025, 550) * 1) / 155, gammaQuantileBySearch(0.975, 551) / 155];
    expect(high - low).toBeGreaterThan(2 * (poisson[1]! - poisson[0]!));
    // May's total: 20 a day, 25 from the 10th.
    const total = expectedInterval(Array.from({ length: 31 }, (_, i) => (20 + (i + 1 >= 10 ? 5 : 0)) * ADDRESSES));
    expectPrinted(cells(table(may, 't1.2'), 'accesses')['interval'], total, 0.05 + 1e-9);
  });

  it("the daily charts show the band of the month's mean and its interval, in HTML and JSON", () => {
    const total = expectedInterval(days(30, 34));
    for (const id of ['f2.2.1', 'f2.4.1']) {
      const band = bandOf(ja, id);
      expect(band?.low).toBeCloseTo(total.low, 9);
      expect(band?.high).toBeCloseTo(total.high, 9);
    }
    // The notable 23/TCP chart: its own mean's band.
    const telnet = bandOf(ja, 'f2.1.1');
    const expected = expectedInterval(days(30, 10));
    expect(telnet?.low).toBeCloseTo(expected.low, 9);
    expect(telnet?.high).toBeCloseTo(expected.high, 9);
    expect(telnet?.label).toBe(`期間平均の95%区間 ${expected.low.toFixed(2)}–${expected.high.toFixed(2)}`);
    expect(bandOf(en, 'f2.1.1')?.label).toBe(
      `period mean, 95 % interval ${expected.low.toFixed(2)}–${expected.high.toFixed(2)}`,
    );
    const json = JSON.parse(renderJson(ja)) as ReportDocument;
    expect(json).toEqual(JSON.parse(JSON.stringify(ja)));
    const html = renderHtml(en);
    expect(html).toContain(`period mean, 95 % interval ${total.low.toFixed(2)}–${total.high.toFixed(2)}`);
    expect(html).toContain(String(cells(sectionTable(en, 's2.3'), '445/TCP')['interval']));
  });
});
