/**
 * @module
 * `backscatterStatistics()`: the report's §4, DoS backscatter for a period
 * against the previous one: packets per day (and per day per address) and
 * distinct victims per day, by victim service (the victims' source ports:
 * `6667/TCP`, `80/TCP`), by victim country and by response kind, the daily
 * series, and the largest attacks that started in the period. Read from
 * `backscatter_day`, `backscatter_victim_day` and `backscatter_attacks`.
 */

import { BACKSCATTER_KIND_NAMES } from '../detect/index.js';
import type { AnalyticsStore } from '../store/index.js';
import { detectionMethod, detectionScopes, dailyValues, distinctDaySums, scoped, type DetectionFilter } from './detection-scope.js';
import type {
  AttackItem, BackscatterCountryItem, BackscatterShareItem, BackscatterStatistics, BackscatterTotals,
} from './detection-types.js';
import { StatsInputError } from './errors.js';
import { labelOf } from './item-keys.js';
import { change } from './period-summary.js';
import type { Period } from './period.js';
import { ratio, type Scope } from './scope.js';
import { formatVictimService } from './victim-service.js';

/** Attacks listed when not told otherwise. */
export const DEFAULT_TOP_ATTACKS = 10;
const PERCENT = 100;
const MS_PER_SECOND = 1000;

export interface BackscatterStatsOptions {
  period: Period;
  filter?: DetectionFilter;
  /** Attacks listed, largest first (default 10). */
  topAttacks?: number;
}

const DAY_VIEW = 'backscatter_day';
const VICTIM_VIEW = 'backscatter_victim_day';

async function readTotals(store: AnalyticsStore, scope: Scope): Promise<{ totals: BackscatterTotals; packetsByDay: Map<number, number> }> {
  const [days, victimDays, distinct, attacks] = await Promise.all([
    scoped<{ d: number; packets: number }>(store, scope, { view: DAY_VIEW, select: 'local_day AS d, SUM(packets) AS packets', group: 'local_day' }),
    distinctDaySums(store, scope, { view: VICTIM_VIEW, counted: 'victim', key: null }),
    scoped<{ n: number }>(store, scope, { view: VICTIM_VIEW, select: 'COUNT(DISTINCT victim) AS n' }),
    scoped<{ n: number }>(store, scope, { view: 'backscatter_attacks', select: 'COUNT(*) AS n' }),
  ]);
  const packetsByDay = new Map(days.map((r) => [Number(r.d), Number(r.packets)]));
  let packets = 0;
  for (const n of packetsByDay.values()) packets += n;
  return {
    packetsByDay,
    totals: {
      packets,
      addressDays: scope.addressDays,
      perDayPerAddress: ratio(packets, scope.addressDays),
      observedDays: scope.observedDays,
      packetsPerDay: ratio(packets, scope.observedDays),
      victimsPerDay: ratio(victimDays.get('') ?? 0, scope.observedDays),
      victims: Number(distinct[0]?.n ?? 0),
      attacks: Number(attacks[0]?.n ?? 0),
    },
  };
}

type ShareColumn = 'victim_service' | 'country' | 'response';

/** Packets by `column` of `backscatter_day`, with victims by the same column when the victim sets have it. */
async function shares(store: AnalyticsStore, scope: Scope, column: ShareColumn): Promise<Array<{ value: number; item: BackscatterShareItem }>> {
  const withVictims = column !== 'response';
  const [rows, distinct, daySums] = await Promise.all([
    scoped<{ k: number; packets: number }>(store, scope, { view: DAY_VIEW, select: `${column} AS k, SUM(packets) AS packets`, group: column }),
    withVictims
      ? scoped<{ k: number; n: number }>(store, scope, { view: VICTIM_VIEW, select: `${column} AS k, COUNT(DISTINCT victim) AS n`, group: column })
      : [],
    withVictims ? distinctDaySums(store, scope, { view: VICTIM_VIEW, counted: 'victim', key: column }) : new Map<string, number>(),
  ]);
  const victims = new Map(distinct.map((r) => [Number(r.k), Number(r.n)]));
  const total = rows.reduce((sum, r) => sum + Number(r.packets), 0);
  return rows.map((r) => {
    const value = Number(r.k);
    const packets = Number(r.packets);
    return {
      value,
      item: {
        key: shareKey(column, value),
        packets,
        sharePct: total > 0 ? (packets / total) * PERCENT : null,
        victims: withVictims ? (victims.get(value) ?? 0) : null,
        victimsPerDay: withVictims ? ratio(daySums.get(String(value)) ?? 0, scope.observedDays) : null,
      },
    };
  }).sort((a, b) => b.item.packets - a.item.packets || a.value - b.value);
}

function shareKey(column: ShareColumn, value: number): string {
  if (column === 'victim_service') return formatVictimService(value);
  if (column === 'response') return BACKSCATTER_KIND_NAMES[value] ?? `kind ${value}`;
  return String(value);
}

