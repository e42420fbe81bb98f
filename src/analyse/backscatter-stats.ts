/**
 * @module
 * `backscatterStatistics()`: the report's §4, DoS backscatter for a period
 * against the previous one: packets per day (and per day per address) and
 * distinct victims per day, by victim service (the victims' source ports:
 * `6667/TCP`, `80/TCP`), by victim country and by response kind, the daily
 * series, and the largest attacks that started in the period. Read from
 * `backscatter_day` and `backscatter_victim_day`; the attacks are derived
 * over the whole telescope from `backscatter_evidence`
 * (`backscatter-attacks.ts`).
 */

import { BACKSCATTER_KIND_NAMES, type BackscatterAttack } from '../detect/index.js';
import type { AnalyticsStore } from '../store/index.js';
import { formatLocalDate } from '../util/tz.js';
import { telescopeAttacks, type TelescopeAttacks } from './backscatter-attacks.js';
import {
  detectionMethod,
  detectionScopes,
  dailyValues,
  distinctDaySums,
  scoped,
  type DetectionFilter,
} from './detection-scope.js';
import type {
  AttackItem,
  BackscatterCountryItem,
  BackscatterShareItem,
  BackscatterStatistics,
  BackscatterTotals,
  VictimItem,
} from './detection-types.js';
import { StatsInputError } from './errors.js';
import { labelOf } from './item-keys.js';
import { change } from './period-summary.js';
import type { Period } from '../util/period.js';
import { placeholders } from './queries.js';
import { ratio, type Scope } from './scope.js';
import { formatVictimService } from './victim-service.js';

/** Attacks and victims listed when not told otherwise. */
export const DEFAULT_TOP_ATTACKS = 10;
export const DEFAULT_TOP_VICTIMS = 20;
const PERCENT = 100;
const MS_PER_SECOND = 1000;

export interface BackscatterStatsOptions {
  period: Period;
  filter?: DetectionFilter;
  /** Attacks listed, largest first (default 10). */
  topAttacks?: number;
  /** Victims listed, most backscatter first (default 20). */
  topVictims?: number;
}

const DAY_VIEW = 'backscatter_day';
const VICTIM_VIEW = 'backscatter_victim_day';

interface PeriodBackscatter {
  totals: BackscatterTotals;
  packetsByDay: Map<number, number>;
  attacks: TelescopeAttacks;
}

async function readTotals(store: AnalyticsStore, scope: Scope): Promise<PeriodBackscatter> {
  const [days, victimDays, distinct, attacks] = await Promise.all([
    scoped<{ d: number; packets: number }>(store, scope, {
      view: DAY_VIEW,
      select: 'local_day AS d, SUM(packets) AS packets',
      group: 'local_day',
    }),
    distinctDaySums(store, scope, { view: VICTIM_VIEW, counted: 'victim', key: null }),
    scoped<{ n: number }>(store, scope, { view: VICTIM_VIEW, select: 'COUNT(DISTINCT victim) AS n' }),
    telescopeAttacks(store, scope),
  ]);
  const packetsByDay = new Map(days.map((r) => [Number(r.d), Number(r.packets)]));
  let packets = 0;
  for (const n of packetsByDay.values()) packets += n;
  return {
    packetsByDay,
    attacks,
    totals: {
      packets,
      addressDays: scope.addressDays,
      perDayPerAddress: ratio(packets, scope.addressDays),
      observedDays: scope.observedDays,
      packetsPerDay: ratio(packets, scope.observedDays),
      victimsPerDay: ratio(victimDays.get('') ?? 0, scope.observedDays),
      victims: Number(distinct[0]?.n ?? 0),
      attacks: attacks.attacks.length,
      openAttacks: attacks.openAttacks.length,
    },
  };
}

type ShareColumn = 'victim_service' | 'country' | 'response';

/** Packets by `column` of `backscatter_day`, with victims by the same column when the victim sets have it. */
async function shares(
  store: AnalyticsStore,
  scope: Scope,
  column: ShareColumn,
): Promise<Array<{ value: number; item: BackscatterShareItem }>> {
  const withVictims = column !== 'response';
  const [rows, distinct, daySums] = await Promise.all([
    scoped<{ k: number; packets: number }>(store, scope, {
      view: DAY_VIEW,
      select: `${column} AS k, SUM(packets) AS packets`,
      group: column,
    }),
    withVictims
      ? scoped<{ k: number; n: number }>(store, scope, {
          view: VICTIM_VIEW,
          select: `${column} AS k, COUNT(DISTINCT victim) AS n`,
          group: column,
        })
      : [],
    withVictims
      ? distinctDaySums(store, scope, { view: VICTIM_VIEW, counted: 'victim', key: column })
      : new Map<string, number>(),
  ]);
  const victims = new Map(distinct.map((r) => [Number(r.k), Number(r.n)]));
  const total = rows.reduce((sum, r) => sum + Number(r.packets), 0);
  return rows
    .map((r) => {
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
    })
    .sort((a, b) => b.item.packets - a.item.packets || a.value - b.value);
}

function shareKey(column: ShareColumn, value: number): string {
  if (column === 'victim_service') return formatVictimService(value);
  if (column === 'response') return BACKSCATTER_KIND_NAMES[value] ?? `kind ${value}`;
  return String(value);
}

