/**
 * @module
 * `BatchBuilder`: the decode stage's entry point. It takes `RawRecord`s one at
 * a time, copies each frame into the current `PacketBatch`, sets the framing
 * columns, decodes the protocols in place and hands full batches to
 * `onBatch`.
 *
 * Batch ownership: every emitted batch is freshly allocated and belongs to the
 * consumer, who may keep it. A consumer that is done with a batch may give it
 * back with `recycle()`; the builder then refills it instead of allocating
 * (much cheaper: fresh multi-megabyte buffers cost page faults). Nothing
 * carries over: a fresh batch starts zeroed, a recycled one has its used
 * slots cleared column by column when it comes back, and the decoders then
 * write every column that applies to each packet.
 *
 * A frame larger than the data capacity gets a batch of its own (capacity 1,
 * data buffer sized to the frame), emitted at once.
 */
import type { RawRecord } from '../capture/record.js';
import {
  DECODE_STATUS_NAMES,
  DEFAULT_BATCH_BYTES,
  DEFAULT_BATCH_PACKETS,
  PacketBatch,
  PacketFlag,
} from './batch.js';
import { clearDecodedColumns, decodeClearedSlot } from './decode-frame.js';
import type { DecodeStats } from './decode-stats.js';
import { UnsupportedLinkTypeError } from './errors.js';
import type { LayerDecoder } from './layer.js';
import { linkDecoder } from './link.js';

/**
 * Frames up to this size are copied 4 bytes at a time through DataViews:
 * measured cheaper than making a subarray view per frame (60 bytes: ~3x);
 * from about 128 bytes on, `set()` wins.
 */
const SMALL_FRAME = 128;
const WORD = 4;
/** Recycled batches kept at most; more are left to the garbage collector. */
const MAX_POOL = 4;
const NO_LINK_TYPE = -1;
const IPV4 = 4;
const IPV6 = 6;

export interface BatchBuilderOptions {
  /** Receives each full batch, and the last partial one on `flush()`. */
  onBatch: (batch: PacketBatch) => void;
  /** Packets per batch (default `DEFAULT_BATCH_PACKETS`). */
  capacity?: number;
  /** Bytes of frame data per batch (default `DEFAULT_BATCH_BYTES`). */
  dataCapacity?: number;
}

/** Placeholder until the first record selects a link decoder; never called. */
function noLinkSelected(): number {
  throw new RangeError('Cannot decode a frame before a link type is selected');
}

export class BatchBuilder {
  readonly #onBatch: (batch: PacketBatch) => void;
  readonly #capacity: number;
  readonly #dataCapacity: number;
  readonly #pool: PacketBatch[] = [];
  #batch: PacketBatch | undefined = undefined;
  #view: DataView = new DataView(new ArrayBuffer(0));
  /** The last record buffer seen and a view over it (readers reuse one chunk for many records). */
  #srcBytes: Uint8Array = new Uint8Array(0);
  #srcView: DataView = new DataView(new ArrayBuffer(0));
  #frames = 0;

  #linkType = NO_LINK_TYPE;
  #link: LayerDecoder = noLinkSelected;
  /** Packets of `#linkType` not yet folded into `#byLinkType` (link types change rarely). */
  #linkRun = 0;
  readonly #byLinkType = new Map<number, number>();

  #capturedBytes = 0;
  #wireBytes = 0;
  #fragments = 0;
  #ipv4 = 0;
  #ipv6 = 0;
  readonly #byStatus = new Float64Array(DECODE_STATUS_NAMES.length);

