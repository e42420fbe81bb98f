/**
 * @module
 * The summary tables of both layouts (表1-1 概況): one row per headline
 * figure, this period, the previous one and the change, and the clauses that
 * cite them: "一日・1IP 当たり 533.7 件で、前期と比較して 101.4 件 (23.4%)
 * 増加した". Rows hold figures of different units (accesses, addresses), so
 * the columns carry none and each sentence names its unit.
 */

import type { ChangeClaim } from '../../analyse/index.js';
import type { ChangeValue, Inline, TableBlock, TableColumn, UnitKey } from '../document.js';
import { formatRange, roundHalfUp } from '../format.js';
import type { ComposeContext } from './context.js';
import { cell } from './inline.js';

export const SUMMARY_DECIMALS = 1;
const PERCENT = 100;

export interface ComparisonRow {
  key: string;
  label: string;
  current: number | null;
  previous: number | null;
  /** 95 % interval of `current`; a table with any gets an interval column (others blank). */
  interval?: { low: number; high: number } | null;
}

/** `current − previous` and its percentage of `previous` (null when previous is 0); null when a side is missing. */
export function changeOf(current: number | null, previous: number | null): ChangeValue | null {
  if (current === null || previous === null) return null;
  const abs = current - previous;
  return { abs, pct: previous > 0 ? (abs / previous) * PERCENT : null };
}

export function comparisonTable(
  ctx: ComposeContext,
  input: { rows: readonly ComparisonRow[]; id: string; number: string; caption: string; decimals?: number },
): TableBlock {
  const { ja, words } = ctx;
  const { rows, decimals = SUMMARY_DECIMALS } = input;
  const place = { id: input.id, number: input.number, caption: input.caption };
  const intervals = rows.some((row) => row.interval != null);
  const columns: TableColumn[] = [
    { key: 'item', label: ja ? '項目' : 'Figure', kind: 'text' },
    { key: 'current', label: ja ? words.current : capital(words.current), kind: 'number', decimals },
    ...(intervals ? [{ key: 'interval', label: ja ? '95%区間' : '95 % interval', kind: 'text' } as const] : []),
    { key: 'previous', label: ja ? words.previous : capital(words.previous), kind: 'number', decimals },
    { key: 'change', label: words.versus, kind: 'change', decimals },
  ];
  const table: TableBlock = {
    kind: 'table',
    id: place.id,
    number: place.number,
    caption: place.caption,
    columns,
    rows: rows.map((row) => {
      const cells: TableBlock['rows'][number]['cells'] = {
        item: row.label,
        current: row.current,
        previous: row.previous,
        change: changeOf(row.current, row.previous),
      };
      if (intervals)
        cells['interval'] = row.interval == null ? null : formatRange(row.interval.low, row.interval.high, decimals);
      return { key: row.key, cells };
    }),
  };
  if (intervals) {
    table.notes = [
      [
        ja
          ? `95%区間は、日ごとの件数のばらつき (過分散) と稼働時間 (一部のみ観測した日を含む) を考慮した${words.current}の値の区間。${words.versus}の増加・減少は、変化の検定 (有意水準 5%) を通ったときのみ記す。`
          : "95 % interval: of this period's value, allowing for day-to-day over-dispersion and the exact observed time (partly observed days included). A rise or fall is stated only when the change passes its test at the 5 % level.",
      ],
    ];
  }
  return table;
}

function capital(text: string): string {
  return text.replace(/^the /, '').replace(/^./, (c) => c.toUpperCase());
}

/** The row's current value as a sentence prints it: "533.7 件". */
export function currentRef(table: TableBlock, row: string, unit: UnitKey): Inline {
  return cell(table.id, row, 'current', { unit });
}

/**
 * The change clause of a row: ja "前期と比較して 101.4 件 (23.4%) 増加した",
 * en "compared with the previous quarter, this increased by 101.4 (23.4 %)";
 * "前期と同水準であった" when it rounds to nothing; "前期と比較して有意な変化なし"
 * / "no significant change from the previous quarter" when `claim` says the
 * change did not pass its test; empty when there is no previous figure.
 */
export function changeClause(
  ctx: ComposeContext,
  at: { table: TableBlock; row: string; unit: UnitKey; claim?: ChangeClaim | null },
): Inline[] {
  const { table, row, unit } = at;
  const change = table.rows.find((r) => r.key === row)?.cells['change'];
  if (change === null || change === undefined || typeof change !== 'object') return [];
  const { previous } = ctx.words;
  // A tested change within day-to-day noise is not called a rise or a fall.
  if (at.claim === 'none')
    return ctx.ja ? [`${previous}と比較して有意な変化なし`] : [`no significant change from ${previous}`];
  if (roundHalfUp(change.abs, SUMMARY_DECIMALS) === 0)
    return ctx.ja ? [`${previous}と同水準であった`] : [`unchanged from ${previous}`];
  const ref = cell(table.id, row, 'change', { unit });
  return ctx.ja ? [`${previous}と比較して `, ref, 'した'] : [`compared with ${previous}, this `, ref];
}

/** Whether the row has a current value to cite. */
export function hasCurrent(table: TableBlock, row: string): boolean {
  const value = table.rows.find((r) => r.key === row)?.cells['current'];
  return typeof value === 'number';
}
