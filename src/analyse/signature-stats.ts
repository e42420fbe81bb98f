/**
 * @module
 * `signatureStatistics()`: the report's §3, signature detections by
 * category for a period against the previous one: totals per day per
 * address and detected sources per day, the category ranking table, each
 * category's daily series, detections by country with each country's
 * category mix, and the most-raised signatures. Read from
 * `signature_source_day` (detections and exact source sets by category)
 * and `signature_day` (per rule), rolled up at ingest, plus the alerts of
 * threshold rules, decided over the telescope when read
 * (`signature-threshold-figures.ts`). Definitions in `detection-types.ts`.
 */

import type { AnalyticsStore } from '../store/index.js';
import { detectionMethod, detectionScopes, distinctDaySums, scoped, type DetectionFilter } from './detection-scope.js';
import type {
  CategoryRow,
  CategorySeries,
  CountryDetections,
  SignatureItem,
  SignatureStatistics,
  SignatureTotals,
} from './detection-types.js';
import { StatsInputError } from './errors.js';
import { labelOf } from './item-keys.js';
import { change } from './period-summary.js';
import type { Period } from '../util/period.js';
import { roundTo } from './ranking-table.js';
import { rankItems } from './ranking.js';
import { ratio, type Scope } from './scope.js';
import { thresholdFigures, type ThresholdFigures } from './signature-threshold-figures.js';

/** Signatures listed when not told otherwise. */
export const DEFAULT_TOP_SIGNATURES = 20;
const PERCENT = 100;
const VALUE_DECIMALS = 2;
const PERCENT_DECIMALS = 1;

export interface SignatureStatsOptions {
  period: Period;
  filter?: DetectionFilter;
  /** Signatures listed (default 20). */
  topSignatures?: number;
}

interface CategoryAcc {
  packets: number;
  sourceDays: number;
  byDay: Map<number, { packets: number; sources: number }>;
}

interface SignatureRead {
  totals: SignatureTotals;
  categories: Map<string, CategoryAcc>;
  /** By `gid:sid`. */
  signatures: Map<string, { gid: number; sid: number; msg: string; category: string; packets: number }>;
}

async function readSignatures(store: AnalyticsStore, scope: Scope, added: ThresholdFigures): Promise<SignatureRead> {
  const view = 'signature_source_day';
  const [byDay, daySums, distinct, rules] = await Promise.all([
    scoped<{ c: string; d: number; packets: number; sources: number }>(store, scope, {
      view,
      select: 'category AS c, local_day AS d, SUM(packets) AS packets, COUNT(DISTINCT src) AS sources',
      group: 'category, local_day',
    }),
    distinctDaySums(store, scope, { view, counted: 'src', key: null }),
    scoped<{ n: number }>(store, scope, { view, select: 'COUNT(DISTINCT src) AS n' }),
    scoped<{ gid: number; sid: number; c: string; msg: string; packets: number }>(store, scope, {
      view: 'signature_day',
      select: 'gid, sid, category AS c, MAX(msg) AS msg, SUM(packets) AS packets',
      group: 'gid, sid, category',
    }),
  ]);
  const categories = new Map<string, CategoryAcc>();
  let detections = 0;
  for (const row of byDay) {
    let acc = categories.get(row.c);
    if (acc === undefined) categories.set(row.c, (acc = { packets: 0, sourceDays: 0, byDay: new Map() }));
    const packets = Number(row.packets);
    const sources = Number(row.sources);
    acc.packets += packets;
    acc.sourceDays += sources;
    acc.byDay.set(Number(row.d), { packets, sources });
    detections += packets;
  }
  for (const [category, days] of added.byCategoryDay) {
    let acc = categories.get(category);
    if (acc === undefined) categories.set(category, (acc = { packets: 0, sourceDays: 0, byDay: new Map() }));
    for (const [day, more] of days) {
      const known = acc.byDay.get(day) ?? { packets: 0, sources: 0 };
      acc.byDay.set(day, { packets: known.packets + more.packets, sources: known.sources + more.sources });
      acc.packets += more.packets;
      acc.sourceDays += more.sources;
      detections += more.packets;
    }
  }
  const signatures: SignatureRead['signatures'] = new Map();
  for (const r of rules) {
    const key = `${r.gid}:${r.sid}`;
    const known = signatures.get(key);
    if (known === undefined)
      signatures.set(key, {
        gid: Number(r.gid),
        sid: Number(r.sid),
        msg: r.msg,
        category: r.c,
        packets: Number(r.packets),
      });
    else known.packets += Number(r.packets);
  }
  for (const r of added.rules) {
    const key = `${r.gid}:${r.sid}`;
    const known = signatures.get(key);
    if (known === undefined)
      signatures.set(key, { gid: r.gid, sid: r.sid, msg: r.msg, category: r.category, packets: r.alerts });
    else {
      known.packets += r.alerts;
      if (r.msg > known.msg) known.msg = r.msg;
    }
  }
  return {
    totals: {
      detections,
      addressDays: scope.addressDays,
      perDayPerAddress: ratio(detections, scope.addressDays),
      observedDays: scope.observedDays,
      sourcesPerDay: ratio((daySums.get('') ?? 0) + added.daySources, scope.observedDays),
      sources: Number(distinct[0]?.n ?? 0) + added.sources,
    },
    categories,
    signatures,
  };
}

