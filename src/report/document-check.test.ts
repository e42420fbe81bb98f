import { describe, expect, it } from 'vitest';
import type { ChartBlock, ReportDocument, TableBlock, ValueRef } from './document.js';
import { checkDocument } from './document-check.js';
import { formatValueRef, indexDocument } from './document-index.js';
import { ReportDocumentError } from './errors.js';
import { sampleDocument } from './test-kit.js';

function expectInvalid(mutate: (doc: ReportDocument) => void, path: string, detail: RegExp): void {
  const doc = sampleDocument('ja');
  mutate(doc);
  let error: unknown;
  try {
    checkDocument(doc);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ReportDocumentError);
  expect((error as ReportDocumentError).path).toBe(path);
  expect((error as ReportDocumentError).code).toBe('TEITEN_REPORT_DOCUMENT');
  expect((error as Error).message).toMatch(detail);
}

const s21 = (doc: ReportDocument) => doc.sections[1]!.sections![0]!;
const chartAt = (doc: ReportDocument, j: number) => s21(doc).blocks[j] as ChartBlock;
const tableAt = (doc: ReportDocument, j: number) => s21(doc).blocks[j] as TableBlock;

describe('checkDocument()', () => {
  it('checkDocument() accepts the sample documents', () => {
    expect(checkDocument(sampleDocument('ja')).meta.language).toBe('ja');
    expect(() => checkDocument(sampleDocument('en'))).not.toThrow();
  });

  it('checkDocument() rejects bad metadata', () => {
    expectInvalid(
      (d) => {
        (d as { schema: string }).schema = 'x';
      },
      'schema',
      /teiten.report\/1/,
    );
    expectInvalid(
      (d) => {
        (d.meta as { language: string }).language = 'fr';
      },
      'meta.language',
      /ja, en/,
    );
    expectInvalid(
      (d) => {
        d.meta.period.start = '2010/04/01';
      },
      'meta.period.start',
      /YYYY-MM-DD/,
    );
    expectInvalid(
      (d) => {
        d.meta.issued = 'today';
      },
      'meta.issued',
      /YYYY-MM-DD/,
    );
  });

  it('checkDocument() rejects unsafe and duplicate ids', () => {
    expectInvalid(
      (d) => {
        d.sections[0]!.id = 'a"b';
      },
      'sections[0].id',
      /is not/,
    );
    expectInvalid(
      (d) => {
        s21(d).id = 't2-1';
      },
      'sections[1].sections[0].blocks[3].id',
      /used more than once/,
    );
  });

  it('checkDocument() rejects cells that do not fit their column', () => {
    const table = (d: ReportDocument) => tableAt(d, 3);
    const at = 'sections[1].sections[0].blocks[3]';
    expectInvalid(
      (d) => {
        table(d).rows[0]!.cells['rank'] = 0;
      },
      `${at}.rows[0].cells.rank`,
      /integer ≥ 1/,
    );
    expectInvalid(
      (d) => {
        table(d).rows[0]!.cells['item'] = 5;
      },
      `${at}.rows[0].cells.item`,
      /expected text/,
    );
    expectInvalid(
      (d) => {
        table(d).rows[0]!.cells['change'] = 5;
      },
      `${at}.rows[0].cells.change`,
      /\{abs, pct\}/,
    );
    expectInvalid(
      (d) => {
        table(d).rows[0]!.cells['change'] = { abs: Number.POSITIVE_INFINITY, pct: 1 };
      },
      `${at}.rows[0].cells.change.abs`,
      /finite/,
    );
    expectInvalid(
      (d) => {
        table(d).rows[0]!.cells['bogus'] = 1;
      },
      `${at}.rows[0].cells`,
      /no column "bogus"/,
    );
    expectInvalid(
      (d) => {
        table(d).rows[1]!.key = '445/TCP';
      },
      `${at}.rows[1].key`,
      /duplicate row/,
    );
  });

  it('checkDocument() rejects charts whose series do not match their categories', () => {
    const chart = (d: ReportDocument) => chartAt(d, 4);
    const at = 'sections[1].sections[0].blocks[4].chart';
    expectInvalid(
      (d) => {
        const c = chart(d).chart;
        if (c.type !== 'pie') c.series[0]!.values.pop();
      },
      `${at}.series[0].values`,
      /90 values for 91/,
    );
    expectInvalid(
      (d) => {
        const c = chart(d).chart;
        if (c.type !== 'pie') c.categories[3] = '2010-02-30x';
      },
      `${at}.categories[3]`,
      /date/,
    );
    expectInvalid(
      (d) => {
        chart(d).chart.width = 0;
      },
      `${at}.width`,
      /integer/,
    );
    expectInvalid(
      (d) => {
        const c = chartAt(d, 1).chart;
        if (c.type === 'pie') c.slices[0]!.value = -1;
      },
      'sections[1].sections[0].blocks[1].chart.slices[0].value',
      /negative/,
    );
  });

  it('checkDocument() rejects refs that point at nothing', () => {
    const ref = (r: ValueRef['ref'], format?: ValueRef['format']) => (d: ReportDocument) => {
      d.headlines.push([{ kind: 'value', ref: r, ...(format ? { format } : {}) }]);
    };
    expectInvalid(ref({ table: 'nope', row: 'x', column: 'current' }), 'headlines[2][0]', /no table "nope"/);
    expectInvalid(ref({ table: 't2-1', row: '445/TCP', column: 'nope' }), 'headlines[2][0]', /no column "nope"/);
    expectInvalid(ref({ table: 't2-1', row: '445/TCP', column: 'increaseRank' }), 'headlines[2][0]', /is blank/);
    expectInvalid(
      ref({ table: 't2-1', row: '445/TCP', column: 'current', part: 'pct' }),
      'headlines[2][0]',
      /needs a change cell/,
    );
    expectInvalid(
      ref({ chart: 'f2-5', series: '445/TCP', point: '2010-07-01' }),
      'headlines[2][0]',
      /no value for "2010-07-01"/,
    );
    expectInvalid(ref({ chart: 'f2-1', point: 'nope' }), 'headlines[2][0]', /no slice/);
    expectInvalid(
      ref({ table: 't2-1', row: '445/TCP', column: 'current' }, { style: 'rank' }),
      'headlines[2][0]',
      /cannot be printed/,
    );
    expectInvalid(
      (d) => {
        d.headlines.push([{ kind: 'xref', target: 'nowhere' }]);
      },
      'headlines[2][0]',
      /unknown id "nowhere"/,
    );
    expectInvalid(
      (d) => {
        d.headlines.push([{ kind: 'bogus' } as never]);
      },
      'headlines[2][0].kind',
      /unknown inline kind/,
    );
  });
});

