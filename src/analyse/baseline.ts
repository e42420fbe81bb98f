/**
 * @module
 * Robust level and spread of daily series, the yardstick every finding is
 * measured against: medians and median absolute deviations rather than means
 * and standard deviations, so one day of a worm outbreak or a sensor outage
 * does not move the baseline it is judged by; weekday factors, so the
 * weekend dip of office networks is not read as a drop every Saturday; and a
 * trailing window, so a day is compared with what came before it.
 *
 * Days are local day numbers (days since 1970-01-01, see `util/tz.ts`),
 * strictly increasing. A day missing from a series is not observed rather
 * than zero: windows are measured in days, but only the days present count.
 */

/** Scales a median absolute deviation to the σ of normally distributed data. */
export const MAD_TO_SIGMA = 1.4826;
/** Default length of the trailing window, in days: four whole weeks. */
export const DEFAULT_BASELINE_WINDOW = 28;
/** Default fewest days in a trailing window for it to give a level: two weeks. */
export const DEFAULT_BASELINE_MIN_SAMPLES = 14;
/** Default fewest samples of each weekday for weekday factors to be estimated. */
export const DEFAULT_MIN_WEEKS = 3;

const DAYS_PER_WEEK = 7;
const HALF_WEEK = 3;
/** 1970-01-01, day 0, was a Thursday; weekdays count from Sunday = 0. */
const EPOCH_WEEKDAY = 4;
/** A weekday factor outside [1/4, 4] says more about the data than the week: clamp it. */
const MAX_WEEKDAY_FACTOR = 4;

/** Weekday of a local day number: 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: number): number {
  return (((day + EPOCH_WEEKDAY) % DAYS_PER_WEEK) + DAYS_PER_WEEK) % DAYS_PER_WEEK;
}

/** Median of `values[from..to)`; NaN when the range is empty. Does not modify `values`. */
export function median(values: ArrayLike<number>, from = 0, to = values.length): number {
  const count = to - from;
  if (count <= 0) return Number.NaN;
  const sorted = new Float64Array(count);
  for (let index = 0; index < count; index += 1) sorted[index] = values[from + index] as number;
  sorted.sort();
  return middleOfSorted(sorted);
}

/** Median absolute deviation of `values` from `center` (their median by default); NaN when empty. */
export function medianAbsoluteDeviation(values: ArrayLike<number>, center = median(values)): number {
  const deviations = new Float64Array(values.length);
  for (let index = 0; index < values.length; index += 1) {
    deviations[index] = Math.abs((values[index] as number) - center);
  }
  return median(deviations);
}

/**
 * σ of the day-to-day noise of `values[from..to)`, from the median absolute
 * first difference. A level shift moves a single difference and a short
 * spike two, so neither inflates the estimate the way a plain MAD of the
 * values would be inflated by the shift itself. 0 for fewer than two values.
 */
export function differenceNoiseScale(values: ArrayLike<number>, from = 0, to = values.length): number {
  if (to - from < 2) return 0;
  const differences = new Float64Array(to - from - 1);
  for (let index = from + 1; index < to; index += 1) {
    differences[index - from - 1] = Math.abs((values[index] as number) - (values[index - 1] as number));
  }
  // The difference of two independent N(0, σ²) values is N(0, 2σ²).
  return (MAD_TO_SIGMA * median(differences)) / Math.SQRT2;
}

/** Median of the `2·half + 1` values centred on each index (fewer at the ends): keeps steps, removes runs of up to `half`. */
export function runningMedian(values: ArrayLike<number>, half: number): Float64Array {
  const count = values.length;
  const result = new Float64Array(count);
  for (let index = 0; index < count; index += 1) {
    result[index] = median(values, Math.max(0, index - half), Math.min(count, index + half + 1));
  }
  return result;
}

/**
 * Each index's noise σ: the `differenceNoiseScale` of the `halfWindow`
 * values before it or of the `halfWindow` after, whichever is larger, and
 * at least `floor`. The larger side, because next to a run of zeros (a
 * series that has just appeared) one side alone would make ordinary noise
 * on the other side look large.
 */
export function sidedNoiseScale(
  values: ArrayLike<number>,
  options: { halfWindow: number; floor: number },
): Float64Array {
  const { halfWindow, floor } = options;
  const count = values.length;
  const noise = new Float64Array(count);
  for (let index = 0; index < count; index += 1) {
    const before = differenceNoiseScale(values, Math.max(0, index - halfWindow), index);
    const after = differenceNoiseScale(values, index + 1, Math.min(count, index + halfWindow + 1));
    noise[index] = Math.max(before, after, floor);
  }
  return noise;
}

export interface WeekdayFactorOptions {
  /** Fewest samples of every weekday needed (default 3); with fewer the result is null. */
  minWeeks?: number;
  /**
   * Weeks whose mean is below this are not used (default: only a mean of 0
   * is skipped). Near zero, a week's shape is a few stray packets, not a
   * pattern: pass the finding floor.
   */
  minMean?: number;
}

/**
 * Multiplicative weekday factors (index 0 = Sunday), averaging 1 over the
 * week, by ratio to a centred seven-day moving mean: each day is divided by
 * the mean of the week around it, which carries the level (also across a
 * level shift) but no weekly pattern, and each weekday's factor is the median
 * of its ratios. Null when some weekday has fewer than `minWeeks` usable days
 * (a full week of days around it, with a mean above 0 and `minMean`).
 */
