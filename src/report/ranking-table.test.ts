import { describe, expect, it } from 'vitest';
import { rankItems, selectTableRows } from '../analyse/ranking.js';
import { rankingColumns, rankingTable } from './ranking-table.js';
import { formatCell } from './table-cells.js';

describe('rankingTable()', () => {
  it('rankingColumns() has exactly the seven columns of the quarterly report', () => {
    expect(rankingColumns('port', 'ja').map((c) => c.label)).toEqual([
      '今期順位',
      '前期順位',
      'ポート',
      '今期件数(一日・1IP当たり)',
      '前期比',
      '増加順位',
      '減少順位',
    ]);
    expect(rankingColumns('country', 'ja')[2]!.label).toBe('国・地域');
    expect(rankingColumns('method', 'en').map((c) => c.kind)).toEqual([
      'rank',
      'rank',
      'text',
      'number',
      'change',
      'rank',
      'rank',
    ]);
  });

  it('rankingTable() turns ranked rows into cells printed like table 2-2', () => {
    const rows = selectTableRows(
      rankItems([
        { key: 'JP', current: 216.89, previous: 83.79 },
        { key: 'CN', current: 92.14, previous: 103.46 },
        { key: 'PE', current: 1.31, previous: 0.4 },
      ]),
      { top: 2, movers: 3 },
    );
    const names: Record<string, string> = { JP: '日本', CN: '中国', PE: 'ペルー' };
    const table = rankingTable(rows, {
      id: 't2-2',
      number: '2-2',
      caption: '発信元国・地域別検知件数',
      subject: 'country',
      lang: 'ja',
      label: (k) => names[k] ?? k,
    });
    const printed = table.rows.map((row) =>
      table.columns.map((c) => formatCell(row.cells[c.key], { column: c, lang: 'ja' })),
    );
    expect(printed).toEqual([
      ['1位', '2位', '日本', '216.89 件', '+158.8% (+133.10 件)', '1位', ''],
      ['2位', '1位', '中国', '92.14 件', '-10.9% (-11.32 件)', '', '1位'],
      ['3位', '3位', 'ペルー', '1.31 件', '+227.5% (+0.91 件)', '2位', ''],
    ]);
    expect(table.rows.map((r) => r.key)).toEqual(['JP', 'CN', 'PE']);
    expect(table.number).toBe('2-2');
  });

  it('rankingTable() with uncertainty adds the interval after the count and the q-value after the change, starred when claimed', () => {
    const rows = selectTableRows(
      rankItems([
        { key: 'JP', current: 216.89, previous: 83.79 },
        { key: 'CN', current: 92.14, previous: 103.46 },
        { key: 'PE', current: 1.31, previous: 0.4 },
      ]),
      { top: 2, movers: 3 },
    );
    const bounds = (low: number, high: number) => ({ low, high, dispersion: 4, days: 91 });
    const change = (qValue: number, direction: 'increase' | 'decrease' | 'none') => ({
      ratio: 1,
      low: 1,
      high: 1,
      pValue: qValue,
      qValue,
      df: 90,
      direction,
    });
    const uncertainty = {
      level: 0.95,
      falseDiscoveryRate: 0.05,
      compared: 40,
      rows: [
        {
          key: 'JP',
          level: 0.95,
          current: bounds(201.004, 233.996),
          previous: bounds(80, 88),
          change: change(0.0004, 'increase'),
        },
        { key: 'CN', level: 0.95, current: bounds(85, 99.5), previous: null, change: change(0.3125, 'none') },
      ],
    };
    const table = rankingTable(rows, { id: 't2-2', caption: 'x', subject: 'country', lang: 'en', uncertainty });
    expect(table.columns.map((c) => c.key)).toEqual([
      'rank',
      'previousRank',
      'item',
      'current',
      'interval',
      'change',
      'qValue',
      'increaseRank',
      'decreaseRank',
    ]);
    const printed = table.rows.map((row) => [row.cells['interval'], row.cells['qValue']]);
    // Half away from zero at two decimals, like the count; PE was not tested: blank.
    expect(printed).toEqual([
      ['201.00\u2060–\u2060234.00', '<0.001*'],
      ['85.00\u2060–\u206099.50', '0.313'],
      [null, null],
    ]);
    expect(table.notes).toHaveLength(1);
    const plain = rankingTable(rows, { id: 't2-2', caption: 'x', subject: 'country', lang: 'en', uncertainty: null });
    expect(plain.columns).toHaveLength(7);
    expect(plain.notes).toBeUndefined();
  });
});
