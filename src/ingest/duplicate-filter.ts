/**
 * @module
 * `DuplicateFilter`: the overlap rule. A packet addressed to the sensor is a
 * duplicate, reported and not counted, when a packet with the same identity
 * (`packet-identity.ts`: timestamp to the µs, addresses, ports, protocol,
 * ICMP type/code, IP ID, TCP sequence, IP length) was seen
 *
 * - earlier in the same capture, among the last `recentPackets` packets to
 *   the sensor (`recent-packets.ts`; copies of one frame carry one timestamp,
 *   so a time-sorted capture, even one merged from two interfaces, has them
 *   side by side), or
 * - in the store: a raw packet of the same sensor. Only packets inside the
 *   time span of an earlier ingest of the sensor are looked up, against
 *   every stored raw packet of a window of time around them
 *   (`stored-packets.ts`: a few queries for the whole overlapped range).
 *
 * When such an earlier ingest no longer has its raw packets (retention off
 * when it was ingested, or pruned since), duplicates cannot be told apart
 * and the ingest is refused with `OverlapUncheckedError`, unless the caller
 * allows the overlap: then those packets are counted and reported as
 * unchecked.
 *
 * Duplicates are marked in place: `sensorOf[i] = DUPLICATE`, so the rollups
 * and `appendPackets` (which keep `sensorOf[i] === sensorId`) skip them.
 */

import type { PacketBatch } from '../decode/index.js';
import { OverlapUncheckedError } from './errors.js';
import { PACKET_KEY_WORDS, packetKeyOf } from './packet-identity.js';
import { type CoveringIngest, type LoadedWindow, type StoredPackets } from './stored-packets.js';
import { RecentPackets } from './recent-packets.js';

/** `sensorOf` value of a packet found to be a duplicate. */
export const DUPLICATE = -2;
/** Default window for copies inside one capture. */
export const DEFAULT_RECENT_PACKETS = 65_536;
/** Loaded windows of stored packets kept across batches (out-of-order packets may reach back). */
const MAX_LOADED_WINDOWS = 4;
const NS_PER_US = 1000;

export interface DuplicateFilterOptions {
  stored: StoredPackets;
  /** Name for errors. */
  fileName: string;
  /** Count packets inside earlier ingests without raw packets instead of refusing the capture. */
  allowOverlap: boolean;
  /** Packets to the sensor remembered for copies inside the capture (default 65,536). */
  recentPackets?: number;
}

export class DuplicateFilter {
  /** Copies of a packet earlier in this capture. */
  inCapture = 0;
  /** Copies of a packet already in the store. */
  ofStored = 0;
  /** Packets counted inside an earlier ingest whose raw packets are gone (only with `allowOverlap`). */
  unchecked = 0;
  private readonly stored: StoredPackets;
  private readonly fileName: string;
  private readonly allowOverlap: boolean;
  private readonly recent: RecentPackets;
  /** Loaded windows, newest last. */
  private readonly windows: LoadedWindow[] = [];
  private readonly key = new Uint32Array(PACKET_KEY_WORDS);

  constructor(options: DuplicateFilterOptions) {
    const recent = options.recentPackets ?? DEFAULT_RECENT_PACKETS;
    this.stored = options.stored;
    this.fileName = options.fileName;
    this.allowOverlap = options.allowOverlap;
    this.recent = new RecentPackets(recent);
  }

  /** Total duplicates marked so far. */
  get duplicates(): number {
    return this.inCapture + this.ofStored;
  }

  /**
   * Marks the duplicates among packets `i < batch.length` with
   * `sensorOf[i] === sensorId`; returns how many it marked in this batch.
   */
  async mark(batch: PacketBatch, sensorOf: Int32Array, sensorId: number): Promise<number> {
    if (!this.stored.empty) await this.prepare(batch, sensorOf, sensorId);
    const before = this.duplicates;
    const { tsSec } = batch;
    const { recent, stored } = this;
    const ring = recent.ring;
    const checkStored = !stored.empty;
    const n = batch.length;
    for (let i = 0; i < n; i++) {
      if (sensorOf[i] !== sensorId) continue;
      // The identity goes straight into the ring slot it takes if it is new.
      const at = recent.nextOffset;
      packetKeyOf(batch, i, ring, at);
      if (checkStored && this.isStored(tsSec[i]!, at)) {
        sensorOf[i] = DUPLICATE;
        this.ofStored++;
      } else if (recent.check()) {
        sensorOf[i] = DUPLICATE;
        this.inCapture++;
      }
    }
    return this.duplicates - before;
  }

