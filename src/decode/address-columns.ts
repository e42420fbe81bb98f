/**
 * @module
 * 32-bit views over the four 16-bytes-per-slot address columns (`src6`,
 * `dst6`, `innerSrc6`, `innerDst6`) of the batch being decoded, so copying an
 * IPv6 address takes 4 loads and 4 stores instead of 16 of each.
 *
 * The views are built once per batch and cached here (decoding is
 * synchronous and handles one batch at a time); `addressColumns()` checks the
 * batch identity, so a decoder never writes through stale views. The cache
 * keeps the last decoded batch reachable until another one is decoded.
 */
import type { PacketBatch } from './batch.js';

const WORDS_PER_ADDRESS = 4;

/** Whether this machine stores a Uint32Array element least significant byte first. */
const HOST_LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

export interface AddressColumns {
  batch: PacketBatch | undefined;
  src6: Uint32Array;
  dst6: Uint32Array;
  innerSrc6: Uint32Array;
  innerDst6: Uint32Array;
}

const EMPTY = new Uint32Array(0);
const columns: AddressColumns = { batch: undefined, src6: EMPTY, dst6: EMPTY, innerSrc6: EMPTY, innerDst6: EMPTY };

function wordsOf(column: Uint8Array): Uint32Array {
  // PacketBatch allocates each column on its own buffer, so offset 0 is 4-aligned.
  return new Uint32Array(column.buffer, column.byteOffset, column.byteLength / WORDS_PER_ADDRESS);
}

/** The 32-bit address column views of `batch`. */
export function addressColumns(batch: PacketBatch): AddressColumns {
  if (columns.batch !== batch) {
    columns.src6 = wordsOf(batch.src6);
    columns.dst6 = wordsOf(batch.dst6);
    columns.innerSrc6 = wordsOf(batch.innerSrc6);
    columns.innerDst6 = wordsOf(batch.innerDst6);
    columns.batch = batch;
  }
  return columns;
}

/** Copies the 16-byte address at `view[off]` into slot `slot` of a 32-bit address view. */
export function copyAddress(view: DataView, off: number, to: Uint32Array, slot: number): void {
  const base = slot * WORDS_PER_ADDRESS;
  // Reading in host byte order writes the bytes back in their wire order.
  to[base] = view.getUint32(off, HOST_LITTLE_ENDIAN);
  to[base + 1] = view.getUint32(off + 4, HOST_LITTLE_ENDIAN);
  to[base + 2] = view.getUint32(off + 8, HOST_LITTLE_ENDIAN);
  to[base + 3] = view.getUint32(off + 12, HOST_LITTLE_ENDIAN);
}
