/**
 * @module
 * Compares teiten's published figures for a period with the tables computed
 * from truth.json (`truth-tables.ts`): totals, accesses per day per address,
 * sources per day, every item of the service, country, country × service and
 * sensor breakdowns, and the ranks of the ranking tables. Integers must be
 * equal; ratios of equal integers must agree to 1e-9 relative.
 */

import { breakdown, periodSummary, rankingTable } from '../analyse/index.js';
import type { Period } from '../util/period.js';
import type { AnalyticsStore } from '../store/index.js';
import { ranksOf, type TruthDimension, type TruthTables } from './truth-tables.js';

const RELATIVE_TOLERANCE = 1e-9;
const DIMENSIONS: readonly TruthDimension[] = ['service', 'country', 'country-service', 'sensor'];

/** One compared figure. */
export interface Check {
  period: string;
  /** `summary`, `service`, `country`, `country-service`, `sensor`, `rank:service`, … */
  table: string;
  item: string;
  field: string;
  expected: number | null;
  actual: number | null;
  ok: boolean;
}

/** Every check of one period. */
export async function comparePeriod(store: AnalyticsStore, tables: TruthTables, period: Period): Promise<Check[]> {
  const checks: Check[] = [];
  const add = (table: string, item: string, field: string, expected: number | null, actual: number | null): void => {
    checks.push({ period: period.label, table, item, field, expected, actual, ok: agrees(expected, actual) });
  };

  const summary = await periodSummary(store, { period });
  const packets = tables.packets(period);
  const addressDays = tables.addressDays(period);
  const observedDays = tables.observedDays(period);
  add('summary', 'total', 'packets', packets, summary.current.packets);
  add('summary', 'total', 'addressDays', addressDays, summary.current.addressDays);
  add('summary', 'total', 'perDayPerAddress', packets / addressDays, summary.current.perDayPerAddress);
  add('summary', 'total', 'sourcesPerDay', tables.sourceDays(period) / observedDays, summary.current.sourcesPerDay);

  for (const by of DIMENSIONS) {
    const expected = tables.byDimension(period, by);
    const got = await breakdown(store, { period, by, sources: false });
    const actual = new Map(got.items.filter((i) => i.packets > 0).map((i) => [i.key, i.packets]));
    for (const key of new Set([...expected.keys(), ...actual.keys()])) {
      add(by, key, 'packets', expected.get(key) ?? null, actual.get(key) ?? null);
    }
  }

  const serviceSources = tables.serviceSourceDays(period);
  const services = await breakdown(store, { period, by: 'service' });
  for (const item of services.items) {
    if (item.packets === 0) continue;
    add('service', item.key, 'sourcesPerDay', (serviceSources.get(item.key) ?? 0) / observedDays, item.sourcesPerDay);
  }

  for (const by of ['service', 'country'] as const) {
    const ranking = await rankingTable(store, { period, by });
    const ranks = ranksOf(tables.byDimension(period, by));
    for (const row of ranking.rows) {
      if (row.rank === null && !ranks.has(row.key)) continue;
      add(`rank:${by}`, row.key, 'rank', ranks.get(row.key) ?? null, row.rank);
    }
  }
  return checks;
}

/** Equal integers, or finite ratios within the relative tolerance; null only equals null. */
function agrees(expected: number | null, actual: number | null): boolean {
  if (expected === null || actual === null) return expected === actual;
  if (Number.isInteger(expected) && Number.isInteger(actual)) return expected === actual;
  return Math.abs(expected - actual) <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(expected));
}
