/**
 * @module
 * The report tests' store: two sensors and six months (January–June 2010)
 * of hand-written rollups written through the real `IngestWriter`, shaped so
 * that every figure the tests check can be worked out by hand.
 *
 * Sensors (no downtime): `tokyo` 192.0.2.0/30 (4 addresses, its label holds
 * a planted `<script>`), `osaka` 198.51.100.7 (1). Address-days: 5 a day;
 * FY2010Q1 (Apr–Jun, 91 days) 455, FY2009Q4 (Jan–Mar, 90 days) 450, June
 * 150, May 155.
 *
 * Each stream is a level in accesses per day per address: `tokyo` gets 4×
 * and `osaka` 1× the level each day, so the level is exact. Each stream has
 * its own sources, the same at both sensors.
 *
 * | stream              | Jan–Mar | Apr–May              | June | sources/day |
 * | 445/TCP  CN         | 16      | 12                   | 12   | 3           |
 * | 8/ICMP   US         | 4       | 4                    | 4    | 2           |
 * | 23/TCP   JP         | 1       | 1                    | 10   | 1, June 5   |
 * | 135/TCP  KR         | 3       | 1                    | 1    | 1           |
 * | 1433/TCP CN         | 0       | 2                    | 2    | 1           |
 * | 33000/UDP JP, from  | 0       | 5 from 2010-05-10    | 5    | 1           |
 * |   source port 53    |         |                      |      |             |
 */

import { FlagClass, PacketClass, packCountry, parseServiceKey, serviceKey } from '../../src/classify/index.js';
import { IpProto } from '../../src/decode/index.js';
import { ephemeralSportClass, type AnalyticsStore, type SourceRow, type TrafficRow } from '../../src/store/index.js';
import { formatLocalDate, parseLocalDate } from '../../src/util/tz.js';

export const TIME_ZONE = 'Asia/Tokyo';
export const HOSTILE_LABEL = 'Tokyo <script>alert(1)</script>';
const BYTES_PER_PACKET = 60;
const TOKYO_SHARE = 4;
const HOUR = 12;

interface Stream {
  service: string;
  country: string;
  /** Level per day per address on `date`. */
  level: (date: string) => number;
  sources: (date: string) => string[];
  response?: boolean;
}

const range = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

export const STREAMS: readonly Stream[] = [
  { service: '445/TCP', country: 'CN', level: (d) => (d < '2010-04-01' ? 16 : 12), sources: () => range('1.1.1.', 3) },
  { service: '8/ICMP', country: 'US', level: () => 4, sources: () => range('4.4.4.', 2) },
  {
    service: '23/TCP',
    country: 'JP',
    level: (d) => (d < '2010-06-01' ? 1 : 10),
    sources: (d) => range('203.0.113.', d < '2010-06-01' ? 1 : 5),
  },
  { service: '135/TCP', country: 'KR', level: (d) => (d < '2010-04-01' ? 3 : 1), sources: () => ['5.5.5.5'] },
  { service: '1433/TCP', country: 'CN', level: (d) => (d < '2010-04-01' ? 0 : 2), sources: () => ['1.1.2.1'] },
  {
    service: '33000/UDP',
    country: 'JP',
    level: (d) => (d < '2010-05-10' ? 0 : 5),
    sources: () => ['203.0.114.53'],
    response: true,
  },
];

export const FIRST_DATE = '2010-01-01';
export const LAST_DATE = '2010-06-30';

function dates(): string[] {
  const out: string[] = [];
  for (let day = parseLocalDate(FIRST_DATE); day <= parseLocalDate(LAST_DATE); day++) out.push(formatLocalDate(day));
  return out;
}

const EPH_TCP = ephemeralSportClass(IpProto.TCP);
const EPH_UDP = ephemeralSportClass(IpProto.UDP);

