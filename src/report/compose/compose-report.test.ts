import { describe, expect, it } from 'vitest';
import { parsePeriod } from '../../analyse/index.js';
import { openStore } from '../../store/index.js';
import { renderJson } from '../json.js';
import { renderMarkdown } from '../markdown.js';
import { composeReport, reportKindOf } from './compose-report.js';
import { ComposeError } from './errors.js';

const zone = { timeZone: 'Asia/Tokyo' };

describe('reportKindOf()', () => {
  it('reportKindOf() gives the monthly layout to a month and the quarterly one to quarters', () => {
    expect(reportKindOf(parsePeriod('2007-07', zone))).toBe('monthly');
    expect(reportKindOf(parsePeriod('2010Q2', zone))).toBe('quarterly');
    expect(reportKindOf(parsePeriod('FY2010Q1', zone))).toBe('quarterly');
  });

  it('reportKindOf() refuses a day or a range with ComposeError', () => {
    expect(() => reportKindOf(parsePeriod('2010-06-01', zone))).toThrow(ComposeError);
    expect(() => reportKindOf(parsePeriod('2010-04-01..2010-04-30', zone))).toThrow(
      'Cannot compose report: kind cannot be inferred from the range 2010-04-01..2010-04-30: name one (quarterly or monthly)',
    );
  });
});

describe('composeReport()', () => {
  it('composeReport() composes a valid document for an empty store, saying nothing was observed', async () => {
    const store = await openStore(':memory:', zone);
    try {
      for (const period of ['FY2010Q1', '2010-06']) {
        const doc = await composeReport(store, parsePeriod(period, zone), { lang: 'ja' });
        expect(doc.headlines).toEqual([]);
        expect(() => renderJson(doc)).not.toThrow();
        const text = renderMarkdown(doc);
        expect(text).toContain('センサーは登録されていない。');
        expect(text).toContain(
          period === '2010-06'
            ? '2010年6月は、センサーが観測していた記録がありません。'
            : '今期は、センサーが観測していた記録がない。',
        );
      }
      const q = await composeReport(store, parsePeriod('FY2010Q1', zone), { lang: 'en' });
      expect(q.sections[0]!.blocks[1]).toEqual({
        kind: 'paragraph',
        content: ['No sensor observed during this quarter.'],
      });
    } finally {
      await store.close();
    }
  });

  it('composeReport() refuses a malformed country', async () => {
    const store = await openStore(':memory:', zone);
    try {
      await expect(composeReport(store, parsePeriod('FY2010Q1', zone), { lang: 'ja', country: 'JPN' })).rejects.toThrow(
        /country "JPN" is not a two-letter code/,
      );
    } finally {
      await store.close();
    }
  });
});
