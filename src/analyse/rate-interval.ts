/**
 * @module
 * The 95 % interval of a rate "per day per address" from its day counts and
 * each day's exact exposure (address-days: addresses × observed share of
 * the day, so a partly observed day weighs by its share and a day nothing
 * observed not at all).
 *
 * Model: quasi-Poisson over days. A day's count has mean λ·e_d and variance
 * φ·λ·e_d; darknet days are over-dispersed (bursts, one heavy scanner), so
 * φ is estimated from the days themselves, as the sandwich (cluster-robust,
 * clusters = days) variance of the count total over its Poisson variance:
 *   φ̂ = max(1, n/(n−1) · Σ_d (c_d − λ̂ e_d)² / C),  λ̂ = C / E.
 * The interval is the exact Poisson (Garwood) interval of the effective
 * count C/φ̂, scaled back by φ̂/E; when φ̂ > 1 its distances from λ̂ on the
 * log scale are widened by t(n−1)/z, because φ̂ was estimated from n days.
 * For large counts this is λ̂·exp(±t(n−1)·√(φ̂/C)); for small or zero counts
 * it stays exact-Poisson (a zero count gives 0 … 3.69/E).
 *
 * Days are taken as independent given the rate. A weekly shape within the
 * period enters φ̂ as extra variance (intervals a little wide); bursts that
 * span several days are under-counted (a little narrow). The coverage test
 * (`rate-interval.test.ts`) measures both on simulated days.
 */

import { gammaQuantile, normalQuantile, studentTQuantile } from './distributions.js';

/** The level of every interval teiten prints. */
export const INTERVAL_LEVEL = 0.95;

/** A period's day counts and exposures, one entry per local day, in the same order. */
export interface DayCounts {
  counts: readonly number[];
  /** Address-days of each day (0: nothing observed). */
  exposures: readonly number[];
}

export interface RateInterval {
  /** Σ counts ÷ Σ exposures: the rate the tables print. */
  rate: number;
  low: number;
  high: number;
  /** φ̂: the day counts' variance over the Poisson variance (1 = Poisson). */
  dispersion: number;
  /** Days with exposure > 0. */
  days: number;
}

/** The sums and dispersion of `input`, shared by the interval and the change test. */
export interface RateFit {
  count: number;
  exposure: number;
  dispersion: number;
  days: number;
  /** Degrees of freedom of the dispersion: n − 1 when estimated (φ̂ > 1), else ∞. */
  df: number;
}

/** Sums, dispersion and its degrees of freedom; throws `RangeError` on mismatched or invalid input. */
export function fitRate(input: DayCounts): RateFit {
  const { counts, exposures } = input;
  if (counts.length !== exposures.length) {
    throw new RangeError(`Cannot fit a rate: ${counts.length} day counts against ${exposures.length} exposures`);
  }
  let count = 0;
  let exposure = 0;
  let days = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    const e = exposures[i]!;
    if (!(c >= 0) || !Number.isFinite(c) || !(e >= 0) || !Number.isFinite(e)) {
      throw new RangeError(`Cannot fit a rate: day ${i} has count ${c} and exposure ${e}, expected finite values ≥ 0`);
    }
    count += c;
    exposure += e;
    if (e > 0) days += 1;
  }
  if (exposure === 0 || count === 0 || days < 2)
    return { count, exposure, dispersion: 1, days, df: Number.POSITIVE_INFINITY };
  const rate = count / exposure;
  let squares = 0;
  for (let i = 0; i < counts.length; i++) {
    const residual = counts[i]! - rate * exposures[i]!;
    squares += residual * residual;
  }
  const dispersion = ((days / (days - 1)) * squares) / count;
  if (dispersion <= 1) return { count, exposure, dispersion: 1, days, df: Number.POSITIVE_INFINITY };
  return { count, exposure, dispersion, days, df: days - 1 };
}

/** The rate of `input` with its interval at `level` (default 95 %); null when nothing was observed. */
export function rateInterval(input: DayCounts, level: number = INTERVAL_LEVEL): RateInterval | null {
  if (!(level > 0 && level < 1)) throw new RangeError(`Cannot compute a ${level} interval: expected a level in (0, 1)`);
  const fit = fitRate(input);
  const { count, exposure, dispersion, days } = fit;
  if (exposure === 0) return null;
  const tail = (1 - level) / 2;
  const rate = count / exposure;
  const scale = dispersion / exposure;
  const effective = count / dispersion;
  const low = count === 0 ? 0 : gammaQuantile(tail, effective) * scale;
  const high = gammaQuantile(1 - tail, effective + 1) * scale;
  if (fit.df === Number.POSITIVE_INFINITY || count === 0) return { rate, low, high, dispersion, days };
  const widen = studentTQuantile(1 - tail, fit.df) / normalQuantile(1 - tail);
  return {
    rate,
    low: rate * (low / rate) ** widen,
    high: rate * (high / rate) ** widen,
    dispersion,
    days,
  };
}
