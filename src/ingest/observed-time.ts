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
import { segmentIndexOf } from '../util/segments.js';

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
    const found = segmentIndexOf(this.starts, this.ends, sec, this.last);
    if (found < 0) return false;
    this.last = found;
    return true;
  }

  /** True when the sensor observed all the time (no downtime, no operating bounds). */
  get always(): boolean {
    return this.starts.length === 1 && this.starts[0] === -Infinity && this.ends[0] === Infinity;
  }
}