interface AttackRow {
  sensor_id: number;
  victim: string;
  country: number;
  protocol: string;
  ports: string;
  start_sec: number;
  end_sec: number;
  duration_sec: number;
  packets: number;
  sensor_addresses: number;
  peak_pps: number;
  mean_pps: number;
  extrapolated_pps: number;
  extrapolated_peak_pps: number;
  responses: string;
  why: string;
}

async function largestAttacks(store: AnalyticsStore, scope: Scope, top: number): Promise<AttackItem[]> {
  if (top === 0) return [];
  const rows = await scoped<AttackRow>(store, scope, {
    view: 'backscatter_attacks',
    select: `sensor_id, victim, country, protocol, ports, start_sec, end_sec, duration_sec, packets, sensor_addresses, peak_pps,
      mean_pps, extrapolated_pps, extrapolated_peak_pps, responses, why`,
    tail: ' ORDER BY packets DESC, start_sec, victim, sensor_id LIMIT ?',
    tailParams: [top],
  });
  const ctx = scope.filter.keys;
  return rows.map((r): AttackItem => {
    const label = labelOf(['country'], [Number(r.country)], ctx);
    const extrapolated = Number(r.extrapolated_pps);
    return {
      sensor: ctx.sensorsById.get(Number(r.sensor_id))?.name ?? `#${r.sensor_id}`,
      victim: r.victim,
      country: label.country ?? '',
      countryJa: label.countryJa,
      countryEn: label.countryEn,
      protocol: r.protocol,
      ports: r.ports === '' ? [] : r.ports.split(' '),
      start: iso(Number(r.start_sec)),
      end: iso(Number(r.end_sec)),
      startSec: Number(r.start_sec),
      endSec: Number(r.end_sec),
      durationSec: Number(r.duration_sec),
      packets: Number(r.packets),
      sensorAddresses: Number(r.sensor_addresses),
      peakPps: Number(r.peak_pps),
      meanPps: Number(r.mean_pps),
      // Stored as 0 when the sensor had no IPv4 address to extrapolate from.
      extrapolatedPps: extrapolated > 0 ? extrapolated : null,
      extrapolatedPeakPps: extrapolated > 0 ? Number(r.extrapolated_peak_pps) : null,
      responses: JSON.parse(r.responses) as Record<string, number>,
      why: r.why,
    };
  });
}

/** DoS backscatter of `options.period` against the previous period. */
export async function backscatterStatistics(store: AnalyticsStore, options: BackscatterStatsOptions): Promise<BackscatterStatistics> {
  const top = options.topAttacks ?? DEFAULT_TOP_ATTACKS;
  if (!Number.isSafeInteger(top) || top < 0) throw new StatsInputError('topAttacks', top, 'is not a whole number ≥ 0');
  const { filter, current, previous } = await detectionScopes(store, options.period, options.filter);
  const [now, before, method, previousMethod, ports, countries, responses, victimDays, attacks] = await Promise.all([
    readTotals(store, current),
    readTotals(store, previous),
    detectionMethod(store, current),
    detectionMethod(store, previous),
    shares(store, current, 'victim_service'),
    shares(store, current, 'country'),
    shares(store, current, 'response'),
    scoped<{ d: number; n: number }>(store, current, { view: VICTIM_VIEW, select: 'local_day AS d, COUNT(DISTINCT victim) AS n', group: 'local_day' }),
    largestAttacks(store, current, top),
  ]);
  const ctx = current.filter.keys;
  const packets = dailyValues(current, now.packetsByDay);
  const a = now.totals;
  const b = before.totals;
  return {
    period: current.ref,
    previousPeriod: previous.ref,
    filter: filter.applied,
    method,
    previousMethod,
    current: a,
    previous: b,
    change: {
      packets: change(a.packets, b.packets),
      perDayPerAddress: change(a.perDayPerAddress, b.perDayPerAddress),
      packetsPerDay: change(a.packetsPerDay, b.packetsPerDay),
      victimsPerDay: change(a.victimsPerDay, b.victimsPerDay),
    },
    byVictimPort: ports.map((s) => s.item),
    byCountry: countries.map(({ value, item }): BackscatterCountryItem => {
      const label = labelOf(['country'], [value], ctx);
      return { ...item, key: label.country ?? '', country: label.country ?? '', countryJa: label.countryJa, countryEn: label.countryEn };
    }),
    byResponse: responses.map((s) => s.item),
    daily: {
      dates: [...current.dates],
      packets,
      perDayPerAddress: packets.map((p, i) => ratio(p, current.dayAddressDays[i]!)),
      victims: dailyValues(current, new Map(victimDays.map((r) => [Number(r.d), Number(r.n)]))),
    },
    attacks,
  };
}

function iso(sec: number): string {
  return new Date(Math.round(sec * MS_PER_SECOND)).toISOString();
}