  constructor(options: BatchBuilderOptions) {
    const capacity = options.capacity ?? DEFAULT_BATCH_PACKETS;
    const dataCapacity = options.dataCapacity ?? DEFAULT_BATCH_BYTES;
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`Cannot create a batch builder: capacity is ${capacity}`);
    }
    if (!Number.isInteger(dataCapacity) || dataCapacity < 1) {
      throw new RangeError(`Cannot create a batch builder: data capacity is ${dataCapacity}`);
    }
    this.#onBatch = options.onBatch;
    this.#capacity = capacity;
    this.#dataCapacity = dataCapacity;
  }

  /** Frames pushed so far (the `frame` ordinal of the last one). */
  get frames(): number {
    return this.#frames;
  }

  /**
   * Copies, frames and decodes one record. The record's bytes are read only
   * during the call. Throws `UnsupportedLinkTypeError` for a link type without
   * a decoder, before anything is consumed.
   */
  push(record: RawRecord): void {
    if (record.linkType !== this.#linkType) this.#selectLink(record);
    const capLen = record.capLen;
    const src = record.data;
    const srcOff = record.offset;
    if (srcOff < 0 || srcOff + capLen > src.length) {
      throw new RangeError(
        `Cannot copy frame ${this.#frames + 1} at file offset ${record.fileOffset}: ` +
          `capLen ${capLen} at offset ${srcOff} exceeds its ${src.length}-byte buffer`,
      );
    }
    let batch = this.#batch;
    if (batch !== undefined && batch.dataUsed + capLen > batch.data.length) {
      this.#emit(batch);
      batch = undefined;
    }
    const oversize = capLen > this.#dataCapacity;
    if (batch === undefined) batch = this.#start(oversize ? capLen : 0);

    const i = batch.length;
    const off = batch.dataUsed;
    if (capLen <= SMALL_FRAME) this.#copySmall(src, srcOff, off, capLen);
    else batch.data.set(src.subarray(srcOff, srcOff + capLen), off);
    const frame = ++this.#frames;
    batch.frame[i] = frame;
    batch.tsSec[i] = record.tsSec;
    batch.tsNsec[i] = record.tsNsec;
    batch.capLen[i] = capLen;
    batch.wireLen[i] = record.wireLen;
    batch.frameOff[i] = off;
    batch.length = i + 1;
    batch.dataUsed = off + capLen;

    const status = decodeClearedSlot(batch, i, this.#view, this.#link);
    this.#byStatus[status] = this.#byStatus[status]! + 1;
    this.#linkRun++;
    this.#capturedBytes += capLen;
    this.#wireBytes += record.wireLen;
    if ((batch.pflags[i]! & PacketFlag.FRAGMENT) !== 0) this.#fragments++;
    const version = batch.ipVersion[i];
    if (version === IPV4) this.#ipv4++;
    else if (version === IPV6) this.#ipv6++;

    if (oversize || batch.length === batch.capacity) this.#emit(batch);
  }

  /** Hands over the current partial batch, if it holds any packet. */
  flush(): void {
    const batch = this.#batch;
    if (batch !== undefined && batch.length > 0) this.#emit(batch);
  }

  /**
   * Gives an emitted batch back for reuse. The caller must not read it
   * afterwards. Batches of another shape (e.g. an oversize-frame batch) are
   * ignored.
   */
  recycle(batch: PacketBatch): void {
    if (batch === this.#batch || this.#pool.length >= MAX_POOL) return;
    if (batch.capacity !== this.#capacity || batch.data.length !== this.#dataCapacity) return;
    if (this.#pool.includes(batch)) return;
    clearDecodedColumns(batch, batch.length);
    batch.length = 0;
    batch.dataUsed = 0;
    this.#pool.push(batch);
  }

  /** A snapshot of the counters so far. */
  stats(): DecodeStats {
    const byLinkType = new Map(this.#byLinkType);
    if (this.#linkRun > 0) byLinkType.set(this.#linkType, (byLinkType.get(this.#linkType) ?? 0) + this.#linkRun);
    return {
      packets: this.#frames,
      capturedBytes: this.#capturedBytes,
      wireBytes: this.#wireBytes,
      byStatus: Array.from(this.#byStatus),
      byLinkType,
      fragments: this.#fragments,
      ipv4: this.#ipv4,
      ipv6: this.#ipv6,
    };
  }

  #copySmall(src: Uint8Array, srcOff: number, off: number, capLen: number): void {
    if (src !== this.#srcBytes) {
      this.#srcBytes = src;
      this.#srcView = new DataView(src.buffer, src.byteOffset, src.byteLength);
    }
    const from = this.#srcView;
    const to = this.#view;
    let k = 0;
    // Byte order does not matter for a copy; little-endian is the cheap one on common hosts.
    for (; k + WORD <= capLen; k += WORD) to.setUint32(off + k, from.getUint32(srcOff + k, true), true);
    for (; k < capLen; k++) to.setUint8(off + k, from.getUint8(srcOff + k));
  }

  #selectLink(record: RawRecord): void {
    const link = linkDecoder(record.linkType);
    if (link === undefined) {
      throw new UnsupportedLinkTypeError({
        linkType: record.linkType,
        frame: this.#frames + 1,
        fileOffset: record.fileOffset,
      });
    }
    this.#foldLinkRun();
    this.#linkType = record.linkType;
    this.#link = link;
  }

  #foldLinkRun(): void {
    if (this.#linkRun === 0) return;
    const type = this.#linkType;
    this.#byLinkType.set(type, (this.#byLinkType.get(type) ?? 0) + this.#linkRun);
    this.#linkRun = 0;
  }

  /** Makes the batch that receives the next frame; `oversize` > 0 is a frame that needs its own. */
  #start(oversize: number): PacketBatch {
    let batch: PacketBatch;
    if (oversize > 0) batch = new PacketBatch(1, oversize);
    else batch = this.#pool.pop() ?? new PacketBatch(this.#capacity, this.#dataCapacity);
    const data = batch.data;
    this.#view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.#batch = batch;
    return batch;
  }

  #emit(batch: PacketBatch): void {
    // Detach first so a consumer that recycles or throws leaves a clean state.
    this.#batch = undefined;
    this.#onBatch(batch);
  }
}
