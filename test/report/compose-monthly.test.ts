/**
 * `composeMonthly()` on the hand-written store of `report-fixture.ts`, June
 * 2010 against May: the TALOT2 layout, the per-observation-point figures
 * and the plain-language line, figure 1.1 over six months, the notable
 * change of 23/TCP with its per-region chart, the six-month ratios and the
 * port explanation table, in both languages and deterministically.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePeriod } from '../../src/analyse/index.js';
import { composeMonthly, composeReport } from '../../src/report/compose/index.js';
import { renderHtml, renderJson, type ReportDocument } from '../../src/report/index.js';
import { openStore, type AnalyticsStore } from '../../src/store/index.js';
import { allSections, cells, chart, plainText, table } from './doc-helpers.js';
import { loadReportFixture, TIME_ZONE } from './report-fixture.js';

const JUNE = parsePeriod('2010-06', { timeZone: TIME_ZONE });
const DIGITS = 10;
/** June: 445 12 + 8/ICMP 4 + 23/TCP 10 + 135 1 + 1433 2 + 33000/UDP 5; sources per sensor per day 3 + 2 + 5 + 1 + 1 + 1. */
const JUNE_LEVEL = 34;
const JUNE_SOURCES = 13;
/** May: 20 + 33000/UDP on 22 of 31 days; sources 8, and 9 from 10 May. */
const MAY_LEVEL = 20 + (5 * 22) / 31;
const MAY_SOURCES = (9 * 8 + 22 * 9) / 31;

let store: AnalyticsStore;
let ja: ReportDocument;
let en: ReportDocument;

beforeAll(async () => {
  store = await openStore(':memory:', { timeZone: TIME_ZONE });
  await loadReportFixture(store);
  [ja, en] = await Promise.all([
    composeMonthly(store, JUNE, { lang: 'ja', database: 'fixture.duckdb' }),
    composeMonthly(store, JUNE, { lang: 'en', database: 'fixture.duckdb' }),
  ]);
});

afterAll(async () => {
  await store.close();
});

