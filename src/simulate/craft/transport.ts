/**
 * @module
 * TCP, UDP, ICMP and ICMPv6 headers. Checksums (and the UDP length) are left
 * zero here; `writeIpPacket` fills them once the payload is in place, because
 * they cover it.
 */

import { uint16, uint32, uint8, uintMax } from './check.js';
import type { CraftBuffer } from './craft-buffer.js';
import type { IcmpSpec, L4Spec, TcpSpec, UdpSpec } from './spec.js';

export const TCP_HEADER = 20;
export const UDP_HEADER = 8;
export const ICMP_HEADER = 8;
const TCP_MAX_OPTIONS = 40;
const TCP_FLAGS = { field: 'tcp.flags', max: 0x1ff };
const TCP_NS = 0x100;
const DEFAULT_WINDOW = 65535;
const PROTO_ICMP = 1;
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const PROTO_ICMPV6 = 58;

/** Offset of each transport's checksum field from the start of its header. */
export const CHECKSUM_FIELD = { tcp: 16, udp: 6, icmp: 2, icmpv6: 2 } as const;

/** IP protocol number of a transport spec. */
export function l4Protocol(l4: L4Spec): number {
  switch (l4.kind) {
    case 'tcp':
      return PROTO_TCP;
    case 'udp':
      return PROTO_UDP;
    case 'icmp':
      return PROTO_ICMP;
    case 'icmpv6':
      return PROTO_ICMPV6;
  }
  throw new TypeError(`Cannot craft transport header: unknown kind "${String((l4 as { kind: unknown }).kind)}"`);
}

/** Writes the transport header (checksum zero) at `buf.pos` and advances past it. */
export function writeL4Header(buf: CraftBuffer, l4: L4Spec): void {
  switch (l4.kind) {
    case 'tcp':
      writeTcp(buf, l4);
      return;
    case 'udp':
      writeUdp(buf, l4);
      return;
    case 'icmp':
    case 'icmpv6':
      writeIcmp(buf, l4);
      return;
  }
  l4Protocol(l4); // throws for an unknown kind
}

function writeTcp(buf: CraftBuffer, tcp: TcpSpec): void {
  const options = tcp.options;
  const optionsLength = options === undefined ? 0 : (options.length + 3) & ~3;
  if (optionsLength > TCP_MAX_OPTIONS) {
    throw new RangeError(`Cannot craft TCP header: tcp.options has ${options?.length} bytes (at most 40)`);
  }
  const headerLength = TCP_HEADER + optionsLength;
  buf.need(headerLength, 'TCP header');
  const v = buf.view;
  const at = buf.pos;
  const flags = uintMax(tcp.flags ?? 0, TCP_FLAGS);
  v.setUint16(at, uint16(tcp.srcPort, 'tcp.srcPort'));
  v.setUint16(at + 2, uint16(tcp.dstPort, 'tcp.dstPort'));
  v.setUint32(at + 4, uint32(tcp.seq ?? 0, 'tcp.seq'));
  v.setUint32(at + 8, uint32(tcp.ack ?? 0, 'tcp.ack'));
  // Data offset in the high nibble; NS is the lowest bit of the same byte.
  v.setUint8(at + 12, ((headerLength >>> 2) << 4) | ((flags & TCP_NS) >>> 8));
  v.setUint8(at + 13, flags & 0xff);
  v.setUint16(at + 14, uint16(tcp.window ?? DEFAULT_WINDOW, 'tcp.window'));
  v.setUint16(at + 16, 0);
  v.setUint16(at + 18, uint16(tcp.urgentPointer ?? 0, 'tcp.urgentPointer'));
  if (options !== undefined) {
    buf.bytes.set(options, at + TCP_HEADER);
    buf.zero(at + TCP_HEADER + options.length, at + headerLength);
  }
  buf.pos = at + headerLength;
}

function writeUdp(buf: CraftBuffer, udp: UdpSpec): void {
  buf.need(UDP_HEADER, 'UDP header');
  const v = buf.view;
  const at = buf.pos;
  v.setUint16(at, uint16(udp.srcPort, 'udp.srcPort'));
  v.setUint16(at + 2, uint16(udp.dstPort, 'udp.dstPort'));
  v.setUint32(at + 4, 0);
  buf.pos = at + UDP_HEADER;
}

function writeIcmp(buf: CraftBuffer, icmp: IcmpSpec): void {
  buf.need(ICMP_HEADER, 'ICMP header');
  const v = buf.view;
  const at = buf.pos;
  // Field names for messages; constants so a good packet allocates no strings.
  v.setUint8(at, uint8(icmp.type, 'icmp.type'));
  v.setUint8(at + 1, uint8(icmp.code ?? 0, 'icmp.code'));
  v.setUint16(at + 2, 0);
  if (icmp.rest !== undefined) {
    v.setUint32(at + 4, uint32(icmp.rest, 'icmp.rest'));
  } else {
    v.setUint16(at + 4, uint16(icmp.id ?? 0, 'icmp.id'));
    v.setUint16(at + 6, uint16(icmp.seq ?? 0, 'icmp.seq'));
  }
  buf.pos = at + ICMP_HEADER;
}
