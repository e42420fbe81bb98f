/**
 * @module
 * The teiten side of the ingest benchmark, run as its own process so its peak
 * RSS is measured alone. Two modes, timed the same way (wall and CPU seconds
 * of the work itself, start-up and opening the GeoIP databases excluded):
 *
 *     ingest-worker decode FILE
 *         decode only, tallying packets per protocol (the decode benchmark's work);
 *     ingest-worker ingest FILE DB [RAW_RETENTION_DAYS] [nogeo] [nodetect] [nothread]
 *         ingest into a new DuckDB file for a sensor on 192.0.2.0/24 (the
 *         generators' darknet) with the bundled GeoIP country and ASN databases
 *         (`nogeo`: without, to show what lookups cost) and the default
 *         detection (`nodetect`: off, the rollups alone), decoding on a worker
 *         thread (`nothread`: on the ingest's thread), then read the stored
 *         totals back per protocol. FILE `-` reads the capture from stdin
 *         (the stream stage of `ingest.ts`).
 *
 * Prints the counts and timings as JSON for the orchestrator to check.
 */
import { rmSync } from 'node:fs';
import { openGeoResolver } from '../src/classify/geo-sources.js';
import { decodeCapture, IpProto } from '../src/decode/index.js';
import { DEFAULT_MEMORY_BUDGET, ingestCapture, storeMemoryShare } from '../src/ingest/index.js';
import { openStore } from '../src/store/index.js';

const PROTO_SHIFT = 17;
const US_PER_SECOND = 1e6;

/** Wall and CPU seconds of `work` (CPU of every thread, DuckDB's included). */
async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number; cpuSeconds: number }> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const result = await work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  return { result, seconds, cpuSeconds: (used.user + used.system) / US_PER_SECOND };
}

async function decodeOnly(file: string): Promise<Record<string, number>> {
  const perProto = new Float64Array(256);
  const { result, seconds, cpuSeconds } = await timed(() =>
    decodeCapture(file, {
      onBatch: (batch) => {
        const { proto, ipVersion } = batch;
        for (let i = 0; i < batch.length; i++) if (ipVersion[i] !== 0) perProto[proto[i]!]!++;
      },
    }),
  );
  return {
    packets: result.decode.packets,
    seconds,
    cpuSeconds,
    tcp: perProto[IpProto.TCP]!,
    udp: perProto[IpProto.UDP]!,
    icmp: perProto[IpProto.ICMP]!,
  };
}

async function ingest(
  file: string,
  db: string,
  options: { rawRetentionDays: number; geo: boolean; detect: boolean; thread: boolean },
): Promise<Record<string, number>> {
  rmSync(db, { force: true });
  rmSync(`${db}.wal`, { force: true });
  const geo = options.geo ? await openGeoResolver() : null;
  const store = await openStore(db, {
    rawRetentionDays: options.rawRetentionDays,
    memoryLimitBytes: storeMemoryShare(DEFAULT_MEMORY_BUDGET),
  });
  await store.addSensor({ name: 'darknet', addresses: ['192.0.2.0/24'] });
  const { result, seconds, cpuSeconds } = await timed(() =>
    ingestCapture(store, 'darknet', file, {
      geo,
      decodeThread: options.thread,
      ...(options.detect ? {} : { detection: null }),
    }),
  );
  const perService = await store.query<{ service: number; packets: number }>({
    sql: 'SELECT service, SUM(packets) AS packets FROM traffic_hour GROUP BY service',
    params: [],
  });
  const sum = (proto: number): number =>
    perService.filter((r) => r.service >>> PROTO_SHIFT === proto).reduce((s, r) => s + r.packets, 0);
  // Rows as stored (one per source-day and flush), and the packets their lists hold.
  const [sources] = await store.query<{ n: number; p: number }>({
    sql: 'SELECT (SELECT COUNT(*) FROM source_list_day_rows) AS n, SUM(packets) AS p FROM source_day',
    params: [],
  });
  await store.close();
  return {
    packets: result.record.packetsRead,
    counted: result.record.packetsCounted,
    seconds,
    cpuSeconds,
    tcp: sum(IpProto.TCP),
    udp: sum(IpProto.UDP),
    icmp: sum(IpProto.ICMP),
    trafficRows: result.trafficRows,
    sourceRows: sources!.n,
    sourcePackets: sources!.p,
    rawPackets: result.record.rawPackets,
    dayFlushes: result.dayFlushes,
    budgetFlushes: result.budgetFlushes,
    peakTableBytes: result.peakTableBytes,
  };
}

const [mode, file, db, raw, ...flags] = process.argv.slice(2);
let out: Record<string, number>;
if (mode === 'decode' && file !== undefined) out = await decodeOnly(file);
else if (mode === 'ingest' && file !== undefined && db !== undefined) {
  out = await ingest(file, db, {
    rawRetentionDays: Number(raw ?? 0),
    geo: !flags.includes('nogeo'),
    detect: !flags.includes('nodetect'),
    thread: !flags.includes('nothread'),
  });
} else {
  throw new Error(
    'usage: ingest-worker decode FILE | ingest FILE DB [RAW_RETENTION_DAYS] [nogeo] [nodetect] [nothread]',
  );
}
// Linux reports KiB: this process's own peak.
process.stdout.write(`${JSON.stringify({ ...out, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
