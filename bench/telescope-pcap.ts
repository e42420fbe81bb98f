/**
 * @module
 * A telescope-shaped benchmark capture for the ingest benchmark. It has the
 * packet mix of `darknet-pcap.ts` (SYN probes, SYN/ACK and RST/ACK
 * backscatter, UDP probes, ICMP echo) but a realistic source population: a
 * fixed pool of sources (default one per 50 packets) drawn with a heavy head
 * (a few scanners and attack victims send most packets, a long tail sends a
 * few each), as darknets observe. `darknet-pcap.ts` alone gives every packet
 * a new uniformly random source, the worst case for per-source tables and
 * GeoIP caches; the ingest benchmark runs both.
 */
import { uniform } from '../src/util/random.js';
import { writeDarknetPcap, type PlantedCounts } from './darknet-pcap.js';

/** Source choice `pool * u^SKEW`: the first 1 % of the pool sends about a fifth of the packets. */
const SKEW = 3;
const DEFAULT_PACKETS_PER_SOURCE = 50;

/** Writes the capture to `path` (through a `.part` file) and returns the planted per-protocol counts. */
export async function writeTelescopePcap(
  path: string,
  packets: number,
  options: { seed?: number; sources?: number; sensorNet?: number; spacingNs?: number } = {},
): Promise<PlantedCounts> {
  const seed = options.seed ?? 2;
  const draw = uniform(seed + 1);
  const pool = Float64Array.from(
    { length: options.sources ?? Math.max(1, Math.floor(packets / DEFAULT_PACKETS_PER_SOURCE)) },
    () => (draw() * 0xdfffffff + 0x01000000) >>> 0,
  );
  return writeDarknetPcap(path, packets, {
    seed,
    source: (random) => pool[Math.floor(pool.length * random() ** SKEW)]!,
    ...(options.sensorNet === undefined ? {} : { sensorNet: options.sensorNet }),
    ...(options.spacingNs === undefined ? {} : { spacingNs: options.spacingNs }),
  });
}
