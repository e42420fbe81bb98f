/**
 * @module
 * Address inputs for packet specs: IPv4 as a uint32 or dotted text, IPv6 as 16
 * bytes or RFC 4291 text, MAC as 6 bytes or `aa:bb:cc:dd:ee:ff`. Numbers and
 * byte arrays are the allocation-free hot path; text is parsed on each use and
 * is meant for tests and fixtures.
 */

import { parseIpv4, parseIpv6 } from '../../util/ip-address.js';
import type { CraftBuffer } from './craft-buffer.js';

export type Ipv4Input = number | string;
export type Ipv6Input = Uint8Array | string;
export type MacInput = Uint8Array | string;

const IPV4_MAX = 0xffffffff;
const IPV6_BYTES = 16;
const MAC_BYTES = 6;
const MAC_TEXT = /^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/i;

/** An IPv4 address as an unsigned 32-bit integer. */
export function ipv4ToUint32(input: Ipv4Input, field = 'address'): number {
  if (typeof input === 'number') {
    if (!Number.isInteger(input) || input < 0 || input > IPV4_MAX) {
      throw new RangeError(`Cannot use IPv4 ${field}: ${input} is not an integer in 0..${IPV4_MAX}`);
    }
    return input;
  }
  if (typeof input !== 'string') throw new TypeError(`Cannot use IPv4 ${field}: expected a number or dotted text`);
  return parseIpv4(input);
}

/** An IPv6 address as 16 bytes (the input itself when it already is 16 bytes). */
export function ipv6ToBytes(input: Ipv6Input, field = 'address'): Uint8Array {
  if (input instanceof Uint8Array) {
    if (input.length !== IPV6_BYTES) {
      throw new RangeError(`Cannot use IPv6 ${field}: ${input.length} bytes given, 16 needed`);
    }
    return input;
  }
  if (typeof input !== 'string') throw new TypeError(`Cannot use IPv6 ${field}: expected 16 bytes or text`);
  return parseIpv6(input);
}

/** A MAC address as 6 bytes (the input itself when it already is 6 bytes). */
export function macToBytes(input: MacInput, field = 'address'): Uint8Array {
  if (input instanceof Uint8Array) {
    if (input.length !== MAC_BYTES)
      throw new RangeError(`Cannot use MAC ${field}: ${input.length} bytes given, 6 needed`);
    return input;
  }
  if (typeof input !== 'string' || !MAC_TEXT.test(input)) {
    throw new SyntaxError(`Cannot parse MAC ${field} "${String(input)}": expected aa:bb:cc:dd:ee:ff`);
  }
  const bytes = new Uint8Array(MAC_BYTES);
  for (let i = 0; i < MAC_BYTES; i++) bytes[i] = Number.parseInt(input.slice(i * 3, i * 3 + 2), 16);
  return bytes;
}

/** Writes an IPv4 address at `buf.pos` and advances 4 bytes. */
export function writeIpv4Address(buf: CraftBuffer, input: Ipv4Input): void {
  const value = ipv4ToUint32(input);
  buf.need(4, 'IPv4 address');
  buf.view.setUint32(buf.pos, value);
  buf.pos += 4;
}

/** Writes an IPv6 address at `buf.pos` and advances 16 bytes. */
export function writeIpv6Address(buf: CraftBuffer, input: Ipv6Input): void {
  buf.writeBytes(ipv6ToBytes(input), 'IPv6 address');
}
