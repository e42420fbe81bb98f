/**
 * @module
 * `CapturePass`: what the ingest does with each decoded, enriched batch, in
 * one pass over typed columns: match destinations to the sensor, drop packets
 * outside its observed time, mark duplicates, roll the rest up by hour and
 * by source-day, and hand them to the writer as raw packets when raw
 * retention is on. Nothing here allocates per packet.
 *
 * Rollup rows leave memory in blocks while the capture is read: all of them
 * when a new local day begins (the days before it are closed, but for
 * packets out of order) and whenever the tables hold `memoryBudget` bytes.
 * The writer keeps them invisible until the ingest commits. A later row for
 * the same key adds to a packet sum or repeats a member of a distinct
 * count, which the analyses read with SUM and COUNT(DISTINCT): no figure
 * depends on when the rows left.
 *
 * Every packet read ends up in exactly one of: counted, excluded (another
 * address, non-IP, undecodable, or stamped while the sensor was not
 * observing) or duplicate. Malformed packets are counted separately as well,
 * under whichever of those they fell into.
 */

import type { EnrichedBatch } from '../classify/index.js';
import { DecodeStatus, type PacketBatch } from '../decode/index.js';
import type { SignatureAlerts } from '../detect/index.js';
import { AddressMatcher, type IngestSummary, type IngestWriter, type Sensor } from '../store/index.js';
import type { TzClock } from '../util/tz.js';
import type { DetectionPass } from './detection-pass.js';
import type { DuplicateFilter } from './duplicate-filter.js';
import type { ObservedTime } from './observed-time.js';
import { OtherDestinations } from './other-destinations.js';
import { SourceRollup } from './source-rollup.js';
import { TrafficRollup } from './traffic-rollup.js';

/** `sensorOf` value of a packet to the sensor stamped while it was not observing. */
export const NOT_OBSERVING = -3;
/** Bytes the rollup and detection tables may hold when no share was given (`memory-budget.ts` gives the ingest's). */
const DEFAULT_TABLE_BUDGET = 256 * 2 ** 20;
/** Rollup rows handed to the writer per call. */
const ROW_BLOCK = 8192;
const HOURS_PER_DAY = 24;

export interface CapturePassContext {
  sensor: Sensor;
  writer: IngestWriter;
  /** Clock in the store's zone. */
  clock: TzClock;
  observed: ObservedTime;
  duplicates: DuplicateFilter;
  /** Detection over the same counted packets (`detection-pass.ts`); none when off. */
  detection?: DetectionPass | undefined;
  /** Bytes the rollup and detection tables may hold before they are flushed (`tableMemoryShare`; default 256 MiB). */
  memoryBudget?: number | undefined;
}

export class CapturePass {
  packetsRead = 0;
  packetsCounted = 0;
  /** To another address, non-IP or without a decoded IP header. */
  excludedOther = 0;
  /** Where those were going. */
  readonly otherDestinations = new OtherDestinations();
  /** To the sensor, but stamped outside its operating time or inside a downtime. */
  excludedNotObserving = 0;
  packetsMalformed = 0;
  /** Earliest and latest whole second of a counted packet. */
  firstSec = Infinity;
  lastSec = -Infinity;
  readonly traffic = new TrafficRollup();
  readonly sources = new SourceRollup();
  /** Rollup rows handed to the writer so far. */
  trafficRows = 0;
  sourceRows = 0;
  /** Times the tables were flushed before the end of the capture: for a new day, or at the budget. */
  dayFlushes = 0;
  budgetFlushes = 0;
  /** Most bytes the tables held, checked after each batch. */
  peakBytes = 0;
  private readonly ctx: CapturePassContext;
  private readonly memoryBudget: number;
  /** Latest local day of a counted packet; -Infinity before the first. */
  private openDay = -Infinity;
  private readonly sensorId: number;
  private readonly matcher: AddressMatcher;
  private sensorOf = new Int32Array(0);
  private hours = new Float64Array(0);

