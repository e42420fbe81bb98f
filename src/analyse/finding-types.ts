/**
 * @module
 * The findings stage's data types: what `findFindings` reads (daily series,
 * ranking rows, contributor breakdowns) and the `Finding` it returns, which
 * the report cites cell by cell.
 */

import type { ChangeKind, ChangeOptions, LevelSpan } from './change-point.js';
import type { PeriodKind } from '../util/period.js';
import type { RankRow } from './ranking.js';

export type FindingDimension = 'service' | 'country' | 'category' | 'source-port';
export type RankingFindingKind = 'rank-jump' | 'top-entry' | 'rise' | 'fall';
export type FindingKind = ChangeKind | RankingFindingKind;

export interface Localized {
  ja: string;
  en: string;
}

/** Local days `startDay .. endDay - 1`, as in `Period`. */
export interface DaySpan {
  startDay: number;
  endDay: number;
}

/** What a series' or row's traffic was made of, shares in percent of it (0..100). */
export interface Contributors {
  /** Source countries, ISO 3166 alpha-2. */
  countries?: readonly { code: string; sharePct: number }[];
  /** Destination services, `445/TCP`. */
  services?: readonly { key: string; sharePct: number }[];
  /** Source ports, `6000/TCP`. */
  sourcePorts?: readonly { key: string; sharePct: number }[];
  /** Source addresses; sentences never print an address, only the largest one's share. */
  sources?: readonly { addr: string; sharePct: number }[];
}

export interface SeriesInput {
  dimension: FindingDimension;
  /** `445/TCP`, `CN`, `Worm`, … unique within the dimension. */
  key: string;
  label: Localized;
  /** Local day numbers, strictly increasing; leave out days nothing observed. */
  days: readonly number[];
  /** Accesses per day per address of each day. */
  values: readonly number[];
  contributors?: Contributors;
}

/** What a tested change allows a sentence to claim (`ChangeTest.direction`). */
export type ChangeClaim = 'increase' | 'decrease' | 'none';

export interface RankingInput {
  dimension: FindingDimension;
  /** Every row of `rankItems` for the dimension (its totals come from them). */
  rows: readonly RankRow[];
  /**
   * The tested change of rows by key (`RankingUncertainty`): a rise or fall
   * is reported only when its test claims it, and a rank finding whose
   * change is not significant says so. Rows left out are not tested.
   */
  claims?: Readonly<Record<string, ChangeClaim>>;
  /** Names by key; a key without one is named by itself. */
  labels?: Readonly<Record<string, Localized>>;
  contributors?: Readonly<Record<string, Contributors>>;
}

export interface FindingsInput {
  /** The report period; its kind picks "the previous quarter" or "month" in sentences. */
  period: DaySpan & { kind?: PeriodKind };
  /** The period the rankings compare with; required with `rankings`. */
  previousPeriod?: DaySpan;
  series?: readonly SeriesInput[];
  rankings?: readonly RankingInput[];
  /**
   * Each dimension's total per day per address in the period, the
   * denominator of significance; default the sum of its ranking rows, or of
   * its series' period means.
   */
  totals?: Partial<Record<FindingDimension, number>>;
}

export type ContributorKind = 'country' | 'service' | 'source-port' | 'source';

export interface FindingContributor {
  kind: ContributorKind;
  /** Country code, service or port key, or source address. */
  key: string;
  sharePct: number;
}

export interface Finding {
  /** `kind:dimension:key:YYYY-MM-DD`, stable across runs. */
  id: string;
  kind: FindingKind;
  dimension: FindingDimension;
  key: string;
  label: Localized;
  /** First day of the change (series) or of the period (ranking). */
  fromDay: number;
  /** Last day, inclusive, of the changed state or the period. */
  toDay: number;
  /** Level before: the previous segment, a spike's usual level, or the previous period. */
  before: LevelSpan;
  /** Level after: the new segment, a spike's peak, or this period. */
  after: LevelSpan;
  changeAbs: number;
  /** `changeAbs / before.level × 100`; null when the level before is 0. */
  changePct: number | null;
  /** `after.level / before.level`; null when the level before is 0. */
  ratio: number | null;
  rank: number | null;
  previousRank: number | null;
  /** The N of "top N" for ranking findings; null for series findings. */
  topN: number | null;
  /** The new level lasts to the end of the series. */
  ongoing: boolean;
  /** Strength in noise units for series findings; null for ranking findings. */
  score: number | null;
  /** A ranking finding's tested change against the previous period; null when untested (and for series findings). */
  changeClaim: ChangeClaim | null;
  significance: number;
  /** The contributors the sentence names, largest first per kind. */
  contributors: FindingContributor[];
  /** What "previous" means in the sentences: the previous quarter, month or period. */
  comparison: Comparison;
}

/** What ranking findings compare with: the previous quarter, month or (other periods) period. */
export type Comparison = 'quarter' | 'month' | 'period';

export interface RankingFindingOptions {
  /** N of "entered the top N" (default 10). */
  topN?: number;
  /** Fewest places climbed for a rank jump (default 10). */
  minRankJump?: number;
  /** A rank jump must land within this rank (default 20). */
  jumpWithin?: number;
  /** Smallest rise in percent (default 100). */
  minRisePct?: number;
  /** Smallest fall in percent (default 50, the mirror of a doubling). */
  minFallPct?: number;
  /** A rise or fall must be within this increase or decrease rank, or in the top N of either period (default 5). */
  movers?: number;
}

export interface FindingsOptions {
  /** Floor per day per address (default 0.1): a finding's larger level and its change are at least this. */
  minLevel?: number;
  change?: Omit<ChangeOptions, 'minLevel' | 'fromDay' | 'toDay'>;
  ranking?: RankingFindingOptions;
  /** Smallest share, in percent, of a contributor named (default 20). */
  minContributorPct?: number;
  /** Most contributors named per kind (default 2; sources always 1). */
  maxContributorsPerKind?: number;
}

/** A finding before its id, significance and sentences: what the templates read. */
export type FindingFacts = Omit<Finding, 'id' | 'significance' | 'text' | 'comparison'>;
