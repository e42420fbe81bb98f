/**
 * @module
 * Intervals and change tests for the figures the tables print: the period
 * total's accesses per day per address (`summaryUncertainty`) and the rows
 * of a ranking table (`rankingUncertainty`). Day counts come from the store
 * (one query per period, limited to the rows shown); the statistics are
 * `rate-interval.ts`, `change-test.ts` and `multiple-testing.ts`.
 *
 * Which rows, and the correction: the rows tested are the table's, the
 * ratio chart's and the top `TESTED_TOP` of either period. The table's
 * movers are picked by their change from every row, so the Benjamini–
 * Hochberg correction runs over every row of the ranking, the untested
 * ones counting with p = 1: the claims are then a subset of what BH over
 * all rows would claim, which keeps the false discovery rate at 5 % even
 * for rows selected because they moved.
 */

import type { AnalyticsStore } from '../store/index.js';
import { rateChangeTest, type RateChangeTest } from './change-test.js';
import { DIMENSIONS } from './dimensions.js';
import { StatsInputError } from './errors.js';
import { parseKey } from './item-keys.js';
import { benjaminiHochberg, FALSE_DISCOVERY_RATE } from './multiple-testing.js';
import { countRows, matchKeys } from './queries.js';
import type { RankRow } from './ranking.js';
import { INTERVAL_LEVEL, rateInterval, type DayCounts } from './rate-interval.js';
import type { Scope } from './scope.js';
import type {
  ChangeTest,
  Dimension,
  RankingTable,
  RankingUncertainty,
  RateBounds,
  RateUncertainty,
  RowUncertainty,
} from './types.js';

/**
 * Rows ranked this high in either period are tested even when the table
 * does not show them: every row a finding can be about (the top 10 of
 * either period, rank jumps landing within 20) then has its test.
 */
export const TESTED_TOP = 20;

/** The period total's interval in both periods and the test of its change (a single test: q = p). */
export async function summaryUncertainty(
  store: AnalyticsStore,
  scopes: { current: Scope; previous: Scope },
): Promise<RateUncertainty> {
  const [now, before] = await Promise.all([totalDays(store, scopes.current), totalDays(store, scopes.previous)]);
  const test = rateChangeTest(now, before);
  return {
    level: INTERVAL_LEVEL,
    current: boundsOf(now),
    previous: boundsOf(before),
    change: test === null ? null : changeOf(test, test.pValue),
  };
}

/** Intervals and corrected change tests of the rows `table` shows. */
export async function rankingUncertainty(
  store: AnalyticsStore,
  scopes: { current: Scope; previous: Scope },
  table: RankingTable,
): Promise<RankingUncertainty> {
  const keys = testedKeys(table);
  const [now, before] = await Promise.all([
    itemDays(store, scopes.current, table.by, keys),
    itemDays(store, scopes.previous, table.by, keys),
  ]);
  return uncertaintyOfRows({ keys, compared: table.rows.length, current: now, previous: before });
}

/** The rows tested, in `rows` order: the table's, the ratio chart's, and the top `TESTED_TOP` of either period. */
export function testedKeys(table: {
  rows: readonly Pick<RankRow, 'key' | 'rank' | 'previousRank'>[];
  table: readonly { key: string }[];
  shares: readonly { key: string; other: boolean }[];
}): string[] {
  const wanted = new Set<string>([
    ...table.table.map((r) => r.key),
    ...table.shares.filter((s) => !s.other).map((s) => s.key),
  ]);
  const top = (rank: number | null): boolean => rank !== null && rank <= TESTED_TOP;
  for (const row of table.rows) if (top(row.rank) || top(row.previousRank)) wanted.add(row.key);
  return table.rows.map((r) => r.key).filter((key) => wanted.has(key));
}

export interface RowDays {
  /** The rows tested, in order. */
  keys: readonly string[];
  /** Rows in the correction (every row of the ranking, ≥ `keys.length`). */
  compared: number;
  current: ReadonlyMap<string, DayCounts>;
  previous: ReadonlyMap<string, DayCounts>;
}

