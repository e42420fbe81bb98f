/**
 * @module
 * Decodes one framed packet in place: runs the link decoder, which calls the
 * layers above it, and stores the resulting status. The framing columns
 * (`frame`, `tsSec`, `tsNsec`, `capLen`, `wireLen`, `frameOff`) must be set
 * before the call.
 *
 * Decoders write only the columns that apply to a packet, so every decoded
 * column of the slot must be zero first. `decodeFrame()` clears the slot
 * itself; `BatchBuilder` instead clears whole column ranges once per reused
 * batch (a memset per column is far cheaper than ~40 stores per packet) and
 * calls `decodeClearedSlot()`.
 */
import type { PacketBatch } from './batch.js';
import type { LayerDecoder } from './layer.js';

type ByteColumn = 'src6' | 'dst6' | 'innerSrc6' | 'innerDst6';
type ScalarColumn = Exclude<
  {
    [K in keyof PacketBatch]: PacketBatch[K] extends Uint8Array | Uint16Array | Uint32Array | Float64Array ? K : never;
  }[keyof PacketBatch],
  ByteColumn | 'data' | 'frame' | 'tsSec' | 'tsNsec' | 'capLen' | 'wireLen' | 'frameOff'
>;

/** Columns the decoders write, one value per packet. */
const SCALAR_COLUMNS: readonly ScalarColumn[] = [
  'status', 'pflags', 'ipVersion', 'src4', 'dst4', 'proto', 'ttl', 'ipId', 'ipLen', 'fragOffset',
  'sport', 'dport', 'tcpFlags', 'tcpSeq', 'tcpAck', 'tcpWin', 'tcpHdrLen', 'icmpType', 'icmpCode',
  'payloadOff', 'payloadLen', 'innerVersion', 'innerProto', 'innerSrc4', 'innerDst4', 'innerSport', 'innerDport',
];
/** Columns the decoders write, 16 bytes per packet. */
const ADDRESS_COLUMNS: readonly ByteColumn[] = ['src6', 'dst6', 'innerSrc6', 'innerDst6'];
const ADDRESS_BYTES = 16;

/** Zeroes every decoded column of slots `[0, count)`. */
export function clearDecodedColumns(batch: PacketBatch, count: number): void {
  for (const name of SCALAR_COLUMNS) batch[name].fill(0, 0, count);
  for (const name of ADDRESS_COLUMNS) batch[name].fill(0, 0, count * ADDRESS_BYTES);
}

/** Zeroes every decoded column of slot `i` (all but the framing columns). */
export function resetSlot(batch: PacketBatch, i: number): void {
  for (const name of SCALAR_COLUMNS) batch[name][i] = 0;
  for (const name of ADDRESS_COLUMNS) batch[name].fill(0, i * ADDRESS_BYTES, (i + 1) * ADDRESS_BYTES);
}

/**
 * Decodes the frame in slot `i`, whose decoded columns must all be zero.
 * Stores and returns its `DecodeStatus` code.
 */
export function decodeClearedSlot(batch: PacketBatch, i: number, view: DataView, link: LayerDecoder): number {
  const off = batch.frameOff[i]!;
  const status = link(batch, i, view, off, off + batch.capLen[i]!);
  batch.status[i] = status;
  return status;
}

/**
 * Decodes the frame in slot `i` of any batch, overwriting every decoded column
 * (whatever an earlier packet left there). Stores and returns its status.
 */
export function decodeFrame(batch: PacketBatch, i: number, view: DataView, link: LayerDecoder): number {
  resetSlot(batch, i);
  return decodeClearedSlot(batch, i, view, link);
}
