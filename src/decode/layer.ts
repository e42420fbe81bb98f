/**
 * @module
 * Shapes and helpers shared by the per-protocol decoders (internal to the
 * decode stage; not part of its public surface).
 *
 * Every decoder takes `(slot, view, off, end)`: the slot of the staging batch
 * it writes (`stage.ts`), a `DataView` over the real batch's `data`, the
 * offset of its header and the end of the captured bytes it may read. It
 * returns a `DecodeStatus` code. Keeping one signature and plain numbers
 * keeps the call sites monomorphic.
 */
import { DecodeStatus } from './batch.js';
import { sharedStage } from './stage.js';

/** Local alias of the shared stage: V8 folds a module's own constant into compiled code, not an import (see stage.ts). */
const stage = sharedStage;

/** Decoder for a link or network layer. Returns a `DecodeStatus` code. */
export type LayerDecoder = (slot: number, view: DataView, off: number, end: number) => number;

/**
 * Decoder for a transport layer. `end` is where the captured IP payload stops;
 * `fullEnd` is where the IP header says it stops (larger only when the
 * capture's snaplen cut the packet). The difference tells TRUNCATED from
 * SHORT_L4.
 */
export type TransportDecoder = (slot: number, view: DataView, off: number, end: number, fullEnd: number) => number;

/**
 * End of the frame as it was on the wire, as an offset into the batch's data.
 * A record that claims more captured than wire bytes is trusted for what it
 * holds, so the larger of the two lengths counts. Never below the captured
 * end, so callers need it only once a length runs past the captured bytes.
 */
export function wireEnd(slot: number): number {
  const capLen = stage.capLen[slot]!;
  const wireLen = stage.wireLen[slot]!;
  return stage.frameOff[slot]! + (wireLen > capLen ? wireLen : capLen);
}

/**
 * Status for a header that needs bytes up to `needEnd` but the captured bytes
 * stop earlier: TRUNCATED when those bytes existed on the wire (the snaplen cut
 * them), otherwise the given malformed status.
 */
export function cutStatus(slot: number, needEnd: number, malformed: number): number {
  return needEnd <= wireEnd(slot) ? DecodeStatus.TRUNCATED : malformed;
}

/**
 * Status for a transport header that needs bytes up to `needEnd` past the
 * captured end: TRUNCATED when the IP payload (ending at `fullEnd`) would have
 * held them, otherwise the given malformed status.
 */
export function transportCutStatus(needEnd: number, fullEnd: number, malformed: number): number {
  return needEnd <= fullEnd ? DecodeStatus.TRUNCATED : malformed;
}
