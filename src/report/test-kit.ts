/**
 * @module
 * A sample quarterly document for the renderer tests, shaped like the seed
 * report (police FY2010 Q1): summary table and sentences citing it, ranking
 * table 2-1 from `rankItems`/`selectTableRows` over the seed's values, a
 * port ratio pie, daily line and stacked-bar charts, a top-N bar chart, a
 * six-month grouped bar chart and a footnote. `extra` lets a test plant
 * strings anywhere.
 */

import { parsePeriod, previousPeriod } from '../util/period.js';
import { rankItems, selectTableRows } from '../analyse/ranking.js';
import { SEED_PORTS } from '../analyse/testdata/seed-ports.js';
import { DOCUMENT_SCHEMA, type Language, type ReportDocument, type Section } from './document.js';
import { periodInfo } from './format-date.js';
import { rankingTable } from './ranking-table.js';

const DAYS = 91;
const FIRST_DAY_UTC = Date.UTC(2010, 3, 1);
const MS_PER_DAY = 86_400_000;

export function sampleDates(count = DAYS): string[] {
  return Array.from({ length: count }, (_, i) => new Date(FIRST_DAY_UTC + i * MS_PER_DAY).toISOString().slice(0, 10));
}

function wave(base: number, amplitude: number, phase: number): number[] {
  return sampleDates().map((_, i) => Math.round((base + amplitude * Math.sin(i / 7 + phase)) * 100) / 100);
}

export interface SampleOptions {
  /** Appended to the first section, e.g. blocks with planted strings. */
  extraSections?: Section[];
}

