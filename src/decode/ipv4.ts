/**
 * @module
 * IPv4 header decoder. Writes addresses, TTL, identification, total length,
 * fragment fields and flags, then hands the payload to the transport decoder
 * for its protocol.
 *
 * Lengths: the IP total length bounds the packet, so Ethernet padding after it
 * is ignored. A total length beyond the frame as it was on the wire is
 * BAD_IP_LENGTH; beyond only the captured bytes (snaplen) the packet is
 * decoded as far as the bytes go. Only offset-0 fragments carry a transport
 * header; later fragments get `PacketFlag.FRAGMENT`, their protocol, their
 * fragment bytes as payload, ports 0 and status OK.
 */
import { DecodeStatus, PacketFlag, type PacketBatch } from './batch.js';
import { cutStatus, wireEnd } from './layer.js';
import { TRANSPORT_DECODERS } from './protocols.js';

const IPV4_VERSION = 4;
const IPV4_MIN_HEADER = 20;
const FLAG_DF = 0x4000;
const FLAG_MF = 0x2000;
const FRAG_OFFSET_MASK = 0x1fff;
const FRAG_UNIT = 8;

/** Decodes the IPv4 header at `off` and everything above it. */
export function decodeIpv4(batch: PacketBatch, i: number, view: DataView, off: number, end: number): number {
  if (off >= end) return cutStatus(batch, i, off + IPV4_MIN_HEADER, DecodeStatus.BAD_IHL);
  const first = view.getUint8(off);
  if (first >>> 4 !== IPV4_VERSION) return DecodeStatus.BAD_IP_VERSION;
  const hdrLen = (first & 0x0f) * 4;
  if (hdrLen < IPV4_MIN_HEADER) return DecodeStatus.BAD_IHL;
  if (off + hdrLen > end) return cutStatus(batch, i, off + hdrLen, DecodeStatus.BAD_IHL);

  const totalLen = view.getUint16(off + 2);
  const fragField = view.getUint16(off + 6);
  const proto = view.getUint8(off + 9);
  const fragOffset = (fragField & FRAG_OFFSET_MASK) * FRAG_UNIT;
  batch.ipVersion[i] = IPV4_VERSION;
  batch.ipLen[i] = totalLen;
  batch.ipId[i] = view.getUint16(off + 4);
  batch.ttl[i] = view.getUint8(off + 8);
  batch.proto[i] = proto;
  batch.src4[i] = view.getUint32(off + 12);
  batch.dst4[i] = view.getUint32(off + 16);
  batch.fragOffset[i] = fragOffset;
  let flags = 0;
  if ((fragField & FLAG_DF) !== 0) flags |= PacketFlag.DONT_FRAGMENT;
  if ((fragField & FLAG_MF) !== 0) flags |= PacketFlag.MORE_FRAGMENTS;
  if (hdrLen > IPV4_MIN_HEADER) flags |= PacketFlag.IP_OPTIONS;
  if (fragOffset !== 0) flags |= PacketFlag.FRAGMENT;
  batch.pflags[i] = flags;

  const ipEnd = off + totalLen;
  if (totalLen < hdrLen || ipEnd > wireEnd(batch, i)) return DecodeStatus.BAD_IP_LENGTH;
  const l4 = off + hdrLen;
  const capEnd = ipEnd < end ? ipEnd : end;
  if (fragOffset !== 0) {
    batch.payloadOff[i] = l4;
    batch.payloadLen[i] = capEnd - l4;
    return DecodeStatus.OK;
  }
  return TRANSPORT_DECODERS[proto]!(batch, i, view, l4, capEnd, ipEnd);
}
