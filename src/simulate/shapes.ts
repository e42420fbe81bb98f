/**
 * @module
 * How traffic is spread over time: diurnal (24 local hours) and weekly
 * (Monday..Sunday) weights, trend keyframes, event shapes, and `DayWindow`,
 * which turns one local day plus a stream's active intervals into weighted
 * segments to draw packet times from.
 *
 * Masses are in "days": a fully active day has mass 1 whatever its diurnal
 * weights, so a stream's expected packets for a day are simply
 * `rate × mass × factors`.
 */

import type { DiurnalSpec, EventShape, WeeklySpec } from './scenario-schema.js';

const HOURS = 24;
const SECONDS_PER_HOUR = 3600;
/** 1970-01-01 was a Thursday: index 3 with Monday = 0. */
const EPOCH_WEEKDAY = 3;
const DAYS_PER_WEEK = 7;
/** Steepness of the `decay` shape: the rate falls to e^-3 ≈ 5 % by the end. */
const DECAY_RATE = 3;

const DIURNAL: Readonly<Record<string, readonly number[]>> = {
  flat: new Array<number>(HOURS).fill(1),
  // Office hours in the observatory's zone: infected office PCs are on.
  office: [
    0.5, 0.45, 0.4, 0.4, 0.4, 0.45, 0.6, 0.8, 1.2, 1.6, 1.7, 1.7, 1.5, 1.7, 1.7, 1.6, 1.5, 1.3, 1.1, 1, 0.9, 0.8, 0.7,
    0.6,
  ],
  // Home PCs: evenings and late nights.
  evening: [
    1.2, 1, 0.8, 0.6, 0.5, 0.45, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.95, 1, 1, 1.05, 1.1, 1.3, 1.5, 1.7, 1.8, 1.7,
    1.5,
  ],
  night: [
    1.8, 1.8, 1.7, 1.6, 1.5, 1.3, 1, 0.8, 0.7, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.2, 1.4, 1.5, 1.7,
  ],
};

const WEEKLY: Readonly<Record<string, readonly number[]>> = {
  flat: [1, 1, 1, 1, 1, 1, 1],
  weekdays: [1.1, 1.12, 1.12, 1.1, 1.06, 0.75, 0.75],
  weekends: [0.9, 0.88, 0.88, 0.9, 0.96, 1.24, 1.24],
};

function normalised(values: readonly number[], what: string): Float64Array {
  const sum = values.reduce((a, b) => a + b, 0);
  if (!(sum > 0)) throw new RangeError(`Cannot use ${what} weights: they sum to ${sum}`);
  return Float64Array.from(values, (v) => (v * values.length) / sum);
}

/** 24 hourly weights with mean 1. */
export function diurnalWeights(spec: DiurnalSpec | undefined): Float64Array {
  return normalised(typeof spec === 'string' || spec === undefined ? DIURNAL[spec ?? 'flat']! : spec, 'diurnal');
}

/** 7 weights, Monday first, with mean 1. */
export function weeklyWeights(spec: WeeklySpec | undefined): Float64Array {
  return normalised(typeof spec === 'string' || spec === undefined ? WEEKLY[spec ?? 'flat']! : spec, 'weekly');
}

/** Monday = 0 … Sunday = 6 for a day number. */
export function weekdayOf(day: number): number {
  return (((day + EPOCH_WEEKDAY) % DAYS_PER_WEEK) + DAYS_PER_WEEK) % DAYS_PER_WEEK;
}

export interface Keyframe {
  sec: number;
  factor: number;
}

/** Linear interpolation between keyframes (sorted by time), constant outside them. */
export function trendAt(keyframes: readonly Keyframe[], sec: number): number {
  if (keyframes.length === 0) return 1;
  const first = keyframes[0]!;
  if (sec <= first.sec) return first.factor;
  for (let k = 1; k < keyframes.length; k++) {
    const b = keyframes[k]!;
    if (sec <= b.sec) {
      const a = keyframes[k - 1]!;
      return b.sec === a.sec ? b.factor : a.factor + ((b.factor - a.factor) * (sec - a.sec)) / (b.sec - a.sec);
    }
  }
  return keyframes[keyframes.length - 1]!.factor;
}