describe('formatValueRef()', () => {
  const doc = sampleDocument('ja');
  const index = indexDocument(doc);
  const text = (ref: ValueRef['ref'], format?: ValueRef['format'], lang: 'ja' | 'en' = 'ja') =>
    formatValueRef({ kind: 'value', ref, ...(format ? { format } : {}) }, { index, lang, path: 'test' });

  it('formatValueRef() prints cells with their column format unless told otherwise', () => {
    expect(text({ table: 't2-1', row: '445/TCP', column: 'current' })).toBe('148.32 件');
    expect(text({ table: 't2-1', row: '445/TCP', column: 'current' }, { decimals: 1 })).toBe('148.3 件');
    expect(text({ table: 't2-1', row: '11/ICMP', column: 'previousRank' })).toBe('8位');
    expect(text({ table: 't2-1', row: '445/TCP', column: 'change' })).toBe('26.73 件 (15.3%) 減少');
    expect(text({ table: 't2-1', row: '445/TCP', column: 'change', part: 'abs' }, { magnitude: true })).toBe(
      '26.73 件',
    );
    expect(text({ table: 't2-1', row: '445/TCP', column: 'change', part: 'pct' })).toBe('-15.3%');
    expect(text({ table: 't1-1', row: 'accesses', column: 'change' }, undefined, 'en')).toBe(
      'increased by 101.4 (23.4 %)',
    );
  });

  it('formatValueRef() prints chart points and pie shares', () => {
    expect(text({ chart: 'f2-1', point: '445/TCP', part: 'share' })).toBe('28.3%');
    expect(text({ chart: 'f2-1', point: '445/TCP' }, { decimals: 2, unit: 'count' })).toBe('148.32 件');
    expect(text({ chart: 'f2-5', series: '445/TCP', point: '2010-04-01' })).toBe('148');
    expect(text({ chart: 'f2-2', series: 'v', point: '日本' })).toBe('216.89');
  });
});
