import { describe, expect, it } from 'vitest';
import { dayFromCivil } from '../util/tz.js';
import {
  deseasonalise,
  differenceNoiseScale,
  MAD_TO_SIGMA,
  median,
  medianAbsoluteDeviation,
  runningMedian,
  sidedNoiseScale,
  trailingBaseline,
  weekdayFactors,
  weekdayOf,
} from './baseline.js';

const JUNE_1_2010 = dayFromCivil(2010, 6, 1);
const range = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i);

describe('weekdayOf()', () => {
  it('weekdayOf() counts from Sunday = 0', () => {
    expect(weekdayOf(0)).toBe(4); // 1970-01-01, a Thursday
    expect(weekdayOf(JUNE_1_2010)).toBe(2); // a Tuesday
    expect(weekdayOf(dayFromCivil(2010, 6, 6))).toBe(0);
    expect(weekdayOf(-1)).toBe(3); // 1969-12-31, a Wednesday
  });
});

describe('median()', () => {
  it('median() takes the middle or the mean of the two middles, leaving the input alone', () => {
    const values = [5, 1, 4, 2, 3];
    expect(median(values)).toBe(3);
    expect(values).toEqual([5, 1, 4, 2, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([1, 2, 3, 4, 100], 3, 5)).toBe(52);
    expect(median([])).toBeNaN();
  });

  it('medianAbsoluteDeviation() ignores a single outlier', () => {
    expect(medianAbsoluteDeviation([1, 2, 3, 4, 1000])).toBe(1);
    expect(medianAbsoluteDeviation([7, 7, 7])).toBe(0);
  });
});

describe('differenceNoiseScale()', () => {
  it('differenceNoiseScale() is not moved by a level shift', () => {
    // Alternating ±1 noise has differences of 2: σ ≈ 1.4826 × 2 / √2.
    const noise = range(0, 40).map((i) => (i % 2 === 0 ? 1 : -1));
    const expected = (MAD_TO_SIGMA * 2) / Math.SQRT2;
    expect(differenceNoiseScale(noise)).toBeCloseTo(expected, 10);
    const shifted = noise.map((v, i) => v + (i >= 20 ? 50 : 0));
    expect(differenceNoiseScale(shifted)).toBeCloseTo(expected, 10);
    expect(differenceNoiseScale([3])).toBe(0);
  });
});

describe('runningMedian()', () => {
  it('runningMedian() removes runs up to its half width and keeps steps', () => {
    const values = [1, 1, 1, 1, 9, 9, 9, 1, 1, 1, 1, 5, 5, 5, 5, 5, 5];
    expect(Array.from(runningMedian(values, 3))).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 5, 5, 5, 5, 5, 5]);
    expect(Array.from(runningMedian([4, 2], 3))).toEqual([3, 3]);
  });
});

describe('sidedNoiseScale()', () => {
  it('sidedNoiseScale() takes the noisier side, so quiet zeros do not shrink the noise next to them', () => {
    const values = [...Array.from({ length: 20 }, () => 0), ...Array.from({ length: 20 }, (_, i) => (i % 2) * 2)];
    const noise = sidedNoiseScale(values, { halfWindow: 5, floor: 0.01 });
    const busy = (MAD_TO_SIGMA * 2) / Math.SQRT2;
    expect(noise[5]).toBe(0.01);
    expect(noise[19]).toBeCloseTo(busy, 10);
    expect(noise[30]).toBeCloseTo(busy, 10);
  });
});

describe('weekdayFactors()', () => {
  const weekly = [0.5, 1.1, 1.1, 1.1, 1.1, 1.1, 0.5]; // Sunday..Saturday, mean 0.9286
  const mean = weekly.reduce((a, b) => a + b) / 7;

  it('weekdayFactors() recovers the weekly pattern across a level shift and a spike', () => {
    const days = range(JUNE_1_2010, 8 * 7);
    const values = days.map((day, i) => (i < 30 ? 10 : 40) * (weekly[weekdayOf(day)] as number) * (i === 17 ? 9 : 1));
    const factors = weekdayFactors(days, values);
    expect(factors).not.toBeNull();
    factors?.forEach((factor, weekday) => expect(factor).toBeCloseTo((weekly[weekday] as number) / mean, 6));
    const flat = deseasonalise(days, values, factors ?? []);
    expect(flat[0]).toBeCloseTo(10 * mean, 6);
    expect(flat[50]).toBeCloseTo(40 * mean, 6);
  });

  it('weekdayFactors() needs three usable weeks of every weekday', () => {
    const days = range(JUNE_1_2010, 20);
    expect(
      weekdayFactors(
        days,
        days.map(() => 1),
      ),
    ).toBeNull();
    const longer = range(JUNE_1_2010, 28);
    expect(
      weekdayFactors(
        longer,
        longer.map(() => 1),
      ),
    ).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(
      weekdayFactors(
        longer,
        longer.map(() => 0),
      ),
    ).toBeNull();
  });

  it('weekdayFactors() uses only centred windows of seven calendar days', () => {
    // Every other day missing: no run of seven consecutive days, so no factors.
    const days = range(0, 60).map((i) => JUNE_1_2010 + 2 * i);
    expect(
      weekdayFactors(
        days,
        days.map(() => 1),
      ),
    ).toBeNull();
  });
});

describe('trailingBaseline()', () => {
  it('trailingBaseline() takes the median and MAD of the days before, not the day itself', () => {
    const days = range(JUNE_1_2010, 40);
    const values = days.map((_, i) => (i === 35 ? 1000 : i % 4));
    const base = trailingBaseline(days, values, { window: 28, minSamples: 14 });
    expect(base.level[13]).toBeNaN();
    expect(base.level[14]).toBe(1); // 0,1,2,3,0,1,2,3,0,1,2,3,0,1
    expect(base.from[14]).toBe(0);
    expect(base.from[35]).toBe(7);
    expect(base.level[35]).toBe(1.5);
    expect(base.spread[35]).toBeCloseTo(MAD_TO_SIGMA * 1, 10);
    // Day 36's window holds the outlier; the median does not move.
    expect(base.level[36]).toBe(1.5);
  });

  it('trailingBaseline() measures its window in days, not in entries', () => {
    const days = [0, 1, 2, 10, 20, 30, 31].map((d) => JUNE_1_2010 + d);
    const base = trailingBaseline(days, [1, 2, 3, 4, 5, 6, 7], { window: 10, minSamples: 1 });
    expect(Array.from(base.from)).toEqual([0, 0, 0, 0, 3, 4, 5]);
    expect(Array.from(base.level)).toEqual([Number.NaN, 1, 1.5, 2, 4, 5, 6]);
  });

  it('trailingBaseline() rejects a window that cannot hold its minimum', () => {
    expect(() => trailingBaseline([0], [1], { window: 7, minSamples: 8 })).toThrow(RangeError);
    expect(() => trailingBaseline([0], [1], { window: 0 })).toThrow(/window 0/);
  });
});
