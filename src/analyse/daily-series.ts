/**
 * @module
 * Daily time series: per local day of a period, packets, accesses per day
 * per address and distinct sources, for the period's total or for chosen
 * items of a dimension (the report's figures 2-5 … 2-9, "accesses to
 * 445/TCP"), and per observation point over the last months (the monthly
 * report's figure 1.1, `sensorOverview`).
 */

import type { AnalyticsStore } from '../store/index.js';
import { formatLocalDate } from '../util/tz.js';
import { DIMENSIONS, isDimension } from './dimensions.js';
import { StatsInputError } from './errors.js';
import { keyOf, labelOf, parseKey } from './item-keys.js';
import { lastMonths, parsePeriod, type Period } from '../util/period.js';
import { countRows, matchKeys, sourceRows } from './queries.js';
import { buildScope, ratio, resolveFilter, type Scope } from './scope.js';
import type { DailySeries, Dimension, SeriesItem, StatsFilter } from './types.js';

/** Items charted when none are named. */
export const DEFAULT_SERIES_TOP = 5;
/** The monthly report's figure 1.1 spans six months. */
export const OVERVIEW_MONTHS = 6;

export interface DailySeriesOptions {
  period: Period;
  /** Omitted: one series, key `total`, of everything the filter selects. */
  by?: Dimension;
  /** Item keys (`445/TCP`, `CN 445/TCP`); default the `top` items by packets in the period. */
  keys?: readonly string[];
  top?: number;
  filter?: StatsFilter;
}

export async function dailySeries(store: AnalyticsStore, options: DailySeriesOptions): Promise<DailySeries> {
  const filter = resolveFilter(options.filter ?? {}, await store.listSensors());
  const scope = buildScope(options.period, filter);
  if (options.by === undefined) return seriesOf(store, scope, undefined, null);
  if (!isDimension(options.by))
    throw new StatsInputError('by', options.by, `is not one of ${Object.keys(DIMENSIONS).join(', ')}`);
  const def = DIMENSIONS[options.by];
  let keys: number[][];
  if (options.keys !== undefined) {
    keys = options.keys.map((key) => parseKey(def.columns, key, filter.keys, 'keys'));
  } else {
    const top = options.top ?? DEFAULT_SERIES_TOP;
    if (!Number.isSafeInteger(top) || top < 1) throw new StatsInputError('top', top, 'is not a whole number ≥ 1');
    const totals = await countRows(store, scope, { source: def.source, columns: def.columns });
    keys = totals
      .map((row) => ({ row, key: keyOf(def.columns, row.values, filter.keys) }))
      .sort((a, b) => b.row.packets - a.row.packets || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .slice(0, top)
      .map(({ row }) => row.values);
  }
  return seriesOf(store, scope, options.by, keys);
}

export interface SensorOverviewOptions {
  /** The overview ends with the month holding this period's last day. */
  period: Period;
  months?: number;
  filter?: StatsFilter;
}

/** Per sensor per day, accesses and sources over the last `months` months (figure 1.1). */
export async function sensorOverview(store: AnalyticsStore, options: SensorOverviewOptions): Promise<DailySeries> {
  const months = lastMonths(options.period, options.months ?? OVERVIEW_MONTHS);
  const first = months[0]!;
  const last = months[months.length - 1]!;
  const span = parsePeriod(`${formatLocalDate(first.startDay)}..${formatLocalDate(last.endDay - 1)}`, {
    timeZone: options.period.timeZone,
  });
  const filter = resolveFilter(options.filter ?? {}, await store.listSensors());
  return seriesOf(
    store,
    buildScope(span, filter),
    'sensor',
    filter.sensors.map((s) => [s.id]),
  );
}

/** The series of `keys` (column values) of `by`, or the total when `by` is undefined. */
async function seriesOf(
  store: AnalyticsStore,
  scope: Scope,
  by: Dimension | undefined,
  keys: number[][] | null,
): Promise<DailySeries> {
  const def = by === undefined ? undefined : DIMENSIONS[by];
  const columns = def?.columns ?? [];
  const match = keys === null ? undefined : matchKeys(columns, keys);
  const spec = { source: def?.source ?? 'rollup', columns, byDay: true, ...(match === undefined ? {} : { match }) };
  const [counts, distinct] = await Promise.all([
    countRows(store, scope, spec),
    def === undefined || def.hasSources ? sourceRows(store, scope, spec) : null,
  ]);
  const n = scope.period.days;
  const ctx = scope.filter.keys;
  const items = new Map<string, SeriesItem>();
  const itemOf = (values: readonly number[]): SeriesItem | undefined =>
    items.get(def === undefined ? 'total' : keyOf(columns, values, ctx));
  for (const values of keys ?? [[]]) {
    const key = def === undefined ? 'total' : keyOf(columns, values, ctx);
    const divisors =
      def?.perSensorDivisor === true
        ? (scope.sensorDays.get(values[0]!) ?? new Array<number>(n).fill(0))
        : scope.dayAddressDays;
    items.set(key, {
      key,
      label: def === undefined ? null : labelOf(columns, values, ctx),
      packets: new Array<number>(n).fill(0),
      addressDays: [...divisors],
      perDayPerAddress: [],
      sources: new Array<number | null>(n).fill(distinct === null ? null : 0),
    });
  }
  const index = (day: number): number => day - scope.period.startDay;
  for (const row of counts) {
    const item = itemOf(row.values);
    if (item !== undefined) item.packets[index(row.day)]! += row.packets;
  }
  for (const row of distinct ?? []) {
    const item = itemOf(row.values);
    if (item !== undefined) item.sources[index(row.day)] = (item.sources[index(row.day)] ?? 0) + row.sources;
  }
  for (const item of items.values()) {
    item.perDayPerAddress = item.packets.map((p, i) => ratio(p, item.addressDays[i]!));
  }
  return {
    by: by ?? 'total',
    period: scope.ref,
    filter: scope.filter.applied,
    dates: [...scope.dates],
    items: [...items.values()],
  };
}
