/**
 * @module
 * `sourceProfile()`: what the store knows of one address over a period, for
 * the IP lookup: its scanner windows over the telescope (tools, scan type,
 * services, sensors; `telescopeScanners`), its signature detections by day
 * and category (`signature_source_day`, exact per source, plus the alerts of
 * threshold rules decided over the telescope, `thresholdAlerts`), and the DoS
 * attacks it was the victim of (its backscatter, `telescopeAttacks`). First
 * and last seen are over those. Per-source traffic of every packet is not
 * read here: the source sets are being re-laid out (issue 15) and raw
 * packets are only kept within retention.
 */

import type { AnalyticsStore } from '../store/index.js';
import { formatLocalDate, TzClock } from '../util/tz.js';
import { telescopeAttacks } from './backscatter-attacks.js';
import { detectionScopes, scoped } from './detection-scope.js';
import type { Period } from '../util/period.js';
import { thresholdAlerts } from './signature-thresholds.js';
import { telescopeScanners } from './telescope-scanners.js';
import type { PeriodRef } from './types.js';

const MS_PER_SECOND = 1000;

export interface SourceScannerWindow {
  windowStart: string;
  firstSeen: string;
  lastSeen: string;
  country: string;
  packets: number;
  addresses: number;
  services: number;
  topServices: { service: string; packets: number }[];
  scanType: string;
  tools: string[];
  sensors: { sensor: string; packets: number; addresses: number }[];
}

export interface SourceSignatureDay {
  date: string;
  category: string;
  packets: number;
}

export interface SourceAttack {
  start: string;
  end: string;
  durationSec: number;
  protocol: string;
  victimPorts: { service: string; packets: number }[];
  packets: number;
  sensorAddresses: number;
  peakRatePps: number;
}

export interface SourceProfile {
  address: string;
  period: PeriodRef;
  /**
   * Earliest and latest instant (ISO 8601) the address was seen as a scanner
   * or a victim; when only signature detections saw it, their first and last
   * local date (`YYYY-MM-DD`, detections are kept per day); null when never.
   */
  firstSeen: string | null;
  lastSeen: string | null;
  /** Local days with a scanner window, a detection or an attack. */
  daysActive: number;
  scanners: SourceScannerWindow[];
  signatures: SourceSignatureDay[];
  /** Categories over the period, most packets first. */
  categories: { category: string; packets: number }[];
  attacks: SourceAttack[];
  /** Backscatter victim: the address answered spoofed traffic (a DoS target). */
  victim: boolean;
}

const iso = (sec: number): string => new Date(Math.round(sec * MS_PER_SECOND)).toISOString();

/** The profile of `address` (canonical text, as the store keeps it) over `period`. */
export async function sourceProfile(
  store: AnalyticsStore,
  options: { address: string; period: Period },
): Promise<SourceProfile> {
  const { address, period } = options;
  const { current: scope } = await detectionScopes(store, period);
  const ctx = scope.filter.keys;
  const [scanners, signatureRows, attacks, thresholds] = await Promise.all([
    // Scanner evidence and backscatter victims are IPv4 only (addresses kept as numbers).
    address.includes(':') ? Promise.resolve([]) : telescopeScanners(store, scope),
    scoped<{ d: number; category: string; packets: number }>(store, scope, {
      view: 'signature_source_day',
      select: 'local_day AS d, category, SUM(packets) AS packets',
      group: 'local_day, category',
      extra: { sql: 'src = ?', params: [address] },
      tail: ' ORDER BY d, category',
    }),
    address.includes(':') ? Promise.resolve({ attacks: [] }) : telescopeAttacks(store, scope),
    thresholdAlerts(store, scope),
  ]);
  const mine = scanners.filter((s) => s.source === address);
  const hits = attacks.attacks.filter((a) => a.victim === address);
  const byDayCategory = new Map<string, { d: number; category: string; packets: number }>();
  const addDay = (d: number, category: string, packets: number): void => {
    const key = `${d}\n${category}`;
    const known = byDayCategory.get(key);
    if (known === undefined) byDayCategory.set(key, { d, category, packets });
    else known.packets += packets;
  };
  for (const r of signatureRows) addDay(Number(r.d), String(r.category), Number(r.packets));
  for (const s of thresholds.sources) if (s.src === address) addDay(s.day, s.category, s.packets);
  const signatures = [...byDayCategory.values()]
    .sort((a, b) => a.d - b.d || (a.category < b.category ? -1 : a.category > b.category ? 1 : 0))
    .map((r) => ({ date: formatLocalDate(r.d), category: r.category, packets: r.packets }));
  const categories = new Map<string, number>();
  for (const s of signatures) categories.set(s.category, (categories.get(s.category) ?? 0) + s.packets);
  const clockDays = new Set<string>(signatures.map((s) => s.date));
  const instants: number[] = [];
  const clock = new TzClock(period.timeZone);
  for (const s of mine) {
    instants.push(s.firstSeen, s.lastSeen);
    clockDays.add(formatLocalDate(clock.localDay(s.firstSeen)));
  }
  for (const a of hits) {
    instants.push(a.start, a.end);
    for (let day = clock.localDay(a.start); day <= clock.localDay(a.end); day++) clockDays.add(formatLocalDate(day));
  }
  // Detections are per local day only: their day bounds what first and last seen can say.
  const dayStarts = signatures.map((s) => s.date).sort();
  const first = instants.length === 0 ? null : Math.min(...instants);
  const last = instants.length === 0 ? null : Math.max(...instants);
  let firstSeen = first === null ? null : iso(first);
  let lastSeen = last === null ? null : iso(last);
  if (firstSeen === null && dayStarts.length > 0) firstSeen = dayStarts[0]!;
  if (lastSeen === null && dayStarts.length > 0) lastSeen = dayStarts[dayStarts.length - 1]!;
  return {
    address,
    period: scope.ref,
    firstSeen,
    lastSeen,
    daysActive: clockDays.size,
    scanners: mine.map((s) => ({
      windowStart: iso(s.windowStart),
      firstSeen: iso(s.firstSeen),
      lastSeen: iso(s.lastSeen),
      country: s.countryCode,
      packets: s.packets,
      addresses: s.addresses,
      services: s.services,
      topServices: s.topServices,
      scanType: s.scanType,
      tools: [...s.tools],
      sensors: s.sensors.map((p) => ({
        sensor: ctx.sensorsById.get(p.sensorId)?.name ?? `#${p.sensorId}`,
        packets: p.packets,
        addresses: p.addresses,
      })),
    })),
    signatures,
    categories: [...categories]
      .map(([category, packets]) => ({ category, packets }))
      .sort((a, b) => b.packets - a.packets || (a.category < b.category ? -1 : 1)),
    attacks: hits.map((a) => ({
      start: iso(a.start),
      end: iso(a.end),
      durationSec: a.durationSec,
      protocol: a.protocol,
      victimPorts: a.victimPorts.map((p) => ({ service: p.service, packets: p.packets })),
      packets: a.packets,
      sensorAddresses: a.sensorAddresses,
      peakRatePps: a.peakRatePps,
    })),
    victim: hits.length > 0,
  };
}
