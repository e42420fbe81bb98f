/**
 * @module
 * Ranking tables against the previous period (the report's tables 2-1 and
 * 2-2): both periods broken down by one dimension, ranked by accesses per
 * day per address with `rankItems`, the published rows picked with
 * `selectTableRows`, and the ratio chart's "top n + other" from
 * `topWithOther`. Ranks use the exact values; `rounded` holds what a table
 * prints.
 */

import type { AnalyticsStore } from '../store/index.js';
import { breakdownsOf } from './breakdown.js';
import type { Period } from '../util/period.js';
import { rankingUncertainty } from './rate-uncertainty.js';
import { rankItems, selectTableRows, topWithOther, type RankItem, type TableSelection } from './ranking.js';
import { resolveScopes } from './scope.js';
import type { Breakdown, BreakdownItem, Dimension, RankingRow, RankingTable, ShareItem, StatsFilter } from './types.js';

/** The quarterly report's tables: five leaders plus the five largest rises and falls. */
export const DEFAULT_SELECTION: TableSelection = { top: 5, movers: 5 };
const VALUE_DECIMALS = 2;
const PERCENT_DECIMALS = 1;
/** Digits kept before rounding, so 1.005 (stored as 1.00499…) prints as 1.01 like the decimal it stands for. */
const ROUNDING_PRECISION = 12;

export interface RankingOptions {
  period: Period;
  by: Dimension;
  filter?: StatsFilter;
  /** Rows shown: ranks 1..top and movers within 1..movers (default `DEFAULT_SELECTION`). */
  top?: number;
  movers?: number;
  /**
   * Also count sources per day per item (two more queries per table and
   * period); default false, and `sourcesPerDay` is then null. The published
   * tables show only accesses.
   */
  sources?: boolean;
}

export interface RankingTablesOptions extends Omit<RankingOptions, 'by'> {
  by: readonly Dimension[];
}

/** One ranking table of `options.period` against the previous period. */
export async function rankingTable(store: AnalyticsStore, options: RankingOptions): Promise<RankingTable> {
  const [table] = await rankingTables(store, { ...options, by: [options.by] });
  return table!;
}

/** Several ranking tables over the same scopes (the sensors and divisors are loaded once). */
export async function rankingTables(store: AnalyticsStore, options: RankingTablesOptions): Promise<RankingTable[]> {
  const scopes = await resolveScopes(store, options.period, options.filter);
  const selection = {
    top: options.top ?? DEFAULT_SELECTION.top,
    movers: options.movers ?? DEFAULT_SELECTION.movers,
  };
  const sources = options.sources ?? false;
  const [current, previous] = await Promise.all([
    breakdownsOf(store, scopes.current, options.by, { sources }),
    breakdownsOf(store, scopes.previous, options.by, { sources }),
  ]);
  const tables = current.map((breakdown, i) => rankingOf(breakdown, previous[i]!, selection));
  return Promise.all(
    tables.map(async (table) => ({ ...table, uncertainty: await rankingUncertainty(store, scopes, table) })),
  );
}

interface Pair {
  a: BreakdownItem | undefined;
  b: BreakdownItem | undefined;
}

/** The ranking table of two breakdowns of the same dimension (pure: `uncertainty` is null, `rankingTables` fills it). */
export function rankingOf(current: Breakdown, previous: Breakdown, selection: TableSelection): RankingTable {
  // One map of both periods' items: a country × service table has tens of thousands.
  const pairs = new Map<string, Pair>();
  for (const a of current.items) pairs.set(a.key, { a, b: undefined });
  for (const b of previous.items) {
    const pair = pairs.get(b.key);
    if (pair === undefined) pairs.set(b.key, { a: undefined, b });
    else pair.b = b;
  }
  const items: RankItem[] = [];
  for (const [key, { a, b }] of pairs) {
    items.push({ key, current: a?.perDayPerAddress ?? 0, previous: b?.perDayPerAddress ?? 0 });
  }
  const rows = rankItems(items).map((row): RankingRow => {
    const { a, b } = pairs.get(row.key)!;
    return {
      key: row.key,
      rank: row.rank,
      previousRank: row.previousRank,
      current: row.current,
      previous: row.previous,
      changeAbs: row.changeAbs,
      changePct: row.changePct,
      increaseRank: row.increaseRank,
      decreaseRank: row.decreaseRank,
      label: (a ?? b)!.label,
      packets: a?.packets ?? 0,
      previousPackets: b?.packets ?? 0,
      sharePct: a?.sharePct ?? null,
      previousSharePct: b?.sharePct ?? null,
      sourcesPerDay: a === undefined ? (b?.sourcesPerDay === null ? null : 0) : a.sourcesPerDay,
      previousSourcesPerDay: b === undefined ? (a?.sourcesPerDay === null ? null : 0) : b.sourcesPerDay,
      rounded: {
        current: roundTo(row.current, VALUE_DECIMALS),
        previous: roundTo(row.previous, VALUE_DECIMALS),
        changeAbs: roundTo(row.changeAbs, VALUE_DECIMALS),
        changePct: row.changePct === null ? null : roundTo(row.changePct, PERCENT_DECIMALS),
      },
    };
  });
  const picked = selectTableRows(rows, selection);
  const shares = topWithOther(rows, selection.top);
  const wanted = new Set([...picked.map((r) => r.key), ...shares.map((r) => r.key)]);
  const byKey = new Map<string, RankingRow>();
  for (const row of rows) if (wanted.has(row.key)) byKey.set(row.key, row);
  return {
    by: current.by,
    period: current.period,
    previousPeriod: previous.period,
    filter: current.filter,
    unit: 'per-day-per-address',
    selection: { ...selection },
    rows,
    table: picked.map((r): RankingRow => ({
      ...byKey.get(r.key)!,
      increaseRank: r.increaseRank,
      decreaseRank: r.decreaseRank,
    })),
    shares: shares.map((share): ShareItem => ({ ...share, label: share.other ? null : byKey.get(share.key)!.label })),
    uncertainty: null,
  };
}

/** Relative distance from a half below which a value is treated as exactly on it (float noise). */
const HALF_TOLERANCE = 1e-9;

/**
 * Half away from zero at `decimals` places. A value within float noise of a
 * half (1.005 is stored as 1.00499999999999989…) is first cut to 12
 * significant digits, so it rounds as the decimal it stands for.
 */
export function roundTo(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  let scaled = Math.abs(value) * scale;
  // Only values next to a half need the slow exact path.
  if (Math.abs(scaled - Math.floor(scaled) - 0.5) <= HALF_TOLERANCE * Math.max(1, scaled)) {
    scaled = Number(scaled.toPrecision(ROUNDING_PRECISION));
  }
  const rounded = Math.round(scaled) / scale;
  return value < 0 && rounded !== 0 ? -rounded : rounded;
}
