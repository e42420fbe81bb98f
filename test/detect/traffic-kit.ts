/**
 * @module
 * Test kit for the detectors: generated traffic with known truth goes
 * through the real pipeline (craft → PcapWriter → decodeCapture →
 * enrichInto) and into the detectors, so a test measures what a user of the
 * CLI would get. A seeded PRNG makes every run the same.
 */
import { Readable } from 'node:stream';
import { LinkType, PcapWriter } from '../../src/capture/index.js';
import { createEnrichedBatch, enrichInto, type EnrichedBatch } from '../../src/classify/index.js';
import { decodeCapture } from '../../src/decode/index.js';
import { buildPacket, type IpPacketSpec, type L4Spec } from '../../src/simulate/craft/index.js';
export { uniform as prng } from '../../src/util/random.js';

export const randInt = (rand: () => number, lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));

export interface Ipv4Packet {
  /** Seconds since the epoch (fraction = sub-second). */
  ts: number;
  src: number;
  dst: number;
  id?: number;
  ttl?: number;
  l4: L4Spec;
  payload?: Uint8Array;
}

/** Collects packets in any order and writes them as one time-ordered Ethernet pcap. */
export class TrafficBuilder {
  private readonly packets: Array<{ ts: number; bytes: Uint8Array }> = [];

  add(p: Ipv4Packet): void {
    const bytes = buildPacket({
      link: { kind: 'ethernet' },
      ip: { version: 4, src: p.src, dst: p.dst, id: p.id ?? 0, ttl: p.ttl ?? 64 },
      l4: p.l4,
      ...(p.payload === undefined ? {} : { payload: p.payload }),
    });
    this.packets.push({ ts: p.ts, bytes });
  }

  /** An ICMP error from `router` to `sensor` quoting `quote`. */
  icmpError(
    ts: number,
    init: { router: number; sensor: number; type: number; code: number; quote: IpPacketSpec },
  ): void {
    const bytes = buildPacket({
      link: { kind: 'ethernet' },
      ip: { version: 4, src: init.router, dst: init.sensor },
      l4: { kind: 'icmp', type: init.type, code: init.code, quote: init.quote },
    });
    this.packets.push({ ts, bytes });
  }

  /** A frame built elsewhere (IPv6, odd layouts). */
  addFrame(ts: number, bytes: Uint8Array): void {
    this.packets.push({ ts, bytes });
  }

  get size(): number {
    return this.packets.length;
  }

  toPcap(): Buffer {
    const writer = new PcapWriter({ linkType: LinkType.EN10MB, nanosecond: true });
    this.packets.sort((a, b) => a.ts - b.ts);
    for (const { ts, bytes } of this.packets) {
      const sec = Math.floor(ts);
      writer.writePacket({ tsSec: sec, tsNsec: Math.min(999_999_999, Math.round((ts - sec) * 1e9)), bytes });
    }
    return writer.toBuffer();
  }
}

/** Decodes and enriches a capture (path or bytes), handing each enriched batch to `sinks`. */
export async function runPipeline(
  input: string | Uint8Array,
  sinks: ReadonlyArray<{ push(enriched: EnrichedBatch): void }>,
): Promise<void> {
  let enriched: EnrichedBatch | null = null;
  const source = typeof input === 'string' ? input : Readable.from([Buffer.from(input)]);
  await decodeCapture(source, {
    onBatch: (batch) => {
      if (enriched === null || enriched.batch !== batch) enriched = createEnrichedBatch(batch);
      enrichInto(enriched, { geo: null });
      for (const sink of sinks) sink.push(enriched);
    },
  });
}

/** Precision and recall of `found` against `truth` (sets of keys). */
export function score(
  found: ReadonlySet<string>,
  truth: ReadonlySet<string>,
): { precision: number; recall: number; tp: number } {
  let tp = 0;
  for (const key of found) if (truth.has(key)) tp++;
  return {
    tp,
    precision: found.size === 0 ? (truth.size === 0 ? 1 : 0) : tp / found.size,
    recall: truth.size === 0 ? 1 : tp / truth.size,
  };
}
