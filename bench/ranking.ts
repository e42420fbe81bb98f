/**
 * @module
 * `npm run bench:ranking`: a quarter's ranking tables (service, country,
 * country × service, sensor) against the previous quarter, from a DuckDB
 * store holding rollups of 100 sensors × 181 days (FY2009Q4 + FY2010Q1).
 * Target (issue 3): under 2 s.
 *
 * The rollups are generated with a seeded PRNG straight into the store
 * through `IngestWriter` (one ingest per sensor per week, in time order), once, into
 * `.bench/ranking-<params>.duckdb`; the rate of that load is printed too.
 * The tables are computed in a child process (`--query FILE`), so its peak
 * RSS is the query's own: once cold (a fresh process, what one `teiten stats`
 * pays) and once more warm (a long-running server), best of BENCH_RUNS. Before any time is printed
 * every table's packets are checked against the generator's planted total:
 * a fast wrong answer is not a result.
 *
 * Options (env): BENCH_SENSORS (100), BENCH_TRAFFIC_ROWS traffic rows per
 * sensor-day (600), BENCH_SOURCE_ROWS source rows per sensor-day (150),
 * BENCH_RUNS (3), BENCH_SOURCES=1 to count sources per day per item too.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parsePeriod, rankingTables, type Dimension, type RankingTable } from '../src/analyse/index.js';
import { packCountry, PacketClass, FlagClass, serviceKey } from '../src/classify/index.js';
import { IpProto } from '../src/decode/index.js';
import { ephemeralSportClass, openStore, SCHEMA_VERSION, type SourceRow, type TrafficRow } from '../src/store/index.js';
import { parseLocalDate } from '../src/util/tz.js';
import { uniform as prng } from '../src/util/random.js';

const TIME_ZONE = 'Asia/Tokyo';
const PERIOD = 'FY2010Q1';
const FIRST_DAY = parseLocalDate('2010-01-01');
const LAST_DAY = parseLocalDate('2010-06-30');
const Q1_FIRST_DAY = parseLocalDate('2010-04-01');
const DIMENSIONS: readonly Dimension[] = ['service', 'country', 'country-service', 'sensor'];
const TARGET_SECONDS = 2;
const HOURS = 24;
/** Days per generated capture (ingest). */
const DAYS_PER_CAPTURE = 7;
const SERVICES = 2000;
const COUNTRY_CODES = 'CN US JP TW KR RU BR DE GB FR IN VN TH ID CA NL IT ES PL UA TR AR MX AU IR RO HK SG MY PH'.split(' ');
/** Distinct source addresses the generator draws from (zipf-like, so sources recur across days and sensors). */
const SOURCE_POOL = 400_000;
const BYTES_PER_PACKET = 60;

const sensors = Number(process.env.BENCH_SENSORS ?? 100);
const trafficPerDay = Number(process.env.BENCH_TRAFFIC_ROWS ?? 600);
const sourcesPerDay = Number(process.env.BENCH_SOURCE_ROWS ?? 150);
const runs = Number(process.env.BENCH_RUNS ?? 3);
/** Also count sources per day per item (the published tables do not show them). */
const withSources = process.env.BENCH_SOURCES === '1';
const dir = fileURLToPath(new URL('../../.bench/', import.meta.url));
const self = fileURLToPath(import.meta.url);

/** An index in 0..n-1 skewed towards 0, like ports and countries in darknet traffic. */
function skewed(random: () => number, n: number): number {
  return Math.min(n - 1, Math.floor(n * random() ** 3));
}

interface Planted {
  trafficRows: number;
  sourceRows: number;
  /** Packets of FY2010Q1 and of FY2009Q4. */
  q1Packets: number;
  q4Packets: number;
  loadSeconds: number;
}

async function generate(path: string): Promise<Planted> {
  const store = await openStore(path, { timeZone: TIME_ZONE, rawRetentionDays: 0 });
  const random = prng(20100401);
  const services = Array.from({ length: SERVICES }, (_, i) => (i % 10 === 9 ? serviceKey(IpProto.UDP, 1024 + i) : serviceKey(IpProto.TCP, i === 0 ? 445 : 1 + i)));
  const countries = COUNTRY_CODES.map(packCountry);
  const planted: Planted = { trafficRows: 0, sourceRows: 0, q1Packets: 0, q4Packets: 0, loadSeconds: 0 };
  const started = performance.now();
  const ids: number[] = [];
  for (let s = 0; s < sensors; s++) {
    const sensor = await store.addSensor({ name: `s${String(s).padStart(3, '0')}`, addresses: [`10.${s >> 8}.${s & 0xff}.0/28`] });
    if (s % 10 === 0) await store.addDowntime(sensor.id, { from: '2010-05-01T00:00:00+09:00', to: '2010-05-04T12:00:00+09:00' });
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
            localDay: day, localHour: r % HOURS, ipVersion: 4, service, sportClass: ephemeralSportClass(tcp ? IpProto.TCP : IpProto.UDP),
            country: countries[skewed(random, countries.length)]!, flagClass: tcp ? FlagClass.SYN : FlagClass.NONE,
            packetClass: PacketClass.PROBE, packets, bytes: packets * BYTES_PER_PACKET,
          });
          if (day >= Q1_FIRST_DAY) planted.q1Packets += packets;
          else planted.q4Packets += packets;
        }
        for (let r = 0; r < sourcesPerDay; r++) {
          const n = skewed(random, SOURCE_POOL);
          sources.push({
            localDay: day, src: `100.${(n >> 16) & 0xff}.${(n >> 8) & 0xff}.${n & 0xff}`, country: countries[n % countries.length]!,
            asn: 0, service: services[skewed(random, SERVICES)]!, packets: 1,
          });
        }
      }
      await writer.appendTraffic(traffic);
      await writer.appendSources(sources);
      planted.trafficRows += traffic.length;
      planted.sourceRows += sources.length;
      await writer.commit({ packetsRead: 0, packetsCounted: 0, packetsExcluded: 0, packetsMalformed: 0, duplicates: 0, firstSec: 0, lastSec: 0 });
    }
  }
  planted.loadSeconds = (performance.now() - started) / 1000;
  await store.close();
  return planted;
}

