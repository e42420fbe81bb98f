import { describe, expect, it } from 'vitest';
import { findFindings, type Finding, type SeriesInput } from '../../analyse/findings.js';
import { parsePeriod, previousPeriod, rankItems } from '../../analyse/index.js';
import { DOCUMENT_SCHEMA, type ReportDocument } from '../document.js';
import { periodInfo } from '../format-date.js';
import { renderHtml } from '../html.js';
import { composeContext } from './context.js';
import { findingHeadline, findingSentences, findingTables } from './findings-blocks.js';

const period = parsePeriod('FY2010Q1', { timeZone: 'Asia/Tokyo' });
const previous = previousPeriod(period);
const DAYS = period.endDay - previous.startDay;

/** A daily series over the previous quarter and this one: `level(i)` on day i. */
function series(key: string, level: (i: number) => number): SeriesInput {
  const days = Array.from({ length: DAYS }, (_, i) => previous.startDay + i);
  return { dimension: 'service', key, label: { ja: key, en: key }, days, values: days.map((_, i) => level(i)) };
}

const changeDay = period.startDay - previous.startDay + 30;
const findings: Finding[] = findFindings({
  period: { startDay: period.startDay, endDay: period.endDay, kind: period.kind },
  previousPeriod: { startDay: previous.startDay, endDay: previous.endDay },
  series: [
    series('8/ICMP', (i) => (i < changeDay ? 1 : 10)),
    series('135/TCP', (i) => (i < changeDay ? 10 : 1)),
    series('9415/TCP', (i) => (i < changeDay ? 0 : 5)),
    series('80/TCP', (i) => (i === changeDay ? 40 : 2)),
  ],
  rankings: [
    {
      dimension: 'country',
      rows: rankItems([
        { key: 'CN', current: 50, previous: 60 },
        { key: 'JP', current: 40, previous: 0.5 },
        { key: 'US', current: 30, previous: 10 },
        { key: 'KR', current: 3, previous: 25 },
        // Filler countries AA…BD, so that ranks can jump.
        ...Array.from({ length: 30 }, (_, i) => ({
          key: String.fromCharCode(65 + Math.floor(i / 26), 65 + (i % 26)),
          current: 1,
          previous: 1 + i / 10,
        })),
        { key: 'BR', current: 20, previous: 0 },
      ]),
      labels: { CN: { ja: '中国', en: 'China' }, JP: { ja: '日本', en: 'Japan' } },
      contributors: { JP: { services: [{ key: '53/UDP', sharePct: 80 }] } },
    },
  ],
});

function documentOf(lang: 'ja' | 'en'): ReportDocument {
  const ctx = composeContext({ lang, period, previous, unit: 'quarter' });
  const tables = findingTables(findings, ctx, {
    findings: { id: 't5-1', number: '5-1' },
    contributors: { id: 't5-2', number: '5-2' },
  });
  return {
    schema: DOCUMENT_SCHEMA,
    meta: {
      kind: 'quarterly',
      language: lang,
      title: 't',
      period: periodInfo(period, lang),
      source: { store: 'duckdb', database: 'x' },
    },
    headlines: findings.slice(0, 3).map((f) => findingHeadline(f, ctx, tables)),
    sections: [
      {
        id: 's5',
        title: 'findings',
        blocks: [
          ...findings.map((f) => ({ kind: 'paragraph' as const, content: findingSentences(f, ctx, { tables }) })),
          tables.findings,
          ...(tables.contributors ? [tables.contributors] : []),
        ],
      },
    ],
  };
}

describe('findingSentences()', () => {
  it('findingSentences() writes every kind of finding from cells of the findings table, in both languages', () => {
    const kinds = new Set(findings.map((f) => f.kind));
    for (const kind of ['surge', 'drop', 'new-entry', 'spike', 'rank-jump', 'top-entry', 'rise', 'fall'] as const) {
      expect(kinds.has(kind), kind).toBe(true);
    }
    for (const lang of ['ja', 'en'] as const) {
      const html = renderHtml(documentOf(lang));
      expect(html.match(/<p class="para">/g)?.length).toBe(findings.length);
      // Numbers come only through value spans: none of the paragraphs' text nodes holds a digit outside keys and units.
      for (const [, para] of html.matchAll(/<p class="para">([\s\S]*?)<\/p>/g)) {
        const bare = para!
          .replace(/<span class="value"[^>]*>[^<]*<\/span>/g, '')
          .replace(/<a [^>]*>[^<]*<\/a>/g, '')
          .replace(/\d+\/(TCP|UDP|ICMP)/g, '')
          .replace(/1IP/g, '');
        expect(bare, para).not.toMatch(/\d/);
      }
    }
  });

  it('findingSentences() prints the published arithmetic for a surge and names contributors', () => {
    const text = renderHtml(documentOf('ja')).replace(/<[^>]+>/g, '');
    expect(text).toContain(
      '8/ICMP に対するアクセスは2010年5月1日以降、一日・1IP 当たり 1.00 件から 10.00 件へ 9.00 件 (900.0%) 増加した。',
    );
    expect(text).toMatch(/日本からのアクセスは.*そのうち、宛先ポート 53\/UDP が 80\.0%を占めた。/);
    const en = renderHtml(documentOf('en')).replace(/<[^>]+>/g, '');
    expect(en).toContain(
      'Accesses to 8/ICMP rose to 10.00 per day per address (since 1 May 2010), up from 1.00 (+900.0 %).',
    );
    expect(en).toMatch(/Of these, 80\.0 % went to 53\/UDP\./);
  });
});