async function readCountries(
  store: AnalyticsStore,
  scope: Scope,
  detections: number,
  added: ThresholdFigures,
): Promise<CountryDetections[]> {
  const view = 'signature_source_day';
  const [rows, daySums] = await Promise.all([
    scoped<{ k: number; c: string; packets: number }>(store, scope, {
      view,
      select: 'country AS k, category AS c, SUM(packets) AS packets',
      group: 'country, category',
    }),
    distinctDaySums(store, scope, { view, counted: 'src', key: 'country' }),
  ]);
  const byCountry = new Map<number, Map<string, number>>();
  for (const row of rows) {
    const k = Number(row.k);
    let cats = byCountry.get(k);
    if (cats === undefined) byCountry.set(k, (cats = new Map()));
    cats.set(row.c, (cats.get(row.c) ?? 0) + Number(row.packets));
  }
  for (const [k, more] of added.countryPackets) {
    let cats = byCountry.get(k);
    if (cats === undefined) byCountry.set(k, (cats = new Map()));
    for (const [c, packets] of more) cats.set(c, (cats.get(c) ?? 0) + packets);
  }
  const ctx = scope.filter.keys;
  const out: CountryDetections[] = [];
  for (const [value, cats] of byCountry) {
    const packets = [...cats.values()].reduce((a, b) => a + b, 0);
    const label = labelOf(['country'], [value], ctx);
    out.push({
      country: label.country ?? '',
      countryJa: label.countryJa,
      countryEn: label.countryEn,
      packets,
      perDayPerAddress: ratio(packets, scope.addressDays),
      sourcesPerDay: ratio(
        (daySums.get(String(value)) ?? 0) + (added.countryDaySources.get(value) ?? 0),
        scope.observedDays,
      ),
      sharePct: detections > 0 ? (packets / detections) * PERCENT : null,
      categories: [...cats]
        .map(([category, n]) => ({ category, packets: n, sharePct: (n / packets) * PERCENT }))
        .sort((a, b) => b.packets - a.packets || byText(a.category, b.category)),
    });
  }
  return out.sort((a, b) => b.packets - a.packets || byText(a.country, b.country));
}

