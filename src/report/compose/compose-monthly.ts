/**
 * @module
 * `composeMonthly`: the monthly report (after the TALOT2 layout) of a month
 * from the store. §1 speaks to the public (totals per observation point,
 * "your computer receives N accesses a day from M strangers", six months in
 * figure 1.1); §2 the month's notable changes with daily charts of the ports
 * involved, daily accesses and sources, and port and region ratios; §3 the
 * six months' ratios; §4 the explanation table of the month's top ports;
 * §5 the method. Headlines are the two or three most significant findings.
 * As in the quarterly report, the month's rates carry 95 % intervals (table
 * 1.2, the ranking tables of §2.3 and §2.4 with their q-values) and its
 * daily charts the band of the period mean's interval.
 */

import { previousPeriod, type Period } from '../../analyse/index.js';
import type { AnalyticsStore } from '../../store/index.js';
import { DOCUMENT_SCHEMA, type ReportDocument } from '../document.js';
import { formatMonth } from '../format-date.js';
import { reportMeta, type ComposeOptions } from './compose-options.js';
import { HEADLINES } from './compose-quarterly.js';
import { composeContext } from './context.js';
import { findingHeadline, findingTables, type FindingTables } from './findings-blocks.js';
import { Numberer } from './inline.js';
import { methodSection } from './method-section.js';
import { monthlyChanges } from './monthly-changes.js';
import { monthlyData } from './monthly-data.js';
import { monthlyHistory } from './monthly-history.js';
import { monthlyOverview } from './monthly-overview.js';
import { monthlyTraffic } from './monthly-traffic.js';
import { portExplanations } from './port-explanations.js';

/** The monthly report of `period` (a month, or any period: its previous one is the comparison). */
export async function composeMonthly(
  store: AnalyticsStore,
  period: Period,
  options: ComposeOptions,
): Promise<ReportDocument> {
  const previous = previousPeriod(period);
  const ctx = composeContext({ lang: options.lang, period, previous, unit: 'month' });
  const data = await monthlyData(store, period, previous);
  // §2's tables are numbered in order: the findings, their contributors (when any finding names one), then the rankings.
  const tableNumbers = new Numberer('2', '.');
  const nextTable = (): { id: string; number: string } => {
    const number = tableNumbers.next();
    return { id: `t${number}`, number };
  };
  let tables: FindingTables | null = null;
  if (data.findings.length > 0) {
    const findings = nextTable();
    const contributors = data.findings.some((f) => f.contributors.length > 0) ? nextTable() : findings;
    tables = findingTables(data.findings, ctx, { findings, contributors });
  }
  const fig = (prefix: string): Numberer => new Numberer(prefix, '.');
  const changes = monthlyChanges(data, ctx, { tables, figures: fig('2.1') });
  const traffic = monthlyTraffic(data, ctx, {
    daily: fig('2.2'),
    ports: fig('2.3'),
    regions: fig('2.4'),
    tables: nextTable,
  });
  const month = formatMonth(data.months[data.months.length - 1]!.month, ctx.lang);
  return {
    schema: DOCUMENT_SCHEMA,
    meta: reportMeta('monthly', { period, previous, storeKind: store.kind, setup: data.setup }, options),
    headlines: tables === null ? [] : data.findings.slice(0, HEADLINES).map((f) => findingHeadline(f, ctx, tables)),
    sections: [
      monthlyOverview(data.months, ctx, { interval: data.uncertainty.current }),
      {
        id: 's2',
        number: '2',
        title: ctx.ja ? `${month}のアクセス状況` : `Accesses in ${month}`,
        blocks: [],
        sections: [changes, ...traffic],
      },
      monthlyHistory(data.history, ctx, { ports: fig('3.1'), regions: fig('3.2') }),
      portExplanations(data.ports, ctx, { number: '4' }),
      methodSection(ctx, {
        setup: data.setup,
        signatures: options.detections?.signatures ?? null,
        number: '5',
        separator: '.',
      }),
    ],
  };
}
