import { describe, expect, it } from 'vitest';
import { dayFromCivil } from '../util/tz.js';
import { weekdayOf } from './baseline.js';
import { detectChanges, FindingInputError, type DetectedChange } from './change-point.js';
import { uniform as prng } from '../util/random.js';

interface Generator {
  uniform(low: number, high: number): number;
  logUniform(low: number, high: number): number;
  normal(): number;
  poisson(mean: number): number;
}

const POISSON_NORMAL_ABOVE = 50;

function generator(seed: number): Generator {
  const random = prng(seed);
  const normal = (): number => {
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  return {
    uniform: (low, high) => low + (high - low) * random(),
    logUniform: (low, high) => Math.exp(Math.log(low) + (Math.log(high) - Math.log(low)) * random()),
    normal,
    poisson: (mean) => {
      if (mean > POISSON_NORMAL_ABOVE) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal()));
      const limit = Math.exp(-mean);
      let product = random();
      let count = 0;
      while (product > limit) {
        product *= random();
        count += 1;
      }
      return count;
    },
  };
}

const START_DAY = dayFromCivil(2010, 1, 1);
const DAYS = 182;
const ADDRESSES = 256;
const SERIES = 200;

interface Planted {
  day: number;
  up: boolean;
}

interface Synthetic {
  days: number[];
  values: number[];
  shifts: Planted[];
  spikes: { from: number; to: number }[];
}

interface SyntheticOptions {
  level?: [number, number];
  shifts?: number;
  spikes?: number;
  ratio?: [number, number];
}

/**
 * A half year of accesses per day per address: a level, a weekly pattern
 * (quieter weekends), lognormal day-to-day noise, Poisson counting noise over
 * 256 addresses, and planted level shifts and spikes at known days.
 */
function synthetic(seed: number, options: SyntheticOptions = {}): Synthetic {
  const g = generator(seed);
  const [low, high] = options.level ?? [0.5, 200];
  let level = g.logUniform(low, high);
  const weekend = g.uniform(0.55, 0.9);
  const week = Array.from({ length: 7 }, (_, wd) => (wd === 0 || wd === 6 ? weekend : g.uniform(0.9, 1.15)));
  const noise = g.uniform(0.05, 0.15);
  const shiftCount = options.shifts ?? Math.floor(g.uniform(0, 3));
  const shifts: Planted[] = [];
  for (let attempt = 0; shifts.length < shiftCount && attempt < 100; attempt += 1) {
    const index = Math.floor(g.uniform(10, DAYS - 10));
    if (shifts.every((s) => Math.abs(s.day - (START_DAY + index)) >= 20)) {
      shifts.push({ day: START_DAY + index, up: g.uniform(0, 1) < 0.5 });
    }
  }
  shifts.sort((a, b) => a.day - b.day);
  const spikes: { from: number; to: number; ratio: number }[] = [];
  for (let attempt = 0; spikes.length < (options.spikes ?? 0) && attempt < 100; attempt += 1) {
    const from = START_DAY + Math.floor(g.uniform(20, DAYS - 10));
    const to = from + Math.floor(g.uniform(0, 3));
    const clear = (day: number): boolean => Math.abs(day - from) >= 12 && Math.abs(day - to) >= 12;
    if (shifts.every((s) => clear(s.day)) && spikes.every((s) => clear(s.from))) {
      spikes.push({ from, to, ratio: g.uniform(4, 12) });
    }
  }
  const [ratioLow, ratioHigh] = options.ratio ?? [1.6, 4];
  const days: number[] = [];
  const values: number[] = [];
  for (let index = 0; index < DAYS; index += 1) {
    const day = START_DAY + index;
    for (const shift of shifts) {
      if (shift.day === day) level *= shift.up ? g.uniform(ratioLow, ratioHigh) : 1 / g.uniform(ratioLow, ratioHigh);
    }
    const spike = spikes.find((s) => day >= s.from && day <= s.to);
    const mean = level * (week[weekdayOf(day)] as number) * Math.exp(noise * g.normal()) * (spike?.ratio ?? 1);
    days.push(day);
    values.push(g.poisson(mean * ADDRESSES) / ADDRESSES);
  }
  return { days, values, shifts, spikes };
}

