import { describe, expect, it } from 'vitest';
import { hashSeed, Rng } from '../util/random.js';
import { fitRate, rateInterval } from './rate-interval.js';
import { syntheticDays, type SyntheticDaysOptions } from './testdata/synthetic-days.js';

/** χ² quantiles halved (tables: 0.0253/5.5716, 4.7954/18.390; digits from scipy): the Garwood bounds of counts 0, 1 and 10. */
const GARWOOD = {
  0: [0, 3.6888794541139354],
  1: [0.025317807984289876, 5.571643390938898],
  10: [4.7953886961324335, 18.39035604201778],
} as const;
const Z = 1.959963984540054;
const T1 = 12.706204736174694;

describe('rateInterval()', () => {
  it('is the exact Poisson (Garwood) interval when the days show no over-dispersion', () => {
    for (const [count, [low, high]] of Object.entries(GARWOOD)) {
      const interval = rateInterval({ counts: [Number(count)], exposures: [1] })!;
      expect(interval.rate).toBe(Number(count));
      expect(interval.low).toBeCloseTo(low, 9);
      expect(interval.high).toBeCloseTo(high, 9);
      expect(interval.dispersion).toBe(1);
    }
    // Ten even days of one count each: no day-to-day variance beyond Poisson, 10 over 20 address-days.
    const even = rateInterval({ counts: new Array<number>(10).fill(1), exposures: new Array<number>(10).fill(2) })!;
    expect(even.rate).toBe(0.5);
    expect(even.low).toBeCloseTo(GARWOOD[10][0] / 20, 9);
    expect(even.high).toBeCloseTo(GARWOOD[10][1] / 20, 9);
  });

  it('scales by the estimated dispersion and widens by t(n − 1)/z for it', () => {
    // Days 0 and 20 over 1 address-day each: rate 10, residuals ±10, φ̂ = 2·200/20 = 20, effective count 1.
    const interval = rateInterval({ counts: [0, 20], exposures: [1, 1] })!;
    expect(interval.dispersion).toBeCloseTo(20, 12);
    const widen = T1 / Z;
    const [low, high] = GARWOOD[1];
    // Garwood bounds of 1 scaled by φ̂/E = 10, then stretched on the log scale around the rate.
    expect(interval.low).toBeCloseTo(10 * ((low * 10) / 10) ** widen, 9);
    expect(interval.high).toBeCloseTo(10 * ((high * 10) / 10) ** widen, 6);
  });

  it('weighs partly observed days by their exposure and skips days nothing observed', () => {
    // Exposures 1, 0.5, 0 (down): the rate is 30 / 1.5 = 20, residuals 0 and 0, so Poisson.
    const interval = rateInterval({ counts: [20, 10, 0], exposures: [1, 0.5, 0] })!;
    expect(interval.rate).toBe(20);
    expect(interval.days).toBe(2);
    expect(interval.dispersion).toBe(1);
    const fit = fitRate({ counts: [20, 5, 0], exposures: [1, 0.5, 0] });
    // Rate 25/1.5; residuals 20 − 16.67 and 5 − 8.33: φ̂ = 2 · (2 · 3.333²) / 25.
    expect(fit.dispersion).toBeCloseTo((2 * (2 * (10 / 3) ** 2)) / 25, 12);
    expect(fit.df).toBe(1);
  });

  it('is null when nothing was observed and rejects mismatched or negative input', () => {
    expect(rateInterval({ counts: [0, 0], exposures: [0, 0] })).toBeNull();
    expect(() => rateInterval({ counts: [1], exposures: [1, 1] })).toThrow(RangeError);
    expect(() => rateInterval({ counts: [-1], exposures: [1] })).toThrow(/day 0/);
    expect(() => rateInterval({ counts: [1], exposures: [1] }, 1)).toThrow(RangeError);
  });
});

/** Seeds per scenario: the coverage's standard error is then 0.7 points, the ±3 band 4.4 of them. */
const SEEDS = 1000;
const TARGET = 95;
const TOLERANCE = 3;

function coverage(options: SyntheticDaysOptions, salt: number): number {
  let hits = 0;
  for (let seed = 0; seed < SEEDS; seed++) {
    const days = syntheticDays(new Rng(hashSeed(salt, seed)), options);
    const interval = rateInterval(days);
    if (interval !== null && interval.low <= days.truth && days.truth <= interval.high) hits += 1;
  }
  return (hits / SEEDS) * 100;
}

describe('rateInterval() coverage on simulated days with a known rate', () => {
  const scenarios: [string, SyntheticDaysOptions][] = [
    [
      'a quarter of busy /28 days, 10 % partly observed, 3 % down (jitter 0.5)',
      { days: 91, addresses: 16, rate: 500, jitter: 0.5, partialShare: 0.1, downShare: 0.03 },
    ],
    [
      'a quarter at the simulator default jitter 0.12',
      { days: 91, addresses: 16, rate: 50, jitter: 0.12, partialShare: 0.1 },
    ],
    [
      'a month on one address with heavy day noise (jitter 1)',
      { days: 30, addresses: 1, rate: 2, jitter: 1, partialShare: 0.1 },
    ],
    [
      'a month with a weekday shape (jitter 0.3)',
      { days: 30, addresses: 8, rate: 20, jitter: 0.3, weekly: 'weekdays' },
    ],
    [
      'a quarter of a rare service, 20 % partly observed (jitter 1)',
      { days: 91, addresses: 16, rate: 5, jitter: 1, partialShare: 0.2 },
    ],
    ['a week (jitter 0.5)', { days: 7, addresses: 4, rate: 100, jitter: 0.5 }],
    ['one day, Poisson counts', { days: 1, addresses: 16, rate: 5, jitter: 0 }],
  ];
  scenarios.forEach(([name, options], salt) => {
    it(`covers the true rate ${TARGET} ± ${TOLERANCE} % of the time: ${name}`, () => {
      const measured = coverage(options, salt);
      expect(measured).toBeGreaterThanOrEqual(TARGET - TOLERANCE);
      expect(measured).toBeLessThanOrEqual(TARGET + TOLERANCE);
    });
  });

  it('stays at or above the level for a handful of packets (exact Poisson bounds are conservative)', () => {
    expect(coverage({ days: 30, addresses: 1, rate: 0.02, jitter: 0 }, 99)).toBeGreaterThanOrEqual(TARGET);
  });
});
