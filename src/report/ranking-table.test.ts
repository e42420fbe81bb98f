import { describe, expect, it } from 'vitest';
import { rankItems, selectTableRows } from '../analyse/ranking.js';
import { rankingColumns, rankingTable } from './ranking-table.js';
import { formatCell } from './table-cells.js';

describe('rankingTable()', () => {
  it('rankingColumns() has exactly the seven columns of the quarterly report', () => {
    expect(rankingColumns('port', 'ja').map((c) => c.label)).toEqual([
      '今期順位', '前期順位', 'ポート', '今期件数(一日・1IP当たり)', '前期比', '増加順位', '減少順位',
    ]);
    expect(rankingColumns('country', 'ja')[2]!.label).toBe('国・地域');
    expect(rankingColumns('method', 'en').map((c) => c.kind)).toEqual(['rank', 'rank', 'text', 'number', 'change', 'rank', 'rank']);
  });

  it('rankingTable() turns ranked rows into cells printed like table 2-2', () => {
    const rows = selectTableRows(rankItems([
      { key: 'JP', current: 216.89, previous: 83.79 },
      { key: 'CN', current: 92.14, previous: 103.46 },
      { key: 'PE', current: 1.31, previous: 0.4 },
    ]), { top: 2, movers: 3 });
    const names: Record<string, string> = { JP: '日本', CN: '中国', PE: 'ペルー' };
    const table = rankingTable(rows, { id: 't2-2', number: '2-2', caption: '発信元国・地域別検知件数', subject: 'country', lang: 'ja', label: (k) => names[k] ?? k });
    const printed = table.rows.map((row) => table.columns.map((c) => formatCell(row.cells[c.key], { column: c, lang: 'ja' })));
    expect(printed).toEqual([
      ['1位', '2位', '日本', '216.89 件', '+158.8% (+133.10 件)', '1位', ''],
      ['2位', '1位', '中国', '92.14 件', '-10.9% (-11.32 件)', '', '1位'],
      ['3位', '3位', 'ペルー', '1.31 件', '+227.5% (+0.91 件)', '2位', ''],
    ]);
    expect(table.rows.map((r) => r.key)).toEqual(['JP', 'CN', 'PE']);
    expect(table.number).toBe('2-2');
  });
});
