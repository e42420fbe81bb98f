/**
 * @module
 * Monitored address blocks of a sensor: parsing `192.0.2.7`, `192.0.2.0/24`,
 * `2001:db8::/64` into canonical form, overlap tests, and the address count
 * each block contributes to "per sensor address" figures.
 *
 * Address count (the divisor of every per-address statistic):
 * - IPv4: every address of the block, network and broadcast included (a
 *   darknet /24 listens on all 256), so `2^(32 - prefix)`.
 * - IPv6: 1 per declared entry, whatever its length. A /64 telescope has
 *   2^64 addresses, and dividing by that would make every figure 0; an IPv6
 *   entry is one observation point, so IPv6 per-address figures are "per
 *   declared IPv6 entry". Declare IPv6 hosts one by one to count them singly.
 */

import type { SensorAddress } from './store.js';
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from '../util/ip-address.js';

const IPV4_BITS = 32;
const IPV6_BITS = 128;
const IPV6_BYTES = 16;
const BITS_PER_BYTE = 8;
/** Divisor contributed by one IPv6 entry (see the module comment). */
export const IPV6_ENTRY_ADDRESS_COUNT = 1;

/**
 * Parses one address entry. Throws `SyntaxError` for text that is no address
 * and `RangeError` for a bad prefix length or host bits set below the prefix
 * (`192.0.2.5/24` is most likely a typo for `192.0.2.0/24`).
 */
export function parseAddressBlock(text: string): SensorAddress {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const addressText = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const family: 4 | 6 = addressText.includes(':') ? 6 : 4;
  const maxBits = family === 4 ? IPV4_BITS : IPV6_BITS;
  let prefixLen = maxBits;
  if (slash >= 0) {
    const lenText = trimmed.slice(slash + 1);
    if (!/^\d{1,3}$/.test(lenText)) throw new SyntaxError(`"${text}" has no valid prefix length after "/"`);
    prefixLen = Number(lenText);
    if (prefixLen > maxBits) throw new RangeError(`"${text}" has prefix length ${prefixLen}, above ${maxBits}`);
  }
  if (family === 4) {
    let first: number;
    try {
      first = parseIpv4(addressText);
    } catch {
      throw new SyntaxError(`"${text}" is not an IPv4 or IPv6 address or CIDR block`);
    }
    const size = 2 ** (IPV4_BITS - prefixLen);
    if (first % size !== 0) {
      const network = formatIpv4(first - (first % size));
      throw new RangeError(`"${text}" has host bits set below /${prefixLen}; the network is ${network}/${prefixLen}`);
    }
    const cidr = `${formatIpv4(first)}/${prefixLen}`;
    return { cidr, family, prefixLen, v4First: first, v4Last: first + size - 1, addressCount: size };
  }
  let bytes: Uint8Array;
  try {
    bytes = parseIpv6(addressText);
  } catch {
    throw new SyntaxError(`"${text}" is not an IPv4 or IPv6 address or CIDR block`);
  }
  const network = maskIpv6(bytes, prefixLen);
  if (!network.every((b, i) => b === bytes[i])) {
    throw new RangeError(
      `"${text}" has host bits set below /${prefixLen}; the network is ${formatIpv6(network)}/${prefixLen}`,
    );
  }
  const cidr = `${formatIpv6(network)}/${prefixLen}`;
  return { cidr, family, prefixLen, v4First: 0, v4Last: 0, addressCount: IPV6_ENTRY_ADDRESS_COUNT };
}

/** The 16 network bytes of an IPv6 block (`cidr` is canonical, so this cannot fail). */
export function ipv6Network(block: SensorAddress): Uint8Array {
  return parseIpv6(block.cidr.slice(0, block.cidr.indexOf('/')));
}

/** Whether two blocks share at least one address. */
export function blocksOverlap(a: SensorAddress, b: SensorAddress): boolean {
  if (a.family !== b.family) return false;
  if (a.family === 4) return a.v4First <= b.v4Last && b.v4First <= a.v4Last;
  const shorter = Math.min(a.prefixLen, b.prefixLen);
  const na = maskIpv6(ipv6Network(a), shorter);
  const nb = maskIpv6(ipv6Network(b), shorter);
  return na.every((byte, i) => byte === nb[i]);
}

/** A copy of `bytes` with the bits below `prefixLen` cleared. */
function maskIpv6(bytes: Uint8Array, prefixLen: number): Uint8Array {
  const out = new Uint8Array(IPV6_BYTES);
  for (let i = 0; i < IPV6_BYTES; i++) {
    const keep = Math.max(0, Math.min(BITS_PER_BYTE, prefixLen - i * BITS_PER_BYTE));
    out[i] = bytes[i]! & ((0xff << (BITS_PER_BYTE - keep)) & 0xff);
  }
  return out;
}
