/**
 * @module
 * The push-framing machinery shared by the pcap and pcapng readers.
 *
 * `feed(chunk)` frames every complete record of the chunk in place: the one
 * reused `RawRecord` points into the chunk, so nothing is copied or allocated
 * per record. Only the tail of a chunk that holds an incomplete record is kept
 * (in a carry buffer that grows with bytes actually received, never with a
 * length read from the file) and completed from the front of the next chunk.
 *
 * The bytes of every record delivered during one `feed()` stay unchanged until
 * the next `feed()`: the framer never writes into a chunk, and a record framed
 * from the carry is left alone (the new tail goes into a second carry buffer).
 * This lets a consumer defer its copy to the end of the chunk (see
 * `BatchBuilder.pushRetained()`).
 */
import { CaptureErrorCode, CaptureFormatError, type CaptureErrorCodeValue } from './errors.js';
import { newRawRecord, type RawRecord, type RecordSink } from './record.js';

/** Hard cap on one record or block: nothing legitimate comes near it. */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024;

/** What a framer has delivered so far. */
export interface FramerStats {
  records: number;
  /** Sum of captured lengths. */
  capturedBytes: number;
  /** Sum of original (wire) lengths. */
  wireBytes: number;
  /** Link types of the records delivered, in order of first appearance. */
  linkTypes: number[];
  firstSec: number;
  firstNsec: number;
  lastSec: number;
  lastNsec: number;
}

export abstract class Framer {
  protected readonly record: RawRecord = newRawRecord();
  protected readonly sink: RecordSink;
  protected readonly fileName: string;
  /** Stream offset of index 0 of the buffer `frame()` is working on. */
  protected base = 0;
  /** Stream offset of the first byte not yet framed (the carry's first byte). */
  private consumed = 0;
  private carry = new Uint8Array(0);
  private carryView = new DataView(this.carry.buffer);
  private carryLen = 0;
  /** The other carry buffer: it holds the last record framed from a carry until the next feed(). */
  private spareCarry = new Uint8Array(0);
  private lastLinkType = -1;
  /** Counters kept as plain fields: they are updated for every record. */
  private records = 0;
  private capturedBytes = 0;
  private wireBytes = 0;
  private firstSec = 0;
  private firstNsec = 0;
  private readonly linkTypes: number[] = [];
  private halted = false;

  constructor(sink: RecordSink, fileName: string) {
    this.sink = sink;
    this.fileName = fileName;
  }

  /** True once the sink returned `false`; later chunks are ignored. */
  get stopped(): boolean {
    return this.halted;
  }

  /** What has been delivered so far. */
  get stats(): FramerStats {
    const r = this.record;
    const any = this.records > 0;
    return {
      records: this.records,
      capturedBytes: this.capturedBytes,
      wireBytes: this.wireBytes,
      linkTypes: this.linkTypes.slice(),
      firstSec: this.firstSec,
      firstNsec: this.firstNsec,
      // The reused record still holds the last one delivered.
      lastSec: any ? r.tsSec : 0,
      lastNsec: any ? r.tsNsec : 0,
    };
  }

  /** Bytes needed at the current position before {@link measure} can run. */
  protected abstract headerSize(): number;
  /** Name of what {@link headerSize} bytes hold, for truncation messages. */
  protected abstract headerName(): string;
  /** Validated total length of the record at `off` (its header is present). */
  protected abstract measure(view: DataView, off: number): number;
  /**
   * Frame the complete records in `bytes[pos, end)`; return the offset of the
   * first record that is not complete. Sets `stopped` when the sink says so.
   */
  protected abstract frame(view: DataView, bytes: Uint8Array, pos: number, end: number): number;

  /** Frame a chunk; returns `false` once the sink has asked to stop. */
  feed(chunk: Uint8Array): boolean {
    if (this.stopped) return false;
    let pos = 0;
    if (this.carryLen > 0) {
      pos = this.completeCarry(chunk);
      if (pos < 0 || this.stopped) return !this.stopped;
    }
    if (pos === chunk.length) return true;
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.base = this.consumed - pos;
    const next = this.frame(view, chunk, pos, chunk.length);
    this.consumed = this.base + next;
    if (!this.stopped && next < chunk.length) this.append(chunk, next, chunk.length);
    return !this.stopped;
  }

