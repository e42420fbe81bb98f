/**
 * @module
 * Simulated day counts with a known rate for the interval and change-test
 * tests, drawn the way the simulator plans a day (`simulate/day-planner.ts`):
 * mean = rate × addresses × observed share of the day × weekly weight ×
 * a log-normal day factor of mean 1 (`jitter`), then Poisson counting noise.
 * Randomness is the simulator's seeded `Rng`.
 */

import { Rng } from '../../util/random.js';
import { weeklyWeights } from '../../simulate/shapes.js';
import { logGamma } from '../distributions.js';
import type { DayCounts } from '../rate-interval.js';

export interface SyntheticDaysOptions {
  days: number;
  addresses: number;
  /** True rate per day per address before the weekly weight. */
  rate: number;
  /** Log-deviation of the day factor (the simulator's `jitter`). */
  jitter: number;
  /** Share of days observed only partly (share of the day uniform in 0.1..0.9). */
  partialShare?: number;
  /** Share of days the sensor was down (exposure 0). */
  downShare?: number;
  weekly?: 'flat' | 'weekdays';
}

export interface SyntheticDays extends DayCounts {
  /** The expected rate given these exposures: Σ mean ÷ Σ exposure. */
  truth: number;
}

export function syntheticDays(rng: Rng, options: SyntheticDaysOptions): SyntheticDays {
  const week = weeklyWeights(options.weekly ?? 'flat');
  const counts: number[] = [];
  const exposures: number[] = [];
  let expected = 0;
  let exposure = 0;
  for (let d = 0; d < options.days; d++) {
    let share = 1;
    if (rng.chance(options.downShare ?? 0)) share = 0;
    else if (rng.chance(options.partialShare ?? 0)) share = 0.1 + 0.8 * rng.float();
    const e = options.addresses * share;
    const mean = options.rate * e * week[d % 7]!;
    const sigma = options.jitter;
    const factor = sigma === 0 ? 1 : Math.exp(sigma * rng.normal() - (sigma * sigma) / 2);
    counts.push(poisson(rng, mean * factor));
    exposures.push(e);
    expected += mean;
    exposure += e;
  }
  return { counts, exposures, truth: exposure > 0 ? expected / exposure : 0 };
}

/** Knuth's product method below 30, Hörmann's PTRS (as in NumPy) above: exact Poisson draws. */
export function poisson(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean < 30) {
    const limit = Math.exp(-mean);
    let k = 0;
    let product = rng.float();
    while (product > limit) {
      k += 1;
      product *= rng.float();
    }
    return k;
  }
  const slam = Math.sqrt(mean);
  const loglam = Math.log(mean);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rng.float() - 0.5;
    const v = rng.float();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -mean + k * loglam - logGamma(k + 1)) return k;
  }
}
