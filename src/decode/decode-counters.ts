/**
 * @module
 * `DecodeCounters`: the running totals behind `BatchBuilder.stats()`, and the
 * loop that decodes the staged packets while it counts them.
 */
import { DECODE_STATUS_NAMES, DecodeStatus, PacketFlag } from './batch.js';
import type { DecodeStats } from './decode-stats.js';
import type { LayerDecoder } from './layer.js';
import { RECORD_LENGTH_FAULT, sharedStage } from './stage.js';

/** Local alias of the shared stage: V8 folds a module's own constant into compiled code, not an import (see stage.ts). */
const stage = sharedStage;

const NO_LINK_TYPE = -1;
const IPV4 = 4;
const IPV6 = 6;
/** Slots of `#totals` after the per-status counts. */
const FRAGMENTS = DECODE_STATUS_NAMES.length;
const CAPTURED_BYTES = FRAGMENTS + 1;
const WIRE_BYTES = FRAGMENTS + 2;
/** `ipVersion` is a nibble, so 16 counters cover every value. */
const VERSION_VALUES = 16;

export class DecodeCounters {
  /** Packets per status code, then non-first fragments, captured and wire bytes. */
  readonly #totals = new Float64Array(WIRE_BYTES + 1);
  /** Packets per `ipVersion` value (0, 4 or 6). */
  readonly #byVersion = new Float64Array(VERSION_VALUES);
  #linkType = NO_LINK_TYPE;
  /** Packets of `#linkType` not yet folded into `#byLinkType` (link types change rarely). */
  #linkRun = 0;
  readonly #byLinkType = new Map<number, number>();

  /** Packets decoded from now on carry `linkType`. */
  setLinkType(linkType: number): void {
    if (this.#linkRun > 0) {
      const type = this.#linkType;
      this.#byLinkType.set(type, (this.#byLinkType.get(type) ?? 0) + this.#linkRun);
      this.#linkRun = 0;
    }
    this.#linkType = linkType;
  }

  /**
   * Decodes stage slots `[0, count)` with `link` over `view` (their framing
   * set, their bytes copied) and counts them. All bookkeeping happens before
   * or inside the loop: the first call runs the loop long enough to be
   * compiled on the stack (OSR), and code after it would then have no type
   * feedback and deoptimize on every call.
   */
  decodeStage(count: number, link: LayerDecoder, view: DataView): void {
    this.#linkRun += count;
    const totals = this.#totals;
    const byVersion = this.#byVersion;
    for (let slot = 0; slot < count; slot++) {
      const off = stage.frameOff[slot]!;
      const capLen = stage.capLen[slot]!;
      const lengthFault = stage.status[slot] === RECORD_LENGTH_FAULT;
      // Decoded all the same, so every column is written as for any packet; the status says the record is not to be trusted.
      let code = link(slot, view, off, off + capLen);
      if (lengthFault) code = DecodeStatus.BAD_RECORD_LENGTH;
      stage.status[slot] = code;
      totals[code]!++;
      if ((stage.pflags[slot]! & PacketFlag.FRAGMENT) !== 0) totals[FRAGMENTS]!++;
      totals[CAPTURED_BYTES]! += capLen;
      totals[WIRE_BYTES]! += stage.wireLen[slot]!;
      byVersion[stage.ipVersion[slot]!]!++;
    }
  }

  /** The totals as `DecodeStats`, for `packets` packets. */
  snapshot(packets: number): DecodeStats {
    const byLinkType = new Map(this.#byLinkType);
    if (this.#linkRun > 0) byLinkType.set(this.#linkType, (byLinkType.get(this.#linkType) ?? 0) + this.#linkRun);
    const totals = this.#totals;
    return {
      packets,
      capturedBytes: totals[CAPTURED_BYTES]!,
      wireBytes: totals[WIRE_BYTES]!,
      byStatus: Array.from(totals.subarray(0, FRAGMENTS)),
      byLinkType,
      fragments: totals[FRAGMENTS]!,
      ipv4: this.#byVersion[IPV4]!,
      ipv6: this.#byVersion[IPV6]!,
    };
  }
}
