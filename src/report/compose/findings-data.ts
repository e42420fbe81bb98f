/**
 * @module
 * The findings of a report period, taken from the store: the daily series of
 * the leading destination ports, source countries and non-ephemeral source
 * ports over a span that reaches back before the period (so a change at the
 * period's start has a baseline), and the port and country ranking rows
 * against the previous period, through `findFindings`. The report keeps the
 * most significant finding of each series, and names what each was made of
 * (countries of a port's rise, ports of a country's) over the finding's own
 * days, not the whole period.
 */

import {
  breakdown,
  type Breakdown,
  type ChangeClaim,
  type Contributors,
  dailySeries,
  findFindings,
  type Finding,
  type Localized,
  parsePeriod,
  type Period,
  type RankingInput,
  type RankingTable,
  selectHeadlines,
  type SeriesInput,
  type StatsFilter,
  withContributors,
} from '../../analyse/index.js';
import type { AnalyticsStore } from '../../store/index.js';
import { formatLocalDate, parseLocalDate } from '../../util/tz.js';
import { countryLabel } from './context.js';

/** Findings a report discusses at most (one per series, most significant first). */
export const MAX_REPORT_FINDINGS = 10;
/** Leading items of each dimension whose daily series are searched for change points. */
const SERIES_TOP = 8;
const SOURCE_PORT_TOP = 5;
const PERCENT = 100;
/** Source port classes that name a real port: exact TCP/UDP ports, not `eph/TCP` nor ICMP types. */
const EXACT_SOURCE_PORT = /^\d+\/(TCP|UDP)$/;
const COUNTRY_CODE = /^[A-Z]{2}$/;

export interface FindingSources {
  period: Period;
  previous: Period;
  /** The span the daily series cover, ending with the period (e.g. the previous period and this one). */
  seriesSpan: Period;
  ports: RankingTable;
  countries: RankingTable;
}

/** The report's findings: one per series or ranking row, most significant first, contributors named. */
export async function reportFindings(store: AnalyticsStore, sources: FindingSources): Promise<Finding[]> {
  const { period, previous, seriesSpan, ports, countries } = sources;
  const portKeys = leadingKeys(ports);
  const countryKeys = leadingKeys(countries);
  const sourcePorts = await sourcePortKeys(store, period);
  const [portSeries, countrySeries, sportSeries] = await Promise.all([
    portKeys.length === 0 ? null : dailySeries(store, { period: seriesSpan, by: 'service', keys: portKeys }),
    countryKeys.length === 0 ? null : dailySeries(store, { period: seriesSpan, by: 'country', keys: countryKeys }),
    sourcePorts.length === 0 ? null : dailySeries(store, { period: seriesSpan, by: 'sport-class', keys: sourcePorts }),
  ]);
  const series: SeriesInput[] = [];
  const add = (dimension: SeriesInput['dimension'], result: Awaited<ReturnType<typeof dailySeries>> | null): void => {
    for (const item of result?.items ?? []) {
      const days: number[] = [];
      const values: number[] = [];
      item.perDayPerAddress.forEach((value, i) => {
        if (value === null) return;
        days.push(parseLocalDate(result!.dates[i]!));
        values.push(value);
      });
      const label = dimension === 'country' ? countryLabels(item.key) : { ja: item.key, en: item.key };
      series.push({ dimension, key: item.key, label, days, values });
    }
  };
  add('service', portSeries);
  add('country', countrySeries);
  add('source-port', sportSeries);
  const rankings: RankingInput[] = [
    { dimension: 'service', rows: ports.rows, claims: claimsOf(ports) },
    {
      dimension: 'country',
      rows: countries.rows,
      labels: Object.fromEntries(countries.rows.map((r) => [r.key, countryLabels(r.key)])),
      claims: claimsOf(countries),
    },
  ];
  const found = findFindings({
    period: { startDay: period.startDay, endDay: period.endDay, kind: period.kind },
    previousPeriod: { startDay: previous.startDay, endDay: previous.endDay },
    series,
    rankings,
  });
  const kept = selectHeadlines(found, { count: MAX_REPORT_FINDINGS });
  return Promise.all(
    kept.map(async (finding) => withContributors(finding, await contributorsOf(store, finding, period))),
  );
}

/** What each tested row's change allows the findings to claim. */
function claimsOf(table: RankingTable): Record<string, ChangeClaim> {
  const claims: Record<string, ChangeClaim> = {};
  for (const row of table.uncertainty?.rows ?? []) if (row.change !== null) claims[row.key] = row.change.direction;
  return claims;
}

function countryLabels(code: string): Localized {
  return { ja: countryLabel(code, 'ja'), en: countryLabel(code, 'en') };
}

/** The table's rows and the leaders: what a finding can be about. */
function leadingKeys(table: RankingTable): string[] {
  const keys = new Set<string>();
  for (const row of table.rows) {
    if (keys.size >= SERIES_TOP) break;
    if (row.rank !== null) keys.add(row.key);
  }
  for (const row of table.table) keys.add(row.key);
  return [...keys].filter((key) => key !== '--');
}

async function sourcePortKeys(store: AnalyticsStore, period: Period): Promise<string[]> {
  const classes = await breakdown(store, { period, by: 'sport-class', sources: false });
  return classes.items
    .filter((item) => EXACT_SOURCE_PORT.test(item.key))
    .slice(0, SOURCE_PORT_TOP)
    .map((item) => item.key);
}

/** What the finding's traffic was made of over its own days. */
async function contributorsOf(store: AnalyticsStore, finding: Finding, period: Period): Promise<Contributors> {
  const span = parsePeriod(`${formatLocalDate(finding.fromDay)}..${formatLocalDate(finding.toDay)}`, {
    timeZone: period.timeZone,
  });
  const of = (by: 'country' | 'service' | 'country-sport-class', filter: StatsFilter = {}): Promise<Breakdown> =>
    breakdown(store, { period: span, by, filter, sources: false });
  switch (finding.dimension) {
    case 'service':
      return { countries: countryShares((await of('country', { service: finding.key })).items) };
    case 'country':
      if (!COUNTRY_CODE.test(finding.key)) return {};
      return {
        services: shares(
          (await of('service', { country: finding.key })).items.map((i) => ({ key: i.key, packets: i.packets })),
        ),
      };
    case 'source-port': {
      const items = (await of('country-sport-class')).items.filter((i) => i.label.sourcePort === finding.key);
      return { countries: countryShares(items.map((i) => ({ key: i.label.country ?? '--', packets: i.packets }))) };
    }
    case 'category':
      return {};
  }
}

function shares(items: readonly { key: string; packets: number }[]): { key: string; sharePct: number }[] {
  const total = items.reduce((sum, i) => sum + i.packets, 0);
  if (total === 0) return [];
  return items.map((i) => ({ key: i.key, sharePct: Math.min(PERCENT, (i.packets / total) * PERCENT) }));
}

/** Country shares without the "never looked up" part, which has no name to print. */
function countryShares(items: readonly { key: string; packets: number }[]): { code: string; sharePct: number }[] {
  return shares(items)
    .filter((s) => COUNTRY_CODE.test(s.key))
    .map((s) => ({ code: s.key, sharePct: s.sharePct }));
}
