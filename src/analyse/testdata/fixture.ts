/**
 * @module
 * The analytics tests' hand-counted store: two sensors, rollup rows written
 * through the real `IngestWriter`, spread over fiscal FY2010Q1 (April–June
 * 2010), the quarter before it (FY2009Q4) and one day after, so every
 * expected figure in the tests can be worked out from the tables below.
 *
 * - `alpha`: 192.0.2.0/29 (8 addresses) and 2001:db8:1::/64 (1 entry) = 9.
 * - `beta`: 198.51.100.7, down 2010-05-01 00:00 – 2010-05-11 06:00 JST:
 *   May 1–10 not observed, May 11 observed 0.75.
 * Address-days: FY2010Q1 alpha 9 × 91 = 819 (IPv4 728, IPv6 91), beta
 * 91 − 10.25 = 80.75, together 899.75; FY2009Q4 alpha 810, beta 90 = 900.
 * Every row has 60 bytes per packet.
 */

import { FlagClass, PacketClass, packCountry, parseServiceKey, serviceKey } from '../../classify/index.js';
import { IpProto } from '../../decode/index.js';
import { ephemeralSportClass, type AnalyticsStore, type Sensor, type SourceRow, type TrafficRow } from '../../store/index.js';
import { parseLocalDate } from '../../util/tz.js';

export const TIME_ZONE = 'Asia/Tokyo';
export const BYTES_PER_PACKET = 60;

const EPH_TCP = ephemeralSportClass(IpProto.TCP);
const CLASS = {
  probe: PacketClass.PROBE,
  response: PacketClass.RESPONSE,
  error: PacketClass.ICMP_ERROR,
} as const;

type Who = 'alpha' | 'beta';
/** sensor, date, hour, IP version, service, source port class, country, class, packets */
type T = [Who, string, number, 4 | 6, string, number | 'same', string, keyof typeof CLASS, number];
/** sensor, date, source, country, service, packets */
type S = [Who, string, string, string, string, number];

export const TRAFFIC: readonly T[] = [
  // FY2010Q1
  ['alpha', '2010-04-01', 0, 4, '445/TCP', EPH_TCP, 'CN', 'probe', 500],
  ['alpha', '2010-05-15', 10, 4, '445/TCP', EPH_TCP, 'CN', 'probe', 400],
  ['alpha', '2010-04-11', 4, 4, '445/TCP', EPH_TCP, 'CN', 'probe', 5],
  ['alpha', '2010-06-30', 23, 4, '11/ICMP', 'same', 'JP', 'error', 300],
  ['alpha', '2010-06-01', 5, 4, '33000/UDP', serviceKey(IpProto.UDP, 53), 'JP', 'response', 200],
  ['alpha', '2010-04-10', 3, 4, '8/ICMP', 'same', 'US', 'probe', 100],
  ['alpha', '2010-04-11', 3, 4, '23/TCP', EPH_TCP, 'CN', 'probe', 90],
  ['alpha', '2010-04-12', 3, 4, '1433/TCP', EPH_TCP, 'US', 'probe', 90],
  ['alpha', '2010-05-20', 1, 6, '128/ICMPv6', 'same', 'US', 'probe', 9],
  ['beta', '2010-04-01', 1, 4, '445/TCP', EPH_TCP, 'CN', 'probe', 10],
  ['beta', '2010-04-20', 2, 4, '445/TCP', EPH_TCP, 'CN', 'probe', 100],
  ['beta', '2010-05-11', 12, 4, '9415/TCP', EPH_TCP, 'CN', 'probe', 60],
  ['beta', '2010-05-11', 13, 4, '9415/TCP', serviceKey(IpProto.TCP, 1000), 'US', 'probe', 20],
  // FY2009Q4
  ['alpha', '2010-03-31', 23, 4, '445/TCP', EPH_TCP, 'CN', 'probe', 700],
  ['alpha', '2010-01-05', 0, 4, '8/ICMP', 'same', 'US', 'probe', 300],
  ['alpha', '2010-02-01', 0, 4, '135/TCP', EPH_TCP, 'CN', 'probe', 150],
  ['alpha', '2010-02-02', 0, 4, '23/TCP', EPH_TCP, 'CN', 'probe', 30],
  ['alpha', '2010-02-03', 0, 4, '11/ICMP', 'same', 'JP', 'error', 3],
  ['beta', '2010-03-01', 0, 4, '445/TCP', EPH_TCP, 'CN', 'probe', 90],
  // FY2010Q2, outside both
  ['alpha', '2010-07-01', 0, 4, '445/TCP', EPH_TCP, 'CN', 'probe', 1000],
];

