/**
 * @module
 * A period's reflection episodes (`detect/reflection-episodes.ts`) over the
 * whole telescope (the selected sensors; all of the store's by default),
 * derived when read from the raw packets the store keeps (`packets`): UDP
 * answers from amplification services' ports, non-first UDP fragments, and
 * ICMP time-exceeded / port-unreachable errors whose quoted packet is a UDP
 * query from the sensor address to such a port. The packets of every capture
 * and sensor are read together, so an episode is the same whatever files
 * its packets came in; repeated reads see the same rows.
 *
 * Raw packets are kept for the store's raw retention period (30 days by
 * default): an older period, or a store with retention 0, has no episodes,
 * and `rawPackets` says how many raw packets the period had at all.
 *
 * An episode belongs to the period of its first packet's local day. The
 * packets are read from one gap before the period to a day past its end,
 * widened while an episode of the period could still go on. As with DoS
 * attacks (`backscatter-attacks.ts`), an episode is published only once
 * every sensor has delivered packets past its end plus the gap, or the
 * delivery horizon has passed since then; until then it is listed apart as
 * open.
 */

import { NO_PORT, serviceKey } from '../classify/index.js';
import { IpProto } from '../decode/index.js';
import {
  checkReflectionSettings,
  isReflectorPort,
  REFLECTOR_UDP_PORTS,
  ReflectionEvidenceKind,
  reflectionEpisodes,
  type ReflectionEpisode,
  type ReflectionEvidenceRow,
  type ReflectionSettings,
} from '../detect/index.js';
import type { AnalyticsStore } from '../store/index.js';
import { TzClock } from '../util/tz.js';
import { DEFAULT_DELIVERY_HORIZON_SEC, deliveredUntil, type DeliveryOptions } from './backscatter-attacks.js';
import { sensorClause } from './detection-scope.js';
import { placeholders } from './queries.js';
import type { Scope } from './scope.js';
import { parseIpv4 } from '../util/ip-address.js';

const SECONDS_PER_DAY = 86_400;
const ICMP_UNREACHABLE = 3;
const ICMP_PORT_UNREACHABLE = 3;
const ICMP_TIME_EXCEEDED = 11;
/** Quoted IPv4 header fields: version/IHL byte, protocol at 9, source at 12, destination at 16; UDP destination port 2 bytes into its header. */
const QUOTE_PROTO = 9;
const QUOTE_SRC = 12;
const QUOTE_DST = 16;
const IHL_WORDS = 4;
const UDP_DPORT = 2;

export interface TelescopeReflection {
  /** Closed episodes that started in the period, by start then target. */
  episodes: ReflectionEpisode[];
  /** Episodes of the period a lagging sensor may still add to (not published yet), same order. */
  openEpisodes: ReflectionEpisode[];
  settings: ReflectionSettings;
  /** Raw packets of the period over the selected sensors (0: none kept, so no episodes can be seen). */
  rawPackets: number;
  candidates: number;
  belowThresholds: number;
}

interface Span {
  lo: number;
  hi: number;
}

const REFLECTOR_PORTS = [...REFLECTOR_UDP_PORTS.keys()];

/** UDP answers from reflector ports to other ports, per (sensor, second, reflector, address, port). */
async function readReplies(store: AnalyticsStore, scope: Scope, span: Span): Promise<ReflectionEvidenceRow[]> {
  const sensors = sensorClause(scope);
  const ports = placeholders(REFLECTOR_PORTS.length);
  const rows = await store.query<{
    sensor_id: number;
    sec: number;
    src: string;
    dst: string;
    port: number;
    n: number;
    b: number;
    m: number;
  }>({
    sql: `SELECT sensor_id, ts_sec AS sec, src, dst, sport AS port, COUNT(*) AS n, SUM(ip_len) AS b, MAX(ip_len) AS m FROM packets
      WHERE ts_sec >= ? AND ts_sec < ? AND ip_version = 4 AND proto = ? AND sport IN (${ports}) AND dport NOT IN (${ports})${sensors.sql}
      GROUP BY sensor_id, ts_sec, src, dst, sport`,
    params: [span.lo, span.hi, IpProto.UDP, ...REFLECTOR_PORTS, ...REFLECTOR_PORTS, ...sensors.params],
  });
  return rows.map((r) => ({
    sec: Number(r.sec),
    reflector: parseIpv4(r.src),
    target: parseIpv4(r.dst),
    port: Number(r.port),
    kind: ReflectionEvidenceKind.REPLY,
    packets: Number(r.n),
    bytes: Number(r.b),
    maxBytes: Number(r.m),
    sensorId: Number(r.sensor_id),
  }));
}

/** Non-first UDP fragments, per (sensor, second, source, address). */
async function readFragments(store: AnalyticsStore, scope: Scope, span: Span): Promise<ReflectionEvidenceRow[]> {
  const sensors = sensorClause(scope);
  const rows = await store.query<{
    sensor_id: number;
    sec: number;
    src: string;
    dst: string;
    n: number;
    b: number;
    m: number;
  }>({
    sql: `SELECT sensor_id, ts_sec AS sec, src, dst, COUNT(*) AS n, SUM(ip_len) AS b, MAX(ip_len) AS m FROM packets
      WHERE ts_sec >= ? AND ts_sec < ? AND ip_version = 4 AND service = ?${sensors.sql} GROUP BY sensor_id, ts_sec, src, dst`,
    params: [span.lo, span.hi, serviceKey(IpProto.UDP, NO_PORT), ...sensors.params],
  });
  return rows.map((r) => ({
    sec: Number(r.sec),
    reflector: parseIpv4(r.src),
    target: parseIpv4(r.dst),
    port: 0,
    kind: ReflectionEvidenceKind.FRAGMENT,
    packets: Number(r.n),
    bytes: Number(r.b),
    maxBytes: Number(r.m),
    sensorId: Number(r.sensor_id),
  }));
}

