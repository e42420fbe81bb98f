/**
 * @module
 * A period's DoS attacks, derived from the stored backscatter evidence of
 * the whole telescope (the selected sensors; all of the store's by default)
 * with the store's attack settings. Nothing of an attack is decided at
 * ingest, so the answer is the same whatever files the packets came in, in
 * whatever order, and whichever sensor saw them; new thresholds apply to
 * every period at once (`teiten detect --rerun`).
 *
 * An attack belongs to the period its first packet falls in. The evidence is
 * read from one flow timeout before the period (enough to know whether a
 * flow started inside it) to past its end, widened until no attack that
 * started inside could still go on. Only victims with enough packets in that
 * span to pass the packet thresholds are read at all.
 *
 * Sensors deliver late and lag each other, so an attack is published only
 * once it is closed: every sensor of the telescope has delivered packets past
 * its last packet plus the flow timeout (a lagging sensor could still add to
 * it), or the delivery horizon (24 h by default) has passed since then. Until
 * then it is listed apart as open. Delivery is judged by each sensor's latest
 * counted packet; a capture older than that which arrives later is still
 * read, since every read derives the attacks afresh from all that is stored.
 */

import {
  attacksOf,
  checkBackscatterOptions,
  DEFAULT_ATTACK_SETTINGS,
  deriveFlows,
  type AttackSettings,
  type BackscatterAttack,
  type EvidenceRows,
} from '../detect/index.js';
import type { AnalyticsStore, BackscatterEvidenceRow, Sensor } from '../store/index.js';
import { TzClock } from '../util/tz.js';
import { sensorClause } from './detection-scope.js';
import { readSettings, recordSettings, type RecordedSettings } from './recorded-settings.js';
import type { Scope } from './scope.js';

/** Store meta key of the telescope's attack settings (JSON). */
export const ATTACK_SETTINGS_KEY = 'backscatter_attack_settings';
const SECONDS_PER_DAY = 86_400;
/** How long after an attack's possible end a lagging sensor is waited for. */
export const DEFAULT_DELIVERY_HORIZON_SEC = SECONDS_PER_DAY;
/** Flow key of the evidence in SQL: protocol * 2^32 + victim (below 2^40 on both stores' integer types). */
const FLOW_KEY = 'proto * 4294967296 + victim';

const ATTACK_SETTINGS: RecordedSettings<AttackSettings> = {
  key: ATTACK_SETTINGS_KEY,
  defaults: DEFAULT_ATTACK_SETTINGS,
  check: checkBackscatterOptions,
};

/** The telescope's attack settings: as last recorded, else the defaults. */
export function readAttackSettings(store: AnalyticsStore): Promise<AttackSettings> {
  return readSettings(store, ATTACK_SETTINGS);
}

/** Records `settings` (checked, defaults filled in) for every later read; returns what was stored. */
export function recordAttackSettings(
  store: AnalyticsStore,
  settings: Partial<AttackSettings>,
): Promise<AttackSettings> {
  return recordSettings(store, ATTACK_SETTINGS, settings);
}

/** IPv4 addresses the sensors monitor together: the extrapolation's divisor. */
export function monitoredIpv4(sensors: readonly Sensor[]): number {
  let n = 0;
  for (const sensor of sensors) for (const block of sensor.addresses) if (block.family === 4) n += block.addressCount;
  return n;
}

/** A stored evidence row with its sensor, as the query returns it. */
interface EvidenceRow extends BackscatterEvidenceRow {
  sensor_id: number;
}

/** Evidence of the victims with at least `minPackets` packets in [lo, hi), as columns. */
async function readEvidence(
  store: AnalyticsStore,
  scope: Scope,
  span: { lo: number; hi: number; minPackets: number },
): Promise<EvidenceRows> {
  const sensors = sensorClause(scope);
  const where = `sec >= ? AND sec < ?${sensors.sql}`;
  const params = [span.lo, span.hi, ...sensors.params];
  const rows = await store.query<EvidenceRow>({
    sql: `SELECT sensor_id, sec, victim, proto, port, kind, dst, country, packets FROM backscatter_evidence
      WHERE ${where} AND ${FLOW_KEY} IN (SELECT ${FLOW_KEY} FROM backscatter_evidence WHERE ${where}
        GROUP BY victim, proto HAVING SUM(packets) >= ?)`,
    params: [...params, ...params, span.minPackets],
  });
  const n = rows.length;
  const columns = {
    sensorId: new Int32Array(n),
    sec: new Float64Array(n),
    victim: new Uint32Array(n),
    proto: new Uint8Array(n),
    port: new Uint32Array(n),
    kind: new Uint8Array(n),
    dst: new Uint32Array(n),
    country: new Uint16Array(n),
    packets: new Float64Array(n),
  };
  rows.forEach((r, i) => {
    columns.sensorId[i] = Number(r.sensor_id);
    columns.sec[i] = Number(r.sec);
    columns.victim[i] = Number(r.victim);
    columns.proto[i] = Number(r.proto);
    columns.port[i] = Number(r.port);
    columns.kind[i] = Number(r.kind);
    columns.dst[i] = Number(r.dst);
    columns.country[i] = Number(r.country);
    columns.packets[i] = Number(r.packets);
  });
  return { rowCount: n, columns };
}

