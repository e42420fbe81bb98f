/**
 * @module
 * `scannerStatistics()`: the scanners of a period, derived over the
 * telescope from the stored scanner evidence (`telescope-scanners.ts`): how
 * many sources scanned and how (horizontal, vertical, mixed), which tools
 * their probes fingerprint as (ZMap, Masscan, Mirai, Nmap) with the sources'
 * countries, and the widest scanners with a part per sensor. A scanner is
 * one source in one scanner window (a UTC day by default) over every
 * selected sensor and capture; it belongs to the period of its first
 * probe's local day.
 */

import type { ScannerSummary, ScanThresholds } from '../detect/index.js';
import type { AnalyticsStore } from '../store/index.js';
import { detectionScopes, type DetectionFilter } from './detection-scope.js';
import type { CountryRef, ScannerItem, ScannerStatistics, ScannerToolItem } from './detection-types.js';
import { StatsInputError } from './errors.js';
import { labelOf, type KeyContext } from './item-keys.js';
import type { Period } from '../util/period.js';
import { readScanSettings, telescopeScanners } from './telescope-scanners.js';

/** Scanners listed when not told otherwise. */
export const DEFAULT_TOP_SCANNERS = 10;
const MS_PER_SECOND = 1000;

export interface ScannerStatsOptions {
  period: Period;
  filter?: DetectionFilter;
  /** Scanners listed, widest first (default 10). */
  top?: number;
  /** Scan thresholds (default: the store's recorded ones, else the detector's). */
  thresholds?: ScanThresholds;
}

function countryRef(value: number, ctx: KeyContext): CountryRef {
  const label = labelOf(['country'], [value], ctx);
  return { country: label.country ?? '', countryJa: label.countryJa, countryEn: label.countryEn };
}

/** Scanners of `options.period`: counts by scan type and tool, and the widest ones. */
export async function scannerStatistics(
  store: AnalyticsStore,
  options: ScannerStatsOptions,
): Promise<ScannerStatistics> {
  const top = options.top ?? DEFAULT_TOP_SCANNERS;
  if (!Number.isSafeInteger(top) || top < 0) throw new StatsInputError('top', top, 'is not a whole number ≥ 0');
  const { filter, current: scope } = await detectionScopes(store, options.period, options.filter);
  const thresholds = options.thresholds ?? (await readScanSettings(store));
  const scanners = await telescopeScanners(store, scope, thresholds);
  const ctx = scope.filter.keys;
  const types = new Map<string, { sources: Set<number>; packets: number }>();
  for (const s of scanners) {
    let acc = types.get(s.scanType);
    if (acc === undefined) types.set(s.scanType, (acc = { sources: new Set(), packets: 0 }));
    acc.sources.add(s.sourceAddress);
    acc.packets += s.packets;
  }
  const widest = [...scanners].sort(
    (a, b) =>
      b.addresses - a.addresses ||
      b.packets - a.packets ||
      a.sourceAddress - b.sourceAddress ||
      a.firstSeen - b.firstSeen,
  );
  return {
    period: scope.ref,
    filter: filter.applied,
    thresholds,
    windows: scanners.length,
    sources: new Set(scanners.map((s) => s.sourceAddress)).size,
    packets: scanners.reduce((n, s) => n + s.packets, 0),
    byScanType: [...types]
      .map(([scanType, acc]) => ({ scanType, sources: acc.sources.size, packets: acc.packets }))
      .sort((a, b) => b.sources - a.sources || (a.scanType < b.scanType ? -1 : 1)),
    byTool: toolItems(scanners, ctx),
    top: widest.slice(0, top).map((s): ScannerItem => ({
      ...countryRef(s.country, ctx),
      sensors: s.sensors.map((p) => ({
        sensor: ctx.sensorsById.get(p.sensorId)?.name ?? `#${p.sensorId}`,
        packets: p.packets,
        addresses: p.addresses,
      })),
      source: s.source,
      firstSeen: new Date(Math.round(s.firstSeen * MS_PER_SECOND)).toISOString(),
      lastSeen: new Date(Math.round(s.lastSeen * MS_PER_SECOND)).toISOString(),
      packets: s.packets,
      addresses: s.addresses,
      services: s.services,
      topServices: s.topServices.map((t) => `${t.service}:${t.packets}`).join(' '),
      scanType: s.scanType,
      tools: s.tools,
      why: s.why,
    })),
  };
}

function toolItems(scanners: readonly ScannerSummary[], ctx: KeyContext): ScannerToolItem[] {
  const tools = new Map<string, { sources: Set<number>; packets: number; countries: Map<number, Set<number>> }>();
  for (const s of scanners) {
    for (const tool of s.tools) {
      let acc = tools.get(tool);
      if (acc === undefined) tools.set(tool, (acc = { sources: new Set(), packets: 0, countries: new Map() }));
      acc.sources.add(s.sourceAddress);
      acc.packets += s.packets;
      let set = acc.countries.get(s.country);
      if (set === undefined) acc.countries.set(s.country, (set = new Set()));
      set.add(s.sourceAddress);
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
