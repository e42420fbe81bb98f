/**
 * @module
 * Address-days: the divisor of every "per day per sensor address" figure.
 * For each local day of a period, a sensor contributes
 *
 *     addresses × (seconds observed that day / seconds in that day)
 *
 * where "observed" is inside an operating interval and outside every
 * downtime. A sensor with no operating interval declared counts as always
 * operating (declare them to exclude time before it was installed or after it
 * was retired). Day lengths are real: 23 or 25 hours on DST switch days.
 * A downtime of 6 h on a 24 h day leaves 0.75 of that day.
 */

import { periodDays, type Period } from '../util/period.js';
import type { Sensor, SensorInterval } from './store.js';

export interface AddressDay {
  /** Days since 1970-01-01 of the local date. */
  readonly day: number;
  readonly date: string;
  /** Share of the day observed, 0..1. */
  readonly fraction: number;
  /** All addresses × fraction. */
  readonly addressDays: number;
  readonly addressDaysV4: number;
  readonly addressDaysV6: number;
}

export interface AddressDaysResult {
  readonly days: readonly AddressDay[];
  readonly total: number;
  readonly totalV4: number;
  readonly totalV6: number;
}

/** Half-open `[from, to)` in epoch seconds. */
export type Segment = [number, number];

/** Address-days of one sensor for every local day of `period` (in the period's zone). */
export function addressDays(sensor: Pick<Sensor, 'addresses' | 'intervals'>, period: Period): AddressDaysResult {
  let v4 = 0;
  let v6 = 0;
  for (const block of sensor.addresses) {
    if (block.family === 4) v4 += block.addressCount;
    else v6 += block.addressCount;
  }
  const observed = observedSegments(sensor.intervals, period.startSec, period.endSec);
  const days: AddressDay[] = [];
  let total = 0;
  let totalV4 = 0;
  let totalV6 = 0;
  let k = 0;
  for (const { day, date, startSec, endSec } of periodDays(period)) {
    while (k < observed.length && observed[k]![1] <= startSec) k++;
    let seconds = 0;
    for (let j = k; j < observed.length && observed[j]![0] < endSec; j++) {
      seconds += Math.min(endSec, observed[j]![1]) - Math.max(startSec, observed[j]![0]);
    }
    const length = endSec - startSec;
    const fraction = length > 0 ? seconds / length : 0;
    const row = {
      day,
      date,
      fraction,
      addressDays: (v4 + v6) * fraction,
      addressDaysV4: v4 * fraction,
      addressDaysV6: v6 * fraction,
    };
    days.push(row);
    total += row.addressDays;
    totalV4 += row.addressDaysV4;
    totalV6 += row.addressDaysV6;
  }
  return { days, total, totalV4, totalV6 };
}

/**
 * Disjoint sorted segments of `[fromSec, toSec)` in which the sensor observed:
 * inside an operating interval (always, when none is declared) and outside
 * every downtime. The bounds may be infinite.
 */
export function observedSegments(intervals: readonly SensorInterval[], fromSec: number, toSec: number): Segment[] {
  const clip = (i: SensorInterval): Segment => [Math.max(i.fromSec, fromSec), Math.min(i.toSec, toSec)];
  const operating = intervals.filter((i) => i.kind === 'operating');
  const up = operating.length === 0 ? [[fromSec, toSec] as Segment] : merge(operating.map(clip));
  const down = merge(intervals.filter((i) => i.kind === 'down').map(clip));
  const result: Segment[] = [];
  for (const [from, to] of up) {
    let cursor = from;
    for (const [dFrom, dTo] of down) {
      if (dTo <= cursor || dFrom >= to) continue;
      if (dFrom > cursor) result.push([cursor, dFrom]);
      cursor = Math.max(cursor, dTo);
    }
    if (cursor < to) result.push([cursor, to]);
  }
  return result;
}

/** Sorted union of segments, empty ones dropped. */
function merge(segments: Segment[]): Segment[] {
  const sorted = segments.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: Segment[] = [];
  for (const [from, to] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && from <= last[1]) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}