describe('composeMonthly()', () => {
  it('composeMonthly() lays out the monthly report: public summary, the month, six months, port notes, method', () => {
    expect(ja.meta).toMatchObject({
      kind: 'monthly',
      language: 'ja',
      period: { label: '2010-06', title: '2010年6月' },
      previousPeriod: { label: '2010-05' },
    });
    expect(ja.sections.map((s) => [s.number, s.title])).toEqual([
      ['1', '一般のインターネット利用者の皆さんへ'],
      ['2', '2010年6月のアクセス状況'],
      ['3', '統計情報'],
      ['4', '補足説明'],
      ['5', '集計方法'],
    ]);
    expect(allSections(ja).map((s) => s.id)).toEqual([
      's1',
      's2',
      's2.1',
      's2.2',
      's2.3',
      's2.4',
      's3',
      's3.1',
      's3.2',
      's4',
      's5',
      's5.1',
      's5.2',
    ]);
    expect(allSections(en).map((s) => s.id)).toEqual(allSections(ja).map((s) => s.id));
  });

  it('composeMonthly() computes the per-observation-point figures by hand and prints the plain-language line', () => {
    const daily = table(ja, 't1.2');
    expect(cells(daily, 'accesses')['current']).toBeCloseTo(JUNE_LEVEL, DIGITS);
    expect(cells(daily, 'accesses')['previous']).toBeCloseTo(MAY_LEVEL, DIGITS);
    expect(cells(daily, 'sources')['current']).toBeCloseTo(JUNE_SOURCES, DIGITS);
    expect(cells(daily, 'sources')['previous']).toBeCloseTo(MAY_SOURCES, DIGITS);
    expect(cells(daily, 'perSource')['current']).toBeCloseTo(JUNE_LEVEL / JUNE_SOURCES, DIGITS);
    expect(cells(table(ja, 't1.1'), 'total')).toMatchObject({ current: JUNE_LEVEL * 5 * 30, previous: 3650 });
    expect(cells(table(ja, 't1.1'), 'points')).toMatchObject({ current: 2, previous: 2 });
    const text = plainText(renderHtml(ja));
    expect(text).toContain('2010年6月の一方的なアクセスの総数は、2 観測点で 5,100 件でした。');
    expect(text).toContain(
      'あなたのコンピュータは、毎日、平均して 13 人の見知らぬ人 (発信元) から、34 件の一方的なアクセスを受けている',
    );
    expect(text).toContain('(発信元一人当たり 2.6 件)');
    expect(plainText(renderHtml(en))).toContain(
      'your computer receives 34 unsolicited accesses a day from 13 strangers, about 2.6 from each.',
    );
  });

  it('composeMonthly() shows six months per observation point in figure 1.1 and cites its ends', () => {
    const f = chart(ja, 'f1.1');
    expect(f.chart.type).toBe('bar');
    if (f.chart.type === 'pie') return;
    expect(f.chart.categories).toEqual(['2010-01', '2010-02', '2010-03', '2010-04', '2010-05', '2010-06']);
    const [accesses, sources] = f.chart.series;
    expect(accesses!.values.map((v) => Number(v!.toFixed(6)))).toEqual([
      24,
      24,
      24,
      20,
      Number(MAY_LEVEL.toFixed(6)),
      34,
    ]);
    expect(sources!.values.map((v) => Number(v!.toFixed(6)))).toEqual([7, 7, 7, 8, Number(MAY_SOURCES.toFixed(6)), 13]);
    expect(plainText(renderHtml(ja))).toContain(
      'アクセス数は2010年1月の 24.0 件から2010年6月の 34.0 件へ増加しました。',
    );
  });

  it('composeMonthly() reports the 23/TCP rise of the month with its per-region daily chart', () => {
    const findings = table(ja, 't2.1');
    const telnet = findings.rows.find((r) => r.cells['title'] === '23/TCP に対するアクセスの増加');
    expect(telnet?.cells).toMatchObject({
      after: 10,
      before: 1,
      change: { abs: 9, pct: 900 },
      previousRank: 6,
      rank: 2,
    });
    const f = chart(ja, 'f2.1.1');
    expect(f.caption).toBe('2010年6月の 23/TCP への発信元地域別アクセス数の変化');
    expect(f.chart).toMatchObject({ type: 'stacked-bar', series: [{ key: 'JP 23/TCP', name: '日本' }] });
    expect(plainText(renderHtml(ja))).toContain(
      '23/TCP に対するアクセスは一日・1IP 当たり 10.00 件で、前月と比較して 9.00 件 (900.0%) 増加した。そのうち、日本からのアクセスが 100.0%を占めた。(図2.1.1)',
    );
    expect(ja.headlines[0]).toBeDefined();
  });

  it("composeMonthly() gives the month's port and region ratios and six months of shares", () => {
    const slices = (id: string): { key: string; value: number }[] => {
      const c = chart(ja, id).chart;
      return c.type === 'pie' ? c.slices.map((x) => ({ key: x.key, value: x.value })) : [];
    };
    expect(slices('f2.3.1')).toEqual([
      { key: '445/TCP', value: 12 },
      { key: '23/TCP', value: 10 },
      { key: '33000/UDP', value: 5 },
      { key: '8/ICMP', value: 4 },
      { key: '1433/TCP', value: 2 },
      { key: '135/TCP', value: 1 },
    ]);
    // Sources per day by port: 5 telnet sources a day in June, 3 for 445/TCP, 2 for ping, 1 for the rest.
    expect(slices('f2.3.2').slice(0, 3)).toEqual([
      { key: '23/TCP', value: 5 },
      { key: '445/TCP', value: 3 },
      { key: '8/ICMP', value: 2 },
    ]);
    expect(slices('f2.4.2').map((x) => x.key)).toEqual(['JP', 'CN', 'US', 'KR']);
    const six = chart(ja, 'f3.1.1');
    if (six.chart.type === 'pie') throw new Error('expected a bar chart');
    expect(six.chart.categories).toHaveLength(6);
    const smb = six.chart.series.find((s) => s.key === '445/TCP')!;
    expect(smb.values[0]).toBeCloseTo((16 / 24) * 100, DIGITS);
    expect(smb.values[5]).toBeCloseTo((12 / 34) * 100, DIGITS);
    expect(plainText(renderHtml(ja))).toContain('445/TCP の比率は2010年1月の 66.7%から2010年6月の 35.3%になりました。');
  });

  it("composeMonthly() explains the month's top ports from the knowledge base", () => {
    const t = table(ja, 't4.1');
    expect(t.rows.map((r) => r.key)).toEqual(['445/TCP', '23/TCP', '33000/UDP', '8/ICMP', '1433/TCP', '135/TCP']);
    expect(cells(t, '445/TCP')['service']).toBe('SMB (Microsoft-DS)');
    expect(String(cells(t, '445/TCP')['description'])).toContain('Conficker');
    expect(String(cells(table(en, 't4.1'), '445/TCP')['description'])).toContain('Conficker');
  });

  it('composeReport() picks the monthly layout for a month and gives byte-identical output', async () => {
    const again = await composeReport(store, JUNE, { lang: 'ja', database: 'fixture.duckdb' });
    expect(again.meta.kind).toBe('monthly');
    expect(renderJson(again)).toBe(renderJson(ja));
    expect(renderHtml(again)).toBe(renderHtml(ja));
  });
});