/** Signature detections of `options.period` by category, country and signature, against the previous period. */
export async function signatureStatistics(
  store: AnalyticsStore,
  options: SignatureStatsOptions,
): Promise<SignatureStatistics> {
  const top = options.topSignatures ?? DEFAULT_TOP_SIGNATURES;
  if (!Number.isSafeInteger(top) || top < 0)
    throw new StatsInputError('topSignatures', top, 'is not a whole number ≥ 0');
  const { filter, current, previous } = await detectionScopes(store, options.period, options.filter);
  const [addedNow, addedBefore] = await Promise.all([
    thresholdFigures(store, current),
    thresholdFigures(store, previous),
  ]);
  const [now, before, method, previousMethod] = await Promise.all([
    readSignatures(store, current, addedNow),
    readSignatures(store, previous, addedBefore),
    detectionMethod(store, current),
    detectionMethod(store, previous),
  ]);
  const countries = await readCountries(store, current, now.totals.detections, addedNow);
  const categories = categoryRows(now, before);
  return {
    period: current.ref,
    previousPeriod: previous.ref,
    filter: filter.applied,
    method,
    previousMethod,
    current: now.totals,
    previous: before.totals,
    change: {
      detections: change(now.totals.detections, before.totals.detections),
      perDayPerAddress: change(now.totals.perDayPerAddress, before.totals.perDayPerAddress),
      sourcesPerDay: change(now.totals.sourcesPerDay, before.totals.sourcesPerDay),
    },
    categories,
    dates: [...current.dates],
    categorySeries: categories.map((row) => seriesOf(current, row.category, now.categories.get(row.category))),
    countries,
    signatures: signatureItems(now, before, top),
  };
}

function categoryRows(now: SignatureRead, before: SignatureRead): CategoryRow[] {
  const names = [...new Set([...now.categories.keys(), ...before.categories.keys()])];
  const value = (read: SignatureRead, name: string): number =>
    ratio(read.categories.get(name)?.packets ?? 0, read.totals.addressDays) ?? 0;
  const ranked = rankItems(names.map((key) => ({ key, current: value(now, key), previous: value(before, key) })));
  return ranked.map((row): CategoryRow => {
    const a = now.categories.get(row.key);
    const b = before.categories.get(row.key);
    const share = (acc: CategoryAcc | undefined, total: number): number | null =>
      total > 0 ? ((acc?.packets ?? 0) / total) * PERCENT : null;
    return {
      ...row,
      category: row.key,
      packets: a?.packets ?? 0,
      previousPackets: b?.packets ?? 0,
      sharePct: share(a, now.totals.detections),
      previousSharePct: share(b, before.totals.detections),
      sourcesPerDay: ratio(a?.sourceDays ?? 0, now.totals.observedDays),
      previousSourcesPerDay: ratio(b?.sourceDays ?? 0, before.totals.observedDays),
      rounded: {
        current: roundTo(row.current, VALUE_DECIMALS),
        previous: roundTo(row.previous, VALUE_DECIMALS),
        changeAbs: roundTo(row.changeAbs, VALUE_DECIMALS),
        changePct: row.changePct === null ? null : roundTo(row.changePct, PERCENT_DECIMALS),
      },
    };
  });
}

function seriesOf(scope: Scope, category: string, acc: CategoryAcc | undefined): CategorySeries {
  const n = scope.period.days;
  const packets = new Array<number>(n).fill(0);
  const sources = new Array<number>(n).fill(0);
  for (const [day, v] of acc?.byDay ?? []) {
    const i = day - scope.period.startDay;
    packets[i] = v.packets;
    sources[i] = v.sources;
  }
  return { category, packets, perDayPerAddress: packets.map((p, i) => ratio(p, scope.dayAddressDays[i]!)), sources };
}

function signatureItems(now: SignatureRead, before: SignatureRead, top: number): SignatureItem[] {
  return [...now.signatures]
    .sort(([ka, a], [kb, b]) => b.packets - a.packets || a.sid - b.sid || byText(ka, kb))
    .slice(0, top)
    .map(([key, s]) => {
      const previousPackets = before.signatures.get(key)?.packets ?? 0;
      return {
        gid: s.gid,
        sid: s.sid,
        msg: s.msg,
        category: s.category,
        packets: s.packets,
        previousPackets,
        perDayPerAddress: ratio(s.packets, now.totals.addressDays),
        previousPerDayPerAddress: ratio(previousPackets, before.totals.addressDays),
      };
    });
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
