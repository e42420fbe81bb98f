/**
 * @module
 * Change points of one daily series (accesses per day per address of a port,
 * a country, a signature category): sustained surges and drops, series that
 * appear from nothing, and short spikes.
 *
 * How it decides, so an analyst can check it:
 * 1. Weekly pattern: values are divided by weekday factors (`weekdayFactors`)
 *    when the series holds at least three weeks around every weekday with a
 *    mean of at least `minLevel`.
 * 2. Scale: the analysis runs on `ln(value + minLevel)`. Darknet noise is
 *    roughly proportional to the level, so in log space a doubling is the
 *    same step at 1 and at 1,000 accesses; the `minLevel` offset flattens
 *    everything well below the floor, so a series of a few stray packets
 *    cannot produce findings.
 * 3. Spikes: a run of at most `maxSpikeDays` days that stands out from the
 *    running median of the `2·maxSpikeDays + 1` days around each day (a
 *    running median keeps steps and removes short runs) by more than
 *    `spikeZ` times the day-to-day noise (`sidedNoiseScale`: of the two
 *    weeks before the day or the two weeks after, whichever is larger, at
 *    least 0.05), with at least three days after it. Upward runs are spikes,
 *    compared with their usual level: the median of the `window` days
 *    before them since the last change point (at least a week). Runs either
 *    way (a downward one is an outage) are replaced by the running median
 *    before step 4, and left out of segment levels.
 * 4. Level shifts: the optimal segmentation of the cleaned series into
 *    segments of constant mean, at least `minSegmentDays` long, each new
 *    segment costing `penalty` · ln(n) against the squared deviations in
 *    units of each day's σ² (the noise of step 3). A change point's
 *    statistic is what splitting there saves between its neighbours; with a
 *    single σ it is T = n1·n2/(n1+n2) · (mean1 − mean2)² / σ². Points with
 *    T below the penalty are dropped.
 * 5. Effect: a change point becomes a finding when the higher of the two
 *    segment levels is at least `minLevel`, they differ by at least
 *    `minLevel` and by a factor of at least `minRatio`. A segment's level is
 *    the mean of its daily values without the spike and outage days of step
 *    3. Spikes pass the same gates with their peak, usual level and
 *    `minSpikeRatio`.
 *
 * Changes are reported only when they start in `[fromDay, toDay)`, but the
 * whole series is used to judge them; a change in the first or last
 * `minSegmentDays − 1` days of a series cannot be placed (nor told from a
 * spike) and is not reported (`forcedBoundary`).
 */

import {
  DEFAULT_BASELINE_WINDOW,
  deseasonalise,
  median,
  runningMedian,
  sidedNoiseScale,
  weekdayFactors,
} from './baseline.js';
import { segmentMeans, type SplitPoint } from './segmentation.js';

export type ChangeKind = 'surge' | 'drop' | 'new-entry' | 'spike';

/** A level over a span of days; `toDay` is inclusive. */
export interface LevelSpan {
  fromDay: number;
  toDay: number;
  level: number;
}

export interface DetectedChange {
  kind: ChangeKind;
  /** First day of the new level or of the spike. */
  fromDay: number;
  /** Last day (inclusive) of the new level, up to the next change point, or of the spike. */
  toDay: number;
  /** Level of the segment before (a spike: the usual level it is compared with, a median). */
  before: LevelSpan;
  /** Level of the segment after (a spike: its highest day). */
  after: LevelSpan;
  /** Strength in noise units: √T for a level shift, the peak's distance from the running median for a spike. */
  score: number;
  /** True when the new level lasts to the last day of the series. */
  ongoing: boolean;
}

export interface ChangeOptions {
  /**
   * Floor in the series' unit (default 0.1 per day per address): a finding's
   * higher level and its change are at least this much.
   */
  minLevel?: number;
  /** Smallest ratio between the levels around a change point (default 1.5). */
  minRatio?: number;
  /** Smallest ratio of a spike's peak to its usual level (default 2). */
  minSpikeRatio?: number;
  /** Distance from the running median, in noise units, a spike day must exceed (default 5). */
  spikeZ?: number;
  /** Longest run of days that counts as a spike (default 3). */
  maxSpikeDays?: number;
  /** Shortest segment, i.e. shortest sustained change (default `maxSpikeDays` + 1). */
  minSegmentDays?: number;
  /** Multiplier of ln(n) in the split threshold (default 3). */
  penalty?: number;
  /** Days before a spike whose median is its usual level (default 28). */
  window?: number;
  /** Divide by weekday factors when the series allows (default true). */
  seasonal?: boolean;
  /** Report changes starting on or after this day (default: the first day). */
  fromDay?: number;
  /** Report changes starting before this day (default: after the last day). */
  toDay?: number;
}

