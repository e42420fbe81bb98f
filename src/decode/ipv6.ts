/**
 * @module
 * IPv6 decoder: fixed header, extension header chain (`ipv6-ext.ts`), then the
 * transport decoder for the upper-layer protocol.
 *
 * `proto` is the upper-layer protocol after the chain; `ipLen` is the payload
 * length + 40. A payload length of 0 with a hop-by-hop header first is a
 * jumbogram: the packet runs to the end of the frame. A fixed header cut short
 * on a complete frame is BAD_IP_LENGTH (its length cannot hold the header).
 */
import { copyAddress } from './address-columns.js';
import { DecodeStatus, IpProto, PacketFlag } from './batch.js';
import { ipv6Walk, walkIpv6Extensions } from './ipv6-ext.js';
import { cutStatus, wireEnd } from './layer.js';
import { TRANSPORT_DECODERS } from './protocols.js';
import { sharedAddressWords, sharedStage } from './stage.js';

/** Local alias of the shared stage: V8 folds a module's own constant into compiled code, not an import (see stage.ts). */
const stage = sharedStage;
const stageAddressWords = sharedAddressWords;

const IPV6_VERSION = 6;
const IPV6_HEADER = 40;

/** Decodes the IPv6 header at `off` and everything above it into stage slot `slot`. */
export function decodeIpv6(slot: number, view: DataView, off: number, end: number): number {
  if (off >= end) return cutStatus(slot, off + IPV6_HEADER, DecodeStatus.BAD_IP_LENGTH);
  if (view.getUint8(off) >>> 4 !== IPV6_VERSION) return DecodeStatus.BAD_IP_VERSION;
  if (off + IPV6_HEADER > end) return cutStatus(slot, off + IPV6_HEADER, DecodeStatus.BAD_IP_LENGTH);

  const payloadLen = view.getUint16(off + 4);
  const firstNext = view.getUint8(off + 6);
  stage.ipVersion[slot] = IPV6_VERSION;
  stage.ttl[slot] = view.getUint8(off + 7);
  copyAddress(view, off + 8, stageAddressWords.src6, slot);
  copyAddress(view, off + 24, stageAddressWords.dst6, slot);

  const frameWireEnd = wireEnd(slot);
  let fullEnd = off + IPV6_HEADER + payloadLen;
  if (payloadLen === 0 && firstNext === IpProto.HOPOPT) fullEnd = frameWireEnd;
  stage.ipLen[slot] = fullEnd - off;
  if (fullEnd > frameWireEnd) {
    stage.proto[slot] = firstNext;
    return DecodeStatus.BAD_IP_LENGTH;
  }
  const capEnd = fullEnd < end ? fullEnd : end;

  const status = walkIpv6Extensions(view, off + IPV6_HEADER, capEnd, fullEnd, firstNext);
  const walk = ipv6Walk;
  const proto = walk.proto;
  stage.proto[slot] = proto;
  let flags = 0;
  if (walk.count !== 0) flags |= PacketFlag.IPV6_EXT;
  if (walk.fragment !== 0) {
    stage.ipId[slot] = walk.fragId;
    stage.fragOffset[slot] = walk.fragOffset;
    if (walk.fragMore !== 0) flags |= PacketFlag.MORE_FRAGMENTS;
    if (walk.fragOffset !== 0) flags |= PacketFlag.FRAGMENT;
  }
  stage.pflags[slot] = flags;
  if (status !== DecodeStatus.OK) return status;

  const l4 = walk.offset;
  if (walk.fragOffset !== 0) {
    stage.payloadOff[slot] = l4;
    stage.payloadLen[slot] = capEnd - l4;
    return DecodeStatus.OK;
  }
  return TRANSPORT_DECODERS[proto]!(slot, view, l4, capEnd, fullEnd);
}
