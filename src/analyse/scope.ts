/**
 * @module
 * A statistics request made concrete: the filter checked once against the
 * registered sensors (`resolveFilter`), then for each period the divisors of
 * every "per day per address" figure (`buildScope`): address-days per
 * selected sensor per local day, honouring operating intervals and downtime
 * (`store/address-days.ts`), and the days on which anything was observed.
 */

import { PacketClass } from '../classify/index.js';
import { addressDays, type AddressDay, type AnalyticsStore, type Sensor } from '../store/index.js';
import { formatLocalDate } from '../util/tz.js';
import { StatsInputError } from './errors.js';
import { countryText, keyContext, KEY_PARTS, parseCountry, type KeyContext } from './item-keys.js';
import { previousPeriod, type Period } from '../util/period.js';
import type { AppliedFilter, PacketClassName, PeriodRef, StatsFilter } from './types.js';

export const PACKET_CLASS_CODES: Readonly<Record<PacketClassName, number>> = {
  none: PacketClass.NONE,
  probe: PacketClass.PROBE,
  response: PacketClass.RESPONSE,
  'icmp-error': PacketClass.ICMP_ERROR,
  other: PacketClass.OTHER,
};

/** The filter as column values, with the sensors it selects. */
export interface ResolvedFilter {
  readonly applied: AppliedFilter;
  /** The selected sensors (every registered one when the filter names none), by id. */
  readonly sensors: readonly Sensor[];
  /** True when the filter named sensors: queries then restrict `sensor_id`. */
  readonly restrictSensors: boolean;
  readonly ipVersion: 4 | 6 | null;
  readonly packetClasses: readonly number[] | null;
  readonly service: number | null;
  readonly country: number | null;
  /** Every registered sensor, for naming keys. */
  readonly keys: KeyContext;
}

/** Checks `filter` against the registered sensors; throws `StatsInputError` naming the field at fault. */
export function resolveFilter(filter: StatsFilter, registered: readonly Sensor[]): ResolvedFilter {
  const keys = keyContext(registered);
  let sensors: Sensor[] = [...registered];
  let names: string[] | null = null;
  if (filter.sensors !== undefined) {
    if (!Array.isArray(filter.sensors) || filter.sensors.length === 0) {
      throw new StatsInputError('sensors', filter.sensors, 'must list at least one sensor name');
    }
    const ids = new Set(filter.sensors.map((name) => KEY_PARTS.sensor_id.parse(String(name), keys, 'sensors')));
    sensors = registered.filter((s) => ids.has(s.id));
    names = sensors.map((s) => s.name);
  }
  const ipVersion = filter.ipVersion ?? null;
  if (ipVersion !== null && ipVersion !== 4 && ipVersion !== 6) {
    throw new StatsInputError('ipVersion', ipVersion, 'is not 4 or 6');
  }
  let packetClasses: number[] | null = null;
  let classNames: PacketClassName[] | null = null;
  if (filter.packetClasses !== undefined) {
    classNames = [...new Set(filter.packetClasses)].sort();
    if (classNames.length === 0)
      throw new StatsInputError('packetClasses', filter.packetClasses, 'must name at least one class');
    packetClasses = classNames.map((name) => {
      if (!Object.hasOwn(PACKET_CLASS_CODES, name)) {
        throw new StatsInputError('packetClasses', name, `is not one of ${Object.keys(PACKET_CLASS_CODES).join(', ')}`);
      }
      return PACKET_CLASS_CODES[name];
    });
  }
  const service = filter.service === undefined ? null : KEY_PARTS.service.parse(filter.service.trim(), keys, 'service');
  const country = filter.country === undefined ? null : parseCountry(filter.country.trim(), 'country');
  return {
    applied: {
      sensors: names,
      ipVersion,
      packetClasses: classNames,
      service: service === null ? null : KEY_PARTS.service.text(service, keys),
      country: country === null ? null : countryText(country),
    },
    sensors,
    restrictSensors: names !== null,
    ipVersion,
    packetClasses,
    service,
    country,
    keys,
  };
}

