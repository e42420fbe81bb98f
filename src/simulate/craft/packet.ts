/**
 * @module
 * The spec-object API: `writePacket` builds one frame from a `PacketSpec` into
 * a `CraftBuffer` (no allocation when addresses are numbers/bytes and payloads
 * are bytes); `buildPacket` is the allocating wrapper for tests and fixtures.
 *
 * Headers are written first with zero lengths and checksums, then patched once
 * the payload is in place, since both cover the payload. An ICMP error's quoted
 * packet is built in place by the same code (with its own correct checksums)
 * and then cut to the quoted length, so the buffer must hold the whole inner
 * packet even when only its start is kept.
 */

import {
  foldChecksum,
  internetChecksum,
  onesComplementSum,
  pseudoHeaderSum,
  type ByteRange,
  type PseudoHeader,
} from './checksum.js';
import { uint16 } from './check.js';
import { CraftBuffer } from './craft-buffer.js';
import { writeIpv4Header } from './ipv4.js';
import { IPV6_HEADER, writeIpv6Header } from './ipv6.js';
import { writeLinkHeader } from './link.js';
import type { IcmpSpec, IpPacketSpec, Ipv4Spec, Ipv6Spec, L4Spec, PacketSpec } from './spec.js';
import { CHECKSUM_FIELD, l4Protocol, writeL4Header } from './transport.js';

const IP_MAX_LENGTH = 0xffff;
/** RFC 792: an ICMP error quotes the IP header plus the first 8 bytes of data. */
const ICMP_QUOTE_EXTRA = 8;
/** RFC 4443 §2.4(c): an ICMPv6 error must fit in the 1280-byte minimum MTU. */
const ICMPV6_QUOTE_MAX = 1280 - IPV6_HEADER - 8;
const BUILD_SCRATCH_BYTES = 256 * 1024;

// Scratch objects reused for every checksum; a quoted packet finishes its own
// checksums before the outer packet fills these, so nesting is safe.
const range: ByteRange = { start: 0, end: 0 };
const pseudo: PseudoHeader = { srcOffset: 0, dstOffset: 0, addressLength: 4, protocol: 0, length: 0 };
let buildScratch: CraftBuffer | undefined;

/** Writes the frame described by `spec` at `buf.offset`; returns its length. */
export function writePacket(buf: CraftBuffer, spec: PacketSpec): number {
  const start = buf.offset;
  buf.pos = start;
  writeLinkHeader(buf, spec);
  const ip = spec.ip;
  if (ip !== undefined) {
    writeIpPacket(buf, spec as IpPacketSpec);
  } else {
    if (spec.l4 !== undefined) throw new TypeError('Cannot craft packet: l4 needs an ip header');
    buf.writePayload(spec.payload);
  }
  const link = spec.link;
  if (link?.kind === 'ethernet' && link.minFrameLength !== undefined && buf.pos - start < link.minFrameLength) {
    buf.writeZeros(link.minFrameLength - (buf.pos - start), 'Ethernet padding');
  }
  return buf.pos - start;
}

/** Builds the frame described by `spec` into a new array (allocates; for tests and fixtures). */
export function buildPacket(spec: PacketSpec): Uint8Array {
  buildScratch ??= new CraftBuffer(new Uint8Array(BUILD_SCRATCH_BYTES));
  buildScratch.offset = 0;
  const length = writePacket(buildScratch, spec);
  return buildScratch.bytes.slice(0, length);
}

/**
 * Writes IP header(s), transport header and payload at `buf.pos`, then fills
 * lengths and checksums. Returns the offset where the transport header starts.
 */