export function sampleDocument(lang: Language, options: SampleOptions = {}): ReportDocument {
  const period = parsePeriod('FY2010Q1', { timeZone: 'Asia/Tokyo' });
  const ja = lang === 'ja';
  const rows = selectTableRows(rankItems(SEED_PORTS), { top: 5, movers: 4 });
  const portTable = rankingTable(rows, {
    id: 't2-1',
    number: '2-1',
    caption: ja ? '宛先ポート別検知件数' : 'Accesses by destination port',
    subject: 'port',
    lang,
  });
  const dates = sampleDates();
  const sections: Section[] = [
    {
      id: 's1',
      number: '1',
      title: ja ? '第1四半期における状況' : 'Overview of the quarter',
      blocks: [
        {
          kind: 'table',
          id: 't1-1',
          number: '1-1',
          caption: ja ? '概況' : 'Summary',
          columns: [
            { key: 'item', label: ja ? '項目' : 'Item', kind: 'text' },
            { key: 'current', label: ja ? '今期' : 'This quarter', kind: 'number', decimals: 1, unit: 'count' },
            { key: 'change', label: ja ? '前期比' : 'Change', kind: 'change', decimals: 1, unit: 'count' },
          ],
          rows: [
            {
              key: 'accesses',
              cells: {
                item: ja ? 'アクセス件数(一日・1IP当たり)' : 'Accesses per day per address',
                current: 533.7,
                change: { abs: 101.4, pct: 23.4 },
              },
            },
            {
              key: 'sources',
              cells: {
                item: ja ? '発信元IPアドレス数(一日当たり)' : 'Sources per day',
                current: 12161.8,
                change: { abs: -2118.8, pct: -14.8 },
              },
            },
          ],
        },
        {
          kind: 'paragraph',
          content: ja
            ? [
                '今期のセンサーに対するアクセス件数は一日・1IP 当たり ',
                { kind: 'value', ref: { table: 't1-1', row: 'accesses', column: 'current' } },
                'で、前期と比較して ',
                { kind: 'value', ref: { table: 't1-1', row: 'accesses', column: 'change' } },
                'した。(',
                { kind: 'xref', target: 't1-1' },
                ')',
              ]
            : [
                'Accesses to the sensors were ',
                { kind: 'value', ref: { table: 't1-1', row: 'accesses', column: 'current' } },
                ' per day per address, which ',
                { kind: 'value', ref: { table: 't1-1', row: 'accesses', column: 'change' } },
                ' on the previous quarter (',
                { kind: 'xref', target: 't1-1' },
                ').',
              ],
        },
      ],
      sections: options.extraSections ?? [],
    },
    {
      id: 's2',
      number: '2',
      title: ja ? 'センサーに対するアクセス' : 'Accesses to the sensors',
      blocks: [],
      sections: [
        {
          id: 's2-1',
          number: '2-1',
          title: ja ? '宛先ポート別' : 'By destination port',
          blocks: [
            {
              kind: 'paragraph',
              content: [
                ja ? '今期1位の 445/TCP は ' : '445/TCP, first this quarter, had ',
                { kind: 'value', ref: { table: 't2-1', row: '445/TCP', column: 'current' } },
                ja ? 'であった。' : '.',
              ],
            },
            {
              kind: 'chart',
              id: 'f2-1',
              number: '2-1',
              caption: ja ? '世界の宛先ポート比率' : 'Destination port shares',
              layout: 'half',
              chart: {
                type: 'pie',
                donut: true,
                slices: [
                  ...SEED_PORTS.slice(0, 5).map((p) => ({ key: p.key, name: p.key, value: p.current })),
                  { key: 'other', name: ja ? 'その他' : 'Other', value: 291.0, other: true },
                ],
              },
            },
            {
              kind: 'chart',
              id: 'f2-2',
              number: '2-2',
              caption: ja ? '上位国' : 'Top countries',
              layout: 'half',
              chart: {
                type: 'hbar',
                valueLabels: true,
                decimals: 2,
                categories: ja ? ['日本', '中国', '米国'] : ['Japan', 'China', 'United States'],
                series: [{ key: 'v', name: 'v', values: [216.89, 92.14, 48.11] }],
              },
            },
            portTable,
            {
              kind: 'chart',
              id: 'f2-5',
              number: '2-5',
              caption: ja ? '宛先ポート 445/TCP に対するアクセスの推移' : 'Daily accesses to 445/TCP',
              chart: {
                type: 'line',
                categoryKind: 'date',
                categories: dates,
                yLabel: ja ? '件数' : 'Accesses',
                series: [
                  { key: '445/TCP', name: '445/TCP', values: wave(148, 20, 0) },
                  { key: '11/ICMP', name: '11/ICMP', values: wave(22, 15, 1) },
                ],
              },
            },
            {
              kind: 'chart',
              id: 'f2-12',
              number: '2-12',
              caption: ja ? '日本からのアクセスの推移' : 'Daily accesses from Japan',
              chart: {
                type: 'stacked-bar',
                categoryKind: 'date',
                categories: dates,
                series: [
                  { key: '445/TCP', name: '445/TCP', values: wave(40, 10, 0) },
                  { key: '11/ICMP', name: '11/ICMP', values: wave(20, 8, 2) },
                  { key: 'other', name: ja ? 'その他' : 'Other', values: wave(60, 30, 3), other: true },
                ],
              },
            },
            {
              kind: 'chart',
              id: 'f1-1',
              number: '1.1',
              caption: ja
                ? '1観測点での1日あたりのアクセス数および発信元数'
                : 'Accesses and sources per sensor per day',
              chart: {
                type: 'bar',
                categoryKind: 'month',
                categories: ['2010-01', '2010-02', '2010-03', '2010-04', '2010-05', '2010-06'],
                series: [
                  { key: 'accesses', name: ja ? 'アクセス数' : 'Accesses', values: [913, 950, 990, 1010, 1050, 1100] },
                  { key: 'sources', name: ja ? '発信元数' : 'Sources', values: [277, 280, 290, 300, 310, 320] },
                ],
              },
            },
            {
              kind: 'note',
              mark: '1',
              content: [
                ja
                  ? '当データは小数点第二位で四捨五入しているため、合計が 100% にならないことがある。'
                  : 'Shares are rounded to one decimal and may not add up to 100 %.',
              ],
            },
          ],
        },
      ],
    },
  ];
  return {
    schema: DOCUMENT_SCHEMA,
    meta: {
      kind: 'quarterly',
      language: lang,
      title: ja ? 'インターネット観測結果等' : 'Internet observation results',
      period: periodInfo(period, lang, { years: 'japanese' }),
      previousPeriod: periodInfo(previousPeriod(period), lang, { years: 'japanese' }),
      issued: '2010-07-30',
      source: { store: 'duckdb', database: 'sample.duckdb', detail: ja ? 'センサー 10 台' : '10 sensors' },
      geoip: { database: 'ip-location-db geo-whois-asn-country', date: '2026-06-17' },
    },
    headlines: [
      [ja ? '53/UDP を発信元とするアクセスが急増' : 'Sharp rise of traffic from source port 53/UDP'],
      [
        ja ? '445/TCP へのアクセスは ' : 'Accesses to 445/TCP: ',
        { kind: 'value', ref: { table: 't2-1', row: '445/TCP', column: 'change' }, format: { decimals: 1 } },
      ],
    ],
    sections,
  };
}

