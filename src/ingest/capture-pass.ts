/**
 * @module
 * `CapturePass`: what the ingest does with each decoded, enriched batch, in
 * one pass over typed columns: match destinations to the sensor, drop packets
 * outside its observed time, mark duplicates, roll the rest up by hour and
 * by source-day, and hand them to the writer as raw packets when raw
 * retention is on. Nothing here allocates per packet.
 *
 * Every packet read ends up in exactly one of: counted, excluded (another
 * address, non-IP, undecodable, or stamped while the sensor was not
 * observing) or duplicate. Malformed packets are counted separately as well,
 * under whichever of those they fell into.
 */

import type { EnrichedBatch } from '../classify/enrich.js';
import { DecodeStatus, type PacketBatch } from '../decode/batch.js';
import { AddressMatcher, type IngestSummary, type IngestWriter, type Sensor } from '../store/index.js';
import type { TzClock } from '../util/tz.js';
import type { DetectionPass } from './detection-pass.js';
import type { DuplicateFilter } from './duplicate-filter.js';
import type { ObservedTime } from './observed-time.js';
import { SourceRollup } from './source-rollup.js';
import { TrafficRollup } from './traffic-rollup.js';

/** `sensorOf` value of a packet to the sensor stamped while it was not observing. */
export const NOT_OBSERVING = -3;

export interface CapturePassContext {
  sensor: Sensor;
  writer: IngestWriter;
  /** Clock in the store's zone. */
  clock: TzClock;
  observed: ObservedTime;
  duplicates: DuplicateFilter;
  /** Detection over the same counted packets (`detection-pass.ts`); none when off. */
  detection?: DetectionPass | undefined;
}

export class CapturePass {
  packetsRead = 0;
  packetsCounted = 0;
  /** To another address, non-IP or without a decoded IP header. */
  excludedOther = 0;
  /** To the sensor, but stamped outside its operating time or inside a downtime. */
  excludedNotObserving = 0;
  packetsMalformed = 0;
  /** Earliest and latest whole second of a counted packet. */
  firstSec = Infinity;
  lastSec = -Infinity;
  readonly traffic = new TrafficRollup();
  readonly sources = new SourceRollup();
  private readonly ctx: CapturePassContext;
  private readonly sensorId: number;
  private readonly matcher: AddressMatcher;
  private sensorOf = new Int32Array(0);
  private hours = new Float64Array(0);

  constructor(ctx: CapturePassContext) {
    this.ctx = ctx;
    this.sensorId = ctx.sensor.id;
    this.matcher = AddressMatcher.fromSensors([ctx.sensor]);
  }

  /** Processes one enriched batch; resolves once the writer has taken its raw packets. */
  async onBatch(enriched: EnrichedBatch): Promise<void> {
    const { batch } = enriched;
    const n = batch.length;
    if (n === 0) return;
    if (this.sensorOf.length < batch.capacity) {
      this.sensorOf = new Int32Array(batch.capacity);
      this.hours = new Float64Array(batch.capacity);
    }
    const { sensorOf, hours, sensorId } = this;
    this.matcher.fill(batch, sensorOf);
    this.packetsRead += n;
    this.classify(batch, sensorOf);
    await this.ctx.duplicates.mark(batch, sensorOf, sensorId);

    const { tsSec } = batch;
    const clock = this.ctx.clock;
    let counted = 0;
    for (let i = 0; i < n; i++) {
      if (sensorOf[i] !== sensorId) continue;
      const sec = tsSec[i]!;
      hours[i] = clock.localHour(sec);
      if (sec < this.firstSec) this.firstSec = sec;
      if (sec > this.lastSec) this.lastSec = sec;
      counted++;
    }
    this.packetsCounted += counted;
    if (counted === 0) return;
    const input = { sensorOf, sensorId, hours };
    this.traffic.add(enriched, input);
    this.sources.add(enriched, input);
    this.ctx.detection?.add(enriched, input);
    if (this.ctx.writer.keepsRawPackets) await this.ctx.writer.appendPackets(enriched, sensorOf);
  }

  /** The counts to commit with the ingest. */
  summary(duplicates: number): IngestSummary {
    const none = this.packetsCounted === 0;
    return {
      packetsRead: this.packetsRead,
      packetsCounted: this.packetsCounted,
      packetsExcluded: this.excludedOther + this.excludedNotObserving,
      packetsMalformed: this.packetsMalformed,
      duplicates,
      firstSec: none ? 0 : this.firstSec,
      lastSec: none ? 0 : this.lastSec,
    };
  }

  /** Counts malformed and excluded packets; marks the sensor's packets outside its observed time. */
  private classify(batch: PacketBatch, sensorOf: Int32Array): void {
    const { status, tsSec } = batch;
    const observed = this.ctx.observed;
    const always = observed.always;
    const sensorId = this.sensorId;
    for (let i = 0; i < batch.length; i++) {
      const s = status[i];
      if (s !== DecodeStatus.OK && s !== DecodeStatus.NON_IP) this.packetsMalformed++;
      if (sensorOf[i] !== sensorId) {
        this.excludedOther++;
      } else if (!always && !observed.has(tsSec[i]!)) {
        sensorOf[i] = NOT_OBSERVING;
        this.excludedNotObserving++;
      }
    }
  }
}
