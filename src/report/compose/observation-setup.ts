/**
 * @module
 * How the period was observed, for the method section and the report's
 * footer: each sensor's addresses and uptime (address-days observed of
 * those possible), the GeoIP databases the period's ingests were
 * enriched with, most used first, and the captures that were cut inside a
 * record and ingested up to their last complete record (`--keep-truncated`),
 * and, for sensors that deliver through the collector, what was lost on the
 * way in the period: kernel and agent drops, and spool losses the agent
 * reported (from the collector's records, as `teiten sensors status`).
 */

import type { Period, SensorUse } from '../../analyse/index.js';
import type { AnalyticsStore, IngestRecord } from '../../store/index.js';
import { formatLocalDate, SECONDS_PER_DAY } from '../../util/tz.js';

const PERCENT = 100;

export interface SensorUptime {
  name: string;
  label: string;
  addresses: string[];
  addressCount: number;
  addressDays: number;
  /** Address-days had the sensor observed every day of the period. */
  possibleAddressDays: number;
  /** `addressDays / possibleAddressDays × 100`; null for a sensor without addresses. */
  uptimePct: number | null;
  /** Losses in the period; null when none of the sensor's data came through the collector. */
  losses: SensorLosses | null;
}

export interface SensorLosses {
  /** Segments received whose first packet falls in the period. */
  segments: number;
  /** Dropped by the capture's kernel buffer (pcap statistics) and by the agent, in those segments. */
  kernelDropped: number;
  agentDropped: number;
  /** Segments and packets the agent's full spool dropped, by the loss's first packet. */
  spoolDroppedSegments: number;
  spoolDroppedPackets: number;
}

export interface GeoIpUse {
  /** As recorded by the ingest, e.g. `geo-whois-asn-country.mmdb (…)`; '' when no lookup was made. */
  database: string;
  /** Build date (UTC) of the database, `YYYY-MM-DD`; null when not recorded. */
  buildDate: string | null;
  /** Whole days from the build to the latest ingest that used it; null when the build was not recorded. */
  ageDays: number | null;
  ingests: number;
  packets: number;
}

export interface ObservationSetup {
  sensors: SensorUptime[];
  /** Ingests with counted packets in the period. */
  ingests: number;
  /** Of those, captures cut inside a record whose complete records were counted (`truncatedAt > 0`). */
  truncatedIngests: number;
  geoip: GeoIpUse[];
}

/** The setup of `period`, from the summary's sensors and the store's ingests. */
export async function observationSetup(
  store: AnalyticsStore,
  period: Period,
  sensors: readonly SensorUse[],
): Promise<ObservationSetup> {
  const ingests = (await store.listIngests()).filter((i) => overlaps(i, period));
  const uses = new Map<string, GeoIpUse>();
  for (const ingest of ingests) {
    const id = `${ingest.geoipDb}\u0000${ingest.geoipBuildSec}`;
    let use = uses.get(id);
    if (use === undefined) {
      const buildDate =
        ingest.geoipBuildSec > 0 ? formatLocalDate(Math.floor(ingest.geoipBuildSec / SECONDS_PER_DAY)) : null;
      use = { database: ingest.geoipDb, buildDate, ageDays: null, ingests: 0, packets: 0 };
      uses.set(id, use);
    }
    if (ingest.geoipBuildSec > 0) {
      const age = Math.max(0, Math.floor((ingest.ingestedSec - ingest.geoipBuildSec) / SECONDS_PER_DAY));
      use.ageDays = Math.max(use.ageDays ?? 0, age);
    }
    use.ingests += 1;
    use.packets += ingest.packetsCounted;
  }
  const geoip = [...uses.values()].sort(
    (a, b) =>
      b.packets - a.packets ||
      b.ingests - a.ingests ||
      (a.database < b.database ? -1 : a.database > b.database ? 1 : 0) ||
      (a.buildDate ?? '').localeCompare(b.buildDate ?? ''),
  );
  const losses = await Promise.all(sensors.map((s) => sensorLosses(store, s.name, period)));
  return {
    sensors: sensors.map((s, k) => {
      const possible = s.addressCount * period.days;
      return {
        name: s.name,
        label: s.label,
        addresses: [...s.addresses],
        addressCount: s.addressCount,
        addressDays: s.addressDays,
        possibleAddressDays: possible,
        uptimePct: possible > 0 ? Math.min(PERCENT, (s.addressDays / possible) * PERCENT) : null,
        losses: losses[k] ?? null,
      };
    }),
    ingests: ingests.length,
    truncatedIngests: ingests.filter((i) => i.truncatedAt > 0).length,
    geoip,
  };
}

const US_PER_SEC = 1_000_000;

async function sensorLosses(store: AnalyticsStore, name: string, period: Period): Promise<SensorLosses | null> {
  const sensor = await store.findSensor(name);
  if (sensor === undefined) return null;
  const inPeriod = (us: number): boolean => us >= period.startSec * US_PER_SEC && us < period.endSec * US_PER_SEC;
  const segments = (await store.network.segments(sensor.id)).filter((s) => inPeriod(s.firstUs));
  const spool = (await store.network.losses(sensor.id)).filter((l) => inPeriod(l.fromUs));
  if (segments.length === 0 && spool.length === 0) return null;
  const sum = <T>(rows: readonly T[], value: (row: T) => number): number => rows.reduce((n, row) => n + value(row), 0);
  return {
    segments: segments.length,
    kernelDropped: sum(segments, (s) => s.kernelDropped),
    agentDropped: sum(segments, (s) => s.agentDropped),
    spoolDroppedSegments: sum(spool, (l) => l.segments),
    spoolDroppedPackets: sum(spool, (l) => l.packets),
  };
}

/** Whether the ingest counted packets inside the period (its span is whole seconds, `lastSec` inclusive). */
function overlaps(ingest: IngestRecord, period: Period): boolean {
  return ingest.packetsCounted > 0 && ingest.firstSec < period.endSec && ingest.lastSec >= period.startSec;
}
