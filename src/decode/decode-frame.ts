/**
 * @module
 * Decodes one framed packet of any batch in place: runs the link decoder,
 * which calls the layers above it, and stores the resulting status. The
 * framing columns (`frame`, `tsSec`, `tsNsec`, `capLen`, `wireLen`,
 * `frameOff`) must be set before the call.
 *
 * The decoders write the staging batch (`stage.ts`), so this copies the
 * slot's framing into stage slot 0, decodes there and copies every decoded
 * column back: the slot ends up fully written, whatever it held before.
 * `BatchBuilder` does the same a stage at a time, and clears only the column
 * groups its decoders wrote when a batch comes back for reuse
 * (`clearDecodedColumns()`).
 */
import { DecodeStatus, type PacketBatch } from './batch.js';
import type { LayerDecoder } from './layer.js';
import {
  ALL_COLUMN_GROUPS,
  COMMON_COLUMNS,
  INNER_ADDRESS_COLUMNS,
  INNER_COLUMNS,
  IPV6_ADDRESS_COLUMNS,
  clearBatchGroups,
  clearStage,
  claimStage,
  sharedStage as stage,
} from './stage.js';

const ADDRESS_BYTES = 16;
const DECODED_SCALARS = [...COMMON_COLUMNS, ...INNER_COLUMNS];
const DECODED_ADDRESSES = [...IPV6_ADDRESS_COLUMNS, ...INNER_ADDRESS_COLUMNS];

/**
 * Zeroes the decoded columns of slots `[0, count)`: the common ones and the
 * given `ColumnGroup`s of `stage.ts` (default: all).
 */
export function clearDecodedColumns(batch: PacketBatch, count: number, groups: number = ALL_COLUMN_GROUPS): void {
  for (const name of COMMON_COLUMNS) batch[name].fill(0, 0, count);
  clearBatchGroups(batch, count, groups);
}

/**
 * Decodes the frame in slot `i` of any batch, overwriting every decoded column
 * (whatever an earlier packet left there). Stores and returns its status.
 */
export function decodeFrame(batch: PacketBatch, i: number, view: DataView, link: LayerDecoder): number {
  // A builder may have packets staged: let it settle them first.
  claimStage(undefined);
  const off = batch.frameOff[i]!;
  const capLen = batch.capLen[i]!;
  stage.frameOff[0] = off;
  stage.capLen[0] = capLen;
  stage.wireLen[0] = batch.wireLen[i]!;
  // Only the wire length is known here (no file snapshot length): a record longer than its packet is not to be trusted.
  const decoded = link(0, view, off, off + capLen);
  const status = capLen > batch.wireLen[i]! ? DecodeStatus.BAD_RECORD_LENGTH : decoded;
  stage.status[0] = status;
  for (const name of DECODED_SCALARS) batch[name][i] = stage[name][0]!;
  for (const name of DECODED_ADDRESSES) batch[name].set(stage[name].subarray(0, ADDRESS_BYTES), i * ADDRESS_BYTES);
  clearStage(1, ALL_COLUMN_GROUPS);
  return status;
}

/**
 * Decodes the frame in slot `i`, whose decoded columns are zero. Kept for
 * callers that cleared a batch themselves; `decodeFrame()` does the same work.
 */
export function decodeClearedSlot(batch: PacketBatch, i: number, view: DataView, link: LayerDecoder): number {
  return decodeFrame(batch, i, view, link);
}
