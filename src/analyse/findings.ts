/**
 * @module
 * Findings: the notable changes of a report period, each as data a table can
 * back and as a sentence in Japanese and English.
 *
 * Two sources:
 * - daily series of services, countries, signature categories or source
 *   ports (`SeriesInput`), searched by `detectChanges` for surges, drops, new
 *   entries and spikes that start inside the period;
 * - ranking rows of this period against the previous one (`RankRow` from
 *   `rankItems`), which give at most one finding each, by priority: a jump
 *   of `minRankJump` places to within `jumpWithin`, an entry into the top
 *   N, or a rise or fall of `minRisePct` / `minFallPct` percent by a row in
 *   the top N of either period or among the `movers` largest changes.
 *   When the input carries each row's tested change (`RankingInput.claims`,
 *   from `RankingUncertainty`), a rise or fall is kept only if its test
 *   claims it, and a rank finding whose change is not significant says so.
 * Both keep to the floor: a finding's larger level and its change are at
 * least `minLevel` per day per address. Series days after the period are
 * dropped before analysis.
 *
 * Every finding carries a significance so a report can take its two or
 * three headlines: the change as a share of its dimension's total (a port's
 * change against all accesses, a category's against all detections), times
 * 1 + |log10 of the ratio| (capped at 3, so a 1,000-fold rise and a rise from
 * nothing weigh alike); a spike counts for its days out of a week.
 * `selectHeadlines` takes the most significant, one per series.
 *
 * The inputs are plain data, so this module needs no store: the analytics
 * stage's daily series (days with a null value left out) and ranking rows
 * map onto them directly.
 */

import { formatLocalDate } from '../util/tz.js';
import { detectChanges, FindingInputError, validateSeries } from './change-point.js';
import { selectContributors, type ContributorSelection } from './finding-contributors.js';
import type {
  Comparison,
  Contributors,
  DaySpan,
  Finding,
  FindingDimension,
  FindingFacts,
  FindingsInput,
  FindingsOptions,
  RankingFindingKind,
  RankingFindingOptions,
  RankingInput,
  SeriesInput,
} from './finding-types.js';
import type { PeriodKind } from '../util/period.js';
import type { RankRow } from './ranking.js';

export type {
  ChangeClaim,
  Contributors,
  Finding,
  FindingContributor,
  FindingKind,
  FindingsInput,
  FindingsOptions,
  Localized,
  RankingInput,
  SeriesInput,
} from './finding-types.js';

const DEFAULT_MIN_LEVEL = 0.1;
const DEFAULT_RANKING: Required<RankingFindingOptions> = {
  topN: 10,
  minRankJump: 10,
  jumpWithin: 20,
  minRisePct: 100,
  minFallPct: 50,
  movers: 5,
};
const MAX_PERCENT = 100;
/** log10 of the largest ratio significance tells apart; a rise from 0 counts as this. */
const MAX_LOG_RATIO = 3;
const DAYS_PER_WEEK = 7;
const DEFAULT_HEADLINES = 3;

/**
 * All findings of `input`, most significant first (ties by id), each with
 * its sentences. Throws `FindingInputError` naming the series or row at fault.
 */
export function findFindings(input: FindingsInput, options: FindingsOptions = {}): Finding[] {
  checkSpan('period', input.period);
  if (input.previousPeriod !== undefined) checkSpan('previousPeriod', input.previousPeriod);
  const rankings = input.rankings ?? [];
  if (rankings.length > 0 && input.previousPeriod === undefined) {
    throw new FindingInputError('rankings', 'previousPeriod', null, 'is required to compare rankings');
  }
  const comparison = comparisonOf(input.period.kind);
  const totals = dimensionTotals(input);
  const facts = [
    ...seriesFindings(input.series ?? [], input.period, options),
    ...rankingFindings(rankings, { period: input.period, previous: input.previousPeriod as DaySpan }, options),
  ];
  return facts
    .map((finding): Finding => ({
      id: `${finding.kind}:${finding.dimension}:${finding.key}:${formatLocalDate(finding.fromDay)}`,
      ...finding,
      significance: significanceOf(finding, totals[finding.dimension] ?? 0),
      comparison,
    }))
    .sort(bySignificance);
}

function seriesFindings(inputs: readonly SeriesInput[], period: DaySpan, options: FindingsOptions): FindingFacts[] {
  const result: FindingFacts[] = [];
  const seen = new Set<string>();
  for (const whole of inputs) {
    const subject = `${whole.dimension} series ${JSON.stringify(whole.key)}`;
    checkUnique(seen, subject, whole.dimension, whole.key);
    validateSeries(subject, whole);
    const contributors = selectContributors(whole.contributors, contributorOptions(whole.dimension, subject, options));
    // Days after the period are not the period's to report, nor to judge it by.
    const series = clipSeries(whole, period.endDay);
    const changes = detectChanges(series, {
      ...options.change,
      minLevel: options.minLevel ?? DEFAULT_MIN_LEVEL,
      fromDay: period.startDay,
      toDay: period.endDay,
    });
    for (const change of changes) {
      const before = change.before.level;
      const after = change.after.level;
      result.push({
        kind: change.kind,
        dimension: series.dimension,
        key: series.key,
        label: series.label,
        fromDay: change.fromDay,
        toDay: change.toDay,
        before: change.before,
        after: change.after,
        changeAbs: after - before,
        changePct: before > 0 ? ((after - before) / before) * MAX_PERCENT : null,
        ratio: before > 0 ? after / before : null,
        rank: null,
        previousRank: null,
        topN: null,
        ongoing: change.ongoing,
        score: change.score,
        changeClaim: null,
        contributors,
      });
    }
  }
  return result;
}

