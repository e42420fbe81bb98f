/**
 * @module
 * The ranking tables the reports publish against the previous period (the
 * seed's tables 2-1, 2-2, 3-1, 3-2): this period's rank, last period's rank,
 * the change, and ranks among the items that rose and that fell most, plus
 * the rule that picks a table's rows and the "top n + other" split of the
 * ratio charts.
 *
 * Order rules, used everywhere below so that output never depends on input
 * order:
 * - values are compared after rounding to `significantDigits` significant
 *   digits (12 by default), so that float noise such as 0.28 − 0.27 =
 *   0.010000000000000009 against 0.12 − 0.11 = 0.009999999999999995 does not
 *   decide an order the data do not; a change is the difference of the
 *   rounded values, rounded again, so it is 0 exactly when they are equal;
 * - equal values are ordered by key ascending in UTF-16 code unit order
 *   (`<` on strings, no locale), and ranks are ordinal (1, 2, 3, never 1, 1, 3),
 *   as the seed tables number tied rows consecutively.
 */

/** One ranked thing (a port, a country, a signature class) in both periods. */
export interface RankItem {
  key: string;
  /** This period's value, e.g. accesses per day per address; finite and ≥ 0. */
  current: number;
  /** The previous period's value in the same unit; finite and ≥ 0. */
  previous: number;
}

export interface RankRow {
  key: string;
  /** 1-based rank by `current` descending among items with `current` > 0, else null. */
  rank: number | null;
  /** Rank by `previous` among items with `previous` > 0, else null (absent then). */
  previousRank: number | null;
  current: number;
  previous: number;
  /** `current − previous` of the values rounded to the compared significant digits, rounded again. */
  changeAbs: number;
  /** `changeAbs / previous × 100` (previous rounded as compared); null when `previous` is 0. */
  changePct: number | null;
  /** Rank among the items that rose, by rise descending; null if it did not rise. */
  increaseRank: number | null;
  /** Rank among the items that fell, by fall descending; null if it did not fall. */
  decreaseRank: number | null;
}

export interface RankOptions {
  /** Significant digits kept when comparing values (1..17, default 12). */
  significantDigits?: number;
}

export interface TableSelection {
  /** Rows ranked 1..top are always shown. */
  top: number;
  /** Rows whose increase or decrease rank is 1..movers are shown too; larger ranks are blanked. */
  movers: number;
}

/** A slice of a ratio chart: one of the top rows, or the sum of all the others. */
export interface ShareRow {
  /** The row's key, or `OTHER_KEY` for the sum of the rest. */
  key: string;
  current: number;
  previous: number;
  /** Percentage of the total `current` of all rows; null when that total is 0. */
  currentPct: number | null;
  previousPct: number | null;
  /** True for the "other" slice, so a real key that equals `OTHER_KEY` stays distinct. */
  other: boolean;
}

/** Key of the "other" slice; the report stage shows it as その他 / Other. */
export const OTHER_KEY = 'other';

const DEFAULT_SIGNIFICANT_DIGITS = 12;
const MAX_SIGNIFICANT_DIGITS = 17;
const PERCENT = 100;

/** An item that cannot be ranked: duplicate or empty key, value negative or not finite. */
export class RankingInputError extends RangeError {
  override readonly name = 'RankingInputError';
  readonly code = 'TEITEN_RANKING_INPUT';
  readonly key: string;
  readonly field: 'key' | 'current' | 'previous';

  constructor(key: string, field: 'key' | 'current' | 'previous', detail: string) {
    super(`Cannot rank item ${JSON.stringify(key)}: ${field} ${detail}`);
    this.key = key;
    this.field = field;
  }
}

/**
 * Ranks `items` in both periods and by change. Rows come ranked ones first in
 * rank order, then the items absent this period by previous rank, then by key.
 * Works on indexes into typed arrays, not per-item objects: a country ×
 * service table has tens of thousands of items.
 */
