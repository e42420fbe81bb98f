/**
 * @module
 * `ObservedTime`: when a sensor was observing, from its intervals: inside an
 * operating interval (always, when none is declared) and outside every
 * downtime, half-open `[from, to)` as in `address-days.ts`. The ingest counts
 * only packets inside it, so the "per day per sensor address" figures divide
 * packets and address-days taken over the same time: a packet stamped inside
 * a declared downtime is excluded and reported, like one to another address.
 */

import type { SensorInterval } from '../store/index.js';

type Segment = [number, number];

export class ObservedTime {
  /** Disjoint observed segments `[starts[k], ends[k])`, sorted. */
  private readonly starts: Float64Array;
  private readonly ends: Float64Array;
  private last = 0;

  constructor(intervals: readonly SensorInterval[]) {
    const operating = intervals.filter((i) => i.kind === 'operating');
    const up = operating.length === 0 ? [[-Infinity, Infinity] as Segment] : merge(operating.map((i) => [i.fromSec, i.toSec]));
    const down = merge(intervals.filter((i) => i.kind === 'down').map((i) => [i.fromSec, i.toSec]));
    const observed: Segment[] = [];
    for (const [from, to] of up) {
      let cursor = from;
      for (const [dFrom, dTo] of down) {
        if (dTo <= cursor || dFrom >= to) continue;
        if (dFrom > cursor) observed.push([cursor, dFrom]);
        cursor = Math.max(cursor, dTo);
      }
      if (cursor < to) observed.push([cursor, to]);
    }
    this.starts = Float64Array.from(observed, (s) => s[0]);
    this.ends = Float64Array.from(observed, (s) => s[1]);
  }

  /** True when the sensor observed at `sec` (epoch seconds, fractions allowed). */
  has(sec: number): boolean {
    const starts = this.starts;
    const ends = this.ends;
    const hit = this.last;
    if (hit < starts.length && sec >= starts[hit]! && sec < ends[hit]!) return true;
    let lo = 0;
    let hi = starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= sec) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found < 0 || sec >= ends[found]!) return false;
    this.last = found;
    return true;
  }

  /** True when the sensor observed all the time (no downtime, no operating bounds). */
  get always(): boolean {
    return this.starts.length === 1 && this.starts[0] === -Infinity && this.ends[0] === Infinity;
  }
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
