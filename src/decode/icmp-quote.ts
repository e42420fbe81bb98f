/**
 * @module
 * Decodes the packet quoted inside an ICMP or ICMPv6 error: its IP header and
 * the first 8 bytes of its transport header. Backscatter analysis reads these
 * columns to learn which flow a remote host complained about.
 *
 * A bad quote never fails the outer packet. The rules, in order:
 * - the inner IP header (IPv4 with its options, or IPv6 with its extension
 *   chain) must be complete and valid, otherwise no inner column is written;
 * - then `innerVersion`, `innerProto` and the inner addresses are written;
 * - inner ports are written for TCP and UDP when their 4 bytes are present
 *   and the quoted packet is not a non-first fragment;
 * - `PacketFlag.HAS_INNER` is set only when at least 8 bytes of the quoted
 *   transport header follow (the RFC 792 / RFC 4443 minimum quote).
 * An IPv6 quote whose extension chain is cut keeps its addresses, and
 * `innerProto` names the extension header where the quote ended.
 */
import { copyAddress } from './address-columns.js';
import { DecodeStatus, IpProto, PacketFlag } from './batch.js';
import { walkIpv6Extensions, ipv6Walk } from './ipv6-ext.js';
import { sharedAddressWords, sharedStage } from './stage.js';

/** Local alias of the shared stage: V8 folds a module's own constant into compiled code, not an import (see stage.ts). */
const stage = sharedStage;
const stageAddressWords = sharedAddressWords;

const IPV4_MIN_HEADER = 20;
const IPV6_HEADER = 40;
const FRAG_OFFSET_MASK = 0x1fff;
const QUOTED_L4_MIN = 8;
const PORTS_LEN = 4;

/** Decodes the quote at `[off, end)` into the inner* columns of stage slot `slot`. */
export function decodeQuote(slot: number, view: DataView, off: number, end: number): void {
  if (off >= end) return;
  const first = view.getUint8(off);
  const version = first >>> 4;
  let l4: number;
  let proto: number;
  let nonFirstFragment: boolean;
  if (version === 4) {
    const hdrLen = (first & 0x0f) * 4;
    if (hdrLen < IPV4_MIN_HEADER || off + hdrLen > end) return;
    proto = view.getUint8(off + 9);
    stage.innerVersion[slot] = 4;
    stage.innerProto[slot] = proto;
    stage.innerSrc4[slot] = view.getUint32(off + 12);
    stage.innerDst4[slot] = view.getUint32(off + 16);
    nonFirstFragment = (view.getUint16(off + 6) & FRAG_OFFSET_MASK) !== 0;
    l4 = off + hdrLen;
  } else if (version === 6) {
    if (off + IPV6_HEADER > end) return;
    stage.innerVersion[slot] = 6;
    copyAddress(view, off + 8, stageAddressWords.innerSrc6, slot);
    copyAddress(view, off + 24, stageAddressWords.innerDst6, slot);
    // The quote is cut by design, so any cut chain is simply "not complete".
    const status = walkIpv6Extensions(view, off + IPV6_HEADER, end, end, view.getUint8(off + 6));
    stage.innerProto[slot] = ipv6Walk.proto;
    if (status !== DecodeStatus.OK) return;
    proto = ipv6Walk.proto;
    nonFirstFragment = ipv6Walk.fragOffset !== 0;
    l4 = ipv6Walk.offset;
  } else {
    return;
  }
  if (!nonFirstFragment && (proto === IpProto.TCP || proto === IpProto.UDP) && l4 + PORTS_LEN <= end) {
    stage.innerSport[slot] = view.getUint16(l4);
    stage.innerDport[slot] = view.getUint16(l4 + 2);
  }
  if (l4 + QUOTED_L4_MIN <= end) stage.pflags[slot] = stage.pflags[slot]! | PacketFlag.HAS_INNER;
}
