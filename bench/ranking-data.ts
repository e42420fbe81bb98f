/**
 * @module
 * The ranking benchmarks' data: rollups of N sensors × 181 days (FY2009Q4 +
 * FY2010Q1) generated with a seeded PRNG straight into a store through
 * `IngestWriter`, one ingest per sensor per week in time order, with the
 * packets planted per quarter so every timed answer can be checked.
 * Shared by `bench/ranking.ts` (DuckDB) and `bench/cluster.ts` (ClickHouse
 * with one and two shards).
 */
import { type Dimension } from '../src/analyse/index.js';
import { packCountry, PacketClass, FlagClass, serviceKey } from '../src/classify/index.js';
import { IpProto } from '../src/decode/index.js';
import { ephemeralSportClass, openStore, type SourceRow, type TrafficRow } from '../src/store/index.js';
import { parseLocalDate } from '../src/util/tz.js';
import { uniform as prng } from '../src/util/random.js';

export const TIME_ZONE = 'Asia/Tokyo';
export const PERIOD = 'FY2010Q1';
const FIRST_DAY = parseLocalDate('2010-01-01');
const LAST_DAY = parseLocalDate('2010-06-30');
const Q1_FIRST_DAY = parseLocalDate('2010-04-01');
export const DIMENSIONS: readonly Dimension[] = ['service', 'country', 'country-service', 'sensor'];
const HOURS = 24;
/** Days per generated capture (ingest). */
const DAYS_PER_CAPTURE = 7;
const SERVICES = 2000;
const COUNTRY_CODES = 'CN US JP TW KR RU BR DE GB FR IN VN TH ID CA NL IT ES PL UA TR AR MX AU IR RO HK SG MY PH'.split(
  ' ',
);
/** Distinct source addresses the generator draws from (zipf-like, so sources recur across days and sensors). */
const SOURCE_POOL = 400_000;
const BYTES_PER_PACKET = 60;

export interface RankingDataSize {
  sensors: number;
  /** Traffic (hourly rollup) rows per sensor-day. */
  trafficPerDay: number;
  /** Source rows per sensor-day. */
  sourcesPerDay: number;
}

export interface Planted {
  trafficRows: number;
  sourceRows: number;
  /** Packets of FY2010Q1 and of FY2009Q4. */
  q1Packets: number;
  q4Packets: number;
  loadSeconds: number;
}

/** An index in 0..n-1 skewed towards 0, like ports and countries in darknet traffic. */
function skewed(random: () => number, n: number): number {
  return Math.min(n - 1, Math.floor(n * random() ** 3));
}

/** Generates the data into the new store at `target` (a DuckDB path or a ClickHouse URL). */
export async function generateRankingData(target: string, size: RankingDataSize): Promise<Planted> {
  const { sensors, trafficPerDay, sourcesPerDay } = size;
  const store = await openStore(target, { timeZone: TIME_ZONE, rawRetentionDays: 0 });
  const random = prng(20100401);
  const services = Array.from({ length: SERVICES }, (_, i) =>
    i % 10 === 9 ? serviceKey(IpProto.UDP, 1024 + i) : serviceKey(IpProto.TCP, i === 0 ? 445 : 1 + i),
  );
  const countries = COUNTRY_CODES.map(packCountry);
  const planted: Planted = { trafficRows: 0, sourceRows: 0, q1Packets: 0, q4Packets: 0, loadSeconds: 0 };
  const started = performance.now();
  const ids: number[] = [];
  for (let s = 0; s < sensors; s++) {
    const sensor = await store.addSensor({
      name: `s${String(s).padStart(3, '0')}`,
      addresses: [`10.${s >> 8}.${s & 0xff}.0/28`],
    });
    if (s % 10 === 0)
      await store.addDowntime(sensor.id, { from: '2010-05-01T00:00:00+09:00', to: '2010-05-04T12:00:00+09:00' });
    ids.push(sensor.id);
  }
  // Captures arrive in time order, one per sensor per week, as a deployment rotating weekly files would store them.
  for (let week = FIRST_DAY; week <= LAST_DAY; week += DAYS_PER_CAPTURE) {
    for (const [s, sensorId] of ids.entries()) {
      const sha256 = `${week.toString(16)}${s.toString(16).padStart(4, '0')}`.padStart(64, '0');
      const writer = await store.beginIngest({ sensorId, fileName: `s${s}-${week}.pcap`, sha256, bytes: 1 });
      const traffic: TrafficRow[] = [];
      const sources: SourceRow[] = [];
      for (let day = week; day < Math.min(week + DAYS_PER_CAPTURE, LAST_DAY + 1); day++) {
        for (let r = 0; r < trafficPerDay; r++) {
          const service = services[skewed(random, SERVICES)]!;
          const packets = 1 + Math.floor(random() * 40);
          const tcp = service >>> 17 === IpProto.TCP;
          traffic.push({
            localDay: day,
            localHour: r % HOURS,
            ipVersion: 4,
            service,
            sportClass: ephemeralSportClass(tcp ? IpProto.TCP : IpProto.UDP),
            country: countries[skewed(random, countries.length)]!,
            flagClass: tcp ? FlagClass.SYN : FlagClass.NONE,
            packetClass: PacketClass.PROBE,
            packets,
            bytes: packets * BYTES_PER_PACKET,
          });
          if (day >= Q1_FIRST_DAY) planted.q1Packets += packets;
          else planted.q4Packets += packets;
        }
        for (let r = 0; r < sourcesPerDay; r++) {
          const n = skewed(random, SOURCE_POOL);
          sources.push({
            localDay: day,
            src: `100.${(n >> 16) & 0xff}.${(n >> 8) & 0xff}.${n & 0xff}`,
            country: countries[n % countries.length]!,
            asn: 0,
            service: services[skewed(random, SERVICES)]!,
            packets: 1,
          });
        }
      }
      await writer.appendTraffic(traffic);
      await writer.appendSources(sources);
      planted.trafficRows += traffic.length;
      planted.sourceRows += sources.length;
      await writer.commit({
        packetsRead: 0,
        packetsCounted: 0,
        packetsExcluded: 0,
        packetsMalformed: 0,
        duplicates: 0,
        firstSec: 0,
        lastSec: 0,
      });
    }
  }
  planted.loadSeconds = (performance.now() - started) / 1000;
  await store.close();
  return planted;
}
