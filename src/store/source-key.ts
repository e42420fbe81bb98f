import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from '../util/ip-address.js';
/**
 * @module
 * Source keys: how `source_day.src` holds a source address as one integer, so
 * the largest table carries no text (text cost the ingest about three times
 * the append time of an integer column and slows every distinct count).
 *
 * - An IPv4 source is its address value, below 2^32.
 * - An IPv6 source is 2^32 + the number the store's `ipv6_sources` table
 *   gives its canonical text (`ipv6-sources.ts`). That number starts from a
 *   48-bit hash of the text and moves to the next free one when another
 *   address holds it, so keys stay below 2^53 (exact in a double) and the same
 *   address gets the same key in every ingest and both stores.
 */

/** Keys at or above this are IPv6 sources. */
export const IPV6_KEY_BASE = 2 ** 32;
/** IPv6 numbers are below 2^48: base + number stays a safe integer with room to probe. */
const IPV6_NUMBER_SPAN = 2 ** 48;
const TWO_16 = 0x1_0000;

export function isIpv6SourceKey(key: number): boolean {
  return key >= IPV6_KEY_BASE;
}

/** Canonical text of an address and its family; throws `SyntaxError` naming the text when it is neither. */
export function canonicalSource(text: string): { family: 4 | 6; text: string; ipv4: number } {
  if (!text.includes(':')) {
    const value = parseIpv4(text);
    return { family: 4, text: formatIpv4(value), ipv4: value };
  }
  return { family: 6, text: formatIpv6(parseIpv6(text)), ipv4: -1 };
}

/** Where the search for an IPv6 text's number starts: a 48-bit FNV-1a-style hash of the text. */
export function ipv6KeyCandidate(canonicalText: string): number {
  let low = 0x811c_9dc5;
  let high = 0x050c_5d1f;
  for (let i = 0; i < canonicalText.length; i++) {
    const c = canonicalText.charCodeAt(i);
    low = Math.imul(low ^ c, 0x0100_0193) >>> 0;
    high = Math.imul(high ^ c ^ (low >>> 16), 0x0100_0193) >>> 0;
  }
  return IPV6_KEY_BASE + (high % TWO_16) * IPV6_KEY_BASE + low;
}

/** The key after `key` in the probe order, wrapping inside the IPv6 span. */
export function nextIpv6Key(key: number): number {
  const next = key + 1;
  return next >= IPV6_KEY_BASE + IPV6_NUMBER_SPAN ? IPV6_KEY_BASE : next;
}