function rankingFindings(
  rankings: readonly RankingInput[],
  spans: { period: DaySpan; previous: DaySpan },
  options: FindingsOptions,
): FindingFacts[] {
  const settings = rankingSettings(options.ranking);
  const minLevel = options.minLevel ?? DEFAULT_MIN_LEVEL;
  const { period, previous } = spans;
  const result: FindingFacts[] = [];
  const seenDimensions = new Set<string>();
  for (const ranking of rankings) {
    checkUnique(seenDimensions, `${ranking.dimension} ranking`, ranking.dimension, '');
    const seenKeys = new Set<string>();
    ranking.rows.forEach((row, index) => checkRow(ranking.dimension, row, index, seenKeys));
    for (const row of ranking.rows) {
      const subject = `${ranking.dimension} row ${JSON.stringify(row.key)}`;
      const contributors = selectContributors(
        ranking.contributors?.[row.key],
        contributorOptions(ranking.dimension, subject, options),
      );
      const claim = ranking.claims?.[row.key] ?? null;
      const kind = rankingKind(row, settings, minLevel);
      // A rise or fall no larger than day-to-day noise is not a finding.
      if (
        kind === null ||
        (claim !== null && ((kind === 'rise' && claim !== 'increase') || (kind === 'fall' && claim !== 'decrease')))
      )
        continue;
      result.push({
        kind,
        dimension: ranking.dimension,
        key: row.key,
        label: ranking.labels?.[row.key] ?? { ja: row.key, en: row.key },
        fromDay: period.startDay,
        toDay: period.endDay - 1,
        before: { fromDay: previous.startDay, toDay: previous.endDay - 1, level: row.previous },
        after: { fromDay: period.startDay, toDay: period.endDay - 1, level: row.current },
        changeAbs: row.changeAbs,
        changePct: row.changePct,
        ratio: row.previous > 0 ? row.current / row.previous : null,
        rank: row.rank,
        previousRank: row.previousRank,
        topN: settings.topN,
        ongoing: false,
        score: null,
        changeClaim: claim,
        contributors,
      });
    }
  }
  return result;
}

/**
 * `finding` naming `contributors` instead of those it was found with: for a breakdown of the finding's own days (a spike's
 * day, a surge's segment) where the input gave one for the whole period.
 */
export function withContributors(
  finding: Finding,
  contributors: Contributors,
  options: Pick<FindingsOptions, 'minContributorPct' | 'maxContributorsPerKind'> = {},
): Finding {
  const subject = `${finding.dimension} finding ${JSON.stringify(finding.key)}`;
  const picked = selectContributors(contributors, contributorOptions(finding.dimension, subject, options));
  return { ...finding, contributors: picked };
}

export interface HeadlineOptions {
  /** How many (default 3). */
  count?: number;
}

/**
 * The `count` most significant findings, at most one per series (dimension
 * and key): a surge of 53/UDP-sourced traffic and the 11/ICMP rise it causes
 * are both headlines, the 11/ICMP rank jump and its surge are not.
 */
export function selectHeadlines(findings: readonly Finding[], options: HeadlineOptions = {}): Finding[] {
  const count = options.count ?? DEFAULT_HEADLINES;
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`Cannot select ${count} headlines: expected a non-negative integer`);
  }
  const seen = new Set<string>();
  const result: Finding[] = [];
  const ranked = [...findings].sort(bySignificance);
  // A headline speaks for the whole period: a few days' burst (one backscatter
  // episode) leads only when there are not enough lasting changes.
  const lasting = (f: Finding): boolean => f.toDay - f.fromDay + 1 >= MIN_HEADLINE_DAYS;
  for (const finding of [...ranked.filter(lasting), ...ranked.filter((f) => !lasting(f))]) {
    if (result.length >= count) break;
    const series = `${finding.dimension}\u0000${finding.key}`;
    if (seen.has(series)) continue;
    seen.add(series);
    result.push(finding);
  }
  return result;
}

/** Days a change must last to be preferred as a headline. */
const MIN_HEADLINE_DAYS = 7;

