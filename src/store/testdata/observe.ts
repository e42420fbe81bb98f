/**
 * @module
 * Test helpers for the store: real packets (crafted with the simulator's
 * craft library, or read from a capture) decoded and enriched by the real
 * stages, and a plain Map-based rollup of them into `traffic_hour` and
 * `source_day` rows, so store tests feed the writer what the pipeline would.
 */

import { readCapture } from '../../capture/read-capture.js';
import { LinkType, newRawRecord } from '../../capture/record.js';
import { enrichBatch, type EnrichContext, type EnrichedBatch } from '../../classify/enrich.js';
import type { PacketBatch } from '../../decode/batch.js';
import { BatchBuilder } from '../../decode/batch-builder.js';
import { buildPacket, type PacketSpec } from '../../simulate/craft/index.js';
import type { TzClock } from '../../util/tz.js';
import type { AddressMatcher } from '../address-matcher.js';
import { sportClassOf } from '../sport-class.js';
import type { IngestSummary, SourceRow, TrafficRow } from '../store.js';
import { formatIpv4, formatIpv6 } from '../../util/ip-address.js';

const HOURS_PER_DAY = 24;

export interface Frame {
  tsSec: number;
  spec: PacketSpec;
}

function decodeAll(feed: (builder: BatchBuilder) => Promise<void> | void, capacity: number): Promise<PacketBatch[]> {
  const batches: PacketBatch[] = [];
  const builder = new BatchBuilder({ onBatch: (b) => batches.push(b), capacity });
  return Promise.resolve(feed(builder)).then(() => {
    builder.flush();
    return batches;
  });
}

/** Raw-IP frames built from specs, decoded and enriched into one batch. */
export async function craftEnriched(frames: readonly Frame[], ctx: EnrichContext): Promise<EnrichedBatch> {
  const [batch] = await decodeAll((builder) => {
    const record = newRawRecord();
    record.linkType = LinkType.RAW;
    for (const frame of frames) {
      const bytes = buildPacket(frame.spec);
      record.tsSec = frame.tsSec;
      record.capLen = record.wireLen = bytes.length;
      record.data = bytes;
      builder.push(record);
    }
  }, Math.max(1, frames.length));
  return enrichBatch(batch!, ctx);
}

/** Every packet of a capture file, decoded and enriched, in batches of `capacity`. */
export async function captureEnriched(path: string, ctx: EnrichContext, capacity = 4096): Promise<EnrichedBatch[]> {
  const batches = await decodeAll(async (builder) => {
    await readCapture(path, { onRecord: (record) => builder.push(record) });
  }, capacity);
  return batches.map((b) => enrichBatch(b, ctx));
}

export interface Observation {
  traffic: TrafficRow[];
  sources: SourceRow[];
  summary: IngestSummary;
  /** Sensor id per packet, one array per batch (for `appendPackets`). */
  sensorOf: Int32Array[];
}

/** Rolls batches up the way the pipeline does: counted = addressed to `sensorId`. */
export function observe(batches: readonly EnrichedBatch[], opts: { sensorId: number; matcher: AddressMatcher; clock: TzClock }): Observation {
  const traffic = new Map<string, TrafficRow>();
  const sources = new Map<string, SourceRow>();
  const summary: IngestSummary = {
    packetsRead: 0, packetsCounted: 0, packetsExcluded: 0, packetsMalformed: 0, duplicates: 0, firstSec: 0, lastSec: 0,
  };
  const sensorOf: Int32Array[] = [];
  for (const e of batches) {
    const b = e.batch;
    const owner = new Int32Array(b.length);
    opts.matcher.fill(b, owner);
    sensorOf.push(owner);
    for (let i = 0; i < b.length; i++) {
      summary.packetsRead++;
      if (owner[i] !== opts.sensorId) {
        summary.packetsExcluded++;
        continue;
      }
      summary.packetsCounted++;
      const ts = b.tsSec[i]!;
      if (summary.firstSec === 0) summary.firstSec = ts;
      summary.lastSec = ts;
      const localDay = opts.clock.localDay(ts);
      const localHour = opts.clock.localHour(ts) - localDay * HOURS_PER_DAY;
      const t: TrafficRow = {
        localDay, localHour, ipVersion: b.ipVersion[i]!, service: e.service[i]!,
        sportClass: sportClassOf(e.srcService[i]!, e.packetClass[i]!), country: e.country[i]!,
        flagClass: e.flagClass[i]!, packetClass: e.packetClass[i]!, packets: 0, bytes: 0,
      };
      const tKey = Object.values(t).join(',');
      const tRow = traffic.get(tKey) ?? t;
      tRow.packets += 1;
      tRow.bytes += b.wireLen[i]!;
      traffic.set(tKey, tRow);
      const src = b.ipVersion[i] === 6 ? formatIpv6(b.src6, i * 16) : formatIpv4(b.src4[i]!);
      const sKey = `${localDay},${src},${e.service[i]}`;
      const sRow = sources.get(sKey) ?? { localDay, src, country: e.country[i]!, asn: e.asn[i]!, service: e.service[i]!, packets: 0 };
      sRow.packets += 1;
      sources.set(sKey, sRow);
    }
  }
  return { traffic: [...traffic.values()], sources: [...sources.values()], summary, sensorOf };
}