  constructor(ctx: CapturePassContext) {
    this.ctx = ctx;
    this.sensorId = ctx.sensor.id;
    this.matcher = AddressMatcher.fromSensors([ctx.sensor]);
    this.memoryBudget = ctx.memoryBudget ?? DEFAULT_TABLE_BUDGET;
    if (!(this.memoryBudget > 0))
      throw new RangeError(`Cannot ingest with a memory budget of ${this.memoryBudget} bytes`);
  }

  /** Bytes the rollup and detection tables hold now. */
  get heldBytes(): number {
    return this.traffic.bytes + this.sources.bytes + (this.ctx.detection?.bytes ?? 0);
  }

  /** Hands every rollup row held so far to the writer and forgets it; the end of the capture calls it once more. */
  async flush(): Promise<void> {
    const writer = this.ctx.writer;
    const trafficRows = this.traffic.size;
    for (const block of this.traffic.blocks(ROW_BLOCK)) await writer.appendTrafficColumns(block);
    this.traffic.clear();
    let sourceRows = 0;
    const ipv6Keys = await writer.sourceKeys(this.sources.ipv6Texts());
    for (const block of this.sources.blocks(ROW_BLOCK, ipv6Keys)) {
      sourceRows += block.rowCount;
      await writer.appendSourceColumns(block);
    }
    this.sources.clear();
    await this.ctx.detection?.flushRows(writer);
    this.trafficRows += trafficRows;
    this.sourceRows += sourceRows;
  }

  /**
   * Processes one enriched batch (with its signature matches, when a decode
   * thread made them); resolves once the writer has taken its raw packets.
   */
  async onBatch(enriched: EnrichedBatch, matches?: SignatureAlerts): Promise<void> {
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
    let lastHour = -Infinity;
    for (let i = 0; i < n; i++) {
      if (sensorOf[i] !== sensorId) continue;
      const sec = tsSec[i]!;
      const hour = clock.localHour(sec);
      hours[i] = hour;
      if (hour > lastHour) lastHour = hour;
      if (sec < this.firstSec) this.firstSec = sec;
      if (sec > this.lastSec) this.lastSec = sec;
      counted++;
    }
    this.packetsCounted += counted;
    if (counted === 0) return;
    const day = Math.floor(lastHour / HOURS_PER_DAY);
    if (day > this.openDay) {
      // The days before are closed (but for stragglers): their rows need not wait for the end.
      if (this.openDay !== -Infinity) {
        await this.flush();
        this.dayFlushes++;
      }
      this.openDay = day;
    }
    const input = { sensorOf, sensorId, hours };
    this.traffic.add(enriched, input);
    this.sources.add(enriched, input);
    this.ctx.detection?.add(enriched, input, matches);
    if (this.ctx.writer.keepsRawPackets) await this.ctx.writer.appendPackets(enriched, sensorOf);
    const held = this.heldBytes;
    if (held > this.peakBytes) this.peakBytes = held;
    if (held >= this.memoryBudget) {
      await this.flush();
      this.budgetFlushes++;
    }
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
    const { status, tsSec, ipVersion, dst4 } = batch;
    const observed = this.ctx.observed;
    const always = observed.always;
    const sensorId = this.sensorId;
    for (let i = 0; i < batch.length; i++) {
      const s = status[i];
      if (s !== DecodeStatus.OK && s !== DecodeStatus.NON_IP) this.packetsMalformed++;
      if (sensorOf[i] !== sensorId) {
        this.excludedOther++;
        if (ipVersion[i] === 4) this.otherDestinations.add(dst4[i]!);
        else this.otherDestinations.nonIpv4++;
      } else if (!always && !observed.has(tsSec[i]!)) {
        sensorOf[i] = NOT_OBSERVING;
        this.excludedNotObserving++;
      }
    }
  }
}
