/**
 * @module
 * What the alerts of threshold rules (`signature-thresholds.ts`, decided
 * when read) add to the signature figures read from `signature_source_day`
 * (rules without threshold, rolled up at ingest): packets add up, and every
 * distinct-source count grows by the sources the alerts bring that the
 * rollup does not already hold in that group.
 *
 * Exact and cheap: distinct counts over disjoint sets of sources add, so
 * only the alerting sources are looked up in the rollup, and for them the
 * count is taken over the union in memory: added = count(rollup ∪ alerts) −
 * count(rollup), both over those sources alone.
 */

import type { AnalyticsStore } from '../store/index.js';
import { scoped } from './detection-scope.js';
import { placeholders } from './queries.js';
import type { Scope } from './scope.js';
import { thresholdAlerts } from './signature-thresholds.js';
import type { ThresholdRuleAlerts } from './threshold-alert-tally.js';

/** Sources looked up per query. */
const LOOKUP_CHUNK = 500;

/** Additions to the figures of `signature-stats.ts`, each keyed as there. */
export interface ThresholdFigures {
  rules: ThresholdRuleAlerts[];
  /** Per category, per local day: packets and distinct sources added. */
  byCategoryDay: Map<string, Map<number, { packets: number; sources: number }>>;
  /** Added to Σ over days of each day's distinct sources (all categories). */
  daySources: number;
  /** Added to the period's distinct sources. */
  sources: number;
  /** Packets added per country, then category. */
  countryPackets: Map<number, Map<string, number>>;
  /** Added to Σ over days of each day's distinct sources, per country. */
  countryDaySources: Map<number, number>;
}

interface SourceDay {
  d: number;
  c: string;
  k: number;
  src: string;
}

interface DistinctCounts {
  byCategoryDay: Map<string, number>;
  daySources: number;
  sources: number;
  countryDaySources: Map<number, number>;
}

function distinctCounts(rows: readonly SourceDay[]): DistinctCounts {
  const seen = new Set<string>();
  const first = (key: string): boolean => {
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  const out: DistinctCounts = { byCategoryDay: new Map(), daySources: 0, sources: 0, countryDaySources: new Map() };
  for (const r of rows) {
    const cd = `${r.c}\n${r.d}`;
    if (first(`cd\n${cd}\n${r.src}`)) out.byCategoryDay.set(cd, (out.byCategoryDay.get(cd) ?? 0) + 1);
    if (first(`d\n${r.d}\n${r.src}`)) out.daySources++;
    if (first(`s\n${r.src}`)) out.sources++;
    if (first(`kd\n${r.k}\n${r.d}\n${r.src}`))
      out.countryDaySources.set(r.k, (out.countryDaySources.get(r.k) ?? 0) + 1);
  }
  return out;
}

/** The threshold alerts of `scope`'s period and what they add to its signature figures. */
export async function thresholdFigures(store: AnalyticsStore, scope: Scope): Promise<ThresholdFigures> {
  const alerts = await thresholdAlerts(store, scope);
  const addresses = [...new Set(alerts.sources.map((s) => s.src))];
  const rollup: SourceDay[] = [];
  for (let at = 0; at < addresses.length; at += LOOKUP_CHUNK) {
    const chunk = addresses.slice(at, at + LOOKUP_CHUNK);
    const rows = await scoped<SourceDay>(store, scope, {
      view: 'signature_source_day',
      select: 'local_day AS d, category AS c, country AS k, src',
      group: 'local_day, category, country, src',
      extra: { sql: `src IN (${placeholders(chunk.length)})`, params: chunk },
    });
    for (const r of rows) rollup.push({ d: Number(r.d), c: r.c, k: Number(r.k), src: r.src });
  }
  const added = alerts.sources.map((s) => ({ d: s.day, c: s.category, k: s.country, src: s.src }));
  const before = distinctCounts(rollup);
  const after = distinctCounts([...rollup, ...added]);
  const byCategoryDay: ThresholdFigures['byCategoryDay'] = new Map();
  const countryPackets: ThresholdFigures['countryPackets'] = new Map();
  for (const s of alerts.sources) {
    let days = byCategoryDay.get(s.category);
    if (days === undefined) byCategoryDay.set(s.category, (days = new Map()));
    const day = days.get(s.day) ?? { packets: 0, sources: 0 };
    day.packets += s.packets;
    days.set(s.day, day);
    let cats = countryPackets.get(s.country);
    if (cats === undefined) countryPackets.set(s.country, (cats = new Map()));
    cats.set(s.category, (cats.get(s.category) ?? 0) + s.packets);
  }
  for (const [cd, n] of after.byCategoryDay) {
    const grown = n - (before.byCategoryDay.get(cd) ?? 0);
    const [c, d] = cd.split('\n') as [string, string];
    if (grown > 0) byCategoryDay.get(c)!.get(Number(d))!.sources += grown;
  }
  const countryDaySources = new Map<number, number>();
  for (const [k, n] of after.countryDaySources) countryDaySources.set(k, n - (before.countryDaySources.get(k) ?? 0));
  return {
    rules: alerts.rules,
    byCategoryDay,
    daySources: after.daySources - before.daySources,
    sources: after.sources - before.sources,
    countryPackets,
    countryDaySources,
  };
}
