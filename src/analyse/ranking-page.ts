/**
 * @module
 * A ranking table with one page of its items: `rows` holds every item of
 * either period (2,000 ports, some 60,000 country × port pairs in a
 * quarter), too many for one answer of a public API. `pageOfRanking` keeps
 * the published rows, the shares and the tests whole, cuts `rows` to
 * `offset .. offset + limit - 1` and says in `page` how many items exist
 * and where the next page starts, so a whole table is read page by page and
 * nothing is dropped unannounced. `teiten stats --json` and `/api/top/*`
 * print the same page for the same arguments.
 */

import type { RankingTable } from './types.js';

/** Items per page when none is asked for. */
export const DEFAULT_PAGE_ROWS = 1000;

export interface RowsPage {
  /** Index in `rows` order (0-based) of the page's first item. */
  offset: number;
  /** Most items the page holds. */
  limit: number;
  /** Items of the whole table (either period). */
  total: number;
  /** Offset of the next page, or null when this page reaches the end. */
  next: number | null;
}

export interface RankingTablePage extends RankingTable {
  page: RowsPage;
}

export function pageOfRanking(table: RankingTable, window: { offset: number; limit: number }): RankingTablePage {
  const { offset, limit } = window;
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(limit) || limit < 1) {
    throw new RangeError(`A page needs offset ≥ 0 and limit ≥ 1, got offset ${offset}, limit ${limit}`);
  }
  const total = table.rows.length;
  const end = offset + limit;
  return {
    ...table,
    rows: table.rows.slice(offset, end),
    page: { offset, limit, total, next: end < total ? end : null },
  };
}
