/**
 * @module
 * UDP header decoder: ports, length check and payload bounds.
 */
import { DecodeStatus, PacketFlag } from './batch.js';
import { transportCutStatus } from './layer.js';
import { sharedStage } from './stage.js';

/** Local alias of the shared stage: V8 folds a module's own constant into compiled code, not an import (see stage.ts). */
const stage = sharedStage;

const UDP_HEADER = 8;
const PORTS_LEN = 4;

/**
 * Decodes the UDP header at `off`. The payload ends at the UDP length, not the
 * IP payload end, so trailing bytes inside the IP packet are not payload. In
 * a first fragment (more fragments follow) the UDP length covers the whole
 * datagram, so only that case may claim more than the IP payload holds.
 */
export function decodeUdp(slot: number, view: DataView, off: number, end: number, fullEnd: number): number {
  if (off + PORTS_LEN <= end) {
    stage.sport[slot] = view.getUint16(off);
    stage.dport[slot] = view.getUint16(off + 2);
  }
  if (off + UDP_HEADER > end) {
    return transportCutStatus(off + UDP_HEADER, fullEnd, DecodeStatus.SHORT_L4);
  }
  const udpLen = view.getUint16(off + 4);
  if (udpLen < UDP_HEADER) return DecodeStatus.BAD_UDP_LENGTH;
  let udpEnd = off + udpLen;
  if (udpEnd > fullEnd) {
    if ((stage.pflags[slot]! & PacketFlag.MORE_FRAGMENTS) === 0) return DecodeStatus.BAD_UDP_LENGTH;
    udpEnd = fullEnd;
  }
  const payloadEnd = udpEnd < end ? udpEnd : end;
  stage.payloadOff[slot] = off + UDP_HEADER;
  stage.payloadLen[slot] = payloadEnd - off - UDP_HEADER;
  return DecodeStatus.OK;
}
