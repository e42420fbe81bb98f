/**
 * @module
 * `node dist/bench/detect.js`: cost of the detectors per packet on a
 * darknet-shaped capture (bench/darknet-pcap.ts). Each pass decodes and
 * enriches the same file; the first pass runs no detector, the others run
 * one detector each and then all three, so the difference is the detector's
 * own cost. Best of BENCH_RUNS passes (default 3) over BENCH_PACKETS packets
 * (default 2,000,000).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createEnrichedBatch, enrichInto, type EnrichedBatch } from '../src/classify/index.js';
import { decodeCapture, type PacketBatch } from '../src/decode/index.js';
import { BackscatterDetector, ReflectionDetector, ScannerDetector } from '../src/detect/index.js';
import { writeDarknetPcap } from './darknet-pcap.js';

const packets = Number(process.env.BENCH_PACKETS ?? 2_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const dir = fileURLToPath(new URL('../../.bench/', import.meta.url));

interface Sink {
  push(enriched: EnrichedBatch): void;
  finish(): unknown;
}

const CONTENDERS: Record<string, () => Sink[]> = {
  'decode + enrich only': () => [],
  backscatter: () => [new BackscatterDetector({ monitoredAddresses: 65_536 })],
  scanners: () => [new ScannerDetector()],
  reflection: () => [new ReflectionDetector()],
  'all three': () => [
    new BackscatterDetector({ monitoredAddresses: 65_536 }),
    new ScannerDetector(),
    new ReflectionDetector(),
  ],
};

async function pass(path: string, sinks: Sink[]): Promise<{ seconds: number; count: number }> {
  const enrichedOf = new Map<PacketBatch, EnrichedBatch>();
  let count = 0;
  const started = process.hrtime.bigint();
  await decodeCapture(path, {
    onBatch: (batch) => {
      let enriched = enrichedOf.get(batch);
      if (enriched === undefined) enrichedOf.set(batch, (enriched = createEnrichedBatch(batch)));
      enrichInto(enriched, { geo: null });
      for (const sink of sinks) sink.push(enriched);
      count += batch.length;
    },
  });
  for (const sink of sinks) sink.finish();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, count };
}

async function main(): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const path = `${dir}darknet-${packets}.pcap`;
  if (!existsSync(path)) await writeDarknetPcap(path, packets);
  let baseline = 0;
  for (const [name, make] of Object.entries(CONTENDERS)) {
    let best = Infinity;
    let count = 0;
    for (let r = 0; r < runs; r++) {
      const result = await pass(path, make());
      best = Math.min(best, result.seconds);
      count = result.count;
    }
    const nsPerPacket = (best * 1e9) / count;
    if (baseline === 0) baseline = nsPerPacket;
    const extra =
      name === 'decode + enrich only' ? '' : `  (+${(nsPerPacket - baseline).toFixed(1)} ns/packet for the detector)`;
    console.log(
      `${name.padEnd(22)} ${(count / best / 1e6).toFixed(2)} Mpackets/s  ${nsPerPacket.toFixed(1)} ns/packet${extra}`,
    );
  }
}

await main();
