/**
 * @module
 * The tables a report publishes, computed from a simulation's `truth.json`
 * alone: packets per item, observed address-days from the planted downtime,
 * distinct sources per day, and the ranks they imply. Shares no counting
 * code with the ingest or the analytics, so agreement between the two is
 * evidence, not an echo.
 */

import { parsePeriod, type Period } from '../util/period.js';
import type { Truth, TruthSensor } from '../simulate/index.js';

const SECONDS_PER_DAY = 86_400;

/** The breakdowns the harness checks; keys are built as the analytics build them. */
export type TruthDimension = 'service' | 'country' | 'country-service' | 'sensor';

export class TruthTables {
  readonly truth: Truth;
  /** Local day number (days since 1970-01-01) of `truth.days[0]`. */
  private readonly firstDay: number;

  constructor(truth: Truth) {
    this.truth = truth;
    const first = truth.days[0];
    if (first === undefined) throw new RangeError('truth.json lists no days');
    this.firstDay = this.period(first).startDay;
  }

  period(text: string): Period {
    return parsePeriod(text, { timeZone: this.truth.scenario.timeZone });
  }

  /** The periods fully covered by the truth: calendar months and fiscal quarters, or its whole range when it covers neither. */
  periods(): Period[] {
    const { days } = this.truth;
    const covered = (p: Period): boolean =>
      p.startDay >= this.firstDay && p.startDay + p.days <= this.firstDay + days.length;
    const months = [...new Set(days.map((d) => d.slice(0, 7)))].map((m) => this.period(m)).filter(covered);
    const quarters = [...new Set(days.map((d) => fiscalQuarterOf(d)))].map((q) => this.period(q)).filter(covered);
    const all = [...quarters, ...months];
    return all.length > 0 ? all : [this.period(`${days[0]}..${days[days.length - 1]}`)];
  }

  /** True for truth day indices inside `period`. */
  within(period: Period): (dayIndex: number) => boolean {
    const start = period.startDay - this.firstDay;
    return (d) => d >= start && d < start + period.days;
  }

  packets(period: Period): number {
    const within = this.within(period);
    let total = 0;
    for (const r of this.truth.traffic.rows) if (within(r[0])) total += r[6];
    return total;
  }

  /** Packets per item key of `by` in `period`. */
  byDimension(period: Period, by: TruthDimension): Map<string, number> {
    const { services, countries, sensors } = this.truth;
    const keyOf: Record<TruthDimension, (r: Truth['traffic']['rows'][number]) => string> = {
      service: (r) => services[r[3]]!,
      country: (r) => countries[r[5]]!,
      'country-service': (r) => `${countries[r[5]]!} ${services[r[3]]!}`,
      sensor: (r) => sensors[r[1]]!.name,
    };
    return sumRows(this.truth.traffic.rows, this.within(period), keyOf[by]);
  }

  /** Σ over days of distinct sources that day (all sensors and services together). */
  sourceDays(period: Period): number {
    const within = this.within(period);
    return this.truth.sources.day.reduce((n, r) => (within(r[0]) ? n + r[1] : n), 0);
  }

  /** Σ over days of distinct sources per service. */
  serviceSourceDays(period: Period): Map<string, number> {
    return sumRows(this.truth.sources.dayService, this.within(period), (r) => this.truth.services[r[1]]!);
  }

  /** Σ over sensors of addresses × the observed share of each day of `period`. */
  addressDays(period: Period, sensors: readonly TruthSensor[] = this.truth.sensors): number {
    let total = 0;
    for (const s of sensors)
      total += s.addressCount * (period.days - downSeconds(s, period.startSec, period.endSec) / SECONDS_PER_DAY);
    return total;
  }

  /** Days of `period` on which any of `sensors` observed for some time. */
  observedDays(period: Period, sensors: readonly TruthSensor[] = this.truth.sensors): number {
    let days = 0;
    for (let start = period.startSec; start < period.endSec; start += SECONDS_PER_DAY) {
      if (sensors.some((s) => downSeconds(s, start, start + SECONDS_PER_DAY) < SECONDS_PER_DAY)) days += 1;
    }
    return days;
  }
}

/** Ordinal ranks by value descending, ties by key ascending: the published tables' rule. */
export function ranksOf(values: ReadonlyMap<string, number>): Map<string, number> {
  const keys = [...values].filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return new Map(keys.map(([key], i) => [key, i + 1]));
}

function downSeconds(sensor: TruthSensor, from: number, to: number): number {
  return sensor.downtime.reduce((n, d) => n + Math.max(0, Math.min(d.toSec, to) - Math.max(d.fromSec, from)), 0);
}

function sumRows<R extends readonly number[]>(
  rows: readonly R[],
  within: (day: number) => boolean,
  key: (row: R) => string,
): Map<string, number> {
  const sums = new Map<string, number>();
  for (const row of rows) {
    if (!within(row[0]!)) continue;
    const k = key(row);
    sums.set(k, (sums.get(k) ?? 0) + row[row.length - 1]!);
  }
  return sums;
}

/** `FY2010Q1` for 2010-04-01 … 2010-06-30 (the Japanese fiscal year starts in April). */
function fiscalQuarterOf(date: string): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const fiscalYear = month >= 4 ? year : year - 1;
  return `FY${fiscalYear}Q${Math.floor(((month + 8) % 12) / 3) + 1}`;
}