/** Level of an event of `shape` over `[from, to)` at `sec`, 0..1. */
export function shapeAt(shape: EventShape, from: number, to: number, sec: number): number {
  const x = to > from ? Math.min(1, Math.max(0, (sec - from) / (to - from))) : 0;
  switch (shape) {
    case 'step':
      return 1;
    case 'ramp-up':
      return x;
    case 'ramp-down':
      return 1 - x;
    case 'triangle':
      return 1 - Math.abs(2 * x - 1);
    case 'decay':
      return Math.exp(-DECAY_RATE * x);
  }
}

/** A half-open interval of epoch seconds. */
export type Interval = readonly [from: number, to: number];

/**
 * The active part of one local day, split at hour boundaries and weighted by
 * the diurnal curve. Reused for every stream and day: `reset` refills it.
 */
export class DayWindow {
  /** Up to 24 hours × intervals segments: start, end and cumulative mass. */
  private starts: Float64Array = new Float64Array(64);
  private ends: Float64Array = new Float64Array(64);
  private cumulative: Float64Array = new Float64Array(64);
  private intervalOf: Int32Array = new Int32Array(64);
  count = 0;
  /** Total mass (1 for a fully active day). */
  mass = 0;
  /** Mass-weighted middle of the active part, for evaluating trends. */
  middle = 0;

  /** Fills the window for day `[dayStart, dayEnd)` and the stream's active `intervals`. */
  reset(dayStart: number, dayEnd: number, intervals: readonly Interval[], diurnal: Float64Array): void {
    this.count = 0;
    this.mass = 0;
    let weightedTime = 0;
    const dayLength = dayEnd - dayStart;
    for (let h = 0; h < HOURS; h++) {
      const hourStart = dayStart + h * SECONDS_PER_HOUR;
      // The last hour runs to the real end of the day (25-hour DST days).
      const hourEnd = h === HOURS - 1 ? dayEnd : Math.min(dayEnd, hourStart + SECONDS_PER_HOUR);
      if (hourStart >= dayEnd) break;
      // Mass per second: a full day of weight-1 hours sums to 1 whatever the day's length.
      const density = diurnal[h]! / dayLength;
      for (let k = 0; k < intervals.length; k++) {
        const [from, to] = intervals[k]!;
        const a = Math.max(from, hourStart);
        const b = Math.min(to, hourEnd);
        if (b <= a) continue;
        this.push(a, b, (b - a) * density, k);
        weightedTime += ((a + b) / 2) * (b - a) * density;
      }
    }
    this.middle = this.mass > 0 ? weightedTime / this.mass : (dayStart + dayEnd) / 2;
  }

  private push(start: number, end: number, mass: number, interval: number): void {
    if (this.count === this.starts.length) this.grow();
    this.intervalOf[this.count] = interval;
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.mass += mass;
    this.cumulative[this.count] = this.mass;
    this.count++;
  }

  private grow(): void {
    const size = this.starts.length * 2;
    const copy = (a: Float64Array): Float64Array => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    this.starts = copy(this.starts);
    this.ends = copy(this.ends);
    this.cumulative = copy(this.cumulative);
    const intervals = new Int32Array(size);
    intervals.set(this.intervalOf);
    this.intervalOf = intervals;
  }

  /** Segment index for a uniform `u` in [0, 1). */
  segmentAt(u: number): number {
    const target = u * this.mass;
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  segmentStart(k: number): number {
    return this.starts[k]!;
  }

  segmentEnd(k: number): number {
    return this.ends[k]!;
  }

  /** Index (in the `intervals` given to `reset`) of the interval segment `k` lies in. */
  segmentInterval(k: number): number {
    return this.intervalOf[k]!;
  }
}
