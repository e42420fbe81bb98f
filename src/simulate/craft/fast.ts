/**
 * @module
 * Narrow writers for the simulator's hot cases: IPv4 with TCP, UDP or ICMP,
 * from flat number fields (plus optional pre-built byte arrays), with no spec
 * dispatch, no defaults and no allocation. Output is byte-identical to
 * `writePacket` with the equivalent spec (the tests check this).
 *
 * Reuse one fields object per stream and change its numbers per packet; the
 * factories initialise every field so the object keeps one shape.
 */

import { foldChecksum, onesComplementSum, type ByteRange } from './checksum.js';
import { uint16, uint32, uint8, uintMax } from './check.js';
import type { CraftBuffer } from './craft-buffer.js';
import { IPV4_HEADER } from './ipv4.js';
import { ICMP_HEADER, TCP_HEADER, UDP_HEADER } from './transport.js';

export interface Ipv4Fields {
  /** Link header copied before the IP header (see `buildLinkHeader`); null for raw IP. */
  linkHeader: Uint8Array | null;
  /** Addresses as unsigned 32-bit integers. */
  src: number;
  dst: number;
  ttl: number;
  ipId: number;
  tos: number;
  dontFragment: boolean;
  payload: Uint8Array | null;
}

export interface Ipv4TcpFields extends Ipv4Fields {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** `TcpFlag` bits including NS (0x100). */
  flags: number;
  window: number;
  /** Option bytes, a multiple of 4 long (e.g. from `tcpOptions`), or null. */
  options: Uint8Array | null;
}

export interface Ipv4UdpFields extends Ipv4Fields {
  srcPort: number;
  dstPort: number;
}

export interface Ipv4IcmpFields extends Ipv4Fields {
  type: number;
  code: number;
  /** Echo identifier and sequence number (written as the 4 rest-of-header bytes). */
  id: number;
  seq: number;
}

const PROTO_ICMP = 1;
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const IP_MAX_LENGTH = 0xffff;
const TCP_MAX_OPTIONS = 40;
const VERSION_IHL = 0x45;
const FLAG_DF = 0x4000;
const DEFAULT_TTL = 64;
const DEFAULT_WINDOW = 65535;
const ICMP_ECHO_REQUEST = 8;
const TCP_FLAGS = { field: 'tcp.flags', max: 0x1ff };
const range: ByteRange = { start: 0, end: 0 };

function baseFields(): Ipv4Fields {
  return { linkHeader: null, src: 0, dst: 0, ttl: DEFAULT_TTL, ipId: 0, tos: 0, dontFragment: false, payload: null };
}

/** Applies the defined values of `init` over fully initialised defaults. */
function initialise<T extends object>(defaults: T, init: Partial<T>): T {
  for (const [key, value] of Object.entries(init)) {
    if (value !== undefined) (defaults as Record<string, unknown>)[key] = value;
  }
  return defaults;
}

/** A fully initialised TCP fields object (flags 0, window 65535, TTL 64), with `init` applied. */
export function ipv4TcpFields(init: Partial<Ipv4TcpFields> = {}): Ipv4TcpFields {
  const tcp = { srcPort: 0, dstPort: 0, seq: 0, ack: 0, flags: 0, window: DEFAULT_WINDOW, options: null };
  return initialise<Ipv4TcpFields>({ ...baseFields(), ...tcp }, init);
}

/** A fully initialised UDP fields object, with `init` applied. */
export function ipv4UdpFields(init: Partial<Ipv4UdpFields> = {}): Ipv4UdpFields {
  return initialise<Ipv4UdpFields>({ ...baseFields(), srcPort: 0, dstPort: 0 }, init);
}

/** A fully initialised ICMP fields object (echo request by default), with `init` applied. */
export function ipv4IcmpFields(init: Partial<Ipv4IcmpFields> = {}): Ipv4IcmpFields {
  return initialise<Ipv4IcmpFields>({ ...baseFields(), type: ICMP_ECHO_REQUEST, code: 0, id: 0, seq: 0 }, init);
}

/** Writes link header + IPv4 + TCP + payload at `buf.offset`; returns the frame length. */
export function writeIpv4Tcp(buf: CraftBuffer, f: Ipv4TcpFields): number {
  const optionsLength = f.options === null ? 0 : f.options.length;
  if ((optionsLength & 3) !== 0 || optionsLength > TCP_MAX_OPTIONS) {
    throw new RangeError(`Cannot write IPv4/TCP: options has ${optionsLength} bytes (a multiple of 4, at most 40)`);
  }
  const headerLength = TCP_HEADER + optionsLength;
  const t = begin(buf, f, headerLength, PROTO_TCP);
  const flags = uintMax(f.flags, TCP_FLAGS);
  const v = buf.view;
  v.setUint16(t, uint16(f.srcPort, 'tcp.srcPort'));
  v.setUint16(t + 2, uint16(f.dstPort, 'tcp.dstPort'));
  v.setUint32(t + 4, uint32(f.seq, 'tcp.seq'));
  v.setUint32(t + 8, uint32(f.ack, 'tcp.ack'));
  v.setUint8(t + 12, ((headerLength >>> 2) << 4) | (flags >>> 8));
  v.setUint8(t + 13, flags & 0xff);
  v.setUint16(t + 14, uint16(f.window, 'tcp.window'));
  v.setUint32(t + 16, 0); // checksum and urgent pointer
  if (f.options !== null) buf.bytes.set(f.options, t + TCP_HEADER);
  return finish(buf, f, t, 16);
}