/** Intervals of each row in both periods and its change test, BH-corrected over `compared` rows (pure). */
export function uncertaintyOfRows(input: RowDays): RankingUncertainty {
  const { keys, compared } = input;
  if (!Number.isSafeInteger(compared) || compared < keys.length) {
    throw new RangeError(
      `Cannot correct ${keys.length} tests over ${compared} rows: expected at least as many rows as tests`,
    );
  }
  const tests = keys.map((key) => {
    const a = input.current.get(key);
    const b = input.previous.get(key);
    return a === undefined || b === undefined ? null : rateChangeTest(a, b);
  });
  const tested = tests.filter((t): t is RateChangeTest => t !== null);
  // Untested rows count with p = 1: the claims stay a subset of BH's over every row.
  const q = benjaminiHochberg([...tested.map((t) => t.pValue), ...new Array<number>(compared - tested.length).fill(1)]);
  let next = 0;
  const rows = keys.map((key, i): RowUncertainty => {
    const test = tests[i]!;
    return {
      key,
      level: INTERVAL_LEVEL,
      current: boundsOf(input.current.get(key) ?? null),
      previous: boundsOf(input.previous.get(key) ?? null),
      change: test === null ? null : changeOf(test, q[next++]!),
    };
  });
  return { level: INTERVAL_LEVEL, falseDiscoveryRate: FALSE_DISCOVERY_RATE, compared, rows };
}

/** The claim a test allows: a direction only when its corrected p-value passes. */
export function changeOf(test: RateChangeTest, qValue: number): ChangeTest {
  const passes = qValue <= FALSE_DISCOVERY_RATE && test.ratio !== 1;
  return {
    ratio: test.ratio,
    low: test.low,
    high: test.high,
    pValue: test.pValue,
    qValue,
    df: Number.isFinite(test.df) ? test.df : null,
    direction: passes ? (test.ratio > 1 ? 'increase' : 'decrease') : 'none',
  };
}

function boundsOf(days: DayCounts | null): RateBounds | null {
  const interval = days === null ? null : rateInterval(days);
  return interval === null
    ? null
    : { low: interval.low, high: interval.high, dispersion: interval.dispersion, days: interval.days };
}

async function totalDays(store: AnalyticsStore, scope: Scope): Promise<DayCounts> {
  const rows = await countRows(store, scope, { source: 'rollup', columns: [], byDay: true });
  const counts = new Array<number>(scope.period.days).fill(0);
  for (const row of rows) counts[row.day - scope.period.startDay]! += row.packets;
  return { counts, exposures: scope.dayAddressDays };
}

/** Day counts of each of `keys` (an item with no packets gets zeros; a key that does not parse, none). */
async function itemDays(
  store: AnalyticsStore,
  scope: Scope,
  by: Dimension,
  keys: readonly string[],
): Promise<Map<string, DayCounts>> {
  const def = DIMENSIONS[by];
  const ctx = scope.filter.keys;
  const parsed = new Map<string, number[]>();
  for (const key of keys) {
    try {
      parsed.set(key, parseKey(def.columns, key, ctx, 'keys'));
    } catch (error) {
      // A key the store cannot be asked about (a sensor no longer registered) has no interval.
      if (!(error instanceof StatsInputError)) throw error;
    }
  }
  const result = new Map<string, DayCounts>();
  if (parsed.size === 0) return result;
  const byValues = new Map<string, number[]>();
  for (const [key, values] of parsed) {
    const counts = new Array<number>(scope.period.days).fill(0);
    const exposures = def.perSensorDivisor
      ? (scope.sensorDays.get(values[0]!) ?? counts.map(() => 0))
      : scope.dayAddressDays;
    result.set(key, { counts, exposures });
    byValues.set(values.join(','), counts);
  }
  const rows = await countRows(store, scope, {
    source: def.source,
    columns: def.columns,
    byDay: true,
    match: matchKeys(def.columns, [...parsed.values()]),
  });
  for (const row of rows) {
    const counts = byValues.get(row.values.join(','));
    if (counts !== undefined) counts[row.day - scope.period.startDay]! += row.packets;
  }
  return result;
}