/** A series that cannot be analysed; names the series, the field and the index. */
export class FindingInputError extends RangeError {
  override readonly name = 'FindingInputError';
  readonly code = 'TEITEN_FINDING_INPUT';
  readonly subject: string;
  readonly field: string;
  readonly index: number | null;

  constructor(subject: string, field: string, index: number | null, detail: string) {
    const at = index === null ? '' : `[${index}]`;
    super(`Cannot analyse ${subject}: ${field}${at} ${detail}`);
    this.subject = subject;
    this.field = field;
    this.index = index;
  }
}

const DEFAULT_MIN_LEVEL = 0.1;
const DEFAULT_MIN_RATIO = 1.5;
const DEFAULT_MIN_SPIKE_RATIO = 2;
const DEFAULT_SPIKE_Z = 5;
const DEFAULT_MAX_SPIKE_DAYS = 3;
const DEFAULT_PENALTY = 3;
/** A rise from below the floor to at least ten times the old level is a new entry, not a surge. */
const NEW_ENTRY_MAX_FRACTION = 0.1;
/** Least σ assumed in log space (5 % day-to-day noise), so a flat series is not over-sensitive. */
const MIN_LOG_SIGMA = 0.05;
/** A run, once started above `spikeZ`, continues while days stay above this fraction of it. */
const SPIKE_CONTINUE_FRACTION = 0.6;
/** Fewest days after a run for it to be judged a spike: before, it may be a level shift starting. */
const SPIKE_FOLLOW_DAYS = 3;
/** Days each side whose day-to-day noise scales a spike. */
const NOISE_HALF_WINDOW = 14;
/** Fewest days behind a spike's usual level; with fewer since the last change point, the week before is used. */
const MIN_USUAL_DAYS = 7;

/** Checks that `days` and `values` describe one series; throws `FindingInputError` naming `subject`. */
export function validateSeries(subject: string, series: { days: ArrayLike<number>; values: ArrayLike<number> }): void {
  const { days, values } = series;
  if (days.length !== values.length) {
    throw new FindingInputError(subject, 'values', null, `has ${values.length} entries for ${days.length} days`);
  }
  for (let index = 0; index < days.length; index += 1) {
    const day = days[index] as number;
    if (!Number.isSafeInteger(day)) throw new FindingInputError(subject, 'days', index, `${day} is not an integer`);
    if (index > 0 && day <= (days[index - 1] as number)) {
      throw new FindingInputError(subject, 'days', index, `${day} does not follow ${days[index - 1]}`);
    }
    const value = values[index] as number;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new FindingInputError(subject, 'values', index, `${String(value)} is not a finite number ≥ 0`);
    }
  }
}

/** Resolved options with their defaults, checked. */
function resolve(options: ChangeOptions): Required<Omit<ChangeOptions, 'fromDay' | 'toDay'>> {
  const maxSpikeDays = options.maxSpikeDays ?? DEFAULT_MAX_SPIKE_DAYS;
  const resolved = {
    minLevel: options.minLevel ?? DEFAULT_MIN_LEVEL,
    minRatio: options.minRatio ?? DEFAULT_MIN_RATIO,
    minSpikeRatio: options.minSpikeRatio ?? DEFAULT_MIN_SPIKE_RATIO,
    spikeZ: options.spikeZ ?? DEFAULT_SPIKE_Z,
    maxSpikeDays,
    minSegmentDays: options.minSegmentDays ?? maxSpikeDays + 1,
    penalty: options.penalty ?? DEFAULT_PENALTY,
    window: options.window ?? DEFAULT_BASELINE_WINDOW,
    seasonal: options.seasonal ?? true,
  };
  for (const name of ['minLevel', 'spikeZ', 'penalty'] as const) {
    if (!(resolved[name] > 0) || !Number.isFinite(resolved[name])) {
      throw new RangeError(`Cannot detect changes: ${name} ${resolved[name]} is not a positive number`);
    }
  }
  for (const name of ['minRatio', 'minSpikeRatio'] as const) {
    if (!(resolved[name] >= 1) || !Number.isFinite(resolved[name])) {
      throw new RangeError(`Cannot detect changes: ${name} ${resolved[name]} is not a number ≥ 1`);
    }
  }
  for (const name of ['maxSpikeDays', 'minSegmentDays', 'window'] as const) {
    if (!Number.isSafeInteger(resolved[name]) || resolved[name] < 1) {
      throw new RangeError(`Cannot detect changes: ${name} ${resolved[name]} is not a positive integer`);
    }
  }
  return resolved;
}