export function rankItems(items: readonly RankItem[], options: RankOptions = {}): RankRow[] {
  const digits = options.significantDigits ?? DEFAULT_SIGNIFICANT_DIGITS;
  if (!Number.isInteger(digits) || digits < 1 || digits > MAX_SIGNIFICANT_DIGITS) {
    throw new RangeError(`Cannot rank with ${digits} significant digits: expected 1..17`);
  }
  const round = (value: number): number => (value === 0 ? 0 : Number(value.toPrecision(digits)));
  const n = items.length;
  const keys = new Array<string>(n);
  const current = new Float64Array(n);
  const previous = new Float64Array(n);
  const change = new Float64Array(n);
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const item = items[i]!;
    checkItem(item, seen);
    keys[i] = item.key;
    current[i] = round(item.current);
    previous[i] = round(item.previous);
    // Differencing the rounded values makes "unchanged" exact: 0.3 against 0.1 + 0.2 is 0.
    change[i] = round(current[i]! - previous[i]!);
  }
  // Key order once, so the four rankings break ties on integers instead of comparing strings.
  const byName = Array.from({ length: n }, (_, i) => i).sort((i, j) => byKey(keys[i]!, keys[j]!));
  const keyOrder = new Int32Array(n);
  for (let k = 0; k < n; k++) keyOrder[byName[k]!] = k;
  const tie = (i: number, j: number): number => keyOrder[i]! - keyOrder[j]!;
  const rank = ordinal(
    n,
    (i) => current[i]! > 0,
    (i, j) => current[j]! - current[i]! || tie(i, j),
  );
  const previousRank = ordinal(
    n,
    (i) => previous[i]! > 0,
    (i, j) => previous[j]! - previous[i]! || tie(i, j),
  );
  const increaseRank = ordinal(
    n,
    (i) => change[i]! > 0,
    (i, j) => change[j]! - change[i]! || tie(i, j),
  );
  const decreaseRank = ordinal(
    n,
    (i) => change[i]! < 0,
    (i, j) => change[i]! - change[j]! || tie(i, j),
  );

  // Ranked rows, then rows gone this period by previous rank, then the rest by key.
  const order = [
    ...rank.order,
    ...previousRank.order.filter((i) => rank.ranks[i] === 0),
    ...byName.filter((i) => rank.ranks[i] === 0 && previousRank.ranks[i] === 0),
  ];
  return order.map((i): RankRow => {
    const item = items[i]!;
    return {
      key: item.key,
      rank: rank.ranks[i] || null,
      previousRank: previousRank.ranks[i] || null,
      current: item.current,
      previous: item.previous,
      changeAbs: change[i]!,
      // Over the rounded previous value, like the change itself: a fall to 0 is exactly −100 %.
      changePct: previous[i] === 0 ? null : (change[i]! / previous[i]!) * PERCENT,
      increaseRank: increaseRank.ranks[i] || null,
      decreaseRank: decreaseRank.ranks[i] || null,
    };
  });
}

/**
 * The rows a published table shows: the `top` best-ranked rows plus every row
 * whose increase or decrease rank is within `movers`, in rank order (a row
 * gone this period, selectable only by its fall, comes last). Increase and
 * decrease ranks beyond `movers` are blanked to null in the returned copies,
 * as in table 3-2, where Canada (6th largest fall) shows none.
 */
export function selectTableRows(rows: readonly RankRow[], selection: TableSelection): RankRow[] {
  const { top, movers } = selection;
  for (const [name, value] of [
    ['top', top],
    ['movers', movers],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`Cannot select table rows: ${name} ${value} is not a non-negative integer`);
    }
  }
  const within = (value: number | null, limit: number): boolean => value !== null && value <= limit;
  return rows
    .filter((row) => within(row.rank, top) || within(row.increaseRank, movers) || within(row.decreaseRank, movers))
    .sort((a, b) => nullsLast(a.rank, b.rank) || nullsLast(a.decreaseRank, b.decreaseRank) || byKey(a.key, b.key))
    .map((row) => ({
      ...row,
      increaseRank: within(row.increaseRank, movers) ? row.increaseRank : null,
      decreaseRank: within(row.decreaseRank, movers) ? row.decreaseRank : null,
    }));
}

/**
 * The rows ranked 1..n, then one `other` row summing every remaining row
 * (omitted when those sum to 0 in both periods), with percentages of the
 * whole for a ratio chart.
 */
export function topWithOther(rows: readonly RankRow[], n: number): ShareRow[] {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`Cannot take the top ${n} rows: expected a non-negative integer`);
  }
  const ordered = [...rows].sort((a, b) => nullsLast(a.rank, b.rank) || byKey(a.key, b.key));
  let totalCurrent = 0;
  let totalPrevious = 0;
  let restCurrent = 0;
  let restPrevious = 0;
  const result: ShareRow[] = [];
  for (const row of ordered) {
    totalCurrent += row.current;
    totalPrevious += row.previous;
    if (row.rank !== null && row.rank <= n) {
      result.push(shareRow(row.key, row.current, row.previous, false));
    } else {
      restCurrent += row.current;
      restPrevious += row.previous;
    }
  }
  if (restCurrent > 0 || restPrevious > 0) {
    result.push(shareRow(OTHER_KEY, restCurrent, restPrevious, true));
  }
  for (const share of result) {
    share.currentPct = totalCurrent > 0 ? (share.current / totalCurrent) * PERCENT : null;
    share.previousPct = totalPrevious > 0 ? (share.previous / totalPrevious) * PERCENT : null;
  }
  return result;
}

function shareRow(key: string, current: number, previous: number, other: boolean): ShareRow {
  return { key, current, previous, currentPct: null, previousPct: null, other };
}

function checkItem(item: RankItem, seen: Set<string>): void {
  const { key } = item;
  if (typeof key !== 'string' || key === '') {
    throw new RankingInputError(String(key), 'key', 'must be a non-empty string');
  }
  if (seen.has(key)) throw new RankingInputError(key, 'key', 'appears more than once');
  seen.add(key);
  for (const field of ['current', 'previous'] as const) {
    const value = item[field];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new RankingInputError(key, field, `${String(value)} is not a finite number ≥ 0`);
    }
  }
}

/** The indexes passing `include` in `compare` order, and each index's 1-based rank (0 = not ranked). */
function ordinal(
  n: number,
  include: (i: number) => boolean,
  compare: (i: number, j: number) => number,
): { order: number[]; ranks: Int32Array } {
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (include(i)) order.push(i);
  order.sort(compare);
  const ranks = new Int32Array(n);
  for (let k = 0; k < order.length; k++) ranks[order[k]!] = k + 1;
  return { order, ranks };
}

function byKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function nullsLast(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a - b;
}
