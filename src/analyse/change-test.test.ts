import { describe, expect, it } from 'vitest';
import { hashSeed, Rng } from '../util/random.js';
import { rateChangeTest } from './change-test.js';
import { studentTTwoSided } from './distributions.js';
import { syntheticDays, type SyntheticDaysOptions } from './testdata/synthetic-days.js';

describe('rateChangeTest()', () => {
  it('is the textbook Wald test of a Poisson rate ratio when neither period is over-dispersed', () => {
    // 30 packets over 10 address-days against 15 over 10: ratio 2, se(log) = √(1/30 + 1/15).
    const test = rateChangeTest({ counts: [30], exposures: [10] }, { counts: [15], exposures: [10] })!;
    expect(test.ratio).toBeCloseTo(2, 12);
    expect(test.df).toBe(Number.POSITIVE_INFINITY);
    // z = 2.1919; two-sided normal p and the 95 % interval exp(log 2 ± 1.96 se), from scipy.
    expect(test.pValue).toBeCloseTo(0.028385006039040477, 9);
    expect(test.low).toBeCloseTo(1.076109420254179, 9);
    expect(test.high).toBeCloseTo(3.7170941213907343, 9);
  });

  it('uses each period’s dispersion with Welch–Satterthwaite degrees of freedom', () => {
    // Now: days 0 and 20 (rate 10, φ̂ 20, df 1); before: 10 and 10 (Poisson).
    const test = rateChangeTest({ counts: [0, 20], exposures: [1, 1] }, { counts: [10, 10], exposures: [1, 1] })!;
    const v1 = 20 / 20;
    const v0 = 1 / 20;
    expect(test.ratio).toBeCloseTo(1, 12);
    expect(test.df).toBeCloseTo((v1 + v0) ** 2 / (v1 * v1), 12);
    expect(test.pValue).toBeCloseTo(1, 12);
    const shifted = rateChangeTest({ counts: [0, 40], exposures: [1, 1] }, { counts: [10, 10], exposures: [1, 1] })!;
    const v = 40 / 40 + 1 / 20;
    expect(shifted.pValue).toBeCloseTo(studentTTwoSided(Math.log(2) / Math.sqrt(v), v ** 2 / 1), 12);
  });

  it('adds ½ to both counts when a period saw nothing, and is null when neither did or one observed nothing', () => {
    const test = rateChangeTest({ counts: [20], exposures: [1] }, { counts: [0], exposures: [1] })!;
    expect(test.ratio).toBeCloseTo(20.5 / 0.5, 12);
    expect(test.pValue).toBeLessThan(0.05);
    expect(rateChangeTest({ counts: [0], exposures: [1] }, { counts: [0], exposures: [1] })).toBeNull();
    expect(rateChangeTest({ counts: [3], exposures: [0] }, { counts: [1], exposures: [1] })).toBeNull();
  });
});

describe('rateChangeTest() on simulated periods', () => {
  const SEEDS = 1000;
  function rejections(now: SyntheticDaysOptions, before: SyntheticDaysOptions, salt: number): number {
    let rejected = 0;
    for (let seed = 0; seed < SEEDS; seed++) {
      const rng = new Rng(hashSeed(salt, seed));
      const test = rateChangeTest(syntheticDays(rng, now), syntheticDays(rng, before));
      if (test !== null && test.pValue < 0.05) rejected += 1;
    }
    return (rejected / SEEDS) * 100;
  }
  const quarter = { days: 91, addresses: 16, partialShare: 0.1, downShare: 0.02 };

  it('rejects an unchanged rate about 5 % of the time (size), from Poisson to heavy day noise', () => {
    for (const [jitter, rate] of [
      [0, 1],
      [0.12, 50],
      [0.5, 50],
      [1, 5],
    ] as const) {
      const size = rejections({ ...quarter, rate, jitter }, { ...quarter, rate, jitter }, jitter * 10 + rate);
      expect(size).toBeGreaterThanOrEqual(3);
      expect(size).toBeLessThanOrEqual(7.5);
    }
  });

  it('finds a 30 % rise over a quarter at the simulator’s day noise', () => {
    expect(
      rejections({ ...quarter, rate: 65, jitter: 0.25 }, { ...quarter, rate: 50, jitter: 0.25 }, 7),
    ).toBeGreaterThanOrEqual(99);
  });
});