/** The `top` attacks with the most packets (then earliest, then by victim), as the statistics list them. */
function largestAttacks(attacks: readonly BackscatterAttack[], scope: Scope, top: number): AttackItem[] {
  const ctx = scope.filter.keys;
  return [...attacks]
    .sort(
      (x, y) =>
        y.packets - x.packets ||
        x.start - y.start ||
        x.victimAddress - y.victimAddress ||
        x.protocolNumber - y.protocolNumber,
    )
    .slice(0, top)
    .map((a): AttackItem => {
      const label = labelOf(['country'], [a.country], ctx);
      return {
        sensors: a.sensors.map((s) => ({
          sensor: ctx.sensorsById.get(s.sensorId)?.name ?? `#${s.sensorId}`,
          packets: s.packets,
          addresses: s.addresses,
        })),
        victim: a.victim,
        country: label.country ?? '',
        countryJa: label.countryJa,
        countryEn: label.countryEn,
        protocol: a.protocol,
        ports: a.victimPorts.map((p) => p.service),
        start: iso(a.start),
        end: iso(a.end),
        startSec: a.start,
        endSec: a.end,
        durationSec: a.durationSec,
        packets: a.packets,
        sensorAddresses: a.sensorAddresses,
        peakWindowPackets: a.peakWindowPackets,
        peakPps: a.peakRatePps,
        meanPps: a.meanRatePps,
        extrapolatedPps: a.extrapolatedRatePps,
        extrapolatedPeakPps: a.extrapolatedPeakRatePps,
        extrapolationWithheld: a.extrapolationWithheld,
        responses: a.responses,
        why: a.why,
      };
    });
}

interface VictimServiceRow {
  victim: string;
  victim_service: number;
  country: number;
  first: number;
  last: number;
  packets: number;
}

/** The `top` victims by backscatter packets (then by address), each with its main service and first and last day. */
async function largestVictims(store: AnalyticsStore, scope: Scope, top: number): Promise<VictimItem[]> {
  if (top === 0) return [];
  const leaders = await scoped<{ victim: string; packets: number }>(store, scope, {
    view: VICTIM_VIEW,
    select: 'victim, SUM(packets) AS packets',
    group: 'victim',
    tail: ' ORDER BY packets DESC, victim LIMIT ?',
    tailParams: [top],
  });
  if (leaders.length === 0) return [];
  const rows = await scoped<VictimServiceRow>(store, scope, {
    view: VICTIM_VIEW,
    select: 'victim, victim_service, country, MIN(local_day) AS first, MAX(local_day) AS last, SUM(packets) AS packets',
    group: 'victim, victim_service, country',
    extra: { sql: `victim IN (${placeholders(leaders.length)})`, params: leaders.map((l) => l.victim) },
  });
  const ctx = scope.filter.keys;
  return leaders.map(({ victim }): VictimItem => {
    const own = rows.filter((r) => r.victim === victim);
    const byService = new Map<number, number>();
    for (const r of own)
      byService.set(Number(r.victim_service), (byService.get(Number(r.victim_service)) ?? 0) + Number(r.packets));
    const [service] = [...byService].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]!;
    const country = own.reduce((c, r) => Math.max(c, Number(r.country)), 0);
    const label = labelOf(['country'], [country], ctx);
    return {
      victim,
      country: label.country ?? '',
      countryJa: label.countryJa,
      countryEn: label.countryEn,
      service: formatVictimService(service),
      packets: own.reduce((n, r) => n + Number(r.packets), 0),
      firstDate: formatLocalDate(Math.min(...own.map((r) => Number(r.first)))),
      lastDate: formatLocalDate(Math.max(...own.map((r) => Number(r.last)))),
    };
  });
}

/** DoS backscatter of `options.period` against the previous period. */
export async function backscatterStatistics(
  store: AnalyticsStore,
  options: BackscatterStatsOptions,
): Promise<BackscatterStatistics> {
  const top = options.topAttacks ?? DEFAULT_TOP_ATTACKS;
  if (!Number.isSafeInteger(top) || top < 0) throw new StatsInputError('topAttacks', top, 'is not a whole number ≥ 0');
  const topVictims = options.topVictims ?? DEFAULT_TOP_VICTIMS;
  if (!Number.isSafeInteger(topVictims) || topVictims < 0)
    throw new StatsInputError('topVictims', topVictims, 'is not a whole number ≥ 0');
  const { filter, current, previous } = await detectionScopes(store, options.period, options.filter);
  const [now, before, method, previousMethod, ports, countries, responses, victimDays, victims] = await Promise.all([
    readTotals(store, current),
    readTotals(store, previous),
    detectionMethod(store, current),
    detectionMethod(store, previous),
    shares(store, current, 'victim_service'),
    shares(store, current, 'country'),
    shares(store, current, 'response'),
    scoped<{ d: number; n: number }>(store, current, {
      view: VICTIM_VIEW,
      select: 'local_day AS d, COUNT(DISTINCT victim) AS n',
      group: 'local_day',
    }),
    largestVictims(store, current, topVictims),
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
      return {
        ...item,
        key: label.country ?? '',
        country: label.country ?? '',
        countryJa: label.countryJa,
        countryEn: label.countryEn,
      };
    }),
    byResponse: responses.map((s) => s.item),
    daily: {
      dates: [...current.dates],
      packets,
      perDayPerAddress: packets.map((p, i) => ratio(p, current.dayAddressDays[i]!)),
      victims: dailyValues(current, new Map(victimDays.map((r) => [Number(r.d), Number(r.n)]))),
    },
    attackSettings: { ...now.attacks.settings, monitoredAddresses: now.attacks.monitoredAddresses },
    attacks: largestAttacks(now.attacks.attacks, current, top),
    victims,
  };
}

function iso(sec: number): string {
  return new Date(Math.round(sec * MS_PER_SECOND)).toISOString();
}
