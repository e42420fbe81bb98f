/**
 * @module
 * The one IP address text layer: IPv4 dotted quads for the `src4`-style u32
 * columns and IPv6 in RFC 5952 canonical form for the 16-bytes-per-slot
 * columns, the parsers that reverse them (CLI filters, rules, scenarios,
 * tests), networks (`a.b.c.d/n`) and IPv4-mapped IPv6. The hot paths keep
 * their integers and bytes; text is made only at the edges.
 *
 * IPv6 text matches what tshark prints: lowercase, no leading zeros, the
 * longest run of two or more zero groups (the first on a tie) as `::`, and an
 * embedded dotted quad when the first 96 bits are zero (`::1.2.3.4`, but `::1`
 * and `::ffff` stay hex) or the address is IPv4-mapped (`::ffff:1.2.3.4`).
 */

const IPV6_BYTES = 16;
const IPV6_GROUPS = 8;
const MAPPED_MARKER = 0xffff;
/** Groups before an embedded IPv4 address. */
const IPV4_EMBED_AT = 6;
const BYTE_MAX = 255;
const GROUP_MAX_DIGITS = 4;
const IPV4_BITS = 32;
const IPV6_BITS = 128;
/** Bytes 10 and 11 of an IPv4-mapped IPv6 address (::ffff:a.b.c.d). */
const MAPPED_PREFIX_BYTES = 10;
const MAPPED_BYTE = 0xff;

/** Formats a u32 (as stored in `src4`, `dst4` …) as a dotted quad. */
export function formatIpv4(address: number): string {
  return `${(address >>> 24) & 0xff}.${(address >>> 16) & 0xff}.${(address >>> 8) & 0xff}.${address & 0xff}`;
}

/** Formats the 16 bytes at `bytes[offset]` as canonical IPv6 text (RFC 5952). */
export function formatIpv6(bytes: Uint8Array, offset = 0): string {
  if (offset < 0 || offset + IPV6_BYTES > bytes.length) {
    throw new RangeError(`Cannot format IPv6 address: offset ${offset} leaves fewer than 16 of ${bytes.length} bytes`);
  }
  const groups = new Array<number>(IPV6_GROUPS);
  for (let g = 0; g < IPV6_GROUPS; g++) groups[g] = (bytes[offset + 2 * g]! << 8) | bytes[offset + 2 * g + 1]!;

  // Longest run of zero groups; only runs of two or more are compressed.
  let bestStart = -1;
  let bestLen = 1;
  for (let g = 0; g < IPV6_GROUPS;) {
    if (groups[g] !== 0) {
      g++;
      continue;
    }
    let runEnd = g;
    while (runEnd < IPV6_GROUPS && groups[runEnd] === 0) runEnd++;
    if (runEnd - g > bestLen) {
      bestStart = g;
      bestLen = runEnd - g;
    }
    g = runEnd;
  }
  const embedIpv4 =
    bestStart === 0 && (bestLen === IPV4_EMBED_AT || (bestLen === IPV4_EMBED_AT - 1 && groups[5] === MAPPED_MARKER));
  const hexGroups = embedIpv4 ? IPV4_EMBED_AT : IPV6_GROUPS;

  let text = '';
  for (let g = 0; g < hexGroups; g++) {
    if (g === bestStart) {
      text += '::';
      g += bestLen - 1;
      continue;
    }
    if (text !== '' && !text.endsWith(':')) text += ':';
    text += groups[g]!.toString(16);
  }
  if (embedIpv4) {
    if (!text.endsWith(':')) text += ':';
    const at = offset + 2 * IPV4_EMBED_AT;
    text += `${bytes[at]}.${bytes[at + 1]}.${bytes[at + 2]}.${bytes[at + 3]}`;
  }
  return text;
}

/** Parses a dotted quad (no leading zeros) into a u32 as the `src4` columns hold it. */
export function parseIpv4(text: string): number {
  const value = tryParseIpv4(text);
  if (value === undefined) throw new SyntaxError(`Cannot parse IPv4 address "${text}"`);
  return value;
}

