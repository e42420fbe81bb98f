/**
 * @module
 * `ObservedTime`: when a sensor was observing, from its intervals: inside an
 * operating interval (always, when none is declared) and outside every
 * downtime, half-open `[from, to)` as in `address-days.ts`. The ingest counts
 * only packets inside it, so the "per day per sensor address" figures divide
 * packets and address-days taken over the same time: a packet stamped inside
 * a declared downtime is excluded and reported, like one to another address.
 */

import { observedSegments, type SensorInterval } from '../store/index.js';

export class ObservedTime {
  /** Disjoint observed segments `[starts[k], ends[k])`, sorted. */
  private readonly starts: Float64Array;
  private readonly ends: Float64Array;
  private last = 0;

  constructor(intervals: readonly SensorInterval[]) {
    const observed = observedSegments(intervals, -Infinity, Infinity);
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
