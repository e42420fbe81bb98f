/**
 * @module
 * The framing of the lookup tables cached in the data directory
 * (`merged-range-cache.ts`, `ipv6-asn-table.ts`): a 16-byte header (magic,
 * format version, entry count, 0; little-endian), the SHA-256 of everything
 * after the 48 bytes before the arrays, then the arrays. A file whose
 * header, length or digest does not hold is not one this version wrote
 * intact: the caller rebuilds it, never trusts it.
 */

import { createHash } from 'node:crypto';
import { endianness } from 'node:os';

const HEADER_BYTES = 16;
const DIGEST_BYTES = 32;
/** Where the arrays start. */
export const ARRAYS_AT = HEADER_BYTES + DIGEST_BYTES;

/** What names a kind of file: its magic number and format version. */
export interface SealedKind {
  magic: number;
  version: number;
}

/** A buffer of `totalBytes` (arrays included) with the header written; fill the arrays, then `seal` it. */
export function sealedBuffer(kind: SealedKind, count: number, totalBytes: number): Buffer {
  const out = Buffer.alloc(totalBytes);
  out.writeUInt32LE(kind.magic, 0);
  out.writeUInt32LE(kind.version, 4);
  out.writeUInt32LE(count, 8);
  return out;
}

/** Writes the digest of the arrays into `out`'s header; returns `out`. */
export function seal(out: Buffer): Buffer {
  createHash('sha256').update(out.subarray(ARRAYS_AT)).digest().copy(out, HEADER_BYTES);
  return out;
}

/**
 * The entry count of `bytes` when it is a sealed file of `kind`, `totalBytes(count)`
 * long, with its digest holding; null otherwise, and on a big-endian machine
 * (the arrays are used as they lie).
 */
export function openSealed(bytes: Buffer, kind: SealedKind, totalBytes: (count: number) => number): number | null {
  if (endianness() !== 'LE') return null;
  if (bytes.length < ARRAYS_AT || bytes.readUInt32LE(0) !== kind.magic || bytes.readUInt32LE(4) !== kind.version)
    return null;
  const count = bytes.readUInt32LE(8);
  if (bytes.length !== totalBytes(count)) return null;
  const digest = createHash('sha256').update(bytes.subarray(ARRAYS_AT)).digest();
  return digest.equals(bytes.subarray(HEADER_BYTES, ARRAYS_AT)) ? count : null;
}