/** Parses IPv6 text (any valid form, embedded dotted quad allowed, no zone) into 16 bytes. */
export function parseIpv6(text: string): Uint8Array {
  const bytes = tryParseIpv6(text);
  if (bytes === undefined) throw new SyntaxError(`Cannot parse IPv6 address "${text}"`);
  return bytes;
}

/** Whether the 16 bytes at `bytes[offset]` are an IPv4-mapped address ::ffff:a.b.c.d. */
export function isIpv4Mapped(bytes: Uint8Array, offset = 0): boolean {
  for (let k = 0; k < MAPPED_PREFIX_BYTES; k++) if (bytes[offset + k] !== 0) return false;
  return bytes[offset + MAPPED_PREFIX_BYTES] === MAPPED_BYTE && bytes[offset + MAPPED_PREFIX_BYTES + 1] === MAPPED_BYTE;
}

/** The IPv4 address in the last 4 of the 16 bytes at `bytes[offset]`. */
export function ipv4Tail(bytes: Uint8Array, offset = 0): number {
  return (
    ((bytes[offset + 12]! << 24) | (bytes[offset + 13]! << 16) | (bytes[offset + 14]! << 8) | bytes[offset + 15]!) >>> 0
  );
}

/** A parsed network: IPv4 as a number, IPv6 as 16 bytes. */
export type Cidr =
  { version: 4; start: number; prefixLen: number } | { version: 6; bytes: Uint8Array; prefixLen: number };

/** Parses `a.b.c.d/n` or `x::/n`; a bare address is a host network (/32 or /128). */
export function parseCidr(text: string): Cidr {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const lenText = slash < 0 ? undefined : text.slice(slash + 1);
  const v4 = !addr.includes(':');
  const max = v4 ? IPV4_BITS : IPV6_BITS;
  if (lenText !== undefined && !/^\d{1,3}$/.test(lenText))
    throw new SyntaxError(`Cannot parse network "${text}": bad prefix length`);
  const prefixLen = lenText === undefined ? max : Number(lenText);
  if (prefixLen > max)
    throw new RangeError(`Cannot parse network "${text}": prefix length ${prefixLen} is above ${max}`);
  return v4 ? { version: 4, start: parseIpv4(addr), prefixLen } : { version: 6, bytes: parseIpv6(addr), prefixLen };
}

function tryParseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > BYTE_MAX) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

/** Groups of one side of `::` (or of the whole address), or undefined when malformed. */
function parseGroups(side: string, allowIpv4Tail: boolean): number[] | undefined {
  if (side === '') return [];
  const parts = side.split(':');
  const groups: number[] = [];
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]!;
    if (allowIpv4Tail && p === parts.length - 1 && part.includes('.')) {
      const v4 = tryParseIpv4(part);
      if (v4 === undefined) return undefined;
      groups.push(v4 >>> 16, v4 & 0xffff);
      continue;
    }
    if (part.length < 1 || part.length > GROUP_MAX_DIGITS || !/^[0-9a-fA-F]+$/.test(part)) return undefined;
    groups.push(parseInt(part, 16));
  }
  return groups;
}

function tryParseIpv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const head = parseGroups(halves[0]!, false);
    const tail = parseGroups(halves[1]!, true);
    if (head === undefined || tail === undefined) return undefined;
    const missing = IPV6_GROUPS - head.length - tail.length;
    if (missing < 1) return undefined;
    groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    const all = parseGroups(text, true);
    if (all === undefined || all.length !== IPV6_GROUPS) return undefined;
    groups = all;
  }
  const bytes = new Uint8Array(IPV6_BYTES);
  for (let g = 0; g < IPV6_GROUPS; g++) {
    bytes[2 * g] = groups[g]! >>> 8;
    bytes[2 * g + 1] = groups[g]! & 0xff;
  }
  return bytes;
}