const isShift = (change: DetectedChange): boolean => change.kind !== 'spike';

/** Matches detected level shifts to planted ones within ±1 day and the right direction. */
function score(cases: readonly Synthetic[]): { precision: number; recall: number; detected: number; planted: number } {
  let detected = 0;
  let planted = 0;
  let matched = 0;
  for (const series of cases) {
    const changes = detectChanges(series).filter(isShift);
    detected += changes.length;
    planted += series.shifts.length;
    const open = [...series.shifts];
    for (const change of changes) {
      const up = change.kind !== 'drop';
      const hit = open.findIndex((s) => s.up === up && Math.abs(s.day - change.fromDay) <= 1);
      if (hit >= 0) {
        matched += 1;
        open.splice(hit, 1);
      }
    }
  }
  return {
    precision: detected === 0 ? 1 : matched / detected,
    recall: planted === 0 ? 1 : matched / planted,
    detected,
    planted,
  };
}

describe('detectChanges()', () => {
  it('detectChanges() finds planted level shifts within ±1 day in 200 seasonal series', () => {
    const cases = Array.from({ length: SERIES }, (_, seed) => synthetic(1000 + seed));
    const result = score(cases);
    console.log(
      `level shifts: ${result.planted} planted, ${result.detected} detected, ` +
        `precision ${result.precision.toFixed(3)}, recall ${result.recall.toFixed(3)}`,
    );
    expect(result.planted).toBeGreaterThan(150);
    expect(result.precision).toBeGreaterThanOrEqual(0.95);
    expect(result.recall).toBeGreaterThanOrEqual(0.95);
  });

  it('detectChanges() reports nothing on pure weekly-seasonal noise above the floor', () => {
    const found: DetectedChange[] = [];
    for (let seed = 0; seed < 100; seed += 1) {
      found.push(...detectChanges(synthetic(5000 + seed, { shifts: 0 })));
    }
    expect(found).toEqual([]);
  });

  it('detectChanges() reports nothing on series below the floor, whatever their noise', () => {
    const found: DetectedChange[] = [];
    for (let seed = 0; seed < 100; seed += 1) {
      const series = synthetic(7000 + seed, { level: [0.002, 0.02], ratio: [1.6, 2] });
      found.push(...detectChanges(series));
    }
    expect(found).toEqual([]);
  });

  it('detectChanges() tells spikes of 1 to 3 days from sustained surges', () => {
    let planted = 0;
    let matched = 0;
    let detected = 0;
    for (let seed = 0; seed < 100; seed += 1) {
      const series = synthetic(9000 + seed, { shifts: 0, spikes: 2 });
      const changes = detectChanges(series);
      expect(changes.filter(isShift)).toEqual([]);
      const spikes = changes.filter((c) => c.kind === 'spike');
      planted += series.spikes.length;
      detected += spikes.length;
      matched += series.spikes.filter((s) => spikes.some((c) => c.fromDay === s.from && c.toDay === s.to)).length;
    }
    console.log(
      `spikes: ${planted} planted, ${detected} detected, ${matched} with their exact days: ` +
        `precision ${(matched / detected).toFixed(3)}, recall ${(matched / planted).toFixed(3)}`,
    );
    expect(matched / detected).toBeGreaterThanOrEqual(0.95);
    expect(matched / planted).toBeGreaterThanOrEqual(0.95);
  });

  it('detectChanges() reports a series rising from nothing as a new entry on its first day', () => {
    const g = generator(42);
    const days = Array.from({ length: 120 }, (_, i) => START_DAY + i);
    const values = days.map((_, i) =>
      i < 80 ? (g.uniform(0, 1) < 0.1 ? 1 / ADDRESSES : 0) : 5 * Math.exp(0.1 * g.normal()),
    );
    const [change, ...rest] = detectChanges({ days, values });
    expect(rest).toEqual([]);
    expect(change).toMatchObject({ kind: 'new-entry', fromDay: START_DAY + 80, toDay: START_DAY + 119, ongoing: true });
    expect(change?.before.level).toBeLessThan(0.01);
    expect(change?.after.level).toBeCloseTo(5, 0);
    expect(change?.before).toMatchObject({ fromDay: START_DAY, toDay: START_DAY + 79 });
  });

  it('detectChanges() bounds a temporary surge by the drop that ends it', () => {
    const g = generator(43);
    const days = Array.from({ length: 120 }, (_, i) => START_DAY + i);
    const values = days.map((_, i) => (i >= 60 && i < 72 ? 12 : 4) * Math.exp(0.08 * g.normal()));
    const changes = detectChanges({ days, values });
    expect(changes.map((c) => [c.kind, c.fromDay - START_DAY, c.toDay - START_DAY, c.ongoing])).toEqual([
      ['surge', 60, 71, false],
      ['drop', 72, 119, true],
    ]);
    const [surge] = changes;
    expect(surge?.after.level).toBeCloseTo(12, 0);
    expect(surge?.before.level).toBeCloseTo(4, 0);
    expect(surge?.score).toBeGreaterThan(10);
  });

  it('detectChanges() reports only changes starting in [fromDay, toDay) but judges them on the whole series', () => {
    const series = synthetic(1003, { shifts: 2 });
    const all = detectChanges(series).filter(isShift);
    expect(all.length).toBe(2);
    const [first, second] = all as [DetectedChange, DetectedChange];
    const late = detectChanges(series, { fromDay: first.fromDay + 1 }).filter(isShift);
    expect(late).toEqual([second]);
    expect(detectChanges(series, { toDay: second.fromDay }).filter(isShift)).toEqual([first]);
  });

  it('detectChanges() does not read a deep weekend dip as drops', () => {
    const g = generator(44);
    const days = Array.from({ length: 182 }, (_, i) => START_DAY + i);
    const values = days.map((day) => {
      const weekday = weekdayOf(day);
      return 20 * (weekday === 0 || weekday === 6 ? 0.2 : 1) * Math.exp(0.1 * g.normal());
    });
    expect(detectChanges({ days, values })).toEqual([]);
  });

  it('detectChanges() does not place a change in the last days of a series', () => {
    const g = generator(45);
    const days = Array.from({ length: 90 }, (_, i) => START_DAY + i);
    const values = days.map((_, i) => (i >= 87 ? 40 : 10) * Math.exp(0.08 * g.normal()));
    expect(detectChanges({ days, values })).toEqual([]);
    // Two more days of the new level and it is placed on its first day.
    const longer = [...days, START_DAY + 90, START_DAY + 91];
    const more = [...values, 40, 41];
    expect(detectChanges({ days: longer, values: more }).map((c) => [c.kind, c.fromDay - START_DAY])).toEqual([
      ['surge', 87],
    ]);
  });

  it('detectChanges() names the field and index of bad input', () => {
    expect(() => detectChanges({ days: [1, 2], values: [1] })).toThrow(FindingInputError);
    expect(() => detectChanges({ days: [1, 1], values: [1, 1] })).toThrow(/days\[1\] 1 does not follow 1/);
    try {
      detectChanges({ days: [1, 2, 3], values: [1, Number.NaN, 1] });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'TEITEN_FINDING_INPUT', field: 'values', index: 1 });
    }
    expect(() => detectChanges({ days: [1], values: [1] }, { minRatio: 0.5 })).toThrow(/minRatio 0.5/);
    expect(detectChanges({ days: [], values: [] })).toEqual([]);
  });
});