/** One period of a request with its divisors. */
export interface Scope {
  readonly period: Period;
  readonly ref: PeriodRef;
  readonly filter: ResolvedFilter;
  /** `YYYY-MM-DD` of each day of the period. */
  readonly dates: readonly string[];
  /** Per selected sensor id: address-days of each day (one family under an IP version filter). */
  readonly sensorDays: ReadonlyMap<number, readonly number[]>;
  readonly sensorAddressDays: ReadonlyMap<number, number>;
  readonly sensorObservedDays: ReadonlyMap<number, number>;
  /** Addresses per selected sensor (one family under an IP version filter). */
  readonly sensorAddressCount: ReadonlyMap<number, number>;
  /** Per day, Σ over the selected sensors. */
  readonly dayAddressDays: readonly number[];
  readonly addressDays: number;
  readonly observedDays: number;
}

export function periodRef(period: Period): PeriodRef {
  return {
    label: period.label,
    kind: period.kind,
    timeZone: period.timeZone,
    firstDate: formatLocalDate(period.startDay),
    lastDate: formatLocalDate(period.endDay - 1),
    days: period.days,
  };
}

/** Divisors of `period` for the sensors `filter` selects. */
export function buildScope(period: Period, filter: ResolvedFilter): Scope {
  const sensorDays = new Map<number, number[]>();
  const sensorAddressDays = new Map<number, number>();
  const sensorObservedDays = new Map<number, number>();
  const sensorAddressCount = new Map<number, number>();
  const dayAddressDays = new Array<number>(period.days).fill(0);
  const anyObserved = new Array<boolean>(period.days).fill(false);
  let dates: string[] = [];
  // The observed share of each day depends on the intervals only, and finding day
  // boundaries asks Intl a few times per day: compute it once per distinct schedule.
  const schedules = new Map<string, readonly AddressDay[]>();
  for (const sensor of filter.sensors) {
    const schedule = JSON.stringify(sensor.intervals);
    let days = schedules.get(schedule);
    if (days === undefined) {
      days = addressDays({ addresses: [], intervals: sensor.intervals }, period).days;
      schedules.set(schedule, days);
    }
    dates = days.map((d) => d.date);
    // Summed as address-days.ts does: addresses × fraction, per family.
    let v4 = 0;
    let v6 = 0;
    for (const block of sensor.addresses) {
      if (block.family === 4) v4 += block.addressCount;
      else v6 += block.addressCount;
    }
    const count = filter.ipVersion === 4 ? v4 : filter.ipVersion === 6 ? v6 : v4 + v6;
    const perDay = days.map((d) => count * d.fraction);
    let observed = 0;
    days.forEach((d, i) => {
      dayAddressDays[i]! += perDay[i]!;
      if (d.fraction > 0) {
        observed += 1;
        anyObserved[i] = true;
      }
    });
    sensorDays.set(sensor.id, perDay);
    sensorAddressDays.set(sensor.id, sum(perDay));
    sensorObservedDays.set(sensor.id, observed);
    sensorAddressCount.set(sensor.id, count);
  }
  if (dates.length === 0) {
    dates = Array.from({ length: period.days }, (_, i) => formatLocalDate(period.startDay + i));
  }
  return {
    period,
    ref: periodRef(period),
    filter,
    dates,
    sensorDays,
    sensorAddressDays,
    sensorObservedDays,
    sensorAddressCount,
    dayAddressDays,
    addressDays: sum(dayAddressDays),
    observedDays: anyObserved.filter(Boolean).length,
  };
}

/** Summed in order: the same inputs always give the same bits. */
export function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/** `numerator / divisor`, null when the divisor is 0 (nothing observed). */
export function ratio(numerator: number, divisor: number): number | null {
  return divisor > 0 ? numerator / divisor : null;
}

/** A request's filter and the scopes of its period and the previous one. */
export interface ScopePair {
  readonly filter: ResolvedFilter;
  readonly current: Scope;
  readonly previous: Scope;
}

/** Loads the sensors once and builds the scopes of `period` and `previousPeriod(period)`. */
export async function resolveScopes(
  store: AnalyticsStore,
  period: Period,
  filter: StatsFilter = {},
): Promise<ScopePair> {
  const resolved = resolveFilter(filter, await store.listSensors());
  return {
    filter: resolved,
    current: buildScope(period, resolved),
    previous: buildScope(previousPeriod(period), resolved),
  };
}
