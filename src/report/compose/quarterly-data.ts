/**
 * @module
 * Everything the quarterly report prints, read from the store once: the
 * period summary, ranking tables by port, country and country × port, the
 * port ranking of the selected country, the findings, the daily charts'
 * series (top ports and countries, and the ports and source ports of
 * findings), and the sensors and ingests for the method section.
 */

import {
  dailySeries,
  type DailySeries,
  type Finding,
  parsePeriod,
  type Period,
  periodSummary,
  type PeriodSummary,
  rankingTable,
  type RankingTable,
  rankingTables,
} from '../../analyse/index.js';
import type { AnalyticsStore } from '../../store/index.js';
import { formatLocalDate } from '../../util/tz.js';
import { stackedDailies, type DailyGroup, type StackedDaily } from './daily-charts.js';
import { reportFindings } from './findings-data.js';
import { observationSetup, type ObservationSetup } from './observation-setup.js';

/** Leading rows of the published tables, and the movers shown besides. */
export const TABLE_SELECTION = { top: 5, movers: 5 } as const;
/** Ports and countries with a daily chart of their own. */
const CHARTED_LEADERS = 5;
/** Ports of findings outside the leaders that get a chart too. */
const CHARTED_FINDINGS = 3;
/** Parts stacked in a daily chart before "other". */
const STACKED_PARTS = 4;

export interface QuarterlyData {
  period: Period;
  previous: Period;
  summary: PeriodSummary;
  ports: RankingTable;
  countries: RankingTable;
  /** Country × port, both periods. */
  pairs: RankingTable;
  /** The port ranking of the selected country; null when it sent nothing either period. */
  selected: { country: string; ports: RankingTable } | null;
  findings: Finding[];
  /** Daily series by group key (`445/TCP`, `CN`), in chart order. */
  portDailies: StackedDaily[];
  countryDailies: StackedDaily[];
  /** Daily series of the source ports named by findings. */
  sourcePorts: DailySeries | null;
  setup: ObservationSetup;
}

export async function quarterlyData(
  store: AnalyticsStore,
  options: { period: Period; previous: Period; country: string },
): Promise<QuarterlyData> {
  const { period, previous } = options;
  const [summary, [ports, countries, pairs], selectedPorts] = await Promise.all([
    periodSummary(store, { period }),
    rankingTables(store, { period, by: ['service', 'country', 'country-service'], ...TABLE_SELECTION }),
    rankingTable(store, { period, by: 'service', filter: { country: options.country }, ...TABLE_SELECTION }),
  ]);
  const setup = await observationSetup(store, period, summary.sensors);
  const seriesSpan = parsePeriod(`${formatLocalDate(previous.startDay)}..${formatLocalDate(period.endDay - 1)}`, {
    timeZone: period.timeZone,
  });
  const findings = await reportFindings(store, { period, previous, seriesSpan, ports: ports!, countries: countries! });
  const groups = chartGroups(ports!, countries!, pairs!, findings);
  const sourcePortKeys = findings.filter((f) => f.dimension === 'source-port').map((f) => f.key);
  const [dailies, sourcePorts] = await Promise.all([
    stackedDailies(store, period, groups),
    sourcePortKeys.length === 0 ? null : dailySeries(store, { period, by: 'sport-class', keys: sourcePortKeys }),
  ]);
  const pick = (dimension: DailyGroup['dimension']): StackedDaily[] =>
    groups.filter((g) => g.dimension === dimension).map((g) => dailies.get(g.key)!);
  return {
    period,
    previous,
    summary,
    ports: ports!,
    countries: countries!,
    pairs: pairs!,
    selected: selectedPorts.rows.length === 0 ? null : { country: options.country, ports: selectedPorts },
    findings,
    portDailies: pick('service'),
    countryDailies: pick('country'),
    sourcePorts,
    setup,
  };
}

/** Keys ranked 1..n this period. */
export function leaders(table: RankingTable, n: number): string[] {
  return table.rows.filter((r) => r.rank !== null && r.rank <= n && r.key !== '--').map((r) => r.key);
}

function chartGroups(
  ports: RankingTable,
  countries: RankingTable,
  pairs: RankingTable,
  findings: readonly Finding[],
): DailyGroup[] {
  const portKeys = leaders(ports, CHARTED_LEADERS);
  const extra = findings
    .filter((f) => f.dimension === 'service' && !portKeys.includes(f.key) && f.key !== '--')
    .slice(0, CHARTED_FINDINGS)
    .map((f) => f.key);
  const countryKeys = leaders(countries, CHARTED_LEADERS);
  const extraCountries = findings
    .filter((f) => f.dimension === 'country' && !countryKeys.includes(f.key) && /^[A-Z]{2}$/.test(f.key))
    .slice(0, CHARTED_FINDINGS)
    .map((f) => f.key);
  countryKeys.push(...extraCountries);
  const current = pairs.rows.filter((r) => r.rank !== null);
  const partsOf = (match: (label: { country: string | null; service: string | null }) => boolean): string[] =>
    current
      .filter((r) => match(r.label))
      .slice(0, STACKED_PARTS)
      .map((r) => r.key);
  return [
    ...[...portKeys, ...extra].map((key): DailyGroup => ({
      key,
      dimension: 'service',
      pairs: partsOf((l) => l.service === key),
    })),
    ...countryKeys.map((key): DailyGroup => ({ key, dimension: 'country', pairs: partsOf((l) => l.country === key) })),
  ];
}