  /** Call at the end of the stream: throws if it ended inside a record. */
  finish(): void {
    if (this.stopped) return;
    if (this.consumed === 0 && this.carryLen === 0) {
      throw this.error(CaptureErrorCode.EMPTY, 0, 'the file is empty');
    }
    if (this.carryLen === 0) return;
    const need = this.headerSize();
    if (this.carryLen < need) {
      throw this.error(
        CaptureErrorCode.TRUNCATED,
        this.consumed,
        `${this.headerName()} truncated (${this.carryLen} of ${need} bytes)`,
      );
    }
    this.base = this.consumed;
    const total = this.measure(this.carryView, 0);
    throw this.error(
      CaptureErrorCode.TRUNCATED,
      this.consumed,
      `record data truncated (${this.carryLen} of ${total} bytes)`,
    );
  }

  protected error(code: CaptureErrorCodeValue, offset: number, detail: string): CaptureFormatError {
    return new CaptureFormatError(detail, { code, fileName: this.fileName, offset });
  }

  /** Deliver the filled-in record and count it; returns false to stop. */
  protected emit(): boolean {
    const r = this.record;
    if (this.records === 0) {
      this.firstSec = r.tsSec;
      this.firstNsec = r.tsNsec;
    }
    this.records++;
    this.capturedBytes += r.capLen;
    this.wireBytes += r.wireLen;
    if (r.linkType !== this.lastLinkType) this.noteLinkType(r.linkType);
    if (this.sink(r) === false) {
      this.halted = true;
      return false;
    }
    return true;
  }

  /** Runs only when the link type changes between records, not per record. */
  private noteLinkType(linkType: number): void {
    this.lastLinkType = linkType;
    if (!this.linkTypes.includes(linkType)) this.linkTypes.push(linkType);
  }

  /**
   * Complete the record held in the carry from the front of `chunk`. Returns
   * the chunk offset after the bytes taken, or -1 when the chunk ran out first.
   */
  private completeCarry(chunk: Uint8Array): number {
    let pos = 0;
    const need = this.headerSize();
    if (this.carryLen < need) {
      pos = Math.min(need - this.carryLen, chunk.length);
      this.append(chunk, 0, pos);
      if (this.carryLen < need) return -1;
    }
    this.base = this.consumed;
    const total = this.measure(this.carryView, 0);
    if (this.carryLen < total) {
      const take = Math.min(total - this.carryLen, chunk.length - pos);
      this.append(chunk, pos, pos + take);
      pos += take;
      if (this.carryLen < total) return -1;
    }
    // The carry holds exactly one complete record (never more: we took only what it lacked).
    const framed = this.frame(this.carryView, this.carry, 0, total);
    if (framed !== total && !this.stopped) {
      throw new Error(`Framer invariant broken: framed ${framed} of ${total} carried bytes`);
    }
    this.consumed += total;
    this.carryLen = 0;
    // The record just framed must survive this feed(): the next tail goes into the other buffer.
    const framedFrom = this.carry;
    this.carry = this.spareCarry;
    this.carryView = new DataView(this.carry.buffer, this.carry.byteOffset, this.carry.byteLength);
    this.spareCarry = framedFrom;
    return pos;
  }

  private append(src: Uint8Array, from: number, to: number): void {
    const need = this.carryLen + (to - from);
    if (need > this.carry.length) {
      const grown = new Uint8Array(Math.max(need, this.carry.length * 2, 64));
      grown.set(this.carry.subarray(0, this.carryLen));
      this.carry = grown;
      this.carryView = new DataView(grown.buffer, grown.byteOffset, grown.byteLength);
    }
    this.carry.set(src.subarray(from, to), this.carryLen);
    this.carryLen = need;
  }
}
