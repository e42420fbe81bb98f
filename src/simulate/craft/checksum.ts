/**
 * @module
 * The Internet checksum (RFC 1071) over byte ranges, and the IPv4/IPv6
 * pseudo-header sums that TCP, UDP and ICMPv6 add to it.
 *
 * Sums are kept unfolded (plain numbers are exact far past 2^32) and folded
 * once at the end, so partial sums of separate ranges simply add up as long as
 * each range starts at an even distance from the start of the checksummed data.
 * Range arguments are objects so a hot caller can reuse one scratch object.
 */

/** Bytes `[start, end)` of a buffer. */
export interface ByteRange {
  start: number;
  end: number;
}

/** Where a pseudo header's fields are: addresses are read from the packet bytes. */
export interface PseudoHeader {
  /** Offset of the source address in the buffer. */
  srcOffset: number;
  /** Offset of the destination address (for IPv6 the final destination). */
  dstOffset: number;
  /** 4 for IPv4, 16 for IPv6. */
  addressLength: 4 | 16;
  /** Upper-layer protocol number (6, 17, 58). */
  protocol: number;
  /** Upper-layer length: header plus payload. */
  length: number;
}

/**
 * One's-complement sum of the 16-bit big-endian words in `range` (default the
 * whole buffer), unfolded. An odd final byte counts as its high byte.
 */
export function onesComplementSum(bytes: Uint8Array, range?: ByteRange): number {
  const start = range === undefined ? 0 : range.start;
  const end = range === undefined ? bytes.length : range.end;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > bytes.length) {
    throw new RangeError(`Cannot checksum bytes ${start}..${end}: buffer holds ${bytes.length}`);
  }
  let sum = 0;
  let i = start;
  const pairsEnd = end - 1;
  for (; i < pairsEnd; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (i < end) sum += bytes[i]! << 8;
  return sum;
}

/** Folds an unfolded sum to 16 bits with end-around carry and complements it. */
export function foldChecksum(sum: number): number {
  let s = sum;
  while (s > 0xffff) s = (s % 0x10000) + Math.floor(s / 0x10000);
  return ~s & 0xffff;
}

/** The Internet checksum of `range` (default the whole buffer). */
export function internetChecksum(bytes: Uint8Array, range?: ByteRange): number {
  return foldChecksum(onesComplementSum(bytes, range));
}

/** Unfolded sum of an IPv4 (RFC 793) or IPv6 (RFC 8200 §8.1) pseudo header. */
export function pseudoHeaderSum(bytes: Uint8Array, header: PseudoHeader): number {
  const n = header.addressLength;
  if (n !== 4 && n !== 16) {
    throw new RangeError(`Cannot sum pseudo header: addressLength is ${String(n)} (must be 4 or 16)`);
  }
  const { srcOffset, dstOffset, protocol, length } = header;
  if (srcOffset < 0 || srcOffset + n > bytes.length || dstOffset < 0 || dstOffset + n > bytes.length) {
    throw new RangeError(
      `Cannot sum pseudo header: addresses at ${srcOffset} and ${dstOffset} run past ${bytes.length} bytes`,
    );
  }
  let sum = 0;
  for (let i = 0; i < n; i += 2) {
    sum +=
      ((bytes[srcOffset + i]! << 8) | bytes[srcOffset + i + 1]!) +
      ((bytes[dstOffset + i]! << 8) | bytes[dstOffset + i + 1]!);
  }
  // IPv4: zero, protocol, 16-bit length. IPv6: 32-bit length, 24 zero bits, next header.
  // Both reduce to the same word sum when the length fits in 32 bits.
  return sum + protocol + (length % 0x10000) + Math.floor(length / 0x10000);
}
