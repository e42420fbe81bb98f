/**
 * @module
 * The IPv6 header (RFC 8200) and its extension headers: hop-by-hop and
 * destination options (padded with Pad1/PadN), routing, and fragment. The
 * payload length is left zero and filled in by `writeIpPacket`.
 */

import { writeIpv6Address } from './address.js';
import { multipleOf8, uint32, uint8, uintMax } from './check.js';
import type { CraftBuffer } from './craft-buffer.js';
import type {
  FragmentExtension,
  IpPacketSpec,
  Ipv6Extension,
  Ipv6Spec,
  OptionsExtension,
  RoutingExtension,
} from './spec.js';
import { l4Protocol } from './transport.js';

export const IPV6_HEADER = 40;
const IPV6_ADDRESS = 16;
const EXT_UNIT = 8;
const EXT_FIXED = 2;
const ROUTING_FIXED = 4;
const FRAGMENT_HEADER = 8;
const MAX_EXT_UNITS = 255;
const PAD1 = 0;
const PADN = 1;
const NO_NEXT_HEADER = 59;
const NO_OPTIONS = new Uint8Array(0);
const NO_EXTENSIONS: readonly Ipv6Extension[] = [];
const NEXT_HEADER = { 'hop-by-hop': 0, routing: 43, fragment: 44, destination: 60 } as const;
const FLOW_LABEL = { field: 'ip.flowLabel', max: 0xfffff };
const FRAGMENT_OFFSET = { field: 'fragment.offset', max: 0x1fff * 8 };

/**
 * Writes the IPv6 header and extension chain of `packet` at `buf.pos` and
 * advances past them. Returns the offset of the address the upper-layer pseudo
 * header uses as destination: the final destination of a routing header that
 * still has segments left, else the header's destination.
 */
export function writeIpv6Header(buf: CraftBuffer, packet: IpPacketSpec): number {
  const ip = packet.ip as Ipv6Spec;
  const extensions = ip.extensions ?? NO_EXTENSIONS;
  const upper = ip.protocol ?? (packet.l4 === undefined ? NO_NEXT_HEADER : l4Protocol(packet.l4));
  buf.need(IPV6_HEADER, 'IPv6 header');
  const v = buf.view;
  const at = buf.pos;
  const first = extensions.length > 0 ? nextHeaderOf(extensions[0]!) : uint8(upper, 'ip.protocol');
  v.setUint32(
    at,
    (0x6 << 28) | (uint8(ip.trafficClass ?? 0, 'ip.trafficClass') << 20) | uintMax(ip.flowLabel ?? 0, FLOW_LABEL),
  );
  v.setUint16(at + 4, 0);
  v.setUint8(at + 6, first);
  v.setUint8(at + 7, uint8(ip.hopLimit ?? 64, 'ip.hopLimit'));
  buf.pos = at + 8;
  writeIpv6Address(buf, ip.src);
  writeIpv6Address(buf, ip.dst);
  let dstOffset = at + 24;
  for (let i = 0; i < extensions.length; i++) {
    const ext = extensions[i]!;
    const next = i + 1 < extensions.length ? nextHeaderOf(extensions[i + 1]!) : upper;
    const finalDst = writeExtension(buf, ext, next);
    if (finalDst >= 0) dstOffset = finalDst;
  }
  return dstOffset;
}

function nextHeaderOf(ext: Ipv6Extension): number {
  const value = (NEXT_HEADER as Record<string, number | undefined>)[ext.kind];
  if (value === undefined) throw new TypeError(`Cannot craft IPv6 extension: unknown kind "${String(ext.kind)}"`);
  return value;
}

/** Returns the offset of a routing header's final destination, or -1. */
function writeExtension(buf: CraftBuffer, ext: Ipv6Extension, next: number): number {
  switch (ext.kind) {
    case 'hop-by-hop':
    case 'destination':
      writeOptions(buf, ext, next);
      return -1;
    case 'routing':
      return writeRouting(buf, ext, next);
    case 'fragment':
      writeFragment(buf, ext, next);
      return -1;
  }
  return nextHeaderOf(ext);
}

