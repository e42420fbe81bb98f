/**
 * @module
 * A period's packets broken down by one dimension (service, country,
 * country × service, sensor, source port): per item its packets, accesses
 * per day per address, distinct sources, sources per day and share.
 * Definitions in `types.ts`; dimensions in `dimensions.ts`.
 */

import type { AnalyticsStore } from '../store/index.js';
import { DIMENSIONS, isDimension } from './dimensions.js';
import { StatsInputError } from './errors.js';
import { keyOf, labelOf, type KeyColumn } from './item-keys.js';
import type { Period } from '../util/period.js';
import { countRows, sourceDaySums, sourceRows, type CountRow, type SourceRow } from './queries.js';
import { buildScope, ratio, resolveFilter, type Scope } from './scope.js';
import type { Breakdown, BreakdownItem, Dimension, StatsFilter } from './types.js';

const PERCENT = 100;

export interface BreakdownOptions {
  period: Period;
  by: Dimension;
  filter?: StatsFilter;
  /** Count distinct sources (two more queries on the source sets); default true. */
  sources?: boolean;
}

/** `options.period` broken down by `options.by`. */
export async function breakdown(store: AnalyticsStore, options: BreakdownOptions): Promise<Breakdown> {
  const filter = resolveFilter(options.filter ?? {}, await store.listSensors());
  const [result] = await breakdownsOf(store, buildScope(options.period, filter), [options.by], {
    sources: options.sources ?? true,
  });
  return result!;
}

interface Acc {
  values: number[];
  packets: number;
  sources: number | null;
  sourceDays: number | null;
}

/**
 * Breakdowns of one scope by several dimensions. A dimension whose key
 * columns are part of another requested one's (service and country within
 * country × service) is summed from that one's rows rather than scanned
 * again; sources, being distinct counts, are always queried per dimension.
 */
export async function breakdownsOf(
  store: AnalyticsStore,
  scope: Scope,
  dims: readonly Dimension[],
  options: { sources: boolean },
): Promise<Breakdown[]> {
  for (const by of dims) {
    if (!isDimension(by)) throw new StatsInputError('by', by, `is not one of ${Object.keys(DIMENSIONS).join(', ')}`);
  }
  const bases = new Map(dims.map((by) => [by, widestSuperset(by, dims)]));
  const scanned = [...new Set(bases.values())];
  const counts = new Map(
    await Promise.all(
      scanned.map(async (by) => {
        const def = DIMENSIONS[by];
        return [by, await countRows(store, scope, { source: def.source, columns: def.columns })] as const;
      }),
    ),
  );
  return Promise.all(
    dims.map(async (by) => {
      const def = DIMENSIONS[by];
      const base = bases.get(by)!;
      const rows = base === by ? counts.get(by)! : project(counts.get(base)!, DIMENSIONS[base].columns, def.columns);
      const spec = { source: def.source, columns: def.columns };
      const withSources = options.sources && def.hasSources;
      const [distinct, daySums] = await Promise.all([
        withSources ? sourceRows(store, scope, spec) : null,
        withSources ? sourceDaySums(store, scope, spec) : null,
      ]);
      return assemble(scope, by, rows, distinct, daySums);
    }),
  );
}

/** The requested dimension with the most key columns that include all of `by`'s (`by` itself if none). */
function widestSuperset(by: Dimension, dims: readonly Dimension[]): Dimension {
  const def = DIMENSIONS[by];
  let best = by;
  for (const other of dims) {
    const o = DIMENSIONS[other];
    if (o.source !== def.source || o.perSensorDivisor !== def.perSensorDivisor) continue;
    if (!def.columns.every((c) => o.columns.includes(c))) continue;
    if (o.columns.length > DIMENSIONS[best].columns.length) best = other;
  }
  return best;
}

/** `rows` keyed by `from` columns, summed onto the `to` columns (a subset). */
function project(rows: readonly CountRow[], from: readonly KeyColumn[], to: readonly KeyColumn[]): CountRow[] {
  const index = to.map((c) => from.indexOf(c));
  const sums = new Map<string, CountRow>();
  for (const row of rows) {
    const values = index.map((i) => row.values[i]!);
    const id = values.join(',');
    const sum = sums.get(id);
    if (sum === undefined) sums.set(id, { values, day: row.day, packets: row.packets, bytes: row.bytes });
    else {
      sum.packets += row.packets;
      sum.bytes += row.bytes;
    }
  }
  return [...sums.values()];
}

function assemble(
  scope: Scope,
  by: Dimension,
  counts: readonly CountRow[],
  distinct: SourceRow[] | null,
  daySums: SourceRow[] | null,
): Breakdown {
  const def = DIMENSIONS[by];
  const keys = scope.filter.keys;
  const items = new Map<string, Acc>();
  const accOf = (values: number[]): Acc => {
    const key = keyOf(def.columns, values, keys);
    let acc = items.get(key);
    if (acc === undefined) {
      acc = { values, packets: 0, sources: distinct === null ? null : 0, sourceDays: daySums === null ? null : 0 };
      items.set(key, acc);
    }
    return acc;
  };
  // Every selected sensor is an item, even one that saw nothing (it was down, or quiet).
  if (def.perSensorDivisor) for (const sensor of scope.filter.sensors) accOf([sensor.id]);
  for (const row of counts) accOf(row.values).packets += row.packets;
  addSources(distinct, accOf, 'sources');
  addSources(daySums, accOf, 'sourceDays');

  let packets = 0;
  for (const acc of items.values()) packets += acc.packets;
  const result: BreakdownItem[] = [];
  for (const [key, acc] of items) {
    const sensorId = acc.values[0]!;
    const divisor = def.perSensorDivisor ? (scope.sensorAddressDays.get(sensorId) ?? 0) : scope.addressDays;
    const days = def.perSensorDivisor ? (scope.sensorObservedDays.get(sensorId) ?? 0) : scope.observedDays;
    result.push({
      key,
      label: labelOf(def.columns, acc.values, keys),
      packets: acc.packets,
      addressDays: divisor,
      perDayPerAddress: ratio(acc.packets, divisor),
      sources: acc.sources,
      sourcesPerDay: acc.sourceDays === null ? null : ratio(acc.sourceDays, days),
      sharePct: packets > 0 ? (acc.packets / packets) * PERCENT : null,
    });
  }
  result.sort((a, b) => b.packets - a.packets || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    by,
    period: scope.ref,
    filter: scope.filter.applied,
    packets,
    addressDays: scope.addressDays,
    observedDays: scope.observedDays,
    items: result,
  };
}

function addSources(rows: SourceRow[] | null, accOf: (values: number[]) => Acc, field: 'sources' | 'sourceDays'): void {
  if (rows === null) return;
  for (const row of rows) {
    const acc = accOf(row.values);
    acc[field] = (acc[field] ?? 0) + row.sources;
  }
}
