/**
 * @module
 * Every figure the API and the pages show, each one call (or a few) into the
 * analyse stage, the same functions `teiten stats`, `teiten detections` and
 * the report use, so a number on a page, in the API and in a report is one
 * and the same. Routes only choose arguments; nothing is computed here.
 */

import {
  backscatterStatistics,
  dailySeries,
  DEFAULT_PAGE_ROWS,
  parsePeriod,
  periodSummary,
  previousPeriod,
  pageOfRanking,
  rankingTable,
  scannerStatistics,
  signatureStatistics,
  sourceProfile,
  type BackscatterStatistics,
  type DailySeries,
  type Dimension,
  type Period,
  type PeriodSummary,
  type RankingTable,
  type RankingTablePage,
  type ScannerStatistics,
  type SignatureStatistics,
  type SourceProfile,
  type Finding,
  type Localized,
} from '../analyse/index.js';
import { findingTexts, reportFindings, TABLE_SELECTION } from '../report/index.js';
import type { AnalyticsStore } from '../store/index.js';
import { formatLocalDate } from '../util/tz.js';
import type { FigureMemo } from './figure-memo.js';
import { DEFAULT_MOVERS, DEFAULT_TOP } from './params.js';

/** The ranking tables the API serves, by URL name. */
export const TOP_DIMENSIONS = {
  ports: 'service',
  countries: 'country',
  sensors: 'sensor',
  'country-ports': 'country-service',
} as const satisfies Record<string, Dimension>;
export type TopName = keyof typeof TOP_DIMENSIONS;
export const TOP_NAMES = Object.keys(TOP_DIMENSIONS) as TopName[];

/** Rows of the summary's top ports and countries. */
const SUMMARY_TOP = 5;
/** Rows of a port's countries and sensors, a country's ports. */
const DETAIL_TOP = 10;

/**
 * A ranking table without `rows` (every item of either period, up to tens of
 * thousands for country × port): the published rows (`table`) and the ratio
 * chart (`shares`) are what a summary or a detail page shows.
 */
export type RankingExcerpt = Omit<RankingTable, 'rows'>;

export function excerptOf(table: RankingTable): RankingExcerpt {
  const { rows: _every, ...excerpt } = table;
  return excerpt;
}

export interface TopAnswer {
  summary: PeriodSummary;
  ranking: RankingTablePage;
}

/**
 * What `teiten stats --json --by DIM --top N --movers M --offset O --limit L`
 * prints, for the same store and period: `ranking.rows` holds the items
 * `offset ..` (at most `limit`, default `DEFAULT_PAGE_ROWS`), `ranking.page` their count in all.
 */
export async function topFigures(
  store: AnalyticsStore,
  args: {
    period: Period;
    name: TopName;
    top?: number;
    movers?: number;
    offset?: number;
    limit?: number;
    /** Where the whole ranking is kept, so the next page does not compute it again. */
    memo?: FigureMemo;
  },
): Promise<TopAnswer> {
  const { period } = args;
  const top = args.top ?? DEFAULT_TOP;
  const movers = args.movers ?? DEFAULT_MOVERS;
  const whole = () =>
    Promise.all([
      periodSummary(store, { period, filter: {} }),
      rankingTable(store, { period, by: TOP_DIMENSIONS[args.name], filter: {}, top, movers, sources: true }),
    ]);
  const key = `top ${args.name} ${period.timeZone} ${period.startDay}..${period.endDay} ${top} ${movers}`;
  const [summary, ranking] = await (args.memo === undefined ? whole() : args.memo.get(key, whole));
  return {
    summary,
    ranking: pageOfRanking(ranking, { offset: args.offset ?? 0, limit: args.limit ?? DEFAULT_PAGE_ROWS }),
  };
}

export interface SummaryAnswer {
  summary: PeriodSummary;
  daily: DailySeries;
  ports: RankingExcerpt;
  countries: RankingExcerpt;
}