export function weekdayFactors(
  days: ArrayLike<number>,
  values: ArrayLike<number>,
  options: WeekdayFactorOptions = {},
): number[] | null {
  const minWeeks = options.minWeeks ?? DEFAULT_MIN_WEEKS;
  const minMean = options.minMean ?? 0;
  const ratios: number[][] = Array.from({ length: DAYS_PER_WEEK }, () => []);
  let windowSum = 0;
  for (let index = 0; index < values.length; index += 1) {
    windowSum += values[index] as number;
    if (index >= DAYS_PER_WEEK) windowSum -= values[index - DAYS_PER_WEEK] as number;
    const center = index - HALF_WEEK;
    if (center < HALF_WEEK) continue;
    // Only a run of seven consecutive calendar days averages the week out.
    if ((days[index] as number) - (days[index - DAYS_PER_WEEK + 1] as number) !== DAYS_PER_WEEK - 1) continue;
    const mean = windowSum / DAYS_PER_WEEK;
    if (!(mean > 0) || mean < minMean) continue;
    ratios[weekdayOf(days[center] as number)]?.push((values[center] as number) / mean);
  }
  const factors: number[] = [];
  for (const list of ratios) {
    if (list.length < minWeeks) return null;
    factors.push(median(list));
  }
  const mean = factors.reduce((sum, factor) => sum + factor, 0) / DAYS_PER_WEEK;
  if (!(mean > 0)) return null;
  return factors.map((factor) => Math.min(MAX_WEEKDAY_FACTOR, Math.max(1 / MAX_WEEKDAY_FACTOR, factor / mean)));
}

/** `values` divided by the factor of each day's weekday. */
export function deseasonalise(
  days: ArrayLike<number>,
  values: ArrayLike<number>,
  factors: readonly number[],
): Float64Array {
  const result = new Float64Array(values.length);
  for (let index = 0; index < values.length; index += 1) {
    result[index] = (values[index] as number) / (factors[weekdayOf(days[index] as number)] ?? 1);
  }
  return result;
}

export interface TrailingBaselineOptions {
  /** Days before each day that form its window (default 28). */
  window?: number;
  /** Fewest days present in the window for a level (default 14); below it the level is NaN. */
  minSamples?: number;
}

/** Per day of the series: the robust level and spread of the days before it. */
export interface TrailingBaseline {
  /** Median of the values in the window; NaN with too few samples. */
  level: Float64Array;
  /** `MAD_TO_SIGMA` × MAD of the same values (σ-comparable); NaN with too few samples. */
  spread: Float64Array;
  /**
   * `differenceNoiseScale` of the same values: the day-to-day noise, which a
   * level shift inside the window does not inflate as it inflates `spread`.
   */
  noise: Float64Array;
  /** Index of the first day in the window; the window is `from[i] .. i - 1`. */
  from: Int32Array;
}

/**
 * Median, scaled MAD and day-to-day noise, for each day, over the days
 * `day - window .. day - 1` present in the series. The day itself is left out, so a spike
 * does not raise the level it is compared with.
 */
export function trailingBaseline(
  days: ArrayLike<number>,
  values: ArrayLike<number>,
  options: TrailingBaselineOptions = {},
): TrailingBaseline {
  const window = options.window ?? DEFAULT_BASELINE_WINDOW;
  const minSamples = options.minSamples ?? DEFAULT_BASELINE_MIN_SAMPLES;
  if (!Number.isSafeInteger(window) || window < 1) {
    throw new RangeError(`Cannot compute a trailing baseline: window ${window} is not a positive integer`);
  }
  if (!Number.isSafeInteger(minSamples) || minSamples < 1 || minSamples > window) {
    throw new RangeError(`Cannot compute a trailing baseline: minSamples ${minSamples} is not 1..${window}`);
  }
  const count = values.length;
  const level = new Float64Array(count).fill(Number.NaN);
  const spread = new Float64Array(count).fill(Number.NaN);
  const noise = new Float64Array(count).fill(Number.NaN);
  const from = new Int32Array(count);
  const scratch = new Float64Array(window);
  let first = 0;
  for (let index = 0; index < count; index += 1) {
    const day = days[index] as number;
    while ((days[first] as number) < day - window) first += 1;
    from[index] = first;
    const samples = index - first;
    if (samples < minSamples) continue;
    const sorted = scratch.subarray(0, samples);
    for (let offset = 0; offset < samples; offset += 1) sorted[offset] = values[first + offset] as number;
    sorted.sort();
    const center = middleOfSorted(sorted);
    for (let offset = 0; offset < samples; offset += 1) {
      sorted[offset] = Math.abs((sorted[offset] as number) - center);
    }
    sorted.sort();
    level[index] = center;
    spread[index] = MAD_TO_SIGMA * middleOfSorted(sorted);
    noise[index] = differenceNoiseScale(values, first, index);
  }
  return { level, spread, noise, from };
}

function middleOfSorted(sorted: Float64Array): number {
  const half = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[half] as number)
    : ((sorted[half - 1] as number) + (sorted[half] as number)) / 2;
}
