import { describe, expect, it } from 'vitest';
import { parsePeriod, previousPeriod } from '../../analyse/index.js';
import { changeClause, comparisonTable } from './comparison-table.js';
import { composeContext } from './context.js';

const period = parsePeriod('FY2010Q1', { timeZone: 'Asia/Tokyo' });
const contexts = {
  ja: composeContext({ lang: 'ja', period, previous: previousPeriod(period), unit: 'quarter' }),
  en: composeContext({ lang: 'en', period, previous: previousPeriod(period), unit: 'quarter' }),
};

describe('comparisonTable()', () => {
  it('comparisonTable() adds an interval column only when a row has an interval', () => {
    const rows = [
      { key: 'accesses', label: 'a', current: 533.74, previous: 432.3, interval: { low: 498.15, high: 571.86 } },
      { key: 'sources', label: 's', current: 10, previous: 9 },
    ];
    const t = comparisonTable(contexts.ja, { rows, id: 't1-1', number: '1-1', caption: 'c' });
    expect(t.columns.map((c) => c.key)).toEqual(['item', 'current', 'interval', 'previous', 'change']);
    expect(t.rows.map((r) => r.cells['interval'])).toEqual(['498.2\u2060–\u2060571.9', null]);
    expect(t.notes).toHaveLength(1);
    const plain = comparisonTable(contexts.ja, {
      rows: rows.map(({ interval: _, ...r }) => r),
      id: 't1-1',
      number: '1-1',
      caption: 'c',
    });
    expect(plain.columns.map((c) => c.key)).toEqual(['item', 'current', 'previous', 'change']);
    expect(plain.notes).toBeUndefined();
  });

  it('changeClause() says no significant change when the test did not pass, and cites the change otherwise', () => {
    const table = comparisonTable(contexts.en, {
      rows: [{ key: 'accesses', label: 'a', current: 533.7, previous: 432.3 }],
      id: 't1-1',
      number: '1-1',
      caption: 'c',
    });
    expect(changeClause(contexts.ja, { table, row: 'accesses', unit: 'count', claim: 'none' })).toEqual([
      '前期と比較して有意な変化なし',
    ]);
    expect(changeClause(contexts.en, { table, row: 'accesses', unit: 'count', claim: 'none' })).toEqual([
      'no significant change from the previous quarter',
    ]);
    const claimed = changeClause(contexts.en, { table, row: 'accesses', unit: 'count', claim: 'increase' });
    expect(claimed[0]).toBe('compared with the previous quarter, this ');
    expect(changeClause(contexts.en, { table, row: 'accesses', unit: 'count' })).toEqual(claimed);
  });
});