function trafficRow(stream: Stream, date: string, packets: number): TrafficRow {
  const key = parseServiceKey(stream.service);
  const tcp = stream.service.endsWith('/TCP');
  const icmp = stream.service.endsWith('/ICMP');
  return {
    localDay: parseLocalDate(date),
    localHour: HOUR,
    ipVersion: 4,
    service: key,
    sportClass: stream.response === true ? serviceKey(IpProto.UDP, 53) : icmp ? key : tcp ? EPH_TCP : EPH_UDP,
    country: packCountry(stream.country),
    flagClass: tcp ? FlagClass.SYN : FlagClass.NONE,
    packetClass: stream.response === true ? PacketClass.RESPONSE : PacketClass.PROBE,
    packets,
    bytes: packets * BYTES_PER_PACKET,
  };
}

/** `packets` split over `sources`, the remainder to the first. */
function sourceRows(stream: Stream, date: string, packets: number): SourceRow[] {
  const sources = stream.sources(date);
  const each = Math.floor(packets / sources.length);
  return sources.map((src, i) => ({
    localDay: parseLocalDate(date),
    src,
    country: packCountry(stream.country),
    asn: 0,
    service: parseServiceKey(stream.service),
    packets: i === 0 ? packets - each * (sources.length - 1) : each,
  }));
}

const SUMMARY = { packetsRead: 0, packetsCounted: 0, packetsExcluded: 0, packetsMalformed: 0, duplicates: 0 };
/** A GeoIP database and build date recorded with the ingests, as `ingestCapture` records them. */
export const GEOIP_DB = 'test-country.mmdb (GeoIP2-Country test)';
export const GEOIP_BUILD_DATE = '2010-03-15';

/** Registers both sensors and writes the streams, one committed ingest per sensor. */
export async function loadReportFixture(store: AnalyticsStore, options: { label?: string } = {}): Promise<void> {
  const tokyo = await store.addSensor({
    name: 'tokyo',
    label: options.label ?? HOSTILE_LABEL,
    addresses: ['192.0.2.0/30'],
  });
  const osaka = await store.addSensor({ name: 'osaka', label: 'Osaka', addresses: ['198.51.100.7'] });
  const all = dates();
  const first = parseLocalDate(FIRST_DATE);
  const buildDay = parseLocalDate(GEOIP_BUILD_DATE);
  for (const [sensor, share, hash] of [
    [tokyo, TOKYO_SHARE, 'a'],
    [osaka, 1, 'b'],
  ] as const) {
    const writer = await store.beginIngest({
      sensorId: sensor.id,
      fileName: `${sensor.name}.pcap`,
      sha256: hash.repeat(64),
      bytes: 1,
      geoipDb: GEOIP_DB,
      geoipBuildSec: buildDay * 86_400,
    });
    const traffic: TrafficRow[] = [];
    const sources: SourceRow[] = [];
    let counted = 0;
    for (const date of all) {
      for (const stream of STREAMS) {
        const packets = stream.level(date) * share;
        if (packets === 0) continue;
        traffic.push(trafficRow(stream, date, packets));
        sources.push(...sourceRows(stream, date, packets));
        counted += packets;
      }
    }
    await writer.appendTraffic(traffic);
    await writer.appendSources(sources);
    // Whole-day span of the rows in UTC seconds: JST noon of the first and last day.
    const noon = (day: number): number => day * 86_400 + 3 * 3_600;
    await writer.commit({
      ...SUMMARY,
      packetsRead: counted,
      packetsCounted: counted,
      firstSec: noon(first),
      lastSec: noon(parseLocalDate(LAST_DATE)),
    });
  }
}

/** Mean level of `service` over the inclusive dates. */
export function meanLevel(service: string, from: string, to: string): number {
  const stream = STREAMS.find((s) => s.service === service)!;
  let sum = 0;
  let n = 0;
  for (let day = parseLocalDate(from); day <= parseLocalDate(to); day++) {
    sum += stream.level(formatLocalDate(day));
    n += 1;
  }
  return sum / n;
}