function bySignificance(a: Finding, b: Finding): number {
  return b.significance - a.significance || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function comparisonOf(kind: PeriodKind | undefined): Comparison {
  if (kind === 'quarter' || kind === 'fiscal-quarter') return 'quarter';
  if (kind === 'month') return 'month';
  return 'period';
}

/** The kind of a ranking row's finding, by priority rank jump > top entry > rise/fall; null if none. */
function rankingKind(
  row: RankRow,
  settings: Required<RankingFindingOptions>,
  minLevel: number,
): RankingFindingKind | null {
  const { rank, previousRank } = row;
  const high = Math.max(row.current, row.previous);
  if (high < minLevel || Math.abs(row.changeAbs) < minLevel) return null;
  if (rank !== null && row.current >= minLevel) {
    if (previousRank !== null && rank <= settings.jumpWithin && previousRank - rank >= settings.minRankJump) {
      return 'rank-jump';
    }
    if (rank <= settings.topN && (previousRank === null || previousRank > settings.topN)) return 'top-entry';
  }
  const inTop = (value: number | null): boolean => value !== null && value <= settings.topN;
  const mover = (value: number | null): boolean => value !== null && value <= settings.movers;
  const pct = row.changePct;
  if (pct === null || !(inTop(rank) || inTop(previousRank) || mover(row.increaseRank) || mover(row.decreaseRank))) {
    return null;
  }
  if (pct >= settings.minRisePct) return 'rise';
  if (pct <= -settings.minFallPct) return 'fall';
  return null;
}

function significanceOf(finding: FindingFacts, total: number): number {
  const share = Math.abs(finding.changeAbs) / (total > 0 ? total : 1);
  const { ratio } = finding;
  const logRatio = ratio === null || ratio === 0 ? MAX_LOG_RATIO : Math.min(Math.abs(Math.log10(ratio)), MAX_LOG_RATIO);
  const days = finding.toDay - finding.fromDay + 1;
  const duration = finding.kind === 'spike' ? Math.min(1, days / DAYS_PER_WEEK) : 1;
  return share * (1 + logRatio) * duration;
}

function dimensionTotals(input: FindingsInput): Partial<Record<FindingDimension, number>> {
  const totals: Partial<Record<FindingDimension, number>> = {};
  const { startDay, endDay } = input.period;
  for (const series of input.series ?? []) {
    let sum = 0;
    let days = 0;
    series.days.forEach((day, index) => {
      if (day < startDay || day >= endDay) return;
      sum += series.values[index] ?? 0;
      days += 1;
    });
    if (days > 0) totals[series.dimension] = (totals[series.dimension] ?? 0) + sum / days;
  }
  // Ranking rows hold every item, series only the ones asked for: rows win.
  for (const ranking of input.rankings ?? []) {
    totals[ranking.dimension] = ranking.rows.reduce((sum, row) => sum + row.current, 0);
  }
  return { ...totals, ...input.totals };
}

function contributorOptions(
  dimension: FindingDimension,
  subject: string,
  options: Pick<FindingsOptions, 'minContributorPct' | 'maxContributorsPerKind'>,
): ContributorSelection {
  return { dimension, subject, minPct: options.minContributorPct, maxPerKind: options.maxContributorsPerKind };
}

function clipSeries(series: SeriesInput, endDay: number): SeriesInput {
  const end = series.days.findIndex((day) => day >= endDay);
  if (end < 0) return series;
  return { ...series, days: series.days.slice(0, end), values: series.values.slice(0, end) };
}

function checkSpan(field: string, span: DaySpan): void {
  if (!Number.isSafeInteger(span.startDay) || !Number.isSafeInteger(span.endDay) || span.endDay <= span.startDay) {
    throw new FindingInputError(
      'findings input',
      field,
      null,
      `${span.startDay}..${span.endDay} is not a span of days`,
    );
  }
}

function rankingSettings(options: RankingFindingOptions | undefined): Required<RankingFindingOptions> {
  const settings = { ...DEFAULT_RANKING, ...options };
  for (const [name, value] of Object.entries(settings)) {
    if (!(value >= 0) || !Number.isFinite(value)) {
      throw new RangeError(`Cannot find ranking findings: ${name} ${value} is not a number ≥ 0`);
    }
  }
  return settings;
}

function checkUnique(seen: Set<string>, subject: string, dimension: FindingDimension, key: string): void {
  const id = `${dimension}\u0000${key}`;
  if (seen.has(id)) throw new FindingInputError(subject, 'key', null, 'appears more than once');
  seen.add(id);
}

function checkRow(dimension: FindingDimension, row: RankRow, index: number, seen: Set<string>): void {
  const subject = `${dimension} ranking`;
  if (typeof row.key !== 'string' || row.key === '') {
    throw new FindingInputError(subject, 'rows', index, `key ${JSON.stringify(row.key)} is not a non-empty string`);
  }
  if (seen.has(row.key))
    throw new FindingInputError(subject, 'rows', index, `key ${JSON.stringify(row.key)} appears twice`);
  seen.add(row.key);
  for (const field of ['current', 'previous', 'changeAbs'] as const) {
    const value = row[field];
    if (typeof value !== 'number' || !Number.isFinite(value) || (field !== 'changeAbs' && value < 0)) {
      throw new FindingInputError(subject, `rows`, index, `${field} ${String(value)} is not valid`);
    }
  }
}
