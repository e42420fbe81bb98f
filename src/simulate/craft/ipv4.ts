/**
 * @module
 * The IPv4 header (RFC 791). Total length and header checksum are left zero
 * here and filled in by `writeIpPacket` once the payload is in place.
 */

import { writeIpv4Address } from './address.js';
import { multipleOf8, uint16, uint8, uintMax } from './check.js';
import type { CraftBuffer } from './craft-buffer.js';
import type { IpPacketSpec, Ipv4Spec } from './spec.js';
import { l4Protocol } from './transport.js';

export const IPV4_HEADER = 20;
const IPV4_MAX_OPTIONS = 40;
const VERSION_4 = 0x40;
const FLAG_RESERVED = 0x8000;
const FLAG_DF = 0x4000;
const FLAG_MF = 0x2000;
const FRAGMENT_OFFSET = { field: 'ip.fragmentOffset', max: 0x1fff * 8 };

/** Writes the IPv4 header of `packet` at `buf.pos` and advances past its options. */
export function writeIpv4Header(buf: CraftBuffer, packet: IpPacketSpec): void {
  const ip = packet.ip as Ipv4Spec;
  const options = ip.options;
  const optionsLength = options === undefined ? 0 : (options.length + 3) & ~3;
  if (optionsLength > IPV4_MAX_OPTIONS) {
    throw new RangeError(`Cannot craft IPv4 header: ip.options has ${options?.length} bytes (at most 40)`);
  }
  const headerLength = IPV4_HEADER + optionsLength;
  buf.need(headerLength, 'IPv4 header');
  const v = buf.view;
  const at = buf.pos;
  const fragment = multipleOf8(uintMax(ip.fragmentOffset ?? 0, FRAGMENT_OFFSET), 'ip.fragmentOffset') / 8;
  const flags =
    (ip.reservedFlag === true ? FLAG_RESERVED : 0) |
    (ip.dontFragment === true ? FLAG_DF : 0) |
    (ip.moreFragments === true ? FLAG_MF : 0);
  v.setUint8(at, VERSION_4 | (headerLength >>> 2));
  v.setUint8(at + 1, uint8(ip.tos ?? 0, 'ip.tos'));
  v.setUint16(at + 2, 0);
  v.setUint16(at + 4, uint16(ip.id ?? 0, 'ip.id'));
  v.setUint16(at + 6, flags | fragment);
  v.setUint8(at + 8, uint8(ip.ttl ?? 64, 'ip.ttl'));
  v.setUint8(at + 9, uint8(ip.protocol ?? protocolOrThrow(packet), 'ip.protocol'));
  v.setUint16(at + 10, 0);
  buf.pos = at + 12;
  writeIpv4Address(buf, ip.src);
  writeIpv4Address(buf, ip.dst);
  if (options !== undefined) {
    buf.bytes.set(options, buf.pos);
    buf.zero(buf.pos + options.length, at + headerLength);
  }
  buf.pos = at + headerLength;
}

function protocolOrThrow(packet: IpPacketSpec): number {
  if (packet.l4 === undefined) throw new TypeError('Cannot craft IPv4 header: ip.protocol is required without l4');
  return l4Protocol(packet.l4);
}