interface QueryResult {
  /** The first computation in a fresh process (what one `teiten stats` pays), then the same again (a server's case). */
  coldSeconds: number;
  warmSeconds: number;
  /** User + system CPU seconds of the cold computation (DuckDB's threads included). */
  cpuSeconds: number;
  maxRssKiB: number;
  packets: Record<string, number>;
  previousPackets: Record<string, number>;
  rows: Record<string, number>;
}

/** Child process: the four tables computed twice, cold then warm. */
async function queryWorker(path: string): Promise<void> {
  const store = await openStore(path);
  const period = parsePeriod(PERIOD, { timeZone: store.settings.timeZone });
  const timed = async (): Promise<{ seconds: number; cpuSeconds: number; tables: RankingTable[] }> => {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const tables = await rankingTables(store, { period, by: DIMENSIONS, top: 10, movers: 5, sources: withSources });
    const cpu = process.cpuUsage(cpuBefore);
    return { seconds: (performance.now() - started) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, tables };
  };
  const cold = await timed();
  const warm = await timed();
  await store.close();
  const result: QueryResult = {
    coldSeconds: cold.seconds, warmSeconds: warm.seconds, cpuSeconds: cold.cpuSeconds,
    maxRssKiB: process.resourceUsage().maxRSS, packets: {}, previousPackets: {}, rows: {},
  };
  for (const t of cold.tables) {
    result.packets[t.by] = t.rows.reduce((n, r) => n + r.packets, 0);
    result.previousPackets[t.by] = t.rows.reduce((n, r) => n + r.previousPackets, 0);
    result.rows[t.by] = t.rows.length;
  }
  process.stdout.write(JSON.stringify(result));
}

async function main(): Promise<void> {
  mkdirSync(dir, { recursive: true });
  // The store's schema version in the name: a file from an older schema is regenerated, not reused.
  const name = `ranking-s${SCHEMA_VERSION}-${sensors}x${trafficPerDay}x${sourcesPerDay}`;
  const path = `${dir}${name}.duckdb`;
  const truthPath = `${dir}${name}.json`;
  if (!existsSync(path) || !existsSync(truthPath)) {
    rmSync(path, { force: true });
    const planted = await generate(path);
    writeFileSync(truthPath, JSON.stringify(planted));
    const rows = planted.trafficRows + planted.sourceRows;
    console.log(`generated ${path}: ${planted.trafficRows.toLocaleString('en')} traffic + ${planted.sourceRows.toLocaleString('en')} source rows` +
      ` through IngestWriter in ${planted.loadSeconds.toFixed(1)} s (${(rows / planted.loadSeconds / 1e3).toFixed(0)} k rows/s)`);
  }
  const planted = JSON.parse(readFileSync(truthPath, 'utf8')) as Planted;
  let best: QueryResult | undefined;
  for (let k = 0; k < runs; k++) {
    const child = spawnSync(process.execPath, [self, '--query', path], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (child.status !== 0) throw new Error(`Ranking worker failed (${child.status}): ${child.stderr}`);
    const result = JSON.parse(child.stdout) as QueryResult;
    for (const by of DIMENSIONS) {
      if (result.packets[by] !== planted.q1Packets || result.previousPackets[by] !== planted.q4Packets) {
        throw new Error(`Benchmark aborted: ${by} table holds ${result.packets[by]}/${result.previousPackets[by]} packets, the generator planted ${planted.q1Packets}/${planted.q4Packets}`);
      }
    }
    if (best === undefined || result.coldSeconds < best.coldSeconds) best = result;
  }
  const rows = planted.trafficRows + planted.sourceRows;
  console.log([
    `ranking benchmark: ${sensors} sensors × 181 days (FY2009Q4 + FY2010Q1), ${trafficPerDay} traffic + ${sourcesPerDay} source rows per sensor-day, best of ${runs}, node ${process.version}`,
    `store rows: ${rows.toLocaleString('en')} (traffic ${planted.trafficRows.toLocaleString('en')}, sources ${planted.sourceRows.toLocaleString('en')})`,
    `tables: ${DIMENSIONS.map((by) => `${by} ${best!.rows[by]} items`).join(', ')}${withSources ? ', with sources per day' : ''}`,
    `${PERIOD} ranking tables (4 dimensions, both quarters), fresh process: ${best!.coldSeconds.toFixed(2)} s wall` +
      ` (${best!.cpuSeconds.toFixed(2)} s CPU), ${(planted.trafficRows / best!.coldSeconds / 1e6).toFixed(2)} M rollup rows/s;` +
      ` again in the same process: ${best!.warmSeconds.toFixed(2)} s, ${(planted.trafficRows / best!.warmSeconds / 1e6).toFixed(2)} M rows/s`,
    `peak RSS ${(best!.maxRssKiB / 1024).toFixed(0)} MiB; load average ${loadavg()[0]!.toFixed(1)};` +
      ` target < ${TARGET_SECONDS} s: ${best!.coldSeconds < TARGET_SECONDS ? 'met' : best!.warmSeconds < TARGET_SECONDS ? 'met warm only' : 'NOT met'}`,
  ].join('\n'));
}

const queryIndex = process.argv.indexOf('--query');
if (queryIndex >= 0) await queryWorker(process.argv[queryIndex + 1]!);
else await main();
