/**
 * `composeQuarterly()` on the hand-written store of `report-fixture.ts`: the
 * layout, table 2-1's columns and hand-computed cells, the published
 * arithmetic of §1, findings cited from their table, the detection
 * sections with and without data, escaping, both languages, determinism.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePeriod } from '../../src/analyse/index.js';
import { composeQuarterly } from '../../src/report/compose/index.js';
import { renderHtml, renderJson, renderMarkdown, type Inline, type ReportDocument } from '../../src/report/index.js';
import { openStore, type AnalyticsStore } from '../../src/store/index.js';
import { detectionsFixture, HOSTILE_RULE } from './detections-fixture.js';
import { allSections, cells, chart, plainText, table } from './doc-helpers.js';
import {
  GEOIP_BUILD_DATE,
  GEOIP_DB,
  HOSTILE_LABEL,
  loadReportFixture,
  meanLevel,
  TIME_ZONE,
} from './report-fixture.js';

const Q1 = parsePeriod('FY2010Q1', { timeZone: TIME_ZONE });
/** FY2010Q1: 445 12 + 8/ICMP 4 + 135 1 + 1433 2 + 23/TCP (61×1 + 30×10)/91 + 33000/UDP 52×5/91. */
const Q1_LEVEL = 19 + (61 + 300 + 52 * 5) / 91;
/** FY2009Q4: 445 16 + 8/ICMP 4 + 135 3 + 23/TCP 1. */
const Q4_LEVEL = 24;
const DIGITS = 10;

let store: AnalyticsStore;
let ja: ReportDocument;
let en: ReportDocument;
let withDetections: ReportDocument;

beforeAll(async () => {
  store = await openStore(':memory:', { timeZone: TIME_ZONE });
  await loadReportFixture(store);
  [ja, en, withDetections] = await Promise.all([
    composeQuarterly(store, Q1, { lang: 'ja', database: 'fixture.duckdb' }),
    composeQuarterly(store, Q1, { lang: 'en', database: 'fixture.duckdb' }),
    composeQuarterly(store, Q1, { lang: 'ja', database: 'fixture.duckdb', detections: detectionsFixture() }),
  ]);
});

afterAll(async () => {
  await store.close();
});