  /** True when the identity at `ring[at]` is a stored packet; counts an unchecked overlap. */
  private isStored(sec: number, at: number): boolean {
    const covering = this.stored.coveringAt(sec);
    if (covering === undefined) return false;
    const table = this.windowAt(sec)?.table;
    if (table !== undefined) {
      const { key } = this;
      const ring = this.recent.ring;
      for (let w = 0; w < PACKET_KEY_WORDS; w++) key[w] = ring[at + w]!;
      if (table.find(this.key) >= 0) return true;
    }
    if (anyGone(covering)) this.unchecked++;
    return false;
  }

  /**
   * Before the batch is filtered: refuses it if it reaches into an earlier
   * ingest without raw packets (unless allowed), and loads the stored packets
   * of every window it reaches into that has them.
   */
  private async prepare(batch: PacketBatch, sensorOf: Int32Array, sensorId: number): Promise<void> {
    const { tsSec, tsNsec } = batch;
    // Segments of time come as shared arrays: each is checked once per batch.
    let checked: readonly CoveringIngest[] | undefined;
    let anyRetained = false;
    for (let i = 0; i < batch.length; i++) {
      if (sensorOf[i] !== sensorId) continue;
      const sec = tsSec[i]!;
      const covering = this.stored.coveringAt(sec);
      if (covering === undefined) continue;
      if (covering !== checked) {
        checked = covering;
        anyRetained = false;
        for (const ingest of covering) {
          if (await this.stored.retained(ingest)) anyRetained = true;
          else if (!this.allowOverlap)
            throw new OverlapUncheckedError(this.fileName, { packetSec: sec, overlapped: ingest });
        }
        if (anyRetained) await this.stored.exactSpans(covering);
      }
      if (!anyRetained || this.windowAt(sec) !== undefined) continue;
      if (!insideRetained(covering, sec, Math.floor(tsNsec[i]! / NS_PER_US))) continue;
      if (this.windows.length >= MAX_LOADED_WINDOWS) this.windows.shift();
      this.windows.push(await this.stored.loadWindow(sec));
    }
  }

  /** The loaded window holding whole second `sec`; the newest is tried first. */
  private windowAt(sec: number): LoadedWindow | undefined {
    for (let k = this.windows.length - 1; k >= 0; k--) {
      const w = this.windows[k]!;
      if (sec >= w.from && sec < w.to) return w;
    }
    return undefined;
  }
}

/**
 * Whether a packet at `sec` and `usec` (identity compares microseconds) lies
 * within the exact span of a retained ingest among `covering`, or of one whose
 * span is not known: only then can it copy a stored packet, and the stored
 * packets are worth reading back.
 */
function insideRetained(covering: readonly CoveringIngest[], sec: number, usec: number): boolean {
  for (let k = 0; k < covering.length; k++) {
    const ingest = covering[k]!;
    if (ingest.retained !== true) continue;
    const span = ingest.span;
    if (span === undefined) return true;
    const firstUsec = Math.floor(span.firstNsec / NS_PER_US);
    const lastUsec = Math.floor(span.lastNsec / NS_PER_US);
    const afterFirst = sec > span.firstSec || (sec === span.firstSec && usec >= firstUsec);
    const beforeLast = sec < span.lastSec || (sec === span.lastSec && usec <= lastUsec);
    if (afterFirst && beforeLast) return true;
  }
  return false;
}

function anyGone(covering: readonly CoveringIngest[]): boolean {
  for (let k = 0; k < covering.length; k++) if (covering[k]!.retained === false) return true;
  return false;
}
