/**
 * @module
 * ICMP and ICMPv6 decoders: type, code and the payload after the 8-byte
 * header. Error messages also decode the packet they quote (`icmp-quote.ts`).
 */
import { DecodeStatus } from './batch.js';
import { decodeQuote } from './icmp-quote.js';
import { transportCutStatus } from './layer.js';
import { sharedStage } from './stage.js';

/** Local alias of the shared stage: V8 folds a module's own constant into compiled code, not an import (see stage.ts). */
const stage = sharedStage;

const ICMP_HEADER = 8;
const TYPE_CODE_LEN = 2;

/** ICMPv4 error types that quote the offending packet: 1 marks an error. */
const ICMPV4_ERROR = new Uint8Array(256);
ICMPV4_ERROR[3] = 1; // destination unreachable
ICMPV4_ERROR[4] = 1; // source quench
ICMPV4_ERROR[5] = 1; // redirect
ICMPV4_ERROR[11] = 1; // time exceeded
ICMPV4_ERROR[12] = 1; // parameter problem

/** ICMPv6 error types (RFC 4443): unreachable, too big, time exceeded, parameter problem. */
const ICMPV6_ERROR = new Uint8Array(256);
ICMPV6_ERROR[1] = 1;
ICMPV6_ERROR[2] = 1;
ICMPV6_ERROR[3] = 1;
ICMPV6_ERROR[4] = 1;

/** Decodes an ICMP (IPv4, protocol 1) header at `off`. */
export function decodeIcmp(slot: number, view: DataView, off: number, end: number, fullEnd: number): number {
  return decodeIcmpWith(slot, view, off, end, fullEnd, ICMPV4_ERROR);
}

/** Decodes an ICMPv6 (protocol 58) header at `off`. */
export function decodeIcmpv6(slot: number, view: DataView, off: number, end: number, fullEnd: number): number {
  return decodeIcmpWith(slot, view, off, end, fullEnd, ICMPV6_ERROR);
}

function decodeIcmpWith(
  slot: number,
  view: DataView,
  off: number,
  end: number,
  fullEnd: number,
  errorTypes: Uint8Array,
): number {
  if (off + TYPE_CODE_LEN <= end) {
    stage.icmpType[slot] = view.getUint8(off);
    stage.icmpCode[slot] = view.getUint8(off + 1);
  }
  if (off + ICMP_HEADER > end) {
    return transportCutStatus(off + ICMP_HEADER, fullEnd, DecodeStatus.SHORT_L4);
  }
  stage.payloadOff[slot] = off + ICMP_HEADER;
  stage.payloadLen[slot] = end - off - ICMP_HEADER;
  if (errorTypes[view.getUint8(off)] === 1) decodeQuote(slot, view, off + ICMP_HEADER, end);
  return DecodeStatus.OK;
}
