/**
 * @module
 * The summary tables of both layouts (表1-1 概況): one row per headline
 * figure, this period, the previous one and the change, and the clauses that
 * cite them: "一日・1IP 当たり 533.7 件で、前期と比較して 101.4 件 (23.4%)
 * 増加した". Rows hold figures of different units (accesses, addresses), so
 * the columns carry none and each sentence names its unit.
 */

import type { ChangeValue, Inline, TableBlock, UnitKey } from '../document.js';
import { roundHalfUp } from '../format.js';
import type { ComposeContext } from './context.js';
import { cell } from './inline.js';

export const SUMMARY_DECIMALS = 1;
const PERCENT = 100;

export interface ComparisonRow {
  key: string;
  label: string;
  current: number | null;
  previous: number | null;
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
  return {
    kind: 'table', id: place.id, number: place.number, caption: place.caption,
    columns: [
      { key: 'item', label: ja ? '項目' : 'Figure', kind: 'text' },
      { key: 'current', label: ja ? words.current : capital(words.current), kind: 'number', decimals },
      { key: 'previous', label: ja ? words.previous : capital(words.previous), kind: 'number', decimals },
      { key: 'change', label: words.versus, kind: 'change', decimals },
    ],
    rows: rows.map((row) => ({
      key: row.key,
      cells: { item: row.label, current: row.current, previous: row.previous, change: changeOf(row.current, row.previous) },
    })),
  };
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
 * "前期と同水準であった" when it rounds to nothing; empty when there is no
 * previous figure.
 */
export function changeClause(ctx: ComposeContext, at: { table: TableBlock; row: string; unit: UnitKey }): Inline[] {
  const { table, row, unit } = at;
  const change = table.rows.find((r) => r.key === row)?.cells['change'];
  if (change === null || change === undefined || typeof change !== 'object') return [];
  const { previous } = ctx.words;
  if (roundHalfUp(change.abs, SUMMARY_DECIMALS) === 0) return ctx.ja ? [`${previous}と同水準であった`] : [`unchanged from ${previous}`];
  const ref = cell(table.id, row, 'change', { unit });
  return ctx.ja ? [`${previous}と比較して `, ref, 'した'] : [`compared with ${previous}, this `, ref];
}

/** Whether the row has a current value to cite. */
export function hasCurrent(table: TableBlock, row: string): boolean {
  const value = table.rows.find((r) => r.key === row)?.cells['current'];
  return typeof value === 'number';
}
