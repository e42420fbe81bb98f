/**
 * @module
 * Everything the monthly report prints, read from the store once: the
 * per-sensor daily overview of the last six months (figure 1.1 and the
 * plain-language figures), ranking tables against the previous month, the
 * month's findings and the daily series of the ports and countries they
 * name, the month's daily series by port and by country, and the six
 * months' breakdowns by port and by country with sources.
 */

import {
  breakdown,
  type Breakdown,
  dailySeries,
  type DailySeries,
  type Finding,
  lastMonths,
  parsePeriod,
  type Period,
  periodSummary,
  type RankingTable,
  type RateUncertainty,
  rankingTables,
  sensorOverview,
} from '../../analyse/index.js';
import type { AnalyticsStore } from '../../store/index.js';
import { formatLocalDate } from '../../util/tz.js';
import { stackedDailies, type DailyGroup, type StackedDaily } from './daily-charts.js';
import { reportFindings } from './findings-data.js';
import { monthFigures, type MonthFigures } from './month-figures.js';
import { observationSetup, type ObservationSetup } from './observation-setup.js';
import { TABLE_SELECTION } from './quarterly-data.js';

export const OVERVIEW_MONTHS = 6;
/** Ports and countries in the month's daily charts before "other". */
const MONTH_TOP = 5;
/** Notable ports and countries charted at most. */
const NOTABLE = 4;
const STACKED_PARTS = 4;

export interface MonthBreakdowns {
  month: Period;
  services: Breakdown;
  countries: Breakdown;
}

export interface MonthlyData {
  period: Period;
  previous: Period;
  /** One entry per month of the overview, the report month last. */
  months: MonthFigures[];
  /** The month's accesses per day per address: its 95 % interval and the test of its change. */
  uncertainty: RateUncertainty;
  ports: RankingTable;
  countries: RankingTable;
  findings: Finding[];
  /** Daily series by country of the ports in findings, and by port of the countries in findings. */
  notable: StackedDaily[];
  sourcePorts: DailySeries | null;
  /** The month's daily series: total, the leading ports, the leading countries. */
  total: DailySeries;
  byPort: DailySeries;
  byCountry: DailySeries;
  /** Breakdowns with sources of each overview month, the report month last. */
  history: MonthBreakdowns[];
  setup: ObservationSetup;
}

export async function monthlyData(store: AnalyticsStore, period: Period, previous: Period): Promise<MonthlyData> {
  const months = lastMonths(period, OVERVIEW_MONTHS);
  const span = parsePeriod(`${formatLocalDate(months[0]!.startDay)}..${formatLocalDate(period.endDay - 1)}`, {
    timeZone: period.timeZone,
  });
  const [summary, overview, [ports, countries, pairs], total, byPort, byCountry, history] = await Promise.all([
    periodSummary(store, { period }),
    sensorOverview(store, { period, months: OVERVIEW_MONTHS }),
    rankingTables(store, { period, by: ['service', 'country', 'country-service'], ...TABLE_SELECTION }),
    dailySeries(store, { period }),
    dailySeries(store, { period, by: 'service', top: MONTH_TOP }),
    dailySeries(store, { period, by: 'country', top: MONTH_TOP }),
    Promise.all(
      months.map(async (month): Promise<MonthBreakdowns> => ({
        month,
        services: await breakdown(store, { period: month, by: 'service' }),
        countries: await breakdown(store, { period: month, by: 'country' }),
      })),
    ),
  ]);
  const setup = await observationSetup(store, period, summary.sensors);
  const findings = await reportFindings(store, {
    period,
    previous,
    seriesSpan: span,
    ports: ports!,
    countries: countries!,
  });
  const groups = notableGroups(pairs!, findings);
  const sourcePortKeys = findings
    .filter((f) => f.dimension === 'source-port')
    .slice(0, NOTABLE)
    .map((f) => f.key);
  const [dailies, sourcePorts] = await Promise.all([
    stackedDailies(store, period, groups),
    sourcePortKeys.length === 0 ? null : dailySeries(store, { period, by: 'sport-class', keys: sourcePortKeys }),
  ]);
  return {
    period,
    previous,
    months: monthFigures(overview, months),
    uncertainty: summary.uncertainty,
    ports: ports!,
    countries: countries!,
    findings,
    notable: groups.map((g) => dailies.get(g.key)!),
    sourcePorts,
    total,
    byPort,
    byCountry,
    history,
    setup,
  };
}

/** The ports and countries of findings, each with its leading partners of the month. */
function notableGroups(pairs: RankingTable, findings: readonly Finding[]): DailyGroup[] {
  const current = pairs.rows.filter((r) => r.rank !== null);
  const groups: DailyGroup[] = [];
  for (const f of findings) {
    if (groups.length >= NOTABLE) break;
    if (f.dimension === 'service' && f.key !== '--') {
      groups.push({
        key: f.key,
        dimension: 'service',
        pairs: current
          .filter((r) => r.label.service === f.key)
          .slice(0, STACKED_PARTS)
          .map((r) => r.key),
      });
    } else if (f.dimension === 'country' && /^[A-Z]{2}$/.test(f.key)) {
      groups.push({
        key: f.key,
        dimension: 'country',
        pairs: current
          .filter((r) => r.label.country === f.key)
          .slice(0, STACKED_PARTS)
          .map((r) => r.key),
      });
    }
  }
  return groups;
}
