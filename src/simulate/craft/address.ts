/**
 * @module
 * Address inputs for packet specs: IPv4 as a uint32 or dotted text, IPv6 as 16
 * bytes or RFC 4291 text, MAC as 6 bytes or `aa:bb:cc:dd:ee:ff`. Numbers and
 * byte arrays are the allocation-free hot path; text is parsed on each use and
 * is meant for tests and fixtures.
 *
 * A small private parser lives here on purpose: craft must not depend on the
 * decode stage's address helpers.
 */

import type { CraftBuffer } from './craft-buffer.js';

export type Ipv4Input = number | string;
export type Ipv6Input = Uint8Array | string;
export type MacInput = Uint8Array | string;

const IPV4_MAX = 0xffffffff;
const IPV6_BYTES = 16;
const IPV6_GROUPS = 8;
const MAC_BYTES = 6;
const MAX_OCTET = 255;
const HEX_GROUP = /^[0-9a-f]{1,4}$/i;
const DECIMAL_OCTET = /^(0|[1-9][0-9]{0,2})$/;
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

/** Parses strict dotted-quad text (`192.0.2.1`; no leading zeros, no shorthand). */
export function parseIpv4(text: string): number {
  const parts = text.split('.');
  if (parts.length !== 4) throw new SyntaxError(`Cannot parse IPv4 address "${text}": expected 4 parts`);
  let value = 0;
  for (const part of parts) {
    const octet = DECIMAL_OCTET.test(part) ? Number(part) : NaN;
    if (!(octet <= MAX_OCTET)) throw new SyntaxError(`Cannot parse IPv4 address "${text}": bad part "${part}"`);
    value = value * 256 + octet;
  }
  return value;
}

/** Dotted text of a uint32 IPv4 address. */
export function formatIpv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 0xff}.${(value >>> 8) & 0xff}.${value & 0xff}`;
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

/** Parses RFC 4291 text: hex groups, one `::`, optional dotted IPv4 tail; no zone id. */
export function parseIpv6(text: string): Uint8Array {
  const fail = (why: string): SyntaxError => new SyntaxError(`Cannot parse IPv6 address "${text}": ${why}`);
  const halves = text.split('::');
  if (halves.length > 2) throw fail('more than one "::"');
  const head = halves[0] === '' ? [] : halves[0]!.split(':');
  const tail = halves.length === 1 || halves[1] === '' ? [] : halves[1]!.split(':');
  const words: number[] = [];
  const tailWords: number[] = [];
  const groups = [...head, ...tail];
  groups.forEach((group, index) => {
    const out = index < head.length ? words : tailWords;
    // A dotted IPv4 tail is only allowed at the very end of the text.
    const last = index === groups.length - 1 && (halves.length === 1 || tail.length > 0);
    if (last && group.includes('.')) {
      const v4 = parseIpv4Safe(group);
      if (v4 === undefined) throw fail(`bad IPv4 tail "${group}"`);
      out.push(v4 >>> 16, v4 & 0xffff);
    } else if (HEX_GROUP.test(group)) {
      out.push(Number.parseInt(group, 16));
    } else {
      throw fail(`bad group "${group}"`);
    }
  });
  const count = words.length + tailWords.length;
  if (halves.length === 1 ? count !== IPV6_GROUPS : count >= IPV6_GROUPS) {
    throw fail(`${count} groups`);
  }
  while (words.length + tailWords.length < IPV6_GROUPS) words.push(0);
  words.push(...tailWords);
  const bytes = new Uint8Array(IPV6_BYTES);
  words.forEach((word, i) => {
    bytes[i * 2] = word >>> 8;
    bytes[i * 2 + 1] = word & 0xff;
  });
  return bytes;
}

function parseIpv4Safe(text: string): number | undefined {
  try {
    return parseIpv4(text);
  } catch {
    return undefined;
  }
}

/** A MAC address as 6 bytes (the input itself when it already is 6 bytes). */
export function macToBytes(input: MacInput, field = 'address'): Uint8Array {
  if (input instanceof Uint8Array) {
    if (input.length !== MAC_BYTES) throw new RangeError(`Cannot use MAC ${field}: ${input.length} bytes given, 6 needed`);
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
