/**
 * @module
 * `scannerStatistics()`: the scanners of a period from `scanner_sources`:
 * how many sources scanned and how (horizontal, vertical, mixed), which
 * tools their probes fingerprint as (ZMap, Masscan, Mirai, Nmap) with the
 * sources' countries, and the widest scanners. A scanner row covers one
 * scanner window (a UTC day by default) of one capture; it belongs to the
 * period of its first probe's local day.
 */

import type { AnalyticsStore } from '../store/index.js';
import { detectionScopes, scoped, type DetectionFilter } from './detection-scope.js';
import type { CountryRef, ScannerItem, ScannerStatistics, ScannerToolItem } from './detection-types.js';
import { StatsInputError } from './errors.js';
import { labelOf, type KeyContext } from './item-keys.js';
import type { Period } from './period.js';

/** Scanners listed when not told otherwise. */
export const DEFAULT_TOP_SCANNERS = 10;
const MS_PER_SECOND = 1000;
const VIEW = 'scanner_sources';

export interface ScannerStatsOptions {
  period: Period;
  filter?: DetectionFilter;
  /** Scanners listed, widest first (default 10). */
  top?: number;
}

interface ScannerRow {
  sensor_id: number;
  src: string;
  country: number;
  first_sec: number;
  last_sec: number;
  packets: number;
  addresses: number;
  services: number;
  top_services: string;
  scan_type: string;
  tools: string;
  why: string;
}

function countryRef(value: number, ctx: KeyContext): CountryRef {
  const label = labelOf(['country'], [value], ctx);
  return { country: label.country ?? '', countryJa: label.countryJa, countryEn: label.countryEn };
}

/** Scanners of `options.period`: counts by scan type and tool, and the widest ones. */
export async function scannerStatistics(store: AnalyticsStore, options: ScannerStatsOptions): Promise<ScannerStatistics> {
  const top = options.top ?? DEFAULT_TOP_SCANNERS;
  if (!Number.isSafeInteger(top) || top < 0) throw new StatsInputError('top', top, 'is not a whole number ≥ 0');
  const { filter, current: scope } = await detectionScopes(store, options.period, options.filter);
  const [totals, types, tagged, widest] = await Promise.all([
    scoped<{ windows: number; sources: number; packets: number }>(store, scope, {
      view: VIEW, select: 'COUNT(*) AS windows, COUNT(DISTINCT src) AS sources, COALESCE(SUM(packets), 0) AS packets',
    }),
    scoped<{ k: string; sources: number; packets: number }>(store, scope, {
      view: VIEW, select: 'scan_type AS k, COUNT(DISTINCT src) AS sources, SUM(packets) AS packets', group: 'scan_type',
    }),
    // Few rows (tool-tagged sources only); the comma lists are split here, not in SQL.
    scoped<{ src: string; tools: string; country: number; packets: number }>(store, scope, {
      view: VIEW, select: 'src, tools, country, SUM(packets) AS packets', group: 'src, tools, country', extra: { sql: "tools <> ''", params: [] },
    }),
    top === 0 ? [] : scoped<ScannerRow>(store, scope, {
      view: VIEW,
      select: 'sensor_id, src, country, first_sec, last_sec, packets, addresses, services, top_services, scan_type, tools, why',
      tail: ' ORDER BY addresses DESC, packets DESC, src, first_sec, sensor_id LIMIT ?',
      tailParams: [top],
    }),
  ]);
  const ctx = scope.filter.keys;
  return {
    period: scope.ref,
    filter: filter.applied,
    windows: Number(totals[0]?.windows ?? 0),
    sources: Number(totals[0]?.sources ?? 0),
    packets: Number(totals[0]?.packets ?? 0),
    byScanType: types
      .map((r) => ({ scanType: r.k, sources: Number(r.sources), packets: Number(r.packets) }))
      .sort((a, b) => b.sources - a.sources || (a.scanType < b.scanType ? -1 : 1)),
    byTool: toolItems(tagged, ctx),
    top: widest.map((r): ScannerItem => ({
      ...countryRef(Number(r.country), ctx),
      sensor: ctx.sensorsById.get(Number(r.sensor_id))?.name ?? `#${r.sensor_id}`,
      source: r.src,
      firstSeen: new Date(Math.round(Number(r.first_sec) * MS_PER_SECOND)).toISOString(),
      lastSeen: new Date(Math.round(Number(r.last_sec) * MS_PER_SECOND)).toISOString(),
      packets: Number(r.packets),
      addresses: Number(r.addresses),
      services: Number(r.services),
      topServices: r.top_services,
      scanType: r.scan_type,
      tools: r.tools === '' ? [] : r.tools.split(','),
      why: r.why,
    })),
  };
}

function toolItems(rows: ReadonlyArray<{ src: string; tools: string; country: number; packets: number }>, ctx: KeyContext): ScannerToolItem[] {
  const tools = new Map<string, { sources: Set<string>; packets: number; countries: Map<number, Set<string>> }>();
  for (const row of rows) {
    for (const tool of row.tools.split(',')) {
      let acc = tools.get(tool);
      if (acc === undefined) tools.set(tool, (acc = { sources: new Set(), packets: 0, countries: new Map() }));
      acc.sources.add(row.src);
      acc.packets += Number(row.packets);
      const country = Number(row.country);
      let set = acc.countries.get(country);
      if (set === undefined) acc.countries.set(country, (set = new Set()));
      set.add(row.src);
    }
  }
  return [...tools]
    .map(([tool, acc]): ScannerToolItem => ({
      tool,
      sources: acc.sources.size,
      packets: acc.packets,
      countries: [...acc.countries]
        .map(([value, set]) => ({ ...countryRef(value, ctx), sources: set.size }))
        .sort((a, b) => b.sources - a.sources || (a.country < b.country ? -1 : 1)),
    }))
    .sort((a, b) => b.sources - a.sources || (a.tool < b.tool ? -1 : 1));
}
