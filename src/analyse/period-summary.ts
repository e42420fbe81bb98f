/**
 * @module
 * A period's headline figures against the previous period: accesses per day
 * per sensor address, distinct sources per day, totals (the opening paragraph
 * of the quarterly report: "一日・1IP 当たり 533.7 件で、前期と比較して
 * 101.4 件 (23.4%) 増加"). Definitions in `types.ts`.
 */

import type { AnalyticsStore } from '../store/index.js';
import type { Period } from '../util/period.js';
import { countRows, sourceDaySums, sourceRows } from './queries.js';
import { summaryUncertainty } from './rate-uncertainty.js';
import { ratio, resolveScopes, type Scope } from './scope.js';
import type { Change, PeriodSummary, PeriodTotals, SensorUse, StatsFilter } from './types.js';

const PERCENT = 100;

export interface PeriodStatsOptions {
  period: Period;
  filter?: StatsFilter;
}

/** Totals of `options.period` and of the period before it. */
export async function periodSummary(store: AnalyticsStore, options: PeriodStatsOptions): Promise<PeriodSummary> {
  const { filter, current, previous } = await resolveScopes(store, options.period, options.filter);
  const [now, before, uncertainty] = await Promise.all([
    periodTotals(store, current),
    periodTotals(store, previous),
    summaryUncertainty(store, { current, previous }),
  ]);
  const sensors: SensorUse[] = filter.sensors.map((s) => ({
    name: s.name,
    label: s.label,
    addresses: s.addresses.map((a) => a.cidr),
    addressCount: current.sensorAddressCount.get(s.id) ?? 0,
    addressDays: current.sensorAddressDays.get(s.id) ?? 0,
    previousAddressDays: previous.sensorAddressDays.get(s.id) ?? 0,
  }));
  return {
    period: current.ref,
    previousPeriod: previous.ref,
    filter: filter.applied,
    sensors,
    current: now,
    previous: before,
    change: {
      packets: change(now.packets, before.packets),
      perDayPerAddress: change(now.perDayPerAddress, before.perDayPerAddress),
      sourcesPerDay: change(now.sourcesPerDay, before.sourcesPerDay),
    },
    uncertainty,
  };
}

/** The totals of one scope: three queries. */
export async function periodTotals(store: AnalyticsStore, scope: Scope): Promise<PeriodTotals> {
  const spec = { source: 'rollup', columns: [] } as const;
  const [counts, distinct, daySums] = await Promise.all([
    countRows(store, scope, { ...spec, bytes: true }),
    sourceRows(store, scope, spec),
    sourceDaySums(store, scope, spec),
  ]);
  const packets = counts[0]?.packets ?? 0;
  return {
    packets,
    bytes: counts[0]?.bytes ?? 0,
    addressDays: scope.addressDays,
    perDayPerAddress: ratio(packets, scope.addressDays),
    observedDays: scope.observedDays,
    sourcesPerDay: daySums === null ? null : ratio(daySums[0]?.sources ?? 0, scope.observedDays),
    sources: distinct === null ? null : (distinct[0]?.sources ?? 0),
  };
}

/** `current − previous` and its percentage of `previous`. */
export function change(current: number | null, previous: number | null): Change {
  if (current === null || previous === null) return { abs: null, pct: null };
  const abs = current - previous;
  return { abs, pct: previous === 0 ? null : (abs / previous) * PERCENT };
}
