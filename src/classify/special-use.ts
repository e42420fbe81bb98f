/**
 * @module
 * IPv4 special-use blocks (RFC 6890 registry) that are never routed on the
 * Internet. A source there has no country: whois-derived databases answer
 * for some of them anyway (the bundled one puts 172.16.0.0/12 and
 * 192.168.0.0/16 in AU, from the registry that holds the reservation), and a
 * darknet report must not count a LAN address as an Australian attacker.
 */

import { Ipv4Ranges } from './ipv4-ranges.js';

/** [network, prefix length] of each block, in address order. */
const BLOCKS: readonly (readonly [number, number])[] = [
  [0x00000000, 8], // 0.0.0.0/8 "this network"
  [0x0a000000, 8], // 10.0.0.0/8 private
  [0x64400000, 10], // 100.64.0.0/10 shared address space (CGN)
  [0x7f000000, 8], // 127.0.0.0/8 loopback
  [0xa9fe0000, 16], // 169.254.0.0/16 link local
  [0xac100000, 12], // 172.16.0.0/12 private
  [0xc0000000, 24], // 192.0.0.0/24 IETF protocol assignments
  [0xc0000200, 24], // 192.0.2.0/24 TEST-NET-1
  [0xc0a80000, 16], // 192.168.0.0/16 private
  [0xc6120000, 15], // 198.18.0.0/15 benchmarking
  [0xc6336400, 24], // 198.51.100.0/24 TEST-NET-2
  [0xcb007100, 24], // 203.0.113.0/24 TEST-NET-3
  [0xe0000000, 4], // 224.0.0.0/4 multicast
  [0xf0000000, 4], // 240.0.0.0/4 reserved, broadcast
];

const maskOf = (len: number): number => (len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0);

/**
 * 1 for every special-use address, 0 elsewhere (blocks listed in address
 * order, none inside another). Enrichment merges it into the GeoIP table;
 * as a lookup of its own it costs one directory read for most addresses.
 */
export const SPECIAL_USE_RANGES: Ipv4Ranges = Ipv4Ranges.build(0, (sink) => {
  for (const [net, len] of BLOCKS) sink.add(net, 2 ** (32 - len), 1);
});

/** True when `addr` (unsigned 32-bit) lies in a block that is never routed on the Internet. */
export function isSpecialUseIpv4(addr: number): boolean {
  return SPECIAL_USE_RANGES.get(addr) === 1;
}

/** True when the network `start/prefixLen` shares any address with a special-use block. */
export function overlapsSpecialUseIpv4(start: number, prefixLen: number): boolean {
  // Two prefixes overlap exactly when one contains the other: compare under the shorter mask.
  for (const [net, len] of BLOCKS) {
    const mask = maskOf(Math.min(len, prefixLen));
    if ((start & mask) >>> 0 === (net & mask) >>> 0) return true;
  }
  return false;
}
