/**
 * @module
 * The packet spec types: a plain-data description of one frame, layer by
 * layer, that `writePacket`/`buildPacket` turn into bytes. Optional fields
 * default to ordinary values; fields named `checksum`/`*Length` override the
 * computed value so decoder fixtures can carry deliberate errors.
 */

import type { Ipv4Input, Ipv6Input, MacInput } from './address.js';

export type Payload = Uint8Array | string;

export const EtherType = {
  IPV4: 0x0800,
  ARP: 0x0806,
  VLAN: 0x8100,
  QINQ: 0x88a8,
  IPV6: 0x86dd,
} as const;

/** BSD `AF_*` values seen in DLT_NULL/DLT_LOOP headers. */
export const AddressFamily = {
  INET: 2,
  /** NetBSD, OpenBSD, BSD/OS (the default here). */
  INET6_BSD: 24,
  INET6_FREEBSD: 28,
  INET6_DARWIN: 30,
} as const;

export const IcmpType = {
  ECHO_REPLY: 0,
  DEST_UNREACHABLE: 3,
  REDIRECT: 5,
  ECHO_REQUEST: 8,
  TIME_EXCEEDED: 11,
  PARAMETER_PROBLEM: 12,
  TIMESTAMP_REQUEST: 13,
  TIMESTAMP_REPLY: 14,
} as const;

export const Icmpv6Type = {
  DEST_UNREACHABLE: 1,
  PACKET_TOO_BIG: 2,
  TIME_EXCEEDED: 3,
  PARAMETER_PROBLEM: 4,
  ECHO_REQUEST: 128,
  ECHO_REPLY: 129,
  NEIGHBOR_SOLICITATION: 135,
} as const;

/** One 802.1Q/802.1ad tag; the first tag in a list is the outermost. */
export interface VlanTag {
  /** VLAN id, 0..4095. */
  id: number;
  /** Priority code point, 0..7 (default 0). */
  priority?: number;
  /** Drop eligible indicator (default false). */
  dropEligible?: boolean;
  /** Tag protocol id (default 0x8100). */
  tpid?: 0x8100 | 0x88a8;
}

export interface EthernetLink {
  kind: 'ethernet';
  /** Default 02:00:00:00:00:01. */
  src?: MacInput;
  /** Default 02:00:00:00:00:02. */
  dst?: MacInput;
  vlans?: readonly VlanTag[];
  /** EtherType after the tags; default from the IP version, required without IP. */
  etherType?: number;
  /** Pad the frame with zeros to this length (60 is Ethernet's minimum without FCS). */
  minFrameLength?: number;
}

/** Linux "cooked" capture v1 (LINKTYPE_LINUX_SLL, 16 bytes). */
export interface SllLink {
  kind: 'sll';
  /** Default 0 (PACKET_HOST). */
  packetType?: number;
  /** ARPHRD_* type, default 1 (ARPHRD_ETHER). */
  hardwareType?: number;
  /** Link-layer address, up to 8 bytes, or MAC text (default a 6-byte MAC). */
  address?: MacInput;
  /** Protocol (EtherType); default from the IP version. */
  protocol?: number;
}

/** Linux "cooked" capture v2 (LINKTYPE_LINUX_SLL2, 20 bytes). */
export interface Sll2Link extends Omit<SllLink, 'kind'> {
  kind: 'sll2';
  /** Interface index (default 1). */
  interfaceIndex?: number;
}

/** BSD loopback: DLT_NULL (AF in host order) or DLT_LOOP (AF in network order). */
export interface NullLink {
  kind: 'null' | 'loop';
  /** AF value; default 2 for IPv4 and 24 for IPv6, required without IP. */
  family?: number;
  /** Default 'little' for null, 'big' for loop. */
  byteOrder?: 'little' | 'big';
}

/** No link header: the frame starts with the IP header. */
export interface RawLink {
  kind: 'raw';
}

export type LinkSpec = EthernetLink | SllLink | Sll2Link | NullLink | RawLink;