/**
 * The changes of the series `values` over `days` (see the module comment),
 * ordered by first day, spikes before level shifts on the same day.
 */
export function detectChanges(
  series: { days: ArrayLike<number>; values: ArrayLike<number> },
  options: ChangeOptions = {},
): DetectedChange[] {
  validateSeries('series', series);
  const settings = resolve(options);
  const { days, values } = series;
  const count = values.length;
  if (count === 0) return [];
  const fromDay = options.fromDay ?? (days[0] as number);
  const toDay = options.toDay ?? (days[count - 1] as number) + 1;
  const inRange = (day: number): boolean => day >= fromDay && day < toDay;

  const factors = settings.seasonal ? weekdayFactors(days, values, { minMean: settings.minLevel }) : null;
  const adjusted = factors === null ? Float64Array.from(values) : deseasonalise(days, values, factors);
  const logs = adjusted.map((value) => Math.log(value + settings.minLevel));

  const noise = sidedNoiseScale(logs, { halfWindow: NOISE_HALF_WINDOW, floor: MIN_LOG_SIGMA });
  const excursions = findExcursions(logs, noise, settings);
  const excluded = new Uint8Array(count);
  const cleaned = Float64Array.from(logs);
  for (const excursion of excursions) {
    for (let index = excursion.start; index <= excursion.end; index += 1) {
      excluded[index] = 1;
      cleaned[index] = excursion.replacement[index - excursion.start] as number;
    }
  }

  const points = segmentMeans(cleaned, noise, {
    minSegment: settings.minSegmentDays,
    threshold: settings.penalty * Math.log(count),
  });
  const edges = [0, ...points.map((point) => point.index), count];
  const changes: DetectedChange[] = [];
  for (let position = 0; position < points.length; position += 1) {
    const point = points[position] as SplitPoint;
    const start = edges[position] as number;
    const end = edges[position + 2] as number;
    if (forcedBoundary(cleaned, { start, index: point.index, end }, settings.minSegmentDays)) continue;
    const before = spanLevel(days, values, excluded, start, point.index);
    const after = spanLevel(days, values, excluded, point.index, end);
    const kind = shiftKind(before.level, after.level, settings);
    if (kind === null || !inRange(after.fromDay)) continue;
    changes.push({
      kind,
      fromDay: after.fromDay,
      toDay: after.toDay,
      before,
      after,
      score: Math.sqrt(point.statistic),
      ongoing: end === count,
    });
  }
  for (const excursion of excursions) {
    if (excursion.sign < 0 || !inRange(days[excursion.start] as number)) continue;
    // The usual level looks back no further than the last change point before the spike.
    let segmentStart = 0;
    for (const edge of edges) if (edge <= excursion.start) segmentStart = edge;
    const spike = spikeChange({ days, values, excluded }, excursion, segmentStart, settings);
    if (spike !== null) changes.push(spike);
  }
  return changes.sort((a, b) => a.fromDay - b.fromDay || Number(b.kind === 'spike') - Number(a.kind === 'spike'));
}

type Settings = ReturnType<typeof resolve>;

interface Excursion {
  start: number;
  /** Inclusive. */
  end: number;
  /** Day of the run furthest from the running median. */
  peak: number;
  /** +1 above the running median, −1 below. */
  sign: number;
  /** The peak's distance from the running median in noise units. */
  score: number;
  /** Running median of each day of the run, which replaces it for the segmentation. */
  replacement: number[];
}

