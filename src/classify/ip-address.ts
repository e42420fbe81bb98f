/**
 * @module
 * IP address text <-> numbers for the GeoIP code: IPv4 as an unsigned 32-bit
 * integer (the `src4` column form), IPv6 as 16 bytes (the `src6` column form).
 * mmdb-lib takes addresses as text, so the uncached lookup path formats here.
 */

import { isIPv4, isIPv6 } from 'node:net';

const IPV4_BITS = 32;
const IPV6_BITS = 128;
const IPV6_BYTES = 16;
const IPV6_GROUPS = 8;
/** Bytes 10 and 11 of an IPv4-mapped IPv6 address (::ffff:a.b.c.d). */
const MAPPED_MARKER = 0xff;
const MAPPED_PREFIX_BYTES = 10;

/** `a.b.c.d` of an unsigned 32-bit address. */
export function formatIpv4(addr: number): string {
  return `${addr >>> 24}.${(addr >>> 16) & 0xff}.${(addr >>> 8) & 0xff}.${addr & 0xff}`;
}

/** Uncompressed `x:x:x:x:x:x:x:x` of the 16 bytes at `bytes[offset]`. */
export function formatIpv6(bytes: Uint8Array, offset = 0): string {
  let text = '';
  for (let g = 0; g < IPV6_GROUPS; g++) {
    const word = (bytes[offset + 2 * g]! << 8) | bytes[offset + 2 * g + 1]!;
    text += g === 0 ? word.toString(16) : `:${word.toString(16)}`;
  }
  return text;
}

/** Whether the 16 bytes at `bytes[offset]` are an IPv4-mapped address ::ffff:a.b.c.d. */
export function isIpv4Mapped(bytes: Uint8Array, offset = 0): boolean {
  for (let k = 0; k < MAPPED_PREFIX_BYTES; k++) if (bytes[offset + k] !== 0) return false;
  return bytes[offset + MAPPED_PREFIX_BYTES] === MAPPED_MARKER && bytes[offset + MAPPED_PREFIX_BYTES + 1] === MAPPED_MARKER;
}

/** The IPv4 address in the last 4 of the 16 bytes at `bytes[offset]`. */
export function ipv4Tail(bytes: Uint8Array, offset = 0): number {
  return ((bytes[offset + 12]! << 24) | (bytes[offset + 13]! << 16) | (bytes[offset + 14]! << 8) | bytes[offset + 15]!) >>> 0;
}

/** Parse dotted-quad IPv4 text to an unsigned 32-bit integer. */
export function parseIpv4(text: string): number {
  if (!isIPv4(text)) throw new SyntaxError(`Cannot parse IPv4 address "${text}"`);
  const parts = text.split('.');
  return ((Number(parts[0]) << 24) | (Number(parts[1]) << 16) | (Number(parts[2]) << 8) | Number(parts[3])) >>> 0;
}

/** Parse IPv6 text (with `::` and an optional dotted IPv4 tail) to 16 bytes. */
export function parseIpv6(text: string): Uint8Array {
  if (!isIPv6(text) || text.includes('%')) throw new SyntaxError(`Cannot parse IPv6 address "${text}"`);
  let body = text;
  const lastColon = body.lastIndexOf(':');
  if (body.includes('.', lastColon)) {
    // Rewrite the dotted tail as two hex groups so one path parses both forms.
    const v4 = parseIpv4(body.slice(lastColon + 1));
    body = `${body.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head = '', rest] = body.split('::');
  const groups = (part: string): number[] => (part === '' ? [] : part.split(':').map((w) => parseInt(w, 16)));
  const headWords = groups(head);
  const restWords = rest === undefined ? [] : groups(rest);
  const zeros = rest === undefined ? 0 : IPV6_GROUPS - headWords.length - restWords.length;
  const words = [...headWords, ...new Array<number>(zeros).fill(0), ...restWords];
  const bytes = new Uint8Array(IPV6_BYTES);
  words.forEach((w, g) => {
    bytes[2 * g] = w >>> 8;
    bytes[2 * g + 1] = w & 0xff;
  });
  return bytes;
}

/** A parsed network: IPv4 as a number, IPv6 as 16 bytes. */
export type Cidr =
  | { version: 4; start: number; prefixLen: number }
  | { version: 6; bytes: Uint8Array; prefixLen: number };

/** Parse `a.b.c.d/n` or `x::/n`; a bare address is a host network (/32 or /128). */
export function parseCidr(text: string): Cidr {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const lenText = slash < 0 ? undefined : text.slice(slash + 1);
  const v4 = !addr.includes(':');
  const max = v4 ? IPV4_BITS : IPV6_BITS;
  if (lenText !== undefined && !/^\d{1,3}$/.test(lenText)) throw new SyntaxError(`Cannot parse network "${text}": bad prefix length`);
  const prefixLen = lenText === undefined ? max : Number(lenText);
  if (prefixLen > max) throw new RangeError(`Cannot parse network "${text}": prefix length ${prefixLen} is above ${max}`);
  return v4
    ? { version: 4, start: parseIpv4(addr), prefixLen }
    : { version: 6, bytes: parseIpv6(addr), prefixLen };
}
