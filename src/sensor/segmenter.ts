/**
 * @module
 * `Segmenter`: cuts a stream of framed records into capture segments, each a
 * complete classic pcap file in memory, ready for the spool.
 *
 * A segment covers one window of packet time, aligned to UTC multiples of the
 * segment length (so every sensor cuts at the same instants and no local
 * clock setting can shift them), or less when `segmentBytes` is reached first.
 * Records are assigned by their own timestamps: a replay is cut exactly as the
 * live capture was. A record whose time lies before the open window (out of
 * order in the file, or late from tcpdump's buffer) joins the open segment
 * rather than reopening a sealed one; the segment's first/last times are the
 * minimum and maximum, so they always bracket its packets.
 *
 * In live mode a window is always open from the start, and `sealWindow(now)`
 * (called by the agent's clock) seals it when its end has passed even if no
 * packet came: an empty segment proves that the sensor was listening. An
 * empty segment's first/last times are the span it covers.
 */
import { LinkType, PCAP_RECORD_HEADER_SIZE, PcapWriter, type RawRecord } from '../capture/index.js';

const US_PER_SEC = 1_000_000;
const NS_PER_US = 1_000;

export type SealReason = 'time' | 'size' | 'link-type' | 'clock' | 'end';

export interface SealedSegment {
  /** The whole pcap file (nanosecond magic, so replayed times lose nothing). */
  bytes: Buffer;
  packets: number;
  firstPacketUs: number;
  lastPacketUs: number;
  /** Records consumed from the input up to and including this segment (resume point of a replay). */
  recordsEnd: number;
  linkType: number;
  reason: SealReason;
}

export interface SegmenterOptions {
  segmentSeconds: number;
  /** A segment is sealed before it would grow past this many bytes (a single larger packet still gets a segment). */
  segmentBytes: number;
  /** `live` opens a window at `startUs` and seals empty windows on `sealWindow()`. */
  mode: 'live' | 'replay';
  /** Link type of empty segments before the first record (tcpdump's file header). */
  linkType?: number;
  /** Live mode: when capture started (µs since the epoch). */
  startUs?: number;
  /** Records of the input already in earlier segments (a resumed replay skipped them). */
  recordsBase?: number;
  onSegment: (segment: SealedSegment) => void;
}

export class Segmenter {
  readonly #windowUs: number;
  readonly #segmentBytes: number;
  readonly #live: boolean;
  readonly #onSegment: (segment: SealedSegment) => void;
  #writer: PcapWriter;
  #linkType: number;
  #packets = 0;
  #firstUs = 0;
  #lastUs = 0;
  #records: number;
  /** The open window [start, end); -1 when none is open (replay before the first record). */
  #windowStart = -1;
  #windowEnd = -1;
  /** Live: the earliest instant the open segment may claim (capture start, or the previous seal). */
  #coverFromUs = 0;

  constructor(options: SegmenterOptions) {
    if (!(options.segmentSeconds > 0))
      throw new RangeError(`Cannot segment: segmentSeconds ${options.segmentSeconds} is not positive`);
    this.#windowUs = Math.round(options.segmentSeconds * US_PER_SEC);
    this.#segmentBytes = options.segmentBytes;
    this.#live = options.mode === 'live';
    this.#onSegment = options.onSegment;
    this.#linkType = options.linkType ?? LinkType.EN10MB;
    this.#writer = this.#newWriter();
    this.#records = options.recordsBase ?? 0;
    if (this.#live) {
      const start = options.startUs ?? Date.now() * 1000;
      this.#openWindow(start);
      this.#coverFromUs = start;
    }
  }

  /** Packets in the open segment. */
  get openPackets(): number {
    return this.#packets;
  }

  /** End of the open window (µs), or -1. */
  get windowEndUs(): number {
    return this.#windowEnd;
  }

  /** Add one record (its bytes are copied into the segment). */
  push(record: RawRecord): void {
    const us = record.tsSec * US_PER_SEC + Math.floor(record.tsNsec / NS_PER_US);
    if (this.#windowStart < 0) this.#openWindow(us);
    else if (us >= this.#windowEnd) {
      this.#seal('time');
      this.#openWindow(us);
    }
    if (record.linkType !== this.#linkType) {
      if (this.#packets > 0) this.#seal('link-type');
      this.#linkType = record.linkType;
      this.#writer = this.#newWriter();
    }
    const size = PCAP_RECORD_HEADER_SIZE + record.capLen;
    if (this.#packets > 0 && this.#writer.bytesWritten + size > this.#segmentBytes) this.#seal('size');
    this.#writer.writePacket({
      tsSec: record.tsSec,
      tsNsec: record.tsNsec,
      bytes: record.data.subarray(record.offset, record.offset + record.capLen),
      wireLen: record.wireLen,
    });
    if (this.#packets === 0 || us < this.#firstUs) this.#firstUs = us;
    if (this.#packets === 0 || us > this.#lastUs) this.#lastUs = us;
    this.#packets++;
    this.#records++;
  }

  /**
   * Live mode: seal the open window if it ended at or before `nowUs` (empty
   * or not) and open the next one. Returns whether it sealed.
   */
  sealWindow(nowUs: number): boolean {
    if (!this.#live || this.#windowStart < 0 || nowUs < this.#windowEnd) return false;
    const end = this.#windowEnd;
    this.#seal('clock');
    this.#openWindow(Math.max(end, nowUs - (nowUs % this.#windowUs)));
    return true;
  }

  /** Seal what is open at the end of the input (live: up to `nowUs`); nothing when replay has no packets pending. */
  finish(nowUs?: number): void {
    if (this.#packets > 0 || (this.#live && this.#windowStart >= 0)) this.#seal('end', nowUs);
    this.#windowStart = -1;
    this.#windowEnd = -1;
  }

  #openWindow(us: number): void {
    this.#windowStart = us - (us % this.#windowUs);
    this.#windowEnd = this.#windowStart + this.#windowUs;
  }

  #seal(reason: SealReason, nowUs?: number): void {
    let first = this.#firstUs;
    let last = this.#lastUs;
    if (this.#packets === 0) {
      // An empty live segment claims the part of its window the agent was listening.
      first = Math.max(this.#windowStart, this.#coverFromUs);
      last = Math.max(first, Math.min(this.#windowEnd, nowUs ?? this.#windowEnd) - 1);
    }
    const segment: SealedSegment = {
      bytes: this.#writer.toBuffer(),
      packets: this.#packets,
      firstPacketUs: first,
      lastPacketUs: last,
      recordsEnd: this.#records,
      linkType: this.#linkType,
      reason,
    };
    this.#writer = this.#newWriter();
    this.#packets = 0;
    this.#coverFromUs = reason === 'clock' ? this.#windowEnd : Math.max(last, this.#coverFromUs);
    this.#onSegment(segment);
  }

  #newWriter(): PcapWriter {
    return new PcapWriter({ linkType: this.#linkType, nanosecond: true });
  }
}