/** Short runs far from the running median (step 3 of the module comment). */
function findExcursions(logs: Float64Array, noise: Float64Array, settings: Settings): Excursion[] {
  const count = logs.length;
  const half = settings.maxSpikeDays;
  const smooth = runningMedian(logs, half);
  const residual = (index: number): number =>
    ((logs[index] as number) - (smooth[index] as number)) / (noise[index] as number);
  const result: Excursion[] = [];
  // Days before `half` have a one-sided running median: a run there cannot be judged.
  let index = half;
  while (index < count) {
    const z = residual(index);
    if (!(Math.abs(z) > settings.spikeZ)) {
      index += 1;
      continue;
    }
    const sign = Math.sign(z);
    let end = index;
    let peak = index;
    let peakZ = z;
    // Hysteresis: one day of a spike dipping just under the threshold does not split it in two.
    while (end + 1 < count && sign * residual(end + 1) > settings.spikeZ * SPIKE_CONTINUE_FRACTION) {
      end += 1;
      const next = residual(end);
      if (sign * (next - peakZ) > 0) {
        peak = end;
        peakZ = next;
      }
    }
    if (end - index + 1 <= settings.maxSpikeDays && end + SPIKE_FOLLOW_DAYS < count) {
      const replacement = Array.from(smooth.subarray(index, end + 1));
      result.push({ start: index, end, peak, sign, score: Math.abs(peakZ), replacement });
    }
    index = end + 1;
  }
  return result;
}

/** The spike finding of an upward excursion, if it passes the level gates. */
function spikeChange(
  series: { days: ArrayLike<number>; values: ArrayLike<number>; excluded: Uint8Array },
  run: Excursion,
  segmentStart: number,
  settings: Settings,
): DetectedChange | null {
  const { days, values, excluded } = series;
  const oldest = (days[run.start] as number) - settings.window;
  let from = run.start;
  while (from > segmentStart && (days[from - 1] as number) >= oldest) from -= 1;
  if (run.start - from < MIN_USUAL_DAYS) from = Math.max(0, run.start - MIN_USUAL_DAYS);
  const usualDays: number[] = [];
  for (let index = from; index < run.start; index += 1) {
    if (excluded[index] !== 1) usualDays.push(values[index] as number);
  }
  const usual = usualDays.length > 0 ? median(usualDays) : median(values, from, run.start);
  const peak = values[run.peak] as number;
  const { minLevel } = settings;
  if (!(peak >= minLevel && peak - usual >= minLevel && peak >= usual * settings.minSpikeRatio)) return null;
  return {
    kind: 'spike',
    fromDay: days[run.start] as number,
    toDay: days[run.end] as number,
    before: { fromDay: days[from] as number, toDay: days[run.start - 1] as number, level: usual },
    after: { fromDay: days[run.start] as number, toDay: days[run.end] as number, level: peak },
    score: run.score,
    ongoing: false,
  };
}

/**
 * True when the minimum segment length, not the data, placed a change point:
 * a neighbouring segment is exactly `minSegment` long and the day on one
 * side of the point is nearer the level of the other side. A change in the
 * last days of a series is then too recent to place, and is not reported.
 */
function forcedBoundary(
  logs: Float64Array,
  at: { start: number; index: number; end: number },
  minSegment: number,
): boolean {
  const { start, index, end } = at;
  if (index - start > minSegment && end - index > minSegment) return false;
  const mean = (from: number, to: number): number => {
    let sum = 0;
    for (let i = from; i < to; i += 1) sum += logs[i] as number;
    return sum / (to - from);
  };
  const left = mean(start, index);
  const right = mean(index, end);
  const nearer = (value: number, to: number, other: number): boolean => Math.abs(value - to) < Math.abs(value - other);
  return nearer(logs[index] as number, left, right) || nearer(logs[index - 1] as number, right, left);
}

/** Mean of `values[start..end)` without the excluded days (all days if every one is excluded). */
function spanLevel(
  days: ArrayLike<number>,
  values: ArrayLike<number>,
  excluded: Uint8Array,
  start: number,
  end: number,
): LevelSpan {
  let sum = 0;
  let used = 0;
  let all = 0;
  for (let index = start; index < end; index += 1) {
    all += values[index] as number;
    if (excluded[index] === 1) continue;
    sum += values[index] as number;
    used += 1;
  }
  const level = used > 0 ? sum / used : all / (end - start);
  return { fromDay: days[start] as number, toDay: days[end - 1] as number, level };
}

function shiftKind(before: number, after: number, settings: Settings): ChangeKind | null {
  const { minLevel, minRatio } = settings;
  const high = Math.max(before, after);
  const low = Math.min(before, after);
  if (high < minLevel || high - low < minLevel || high < low * minRatio) return null;
  if (after < before) return 'drop';
  return before < minLevel && before <= after * NEW_ENTRY_MAX_FRACTION ? 'new-entry' : 'surge';
}