/** Writes link header + IPv4 + UDP + payload at `buf.offset`; returns the frame length. */
export function writeIpv4Udp(buf: CraftBuffer, f: Ipv4UdpFields): number {
  const t = begin(buf, f, UDP_HEADER, PROTO_UDP);
  const v = buf.view;
  v.setUint16(t, uint16(f.srcPort, 'udp.srcPort'));
  v.setUint16(t + 2, uint16(f.dstPort, 'udp.dstPort'));
  v.setUint16(t + 4, UDP_HEADER + (f.payload === null ? 0 : f.payload.length));
  v.setUint16(t + 6, 0);
  return finish(buf, f, t, 6);
}

/** Writes link header + IPv4 + ICMP (echo layout) + payload at `buf.offset`; returns the frame length. */
export function writeIpv4Icmp(buf: CraftBuffer, f: Ipv4IcmpFields): number {
  const t = begin(buf, f, ICMP_HEADER, PROTO_ICMP);
  const v = buf.view;
  v.setUint8(t, uint8(f.type, 'icmp.type'));
  v.setUint8(t + 1, uint8(f.code, 'icmp.code'));
  v.setUint16(t + 2, 0);
  v.setUint16(t + 4, uint16(f.id, 'icmp.id'));
  v.setUint16(t + 6, uint16(f.seq, 'icmp.seq'));
  return finish(buf, f, t, 2);
}

/**
 * Checks room, copies the link header, writes the IPv4 header with its
 * checksum (summed from the field values, not re-read) and the payload.
 * Returns the offset of the transport header.
 */
function begin(buf: CraftBuffer, f: Ipv4Fields, l4Header: number, protocol: number): number {
  const link = f.linkHeader;
  const linkLength = link === null ? 0 : link.length;
  const payloadLength = f.payload === null ? 0 : f.payload.length;
  const total = IPV4_HEADER + l4Header + payloadLength;
  if (total > IP_MAX_LENGTH) throw new RangeError(`Cannot write IPv4 packet: total length ${total} exceeds 65535`);
  const start = buf.offset;
  buf.pos = start;
  buf.need(linkLength + total, 'IPv4 packet');
  if (link !== null) buf.bytes.set(link, start);
  const at = start + linkLength;
  const v = buf.view;
  const src = uint32(f.src, 'ip.src');
  const dst = uint32(f.dst, 'ip.dst');
  const first = (VERSION_IHL << 8) | uint8(f.tos, 'ip.tos');
  const id = uint16(f.ipId, 'ip.id');
  const flags = f.dontFragment ? FLAG_DF : 0;
  const ttlProto = (uint8(f.ttl, 'ip.ttl') << 8) | protocol;
  v.setUint16(at, first);
  v.setUint16(at + 2, total);
  v.setUint16(at + 4, id);
  v.setUint16(at + 6, flags);
  v.setUint16(at + 8, ttlProto);
  v.setUint32(at + 12, src);
  v.setUint32(at + 16, dst);
  const sum = first + total + id + flags + ttlProto + (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff);
  v.setUint16(at + 10, foldChecksum(sum));
  buf.pos = at + IPV4_HEADER + l4Header + payloadLength;
  if (f.payload !== null) buf.bytes.set(f.payload, at + IPV4_HEADER + l4Header);
  return at + IPV4_HEADER;
}

/** Fills the transport checksum at `t + checksumAt` and returns the frame length. */
function finish(buf: CraftBuffer, f: Ipv4Fields, t: number, checksumAt: number): number {
  const end = buf.pos;
  range.start = t;
  range.end = end;
  let sum = onesComplementSum(buf.bytes, range);
  const protocol = buf.bytes[t - IPV4_HEADER + 9]!;
  if (protocol !== PROTO_ICMP) {
    sum += (f.src >>> 16) + (f.src & 0xffff) + (f.dst >>> 16) + (f.dst & 0xffff) + protocol + (end - t);
  }
  const checksum = foldChecksum(sum);
  buf.view.setUint16(t + checksumAt, protocol === PROTO_UDP && checksum === 0 ? 0xffff : checksum);
  return end - buf.offset;
}
