/**
 * @module
 * Test fixtures for the ingest: hand-built captures (crafted packets written
 * with the capture stage's pcap and pcapng writers), a tiny GeoIP country
 * and ASN database with known answers written as MMDB files, and readers
 * that return a store's rollups as readable, sorted rows for exact
 * comparison.
 */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LinkType, PcapngWriter, PcapWriter } from '../../capture/index.js';
import { unpackCountry } from '../../classify/country-code.js';
import { FLAG_CLASS_NAMES } from '../../classify/flag-class.js';
import { openAsnDb, openCountryDb } from '../../classify/geo-sources.js';
import type { GeoResolver } from '../../classify/geoip.js';
import { MmdbWriter } from '../../classify/mmdb-writer.js';
import { PACKET_CLASS_NAMES } from '../../classify/packet-class.js';
import { formatServiceKey } from '../../classify/service-key.js';
import { buildPacket, type PacketSpec } from '../../simulate/craft/index.js';
import { formatSportClass, requireSourceKeyTexts, type AnalyticsStore } from '../../store/index.js';
import { formatLocalDate } from '../../util/tz.js';

export interface TestFrame {
  /** Epoch seconds and nanoseconds. */
  sec: number;
  nsec?: number;
  /** Ethernet frame from a spec, or raw bytes as given. */
  spec?: PacketSpec;
  bytes?: Uint8Array;
  /** pcapng interface (0 or 1). */
  iface?: number;
}

/** ISO 8601 UTC → epoch seconds. */
export function at(iso: string): number {
  return Date.parse(iso) / 1000;
}

export function frameBytes(frame: TestFrame): Uint8Array {
  if (frame.bytes !== undefined) return frame.bytes;
  return buildPacket({ link: { kind: 'ethernet' }, ...frame.spec! });
}

/** Classic pcap (microsecond timestamps unless `nanosecond`). */
export function pcapOf(frames: readonly TestFrame[], options: { nanosecond?: boolean } = {}): Buffer {
  const writer = new PcapWriter({ linkType: LinkType.EN10MB, nanosecond: options.nanosecond ?? false });
  for (const f of frames) writer.writePacket({ tsSec: f.sec, tsNsec: f.nsec ?? 0, bytes: frameBytes(f) });
  return writer.toBuffer();
}

/** pcapng with two Ethernet interfaces and nanosecond timestamps. */
export function pcapngOf(frames: readonly TestFrame[]): Buffer {
  const writer = new PcapngWriter();
  const ids = [0, 1].map(() => writer.addInterface({ linkType: LinkType.EN10MB, tsResolution: { base: 10, exponent: 9 } }));
  for (const f of frames) writer.writePacket({ interfaceId: ids[f.iface ?? 0]!, tsSec: f.sec, tsNsec: f.nsec ?? 0, bytes: frameBytes(f) });
  return writer.toBuffer();
}

export function tempDir(prefix = 'teiten-ingest-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeTemp(dir: string, name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** Country and ASN databases with known answers, written as MMDB files in `dir`. */
export async function testGeo(dir: string): Promise<{ geo: GeoResolver; countryPath: string; asnPath: string }> {
  const c = new MmdbWriter({ databaseType: 'teiten-test-country', buildEpoch: new Date('2010-05-01T00:00:00Z'), description: { en: 'test countries' } });
  c.insert('1.0.16.0/20', { country_code: 'JP' });
  c.insert('61.0.0.0/8', { country_code: 'CN' });
  c.insert('2001:db8:ff00::/40', { country_code: 'TW' });
  const a = new MmdbWriter({ databaseType: 'teiten-test-asn', buildEpoch: new Date('2010-05-02T00:00:00Z'), description: { en: 'test ASNs' } });
  a.insert('1.0.16.0/24', { autonomous_system_number: 2519 });
  a.insert('61.0.0.0/8', { autonomous_system_number: 4134 });
  const countryPath = writeTemp(dir, 'country.mmdb', c.toBuffer());
  const asnPath = writeTemp(dir, 'asn.mmdb', a.toBuffer());
  return { geo: { country: openCountryDb(countryPath), asn: await openAsnDb({ path: asnPath }) }, countryPath, asnPath };
}

export interface ReadableTrafficRow {
  day: string;
  hour: number;
  v: number;
  service: string;
  sport: string;
  country: string;
  flag: string;
  class: string;
  packets: number;
  bytes: number;
}

export interface ReadableSourceRow {
  day: string;
  src: string;
  country: string;
  asn: number;
  service: string;
  packets: number;
}

/** Rows sorted by their JSON text (order-free comparison). */
export function sortRows<T>(rows: T[]): T[] {
  return rows.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

/** Committed `traffic_hour` rows (one sensor's or all), decoded to names and sorted. */
export async function trafficRows(store: AnalyticsStore, sensorId?: number): Promise<ReadableTrafficRow[]> {
  const rows = await store.query<Record<string, number>>({
    sql: `SELECT local_day, local_hour, ip_version, service, sport_class, country, flag_class, packet_class,
      SUM(packets) AS packets, SUM(bytes) AS bytes FROM traffic_hour ${sensorId === undefined ? '' : 'WHERE sensor_id = ?'}
      GROUP BY local_day, local_hour, ip_version, service, sport_class, country, flag_class, packet_class`,
    params: sensorId === undefined ? [] : [sensorId],
  });
  return sortRows(rows.map((r) => ({
    day: formatLocalDate(r['local_day']!),
    hour: r['local_hour']!,
    v: r['ip_version']!,
    service: formatServiceKey(r['service']!),
    sport: formatSportClass(r['sport_class']!),
    country: unpackCountry(r['country']!),
    flag: FLAG_CLASS_NAMES[r['flag_class']!]!,
    class: PACKET_CLASS_NAMES[r['packet_class']!]!,
    packets: r['packets']!,
    bytes: r['bytes']!,
  })));
}

/** Committed `source_day` rows, decoded and sorted. */
export async function sourceRows(store: AnalyticsStore, sensorId?: number): Promise<ReadableSourceRow[]> {
  const rows = await store.query<Record<string, number | string>>({
    sql: `SELECT local_day, src, country, asn, service, SUM(packets) AS packets FROM source_day
      ${sensorId === undefined ? '' : 'WHERE sensor_id = ?'} GROUP BY local_day, src, country, asn, service`,
    params: sensorId === undefined ? [] : [sensorId],
  });
  const texts = await requireSourceKeyTexts(rows.map((r) => r['src'] as number), (q) => store.query(q));
  return sortRows(rows.map((r) => ({
    day: formatLocalDate(r['local_day'] as number),
    src: texts.get(r['src'] as number)!,
    country: unpackCountry(r['country'] as number),
    asn: r['asn'] as number,
    service: formatServiceKey(r['service'] as number),
    packets: r['packets'] as number,
  })));
}

/** Row counts of every observation base table (committed or not). */
export async function baseTableCounts(store: AnalyticsStore): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['ingests', 'traffic_hour_rows', 'source_list_day_rows', 'packet_rows']) {
    const [row] = await store.query<{ n: number }>({ sql: `SELECT COUNT(*) AS n FROM ${table}`, params: [] });
    out[table] = row!.n;
  }
  return out;
}