/** The reflector and port of a quoted UDP query from `target` to a reflector port, or null. */
export function quotedQuery(payloadHex: string, target: number): { reflector: number; port: number } | null {
  const quote = Buffer.from(payloadHex, 'hex');
  if (quote.length < QUOTE_DST + 4 || quote[0]! >>> 4 !== 4) return null;
  const ihl = (quote[0]! & 0x0f) * IHL_WORDS;
  if (quote[QUOTE_PROTO] !== IpProto.UDP || quote.length < ihl + UDP_DPORT + 2) return null;
  if (quote.readUInt32BE(QUOTE_SRC) !== target) return null;
  const port = quote.readUInt16BE(ihl + UDP_DPORT);
  return isReflectorPort(port) ? { reflector: quote.readUInt32BE(QUOTE_DST), port } : null;
}

/** ICMP errors quoting a spoofed UDP query from the sensor address to a reflector port. */
async function readQuotes(store: AnalyticsStore, scope: Scope, span: Span): Promise<ReflectionEvidenceRow[]> {
  const sensors = sensorClause(scope);
  const rows = await store.query<{ sensor_id: number; sec: number; dst: string; payload_hex: string; n: number }>({
    sql: `SELECT sensor_id, ts_sec AS sec, dst, payload_hex, COUNT(*) AS n FROM packets
      WHERE ts_sec >= ? AND ts_sec < ? AND ip_version = 4 AND proto = ? AND (icmp_type = ? OR (icmp_type = ? AND icmp_code = ?))${sensors.sql}
      GROUP BY sensor_id, ts_sec, dst, payload_hex`,
    params: [
      span.lo,
      span.hi,
      IpProto.ICMP,
      ICMP_TIME_EXCEEDED,
      ICMP_UNREACHABLE,
      ICMP_PORT_UNREACHABLE,
      ...sensors.params,
    ],
  });
  const out: ReflectionEvidenceRow[] = [];
  for (const r of rows) {
    const target = parseIpv4(r.dst);
    const q = quotedQuery(r.payload_hex, target);
    if (q === null) continue;
    out.push({
      sec: Number(r.sec),
      reflector: q.reflector,
      target,
      port: q.port,
      kind: ReflectionEvidenceKind.QUOTED_QUERY,
      packets: Number(r.n),
      bytes: 0,
      maxBytes: 0,
      sensorId: Number(r.sensor_id),
    });
  }
  return out;
}

async function rawPacketsOf(store: AnalyticsStore, scope: Scope): Promise<number> {
  const sensors = sensorClause(scope);
  const [row] = await store.query<{ n: number }>({
    sql: `SELECT COUNT(*) AS n FROM packets WHERE ts_sec >= ? AND ts_sec < ?${sensors.sql}`,
    params: [scope.period.startSec, scope.period.endSec, ...sensors.params],
  });
  return Number(row?.n ?? 0);
}

async function lastPacketSec(store: AnalyticsStore, scope: Scope): Promise<number> {
  const sensors = sensorClause(scope);
  const [row] = await store.query<{ s: number | null }>({
    sql: `SELECT MAX(ts_sec) AS s FROM packets WHERE 1 = 1${sensors.sql}`,
    params: sensors.params,
  });
  return row?.s === null || row?.s === undefined ? -Infinity : Number(row.s);
}

/** The reflection episodes of `scope`'s period over its sensors, with `settings` (default thresholds otherwise). */
export async function telescopeReflection(
  store: AnalyticsStore,
  scope: Scope,
  options: { settings?: Partial<ReflectionSettings>; delivery?: DeliveryOptions } = {},
): Promise<TelescopeReflection> {
  const s = checkReflectionSettings(options.settings);
  const horizonSec = options.delivery?.horizonSec ?? DEFAULT_DELIVERY_HORIZON_SEC;
  const nowSec = options.delivery?.nowSec ?? Date.now() / 1000;
  const delivered = await deliveredUntil(store, scope);
  const everyoneUntil = delivered.reduce((min, d) => Math.min(min, d.sec === null ? -Infinity : d.sec), Infinity);
  const closed = (e: ReflectionEpisode): boolean =>
    everyoneUntil > e.end + s.gapSec || nowSec >= e.end + s.gapSec + horizonSec;
  const clock = new TzClock(scope.period.timeZone);
  const inPeriod = (e: { start: number }): boolean => {
    const day = clock.localDay(e.start);
    return day >= scope.period.startDay && day < scope.period.endDay;
  };
  const lo = scope.period.startSec - s.gapSec;
  const [rawPackets, last] = await Promise.all([rawPacketsOf(store, scope), lastPacketSec(store, scope)]);
  let extra = SECONDS_PER_DAY;
  for (;;) {
    const span = { lo, hi: scope.period.endSec + s.gapSec + extra };
    const parts = await Promise.all([
      readReplies(store, scope, span),
      readFragments(store, scope, span),
      readQuotes(store, scope, span),
    ]);
    const derived = reflectionEpisodes(parts.flat(), s);
    const cut = derived.episodes.some((e) => e.end >= span.hi - 1 - s.gapSec && inPeriod(e));
    if (!cut || span.hi > last) {
      const ofPeriod = derived.episodes.filter(inPeriod);
      return {
        episodes: ofPeriod.filter(closed),
        openEpisodes: ofPeriod.filter((e) => !closed(e)),
        settings: s,
        rawPackets,
        candidates: derived.candidates,
        belowThresholds: derived.belowThresholds,
      };
    }
    extra *= 2;
  }
}