function writeIpPacket(buf: CraftBuffer, packet: IpPacketSpec): number {
  const ip = packet.ip;
  const ipStart = buf.pos;
  let dstOffset: number;
  if (ip.version === 4) {
    writeIpv4Header(buf, packet);
    dstOffset = ipStart + 16;
  } else if (ip.version === 6) {
    dstOffset = writeIpv6Header(buf, packet);
  } else {
    throw new TypeError(
      `Cannot craft packet: ip.version is ${String((ip as { version: unknown }).version)} (must be 4 or 6)`,
    );
  }
  const l4Start = buf.pos;
  const l4 = packet.l4;
  if (l4 === undefined) {
    buf.writePayload(packet.payload);
  } else {
    if (l4.kind === 'icmpv6' && ip.version !== 6)
      throw new TypeError('Cannot craft packet: icmpv6 needs an IPv6 header');
    writeL4Header(buf, l4);
    if ((l4.kind === 'icmp' || l4.kind === 'icmpv6') && l4.quote !== undefined) {
      if (packet.payload !== undefined) throw new TypeError('Cannot craft ICMP error: give quote or payload, not both');
      writeQuote(buf, l4);
    } else {
      buf.writePayload(packet.payload);
    }
  }
  if (ip.version === 4) patchIpv4(buf, ip, ipStart);
  else patchIpv6(buf, ip, ipStart);
  if (l4 !== undefined) {
    const v6 = ip.version === 6;
    pseudo.srcOffset = ipStart + (v6 ? 8 : 12);
    pseudo.dstOffset = dstOffset;
    pseudo.addressLength = v6 ? 16 : 4;
    patchL4(buf, l4, l4Start);
  }
  return l4Start;
}

/** Builds the quoted packet in place and keeps only its quoted prefix. */
function writeQuote(buf: CraftBuffer, icmp: IcmpSpec): void {
  const quote = icmp.quote!;
  const start = buf.pos;
  const innerL4 = writeIpPacket(buf, quote);
  const full = buf.pos - start;
  let keep: number;
  if (icmp.quoteLength !== undefined) {
    keep = icmp.quoteLength;
    if (!Number.isInteger(keep) || keep < 0 || keep > full) {
      throw new RangeError(`Cannot craft ICMP error: quoteLength is ${keep} but the quoted packet has ${full} bytes`);
    }
  } else {
    keep = Math.min(full, icmp.kind === 'icmp' ? innerL4 - start + ICMP_QUOTE_EXTRA : ICMPV6_QUOTE_MAX);
  }
  buf.pos = start + keep;
}

function patchIpv4(buf: CraftBuffer, ip: Ipv4Spec, start: number): void {
  const total = buf.pos - start;
  if (total > IP_MAX_LENGTH) throw new RangeError(`Cannot craft IPv4 packet: total length ${total} exceeds 65535`);
  const v = buf.view;
  v.setUint16(start + 2, ip.totalLength === undefined ? total : uint16(ip.totalLength, 'ip.totalLength'));
  range.start = start;
  range.end = start + (buf.bytes[start]! & 0x0f) * 4;
  v.setUint16(
    start + 10,
    ip.checksum === undefined ? internetChecksum(buf.bytes, range) : uint16(ip.checksum, 'ip.checksum'),
  );
}

function patchIpv6(buf: CraftBuffer, ip: Ipv6Spec, start: number): void {
  const payload = buf.pos - start - IPV6_HEADER;
  if (payload > IP_MAX_LENGTH)
    throw new RangeError(`Cannot craft IPv6 packet: payload length ${payload} exceeds 65535`);
  buf.view.setUint16(
    start + 4,
    ip.payloadLength === undefined ? payload : uint16(ip.payloadLength, 'ip.payloadLength'),
  );
}

/** Fills the UDP length and the transport checksum; `pseudo` holds the addresses. */
function patchL4(buf: CraftBuffer, l4: L4Spec, start: number): void {
  const v = buf.view;
  const end = buf.pos;
  const length = end - start;
  if (l4.kind === 'udp') {
    v.setUint16(start + 4, l4.length === undefined ? length : uint16(l4.length, 'udp.length'));
  }
  const at = start + CHECKSUM_FIELD[l4.kind];
  if (l4.checksum !== undefined) {
    v.setUint16(at, uint16(l4.checksum, `${l4.kind}.checksum`));
    return;
  }
  range.start = start;
  range.end = end;
  let sum = onesComplementSum(buf.bytes, range);
  if (l4.kind !== 'icmp') {
    pseudo.protocol = l4Protocol(l4);
    pseudo.length = length;
    sum += pseudoHeaderSum(buf.bytes, pseudo);
  }
  const checksum = foldChecksum(sum);
  // A computed UDP checksum of 0 is sent as 0xffff; 0 means "no checksum".
  v.setUint16(at, l4.kind === 'udp' && checksum === 0 ? 0xffff : checksum);
}