function writeOptions(buf: CraftBuffer, ext: OptionsExtension, next: number): void {
  const options = ext.options ?? NO_OPTIONS;
  const length = roundUp(EXT_FIXED + options.length, EXT_UNIT);
  const units = length / EXT_UNIT - 1;
  if (units > MAX_EXT_UNITS)
    throw new RangeError(`Cannot craft IPv6 ${ext.kind} header: ${options.length} option bytes`);
  buf.need(length, ext.kind === 'hop-by-hop' ? 'IPv6 hop-by-hop header' : 'IPv6 destination options header');
  const at = buf.pos;
  buf.bytes[at] = next;
  buf.bytes[at + 1] = units;
  buf.bytes.set(options, at + EXT_FIXED);
  // Pad to the 8-byte unit with Pad1 (one byte) or PadN (type, length, zeros).
  const padStart = at + EXT_FIXED + options.length;
  const pad = at + length - padStart;
  buf.zero(padStart, at + length);
  if (pad === 1) buf.bytes[padStart] = PAD1;
  if (pad >= 2) {
    buf.bytes[padStart] = PADN;
    buf.bytes[padStart + 1] = pad - 2;
  }
  buf.pos = at + length;
}

function writeRouting(buf: CraftBuffer, ext: RoutingExtension, next: number): number {
  const addresses = ext.addresses;
  const data = ext.data;
  if (addresses !== undefined && data !== undefined) {
    throw new TypeError('Cannot craft IPv6 routing header: give addresses or data, not both');
  }
  const body =
    addresses === undefined
      ? roundUp(ROUTING_FIXED + (data?.length ?? 0), EXT_UNIT)
      : EXT_UNIT + IPV6_ADDRESS * addresses.length;
  const units = body / EXT_UNIT - 1;
  if (units > MAX_EXT_UNITS) throw new RangeError('Cannot craft IPv6 routing header: too many addresses or data bytes');
  buf.need(body, 'IPv6 routing header');
  const at = buf.pos;
  const segmentsLeft = uint8(ext.segmentsLeft ?? 0, 'routing.segmentsLeft');
  buf.bytes[at] = next;
  buf.bytes[at + 1] = units;
  buf.bytes[at + 2] = uint8(ext.routingType ?? 0, 'routing.routingType');
  buf.bytes[at + 3] = segmentsLeft;
  buf.zero(at + ROUTING_FIXED, at + body);
  if (data !== undefined) buf.bytes.set(data, at + ROUTING_FIXED);
  let finalDst = -1;
  if (addresses !== undefined) {
    buf.pos = at + EXT_UNIT;
    for (const address of addresses) writeIpv6Address(buf, address);
    if (segmentsLeft > 0 && addresses.length > 0) finalDst = buf.pos - IPV6_ADDRESS;
  }
  buf.pos = at + body;
  return finalDst;
}

function writeFragment(buf: CraftBuffer, ext: FragmentExtension, next: number): void {
  buf.need(FRAGMENT_HEADER, 'IPv6 fragment header');
  const at = buf.pos;
  const offset = multipleOf8(uintMax(ext.offset ?? 0, FRAGMENT_OFFSET), 'fragment.offset');
  buf.bytes[at] = next;
  buf.bytes[at + 1] = 0;
  // Offset in 8-byte units in the top 13 bits; M is the lowest bit.
  buf.view.setUint16(at + 2, offset | (ext.more === true ? 1 : 0));
  buf.view.setUint32(at + 4, uint32(ext.id, 'fragment.id'));
  buf.pos = at + FRAGMENT_HEADER;
}

function roundUp(value: number, unit: number): number {
  return Math.ceil(value / unit) * unit;
}
