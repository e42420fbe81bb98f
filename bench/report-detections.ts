/**
 * @module
 * `npm run bench:report-detections`: what each part of a monthly report
 * costs at report time on a large store, the detection parts derived when
 * the report is drawn (reflection episodes and campaigns, from the raw
 * packets and scanner evidence) beside the access tables and the stored
 * detection tables (signatures, backscatter).
 *
 * The store (`.bench/report-detections-<packets>.duckdb`, made once) holds
 * one sensor's /24 with BENCH_PACKETS telescope-shaped packets
 * (`telescope-pcap.ts`: a heavy head of scanners and victims, one source
 * per 50 packets) spread evenly over 2010-06-01..29, ingested with
 * detection on and raw packets kept. Each part is timed in this process,
 * first on a freshly opened store (cold: what one `teiten report` pays) and
 * again (warm, best of BENCH_RUNS), with the figures checked before any time
 * is printed: the month's packets equal the planted count, the campaigns
 * consider no more sources than the month's scanners, and the capture,
 * which holds no answers of amplification services, has no reflection
 * episode (the reflection query still reads the month's raw packets).
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  backscatterStatistics,
  campaignStatistics,
  parsePeriod,
  periodSummary,
  previousPeriod,
  reflectionStatistics,
  scannerStatistics,
  signatureStatistics,
  type Period,
} from '../src/analyse/index.js';
import { ingestCapture } from '../src/ingest/index.js';
import { composeReport } from '../src/report/index.js';
import { openStore, type AnalyticsStore } from '../src/store/index.js';
import { writeTelescopePcap } from './telescope-pcap.js';

const packets = Number(process.env.BENCH_PACKETS ?? 1_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 2);
const dir = fileURLToPath(new URL('../../.bench/', import.meta.url));
const SENSOR = { name: 'bench', label: '', addresses: ['192.0.2.0/24'] };
const MONTH = '2010-06';
/** Capture days the packets are spread over (June 1–29: the month, within raw retention of its last day). */
const DAYS = 29;
const NS_PER_DAY = 86_400e9;

async function buildStore(path: string): Promise<void> {
  const pcap = `${path}.pcap`;
  const spacingNs = Math.floor((DAYS * NS_PER_DAY) / packets);
  console.log(`writing ${packets.toLocaleString('en-US')} packets over ${DAYS} days (one per ${spacingNs / 1e9} s)…`);
  await writeTelescopePcap(pcap, packets, { spacingNs });
  const store = await openStore(`${path}.part`, { timeZone: 'UTC' });
  try {
    await store.addSensor(SENSOR);
    const started = performance.now();
    const result = await ingestCapture(store, SENSOR.name, pcap, { geo: null });
    console.log(
      `ingested with detection in ${((performance.now() - started) / 1000).toFixed(1)} s (${result.record.packetsCounted.toLocaleString('en-US')} packets counted)`,
    );
  } finally {
    await store.close();
  }
  rmSync(pcap);
  // The store closes without a checkpoint: its write-ahead log holds the data and moves with it.
  if (existsSync(`${path}.part.wal`)) renameSync(`${path}.part.wal`, `${path}.wal`);
  renameSync(`${path}.part`, path);
}

type Part = (store: AnalyticsStore, period: Period) => Promise<unknown>;

const PARTS: Record<string, Part> = {
  'access tables (monthly report without §2 detections)': (store, period) =>
    composeReport(store, period, { lang: 'en', kind: 'monthly' }),
  'signatures (two periods)': (store, period) =>
    Promise.all([
      signatureStatistics(store, { period, topSignatures: 20 }),
      signatureStatistics(store, { period: previousPeriod(period), topSignatures: 0 }),
    ]),
  backscatter: (store, period) => backscatterStatistics(store, { period, topAttacks: 0, topVictims: 20 }),
  'reflection episodes': (store, period) => reflectionStatistics(store, { period }),
  campaigns: (store, period) => campaignStatistics(store, { period }),
};

async function timed(part: Part, store: AnalyticsStore, period: Period): Promise<{ seconds: number; cpu: number }> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await part(store, period);
  const cpu = process.cpuUsage(cpuBefore);
  return { seconds: (performance.now() - started) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
}

async function check(store: AnalyticsStore, period: Period): Promise<string> {
  const summary = await periodSummary(store, { period });
  if (summary.current.packets !== packets)
    throw new Error(`the month holds ${summary.current.packets} packets, planted ${packets}`);
  const [scanners, campaigns, reflection] = await Promise.all([
    scannerStatistics(store, { period }),
    campaignStatistics(store, { period }),
    reflectionStatistics(store, { period }),
  ]);
  if (campaigns.sources === 0 || campaigns.sources > scanners.sources)
    throw new Error(`campaigns considered ${campaigns.sources} sources of ${scanners.sources} scanners`);
  if (reflection.episodes.length !== 0) throw new Error(`${reflection.episodes.length} reflection episodes, planted 0`);
  return `${campaigns.sources.toLocaleString('en-US')} scanners, ${campaigns.rawPackets.toLocaleString('en-US')} raw probes read, ${campaigns.campaigns.length} campaigns, ${campaigns.linkedSources} sources linked`;
}

async function main(): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const path = `${dir}report-detections-${packets}.duckdb`;
  if (!existsSync(path)) await buildStore(path);
  const store = await openStore(path);
  try {
    const period = parsePeriod(MONTH, { timeZone: store.settings.timeZone });
    const cold: Record<string, { seconds: number; cpu: number }> = {};
    for (const [name, part] of Object.entries(PARTS)) cold[name] = await timed(part, store, period);
    const facts = await check(store, period);
    const warm: Record<string, number> = {};
    for (const [name, part] of Object.entries(PARTS)) {
      let best = Number.POSITIVE_INFINITY;
      for (let r = 0; r < runs; r++) best = Math.min(best, (await timed(part, store, period)).seconds);
      warm[name] = best;
    }
    const access = cold[Object.keys(PARTS)[0]!]!.seconds;
    console.log(
      `\nreport parts, ${MONTH}, ${packets.toLocaleString('en-US')} packets in one /24 (${facts}); load ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    console.log('| part | cold s | cold CPU s | warm s (best) | cold ÷ access tables |');
    console.log('|---|---|---|---|---|');
    for (const name of Object.keys(PARTS)) {
      const c = cold[name]!;
      console.log(
        `| ${name} | ${c.seconds.toFixed(2)} | ${c.cpu.toFixed(2)} | ${warm[name]!.toFixed(2)} | ${((c.seconds / access) * 100).toFixed(0)} % |`,
      );
    }
  } finally {
    await store.close();
  }
}

await main();