/** The quarterly report's §1 figures: the period against the previous one, its daily series, top ports and countries. */
export async function summaryFigures(store: AnalyticsStore, period: Period): Promise<SummaryAnswer> {
  const [summary, daily, ports, countries] = await Promise.all([
    periodSummary(store, { period, filter: {} }),
    dailySeries(store, { period }),
    rankingTable(store, { period, by: 'service', filter: {}, top: SUMMARY_TOP, movers: 0, sources: true }),
    rankingTable(store, { period, by: 'country', filter: {}, top: SUMMARY_TOP, movers: 0, sources: true }),
  ]);
  return { summary, daily, ports: excerptOf(ports), countries: excerptOf(countries) };
}

export interface PortAnswer {
  service: string;
  summary: PeriodSummary;
  daily: DailySeries;
  countries: RankingExcerpt;
  sensors: RankingExcerpt;
}

/** One destination service: its totals against the previous period, daily series, source countries and sensors. */
export async function portFigures(
  store: AnalyticsStore,
  args: { period: Period; service: string },
): Promise<PortAnswer> {
  const filter = { service: args.service };
  const { period } = args;
  const [summary, daily, countries, sensors] = await Promise.all([
    periodSummary(store, { period, filter }),
    dailySeries(store, { period, filter }),
    rankingTable(store, { period, by: 'country', filter, top: DETAIL_TOP, movers: 0, sources: true }),
    rankingTable(store, { period, by: 'sensor', filter, top: DETAIL_TOP, movers: 0, sources: true }),
  ]);
  return { service: args.service, summary, daily, countries: excerptOf(countries), sensors: excerptOf(sensors) };
}

export interface CountryAnswer {
  country: string;
  summary: PeriodSummary;
  daily: DailySeries;
  ports: RankingExcerpt;
}

/** One source country: its totals against the previous period, daily series and destination ports. */
export async function countryFigures(
  store: AnalyticsStore,
  args: { period: Period; country: string },
): Promise<CountryAnswer> {
  const filter = { country: args.country };
  const { period } = args;
  const [summary, daily, ports] = await Promise.all([
    periodSummary(store, { period, filter }),
    dailySeries(store, { period, filter }),
    rankingTable(store, { period, by: 'service', filter, top: DETAIL_TOP, movers: 0, sources: true }),
  ]);
  return { country: args.country, summary, daily, ports: excerptOf(ports) };
}

export function ipFigures(store: AnalyticsStore, args: { period: Period; address: string }): Promise<SourceProfile> {
  return sourceProfile(store, args);
}

export function backscatterFigures(
  store: AnalyticsStore,
  args: { period: Period; top: number },
): Promise<BackscatterStatistics> {
  return backscatterStatistics(store, { period: args.period, topAttacks: args.top, topVictims: args.top });
}

export function signatureFigures(
  store: AnalyticsStore,
  args: { period: Period; top: number },
): Promise<SignatureStatistics> {
  return signatureStatistics(store, { period: args.period, filter: {}, topSignatures: args.top });
}

export function scannerFigures(
  store: AnalyticsStore,
  args: { period: Period; top: number },
): Promise<ScannerStatistics> {
  return scannerStatistics(store, { period: args.period, top: args.top });
}

export interface FindingsAnswer {
  period: RankingTable['period'];
  /** Each with the report's sentences about it. */
  findings: Array<Finding & { text: Localized }>;
}

/**
 * The report's findings of the period (`reportFindings`, what the report's
 * headlines come from), over the series of the previous period and this one,
 * with the report's sentences.
 */
export async function findingFigures(store: AnalyticsStore, period: Period): Promise<FindingsAnswer> {
  const previous = previousPeriod(period);
  const seriesSpan = parsePeriod(`${formatLocalDate(previous.startDay)}..${formatLocalDate(period.endDay - 1)}`, {
    timeZone: period.timeZone,
  });
  const [ports, countries] = await Promise.all([
    rankingTable(store, { period, by: 'service', filter: {}, ...TABLE_SELECTION }),
    rankingTable(store, { period, by: 'country', filter: {}, ...TABLE_SELECTION }),
  ]);
  const findings = await reportFindings(store, { period, previous, seriesSpan, ports, countries });
  return { period: ports.period, findings: findings.map((f) => ({ ...f, text: findingTexts(f, period) })) };
}