/** Strings an attacker can get into a report through payloads, DNS names or rule messages. */
export const HOSTILE_STRINGS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(2)>',
  "'><svg onload=alert(3)>",
  '[click](javascript:alert(4))',
  '![img](http://evil.example/x.png)',
  '<a href="http://evil.example/">x</a>',
  '| injected | cell |',
  '`code` **bold** _em_',
  'evil\u202Egnp.exe',
  'line1\n# heading\n- item',
  '&lt;script&gt;',
  '</code></td></tr></table><script>alert(5)</script>',
];

/** The sample document with every hostile string planted in every place text can go. */
export function hostileDocument(lang: Language): ReportDocument {
  const doc = sampleDocument(lang);
  const all = HOSTILE_STRINGS.join(' ');
  doc.meta.title = `${doc.meta.title} ${HOSTILE_STRINGS[0]}`;
  doc.meta.source.database = HOSTILE_STRINGS[1] as string;
  doc.headlines.push([...HOSTILE_STRINGS, { kind: 'code', text: all }]);
  doc.sections[0]!.sections = [
    {
      id: 'hostile',
      number: '9',
      title: all,
      blocks: [
        {
          kind: 'paragraph',
          content: [
            ...HOSTILE_STRINGS.flatMap((s) => [s, { kind: 'code' as const, text: s }]),
            { kind: 'strong', content: [all] },
          ],
        },
        {
          kind: 'paragraph',
          content: [
            { kind: 'link', text: all, href: 'javascript:alert(6)' },
            ' ',
            { kind: 'link', text: all, href: 'https://www.npa.go.jp/cyberpolice/' },
          ],
        },
        { kind: 'list', items: HOSTILE_STRINGS.map((s) => [s]) },
        {
          kind: 'table',
          id: 'hostile-table',
          number: '9-1',
          caption: all,
          columns: [
            { key: 'rule', label: HOSTILE_STRINGS[0] as string, kind: 'text' },
            { key: 'payload', label: HOSTILE_STRINGS[6] as string, kind: 'code' },
            { key: 'count', label: 'n', kind: 'number', decimals: 0 },
          ],
          rows: HOSTILE_STRINGS.map((s, i) => ({ key: s, cells: { rule: s, payload: s, count: i } })),
          notes: [[all, { kind: 'code', text: all }]],
        },
        {
          kind: 'paragraph',
          content: [
            'cited: ',
            { kind: 'value', ref: { table: 'hostile-table', row: HOSTILE_STRINGS[0] as string, column: 'rule' } },
          ],
        },
        {
          kind: 'chart',
          id: 'hostile-chart',
          number: '9-1',
          caption: all,
          chart: {
            type: 'bar',
            categories: HOSTILE_STRINGS.slice(0, 3),
            xLabel: all,
            yLabel: HOSTILE_STRINGS[1] as string,
            series: HOSTILE_STRINGS.slice(3, 6).map((s, i) => ({ key: s, name: s, values: [i, i + 1, i + 2] })),
          },
        },
        {
          kind: 'chart',
          id: 'hostile-pie',
          caption: all,
          chart: {
            type: 'pie',
            slices: HOSTILE_STRINGS.slice(0, 4).map((s, i) => ({ key: s, name: s, value: i + 1 })),
          },
        },
        { kind: 'note', mark: HOSTILE_STRINGS[0] as string, content: [all] },
      ],
    },
  ];
  return doc;
}