async function lastEvidenceSec(store: AnalyticsStore, scope: Scope): Promise<number> {
  const sensors = sensorClause(scope);
  const [row] = await store.query<{ s: number | null }>({
    sql: `SELECT MAX(sec) AS s FROM backscatter_evidence WHERE 1 = 1${sensors.sql}`,
    params: sensors.params,
  });
  return row?.s === null || row?.s === undefined ? -Infinity : Number(row.s);
}

export interface TelescopeAttacks {
  /** Closed attacks that started in the scope's period, by start then victim. */
  attacks: BackscatterAttack[];
  /** Attacks of the period a lagging sensor may still add to (not published yet), same order. */
  openAttacks: BackscatterAttack[];
  /** Per selected sensor, the time of the last packet it has delivered (null: none yet), by sensor id. */
  deliveredUntil: { sensorId: number; sec: number | null }[];
  horizonSec: number;
  settings: AttackSettings;
  /** IPv4 addresses of the telescope (the selected sensors). */
  monitoredAddresses: number;
  /** Flows of victims read, and how many failed a threshold (attacks of neighbouring periods included). */
  flows: number;
  flowsBelowThresholds: number;
}

/** When an attack counts as closed: the delivery horizon, and the clock it is measured on. */
export interface DeliveryOptions {
  horizonSec?: number;
  /** Now, in seconds since the epoch (default the system clock). */
  nowSec?: number;
}

/** The last counted packet each sensor has delivered, by sensor id (null: none). */
export async function deliveredUntil(
  store: AnalyticsStore,
  scope: Scope,
): Promise<{ sensorId: number; sec: number | null }[]> {
  const ids = scope.filter.sensors.map((sensor) => sensor.id);
  if (ids.length === 0) return [];
  const rows = await store.query<{ sensor_id: number; s: number | null }>({
    sql: `SELECT sensor_id, MAX(last_sec) AS s FROM ingests WHERE packets_counted > 0 AND sensor_id IN (${ids.map(() => '?').join(', ')})
      GROUP BY sensor_id`,
    params: ids,
  });
  const last = new Map(rows.map((r) => [Number(r.sensor_id), r.s === null ? null : Number(r.s)]));
  return ids.map((sensorId) => ({ sensorId, sec: last.get(sensorId) ?? null }));
}

/** The attacks of `scope`'s period over its sensors, with `settings` (default: the store's). */
export async function telescopeAttacks(
  store: AnalyticsStore,
  scope: Scope,
  settings?: AttackSettings,
  delivery: DeliveryOptions = {},
): Promise<TelescopeAttacks> {
  const s = settings ?? (await readAttackSettings(store));
  const horizonSec = delivery.horizonSec ?? DEFAULT_DELIVERY_HORIZON_SEC;
  const nowSec = delivery.nowSec ?? Date.now() / 1000;
  const delivered = await deliveredUntil(store, scope);
  // `last_sec` is a whole second: a packet later in that second may be still to come from the same sensor.
  const everyoneUntil = delivered.reduce((min, d) => Math.min(min, d.sec === null ? -Infinity : d.sec), Infinity);
  const closed = (a: BackscatterAttack): boolean => {
    const quietFrom = a.end + s.flowTimeoutSec;
    return everyoneUntil > quietFrom || nowSec >= quietFrom + horizonSec;
  };
  const monitoredAddresses = monitoredIpv4(scope.filter.sensors);
  const { startSec, endSec } = scope.period;
  const clock = new TzClock(scope.period.timeZone);
  const inPeriod = (a: { start: number }): boolean => {
    const day = clock.localDay(a.start);
    return day >= scope.period.startDay && day < scope.period.endDay;
  };
  const minPackets = Math.max(s.minPackets, s.minWindowPackets, 1);
  const lo = startSec - s.flowTimeoutSec;
  const last = await lastEvidenceSec(store, scope);
  let extra = SECONDS_PER_DAY;
  for (;;) {
    const hi = endSec + s.flowTimeoutSec + extra;
    const flows = deriveFlows(await readEvidence(store, scope, { lo, hi, minPackets }), s);
    // A flow of the period ending within a timeout of `hi` may go on past it: read further.
    const cut = flows.some((f) => f.end >= hi - 1 - s.flowTimeoutSec && inPeriod(f));
    if (!cut || hi > last) {
      const derived = attacksOf(flows, { settings: s, monitoredAddresses });
      const ofPeriod = derived.attacks.filter(inPeriod);
      return {
        attacks: ofPeriod.filter(closed),
        openAttacks: ofPeriod.filter((a) => !closed(a)),
        deliveredUntil: delivered,
        horizonSec,
        settings: s,
        monitoredAddresses,
        flows: derived.flows,
        flowsBelowThresholds: derived.flowsBelowThresholds,
      };
    }
    extra *= 2;
  }
}