export interface Ipv4Spec {
  version: 4;
  src: Ipv4Input;
  dst: Ipv4Input;
  /** Default 64. */
  ttl?: number;
  /** Identification, default 0. */
  id?: number;
  /** Type of service / DSCP+ECN byte, default 0. */
  tos?: number;
  dontFragment?: boolean;
  moreFragments?: boolean;
  /** The reserved ("evil") flag bit. */
  reservedFlag?: boolean;
  /** Fragment offset in bytes (a multiple of 8). */
  fragmentOffset?: number;
  /** Option bytes; padded with zeros (EOL) to a multiple of 4, at most 40. */
  options?: Uint8Array;
  /** Protocol number; default from `l4`, required without it. */
  protocol?: number;
  /** Override the computed total length. */
  totalLength?: number;
  /** Override the computed header checksum. */
  checksum?: number;
}

export interface OptionsExtension {
  kind: 'hop-by-hop' | 'destination';
  /** Option TLVs; padded with Pad1/PadN to a multiple of 8 with the 2-byte header. */
  options?: Uint8Array;
}

export interface RoutingExtension {
  kind: 'routing';
  /** Routing type (default 0). */
  routingType?: number;
  /** Default 0. With addresses and a non-zero value, the last address is the final destination. */
  segmentsLeft?: number;
  /** Type 0/2 layout: 4 reserved bytes then these addresses. */
  addresses?: readonly Ipv6Input[];
  /** Any other layout: the bytes after the first 4, zero-padded to a multiple of 8. */
  data?: Uint8Array;
}

export interface FragmentExtension {
  kind: 'fragment';
  id: number;
  /** Fragment offset in bytes (a multiple of 8), default 0. */
  offset?: number;
  /** More-fragments bit. */
  more?: boolean;
}

export type Ipv6Extension = OptionsExtension | RoutingExtension | FragmentExtension;

export interface Ipv6Spec {
  version: 6;
  src: Ipv6Input;
  dst: Ipv6Input;
  /** Default 64. */
  hopLimit?: number;
  /** 20 bits, default 0. */
  flowLabel?: number;
  /** Default 0. */
  trafficClass?: number;
  /** Extension headers in order, first right after the fixed header. */
  extensions?: readonly Ipv6Extension[];
  /** Next header after the chain; default from `l4`, or 59 (no next header) without it. */
  protocol?: number;
  /** Override the computed payload length. */
  payloadLength?: number;
}

export type IpSpec = Ipv4Spec | Ipv6Spec;

export interface TcpSpec {
  kind: 'tcp';
  srcPort: number;
  dstPort: number;
  seq?: number;
  ack?: number;
  /** `TcpFlag` bits including NS (0x100); default 0. */
  flags?: number;
  /** Default 65535. */
  window?: number;
  urgentPointer?: number;
  /** Option bytes (see tcp-options.ts); zero-padded to a multiple of 4, at most 40. */
  options?: Uint8Array;
  checksum?: number;
}

export interface UdpSpec {
  kind: 'udp';
  srcPort: number;
  dstPort: number;
  /** Override the computed length field. */
  length?: number;
  /** Override the computed checksum (0 means "none" over IPv4). */
  checksum?: number;
}

export interface IcmpSpec {
  /** `icmp` is ICMPv4; `icmpv6` needs an IPv6 header and uses its pseudo header. */
  kind: 'icmp' | 'icmpv6';
  type: number;
  code?: number;
  /** Echo identifier and sequence number, the 4 "rest of header" bytes as id<<16|seq. */
  id?: number;
  seq?: number;
  /** The 4 "rest of header" bytes as a uint32 (MTU, pointer, gateway); overrides id/seq. */
  rest?: number;
  /** Packet quoted by an error message, built with this library; excludes `payload`. */
  quote?: IpPacketSpec;
  /**
   * Bytes of the quoted packet to include; default its IP header + 8 for ICMP,
   * and the whole packet (at most 1232 bytes) for ICMPv6.
   */
  quoteLength?: number;
  checksum?: number;
}

export type L4Spec = TcpSpec | UdpSpec | IcmpSpec;

/** An IP packet: what an ICMP error quotes. */
export interface IpPacketSpec {
  ip: IpSpec;
  /** Transport header; without it `payload` follows the IP header(s) directly. */
  l4?: L4Spec;
  payload?: Payload;
}

/** A whole frame. Without `link` the frame is raw IP; without `ip` it carries `payload` only. */
export interface PacketSpec {
  link?: LinkSpec;
  ip?: IpSpec;
  l4?: L4Spec;
  payload?: Payload;
}
