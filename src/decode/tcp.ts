/**
 * @module
 * TCP header decoder: ports, sequence and acknowledgement numbers, window,
 * flags (NS included) and header length. Options are flagged, not parsed.
 */
import { DecodeStatus, PacketFlag } from './batch.js';
import { transportCutStatus } from './layer.js';
import { sharedStage } from './stage.js';

/** Local alias of the shared stage: V8 folds a module's own constant into compiled code, not an import (see stage.ts). */
const stage = sharedStage;

const TCP_MIN_HEADER = 20;
const PORTS_LEN = 4;
/** Flags are the low 9 bits of the data-offset word: NS, then CWR … FIN. */
const TCP_FLAGS_MASK = 0x1ff;
const DATA_OFFSET_SHIFT = 12;

/**
 * Decodes the TCP header at `off`. Ports are kept whenever their 4 bytes are
 * present, the fixed fields whenever the 20-byte header is, so a packet that
 * fails later still shows what it carried.
 */
export function decodeTcp(slot: number, view: DataView, off: number, end: number, fullEnd: number): number {
  if (off + PORTS_LEN <= end) {
    stage.sport[slot] = view.getUint16(off);
    stage.dport[slot] = view.getUint16(off + 2);
  }
  if (off + TCP_MIN_HEADER > end) {
    return transportCutStatus(off + TCP_MIN_HEADER, fullEnd, DecodeStatus.SHORT_L4);
  }
  const word = view.getUint16(off + 12);
  stage.tcpSeq[slot] = view.getUint32(off + 4);
  stage.tcpAck[slot] = view.getUint32(off + 8);
  stage.tcpFlags[slot] = word & TCP_FLAGS_MASK;
  stage.tcpWin[slot] = view.getUint16(off + 14);
  const hdrLen = (word >>> DATA_OFFSET_SHIFT) * 4;
  if (hdrLen < TCP_MIN_HEADER) return DecodeStatus.BAD_TCP_HEADER;
  stage.tcpHdrLen[slot] = hdrLen;
  if (hdrLen > TCP_MIN_HEADER) stage.pflags[slot] = stage.pflags[slot]! | PacketFlag.TCP_OPTIONS;
  if (off + hdrLen > end) {
    return transportCutStatus(off + hdrLen, fullEnd, DecodeStatus.BAD_TCP_HEADER);
  }
  stage.payloadOff[slot] = off + hdrLen;
  stage.payloadLen[slot] = end - off - hdrLen;
  return DecodeStatus.OK;
}
