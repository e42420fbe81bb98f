/**
 * @module
 * teiten's packet crafting library: raw bytes of Ethernet/SLL/NULL/raw frames
 * carrying IPv4/IPv6 with TCP, UDP, ICMP and ICMPv6, checksums included. Used
 * by decoder fixtures, the traffic simulator and the decode benchmark.
 */

export { CraftBuffer } from './craft-buffer.js';
export { buildPacket } from './packet.js';
export {
  ipv4IcmpFields,
  ipv4TcpFields,
  ipv4UdpFields,
  writeIpv4Icmp,
  writeIpv4Tcp,
  writeIpv4Udp,
  type Ipv4Fields,
  type Ipv4IcmpFields,
  type Ipv4TcpFields,
  type Ipv4UdpFields,
} from './fast.js';
export { buildLinkHeader } from './link.js';
export { linuxSynOptions, tcpOptions, type TcpOption } from './tcp-options.js';
export { type ByteRange, type PseudoHeader } from './checksum.js';
export { type Ipv4Input, type Ipv6Input, type MacInput } from './address.js';
export * from './spec.js';