export const SOURCES: readonly S[] = [
  ['alpha', '2010-04-01', '1.1.1.1', 'CN', '445/TCP', 300],
  ['alpha', '2010-04-01', '1.1.1.2', 'CN', '445/TCP', 200],
  ['alpha', '2010-05-15', '1.1.1.1', 'CN', '445/TCP', 400],
  ['alpha', '2010-04-11', '1.1.1.3', 'CN', '445/TCP', 5],
  ['alpha', '2010-06-30', '203.0.113.1', 'JP', '11/ICMP', 300],
  ['alpha', '2010-06-01', '203.0.113.53', 'JP', '33000/UDP', 200],
  ['alpha', '2010-04-10', '4.4.4.4', 'US', '8/ICMP', 100],
  ['alpha', '2010-04-11', '1.1.1.3', 'CN', '23/TCP', 90],
  ['alpha', '2010-04-12', '4.4.4.5', 'US', '1433/TCP', 90],
  ['alpha', '2010-05-20', '2001:db8:ffff::1', 'US', '128/ICMPv6', 9],
  ['beta', '2010-04-01', '1.1.1.1', 'CN', '445/TCP', 10],
  ['beta', '2010-04-20', '1.1.1.1', 'CN', '445/TCP', 100],
  ['beta', '2010-05-11', '1.1.1.9', 'CN', '9415/TCP', 60],
  ['beta', '2010-05-11', '4.4.4.6', 'US', '9415/TCP', 20],
  ['alpha', '2010-03-31', '1.1.1.1', 'CN', '445/TCP', 700],
  ['alpha', '2010-01-05', '4.4.4.4', 'US', '8/ICMP', 300],
  ['alpha', '2010-02-01', '1.1.1.3', 'CN', '135/TCP', 100],
  ['alpha', '2010-02-01', '1.1.1.4', 'CN', '135/TCP', 50],
  ['alpha', '2010-02-02', '1.1.1.3', 'CN', '23/TCP', 30],
  ['alpha', '2010-02-03', '203.0.113.1', 'JP', '11/ICMP', 3],
  ['beta', '2010-03-01', '1.1.1.1', 'CN', '445/TCP', 90],
  ['alpha', '2010-07-01', '1.1.1.1', 'CN', '445/TCP', 1000],
];

export interface Fixture {
  alpha: Sensor;
  beta: Sensor;
}

function trafficRow(t: T): TrafficRow {
  const [, date, hour, ipVersion, service, sport, country, cls, packets] = t;
  const key = parseServiceKey(service);
  const tcp = service.endsWith('/TCP');
  return {
    localDay: parseLocalDate(date),
    localHour: hour,
    ipVersion,
    service: key,
    sportClass: sport === 'same' ? key : sport,
    country: packCountry(country),
    flagClass: tcp ? FlagClass.SYN : FlagClass.NONE,
    packetClass: CLASS[cls],
    packets,
    bytes: packets * BYTES_PER_PACKET,
  };
}

function sourceRow(s: S): SourceRow {
  const [, date, src, country, service, packets] = s;
  return { localDay: parseLocalDate(date), src, country: packCountry(country), asn: 0, service: parseServiceKey(service), packets };
}

const EMPTY_SUMMARY = {
  packetsRead: 0, packetsCounted: 0, packetsExcluded: 0, packetsMalformed: 0, duplicates: 0, firstSec: 0, lastSec: 0,
};

/** Registers both sensors and writes the tables above, one committed ingest per sensor. */
export async function loadFixture(store: AnalyticsStore): Promise<Fixture> {
  const alpha = await store.addSensor({ name: 'alpha', label: 'Alpha /29', addresses: ['192.0.2.0/29', '2001:db8:1::/64'] });
  await store.addSensor({ name: 'beta', label: 'Beta', addresses: ['198.51.100.7'] });
  const betaId = (await store.findSensor('beta'))!.id;
  await store.addDowntime(betaId, { from: '2010-05-01T00:00:00+09:00', to: '2010-05-11T06:00:00+09:00', note: 'power' });
  const beta = (await store.findSensor('beta'))!;
  for (const [who, sensor] of [['alpha', alpha], ['beta', beta]] as const) {
    const writer = await store.beginIngest({ sensorId: sensor.id, fileName: `${who}.pcap`, sha256: (who === 'alpha' ? 'a' : 'b').repeat(64), bytes: 1 });
    await writer.appendTraffic(TRAFFIC.filter((t) => t[0] === who).map(trafficRow));
    await writer.appendSources(SOURCES.filter((s) => s[0] === who).map(sourceRow));
    const packets = TRAFFIC.filter((t) => t[0] === who).reduce((n, t) => n + t[8], 0);
    await writer.commit({ ...EMPTY_SUMMARY, packetsRead: packets, packetsCounted: packets });
  }
  return { alpha, beta };
}
