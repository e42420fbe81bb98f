/**
 * @module
 * Is a rate's change against the previous period larger than day-to-day
 * noise? The ratio of the two rates, its 95 % interval and a two-sided
 * p-value, under the quasi-Poisson day model of `rate-interval.ts`:
 *   log R̂ = log(λ̂₁/λ̂₀),  Var(log R̂) = φ̂₁/C₁ + φ̂₀/C₀,
 * a Wald t test whose degrees of freedom combine the two periods' by
 * Welch–Satterthwaite (a period whose φ̂ was floored to the Poisson 1
 * counts as known). A period with no packets gets the Haldane–Anscombe ½
 * added to both counts so the ratio stays finite. Multiple rows are then
 * corrected together (`multiple-testing.ts`).
 */

import { normalQuantile, studentTQuantile, studentTTwoSided } from './distributions.js';
import { fitRate, INTERVAL_LEVEL, type DayCounts, type RateFit } from './rate-interval.js';

/** Added to both counts when one is zero (Haldane–Anscombe). */
const ZERO_CORRECTION = 0.5;

export interface RateChangeTest {
  /** λ̂ now ÷ λ̂ before (with the ½ correction when a count is 0). */
  ratio: number;
  /** The ratio's 95 % interval. */
  low: number;
  high: number;
  /** Two-sided p-value of "the rate did not change". */
  pValue: number;
  /** Welch–Satterthwaite degrees of freedom (∞ when both periods look Poisson). */
  df: number;
}

/** The test of `current` against `previous`; null when either period observed nothing or neither saw a packet. */
export function rateChangeTest(
  current: DayCounts,
  previous: DayCounts,
  level: number = INTERVAL_LEVEL,
): RateChangeTest | null {
  if (!(level > 0 && level < 1)) throw new RangeError(`Cannot compute a ${level} interval: expected a level in (0, 1)`);
  const now = fitRate(current);
  const before = fitRate(previous);
  if (now.exposure === 0 || before.exposure === 0) return null;
  if (now.count === 0 && before.count === 0) return null;
  const add = now.count === 0 || before.count === 0 ? ZERO_CORRECTION : 0;
  const c1 = now.count + add;
  const c0 = before.count + add;
  const logRatio = Math.log(c1 / now.exposure) - Math.log(c0 / before.exposure);
  const v1 = now.dispersion / c1;
  const v0 = before.dispersion / c0;
  const variance = v1 + v0;
  const df = welchDf(variance, [
    [v1, now],
    [v0, before],
  ]);
  const se = Math.sqrt(variance);
  const tail = (1 - level) / 2;
  const q = df === Number.POSITIVE_INFINITY ? normalQuantile(1 - tail) : studentTQuantile(1 - tail, df);
  return {
    ratio: Math.exp(logRatio),
    low: Math.exp(logRatio - q * se),
    high: Math.exp(logRatio + q * se),
    pValue: studentTTwoSided(logRatio / se, df),
    df,
  };
}

/** (Σ vᵢ)² / Σ vᵢ²/dfᵢ, where a known (Poisson) variance has infinite degrees of freedom. */
function welchDf(variance: number, parts: readonly (readonly [number, RateFit])[]): number {
  let denominator = 0;
  for (const [v, fit] of parts) if (fit.df !== Number.POSITIVE_INFINITY) denominator += (v * v) / fit.df;
  return denominator === 0 ? Number.POSITIVE_INFINITY : (variance * variance) / denominator;
}