describe('composeQuarterly()', () => {
  it('composeQuarterly() lays out headlines and sections 1 to 6 after the quarterly report', () => {
    expect(ja.meta).toMatchObject({ kind: 'quarterly', language: 'ja', title: 'インターネット定点観測結果' });
    expect(ja.meta.period).toMatchObject({
      label: 'FY2010Q1',
      title: '平成22年度第1四半期',
      start: '2010-04-01',
      end: '2010-06-30',
    });
    expect(ja.meta.previousPeriod).toMatchObject({ label: 'FY2009Q4', start: '2010-01-01', end: '2010-03-31' });
    expect(ja.meta.geoip).toEqual({ database: GEOIP_DB, date: GEOIP_BUILD_DATE });
    expect(ja.meta.generatedAt).toBeUndefined();
    expect(ja.sections.map((s) => [s.number, s.title])).toEqual([
      ['1', '今期の観測状況'],
      ['2', 'センサーに対するアクセス'],
      ['3', 'シグネチャを用いた不正侵入等の検知'],
      ['4', 'DoS 攻撃被害観測状況'],
      ['5', '今期の主な変化'],
      ['6', '集計方法'],
    ]);
    expect(allSections(ja).map((s) => s.id)).toEqual([
      's1',
      's2',
      's2-1',
      's2-2',
      's3',
      's4',
      's5',
      's6',
      's6-1',
      's6-2',
    ]);
    expect(ja.headlines.length).toBeGreaterThanOrEqual(2);
    expect(ja.headlines.length).toBeLessThanOrEqual(3);
  });

  it('composeQuarterly() table 2-1 has exactly the seed columns and the hand-computed cells', () => {
    const t = table(ja, 't2-1');
    expect(t.number).toBe('2-1');
    // The seed's seven columns in their order, with the 95 % interval after the count and the q-value after the change (issue 18).
    expect(t.columns.map((c) => c.label)).toEqual([
      '今期順位',
      '前期順位',
      'ポート',
      '今期件数(一日・1IP当たり)',
      '95%区間',
      '前期比',
      'q値',
      '増加順位',
      '減少順位',
    ]);
    expect(t.rows.map((r) => r.key)).toEqual(['445/TCP', '8/ICMP', '23/TCP', '33000/UDP', '1433/TCP', '135/TCP']);
    const smb = cells(t, '445/TCP');
    expect(smb).toMatchObject({
      rank: 1,
      previousRank: 1,
      item: '445/TCP',
      current: 12,
      change: { abs: -4, pct: -25 },
      increaseRank: null,
      decreaseRank: 1,
    });
    const [low, high] = String(smb['interval']).split('\u2060–\u2060').map(Number);
    expect(low).toBeLessThan(12);
    expect(high).toBeGreaterThan(12);
    expect(String(smb['qValue'])).toMatch(/^(<0\.001|[01]\.\d{3})\*?$/);
    const telnet = cells(t, '23/TCP');
    expect(telnet).toMatchObject({ rank: 3, previousRank: 4, increaseRank: 1, decreaseRank: null });
    expect(telnet['current']).toBeCloseTo(meanLevel('23/TCP', '2010-04-01', '2010-06-30'), DIGITS);
    expect(telnet['current']).toBeCloseTo(361 / 91, DIGITS);
    expect(cells(t, '1433/TCP')).toMatchObject({
      rank: 5,
      previousRank: null,
      current: 2,
      change: { abs: 2, pct: null },
      increaseRank: 3,
    });
    expect(cells(table(ja, 't2-2'), 'JP')).toMatchObject({ rank: 2, previousRank: 4, item: '日本', increaseRank: 1 });
    expect(table(en, 't2-1').columns.map((c) => c.label)).toEqual([
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
  });

  it('composeQuarterly() writes §1 with the published arithmetic, citing table 1-1', () => {
    const summary = cells(table(ja, 't1-1'), 'accesses');
    expect(summary['current']).toBeCloseTo(Q1_LEVEL, DIGITS);
    expect(summary['previous']).toBeCloseTo(Q4_LEVEL, DIGITS);
    const html = renderHtml(ja);
    expect(html).toContain(
      '一日・1IP 当たり <span class="value" data-source="t1-1">25.8 件</span>で、前期と比較して <span class="value" data-source="t1-1">1.8 件 (7.6%) 増加</span>した。',
    );
    const text = plainText(html);
    expect(text).toContain(
      'アクセス件数の多い宛先ポートは、順に 445/TCP、8/ICMP、23/TCP、33000/UDP、1433/TCP であった。(表2-1)',
    );
    expect(text).toContain('アクセス件数の多い発信元の国・地域は、順に中国、日本、米国、韓国であった。(表2-2)');
    expect(plainText(renderHtml(en))).toContain(
      'The sensors received 25.8 accesses per day per address this quarter; compared with the previous quarter, this increased by 1.8 (7.6 %).',
    );
  });

  it('composeQuarterly() finds the June rise of 23/TCP and cites it from the findings table with its chart', () => {
    const findings = table(ja, 't5-1');
    const row = findings.rows.find((r) => r.cells['title'] === '23/TCP に対するアクセスの増加');
    expect(row?.cells).toMatchObject({
      when: '2010年6月1日以降',
      before: 1,
      after: 10,
      previousRank: null,
      rank: null,
    });
    const text = plainText(renderHtml(ja));
    expect(text).toMatch(
      /23\/TCP に対するアクセスは2010年6月1日以降、一日・1IP 当たり 1\.00 件から 10\.00 件へ 9\.00 件 \(900\.0%\) 増加した。そのうち、日本からのアクセスが 100\.0%を占めた。\(図2-\d+\)/,
    );
    expect(en.headlines.length).toBe(ja.headlines.length);
  });

  it('composeQuarterly() states plainly that no detection data was stored, with no numbers', () => {
    const s3 = allSections(ja).find((s) => s.id === 's3')!;
    const s4 = allSections(ja).find((s) => s.id === 's4')!;
    expect(s3.blocks).toEqual([
      { kind: 'paragraph', content: ['シグネチャを用いた検知のデータは、この期間について保存されていない。'] },
    ]);
    expect(s4.blocks).toEqual([
      { kind: 'paragraph', content: ['DoS 攻撃の跳ね返りパケットのデータは、この期間について保存されていない。'] },
    ]);
    expect(table(ja, 't1-1').rows.map((r) => r.key)).toEqual(['accesses', 'sources']);
    expect(renderMarkdown(en)).toContain('No signature detection data was stored for this period.');
  });

  it('composeQuarterly() draws §3 and §4 from the detection input and prints rule messages escaped', () => {
    const doc = withDetections;
    expect(table(doc, 't1-1').rows.map((r) => r.key)).toEqual([
      'accesses',
      'sources',
      'signatures',
      'signatureSources',
      'backscatterPackets',
      'backscatterSources',
    ]);
    expect(cells(table(doc, 't1-1'), 'backscatterPackets')).toMatchObject({
      current: 100,
      previous: 80,
      change: { abs: 20, pct: 25 },
    });
    const methods = table(doc, 't3-1');
    expect(methods.columns.map((c) => c.label)).toEqual([
      '今期順位',
      '前期順位',
      '攻撃手法',
      '今期件数(一日・1IP当たり)',
      '前期比',
      '増加順位',
      '減少順位',
    ]);
    expect(methods.rows.map((r) => r.key)).toEqual(['Scan(P2P)', 'Worm', 'Scan']);
    expect(cells(table(doc, 't3-2'), 'CN')).toMatchObject({ rank: 1, item: '中国', current: 4.22 });
    expect(cells(table(doc, 't4-1'), 'victim-1')).toMatchObject({
      address: '198.51.100.66',
      country: '米国',
      port: '6667/TCP',
      packets: 2730,
      share: 30,
    });
    expect(chart(doc, 'f4-1').chart).toMatchObject({
      type: 'pie',
      slices: [
        { key: '80/TCP', value: 6100 },
        { key: '6667/TCP', value: 3000 },
      ],
    });
    const html = renderHtml(doc);
    const text = plainText(html);
    expect(text).toContain(
      'SYN/ACK 及び RST/ACK パケットの検知件数は一日当たり 100.0 件で、前期と比較して 20.0 件 (25.0%) 増加した。',
    );
    expect(text).toContain(
      '米国の 198.51.100.66 からは、6667/TCP を発信元ポートとする跳ね返りパケットを 2,730 件検知し、全体の 30.0%を占めた',
    );
    expect(text).toContain('各センサーには、シグネチャが 3,035 種類登録されている。');
    expect(html).toContain('<code>ET TROJAN &lt;script&gt;alert(&quot;rule&quot;)&lt;/script&gt; beacon</code>');
    expect(html).not.toContain(HOSTILE_RULE);
    expect(html).not.toMatch(/<script/i);
  });

  it('composeQuarterly() prints the planted sensor label escaped, and lists sensors with uptime and the GeoIP database', () => {
    const sensors = table(ja, 't6-2');
    expect(sensors.rows.map((r) => r.cells)).toEqual([
      { name: 'tokyo', label: HOSTILE_LABEL, addresses: '192.0.2.0/30', count: 4, addressDays: 364, uptime: 100 },
      { name: 'osaka', label: 'Osaka', addresses: '198.51.100.7/32', count: 1, addressDays: 91, uptime: 100 },
    ]);
    expect(cells(table(ja, 't6-1'), 'geoip')).toMatchObject({ value: GEOIP_DB });
    expect(cells(table(ja, 't6-1'), 'geoipDate')).toMatchObject({ value: '2010年3月15日' });
    for (const doc of [ja, en]) {
      const html = renderHtml(doc);
      expect(html).toContain('Tokyo &lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).not.toMatch(/<script/i);
      expect(renderMarkdown(doc)).not.toContain('<script>');
    }
  });

  it('composeQuarterly() puts no number into §1-§5 sentences as text: each is a reference to a cell or chart point', () => {
    for (const doc of [withDetections, en]) {
      const texts: string[] = [];
      const collect = (inlines: readonly Inline[]): void => {
        for (const inline of inlines) {
          if (typeof inline === 'string') texts.push(inline);
          else if (inline.kind === 'strong') collect(inline.content);
        }
      };
      for (const section of allSections(doc).filter((s) => /^s[1-5]/.test(s.id))) {
        for (const block of section.blocks) {
          // Port notes quote the knowledge base (MS08-067, W32/Welchia); they hold no measurement.
          if (
            block.kind === 'paragraph' &&
            !(typeof block.content[0] === 'string' && /^\d+\/\w+ \(/.test(block.content[0]))
          )
            collect(block.content);
        }
      }
      doc.headlines.forEach(collect);
      const bare = texts
        .map((t) => t.replace(/\d+\/(TCP|UDP|ICMP)/g, '').replace(/1IP|P2P/g, ''))
        .filter((t) => /\d/.test(t));
      expect(bare).toEqual([]);
      expect(texts.length).toBeGreaterThan(50);
    }
  });

  it('composeQuarterly() draws both languages from the same data: same tables, charts and numbers', () => {
    const numbers = (doc: ReportDocument): unknown[] =>
      allSections(doc).flatMap((s) =>
        s.blocks.flatMap((b): unknown[] => {
          if (b.kind === 'table')
            return [
              [
                b.id,
                b.rows.map((r) => [
                  r.key,
                  Object.values(r.cells).filter((c) => typeof c === 'number' || (c !== null && typeof c === 'object')),
                ]),
              ],
            ];
          if (b.kind !== 'chart') return [];
          return [
            [
              b.id,
              b.chart.type === 'pie'
                ? b.chart.slices.map((x) => [x.key, x.value])
                : b.chart.series.map((x) => [x.key, x.values]),
            ],
          ];
        }),
      );
    expect(numbers(en)).toEqual(numbers(ja));
    expect(allSections(en).map((s) => s.id)).toEqual(allSections(ja).map((s) => s.id));
  });

  it('composeQuarterly() gives byte-identical JSON and HTML for the same store and period', async () => {
    const again = await composeQuarterly(store, Q1, { lang: 'ja', database: 'fixture.duckdb' });
    expect(renderJson(again)).toBe(renderJson(ja));
    expect(renderHtml(again)).toBe(renderHtml(ja));
  });
});
