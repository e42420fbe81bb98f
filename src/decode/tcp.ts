/**
 * @module
 * TCP header decoder: ports, sequence and acknowledgement numbers, window,
 * flags (NS included) and header length. Options are flagged, not parsed.
 */
import { DecodeStatus, PacketFlag, type PacketBatch } from './batch.js';
import { transportCutStatus } from './layer.js';

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
export function decodeTcp(
  batch: PacketBatch,
  i: number,
  view: DataView,
  off: number,
  end: number,
  fullEnd: number,
): number {
  if (off + PORTS_LEN <= end) {
    batch.sport[i] = view.getUint16(off);
    batch.dport[i] = view.getUint16(off + 2);
  }
  if (off + TCP_MIN_HEADER > end) {
    return transportCutStatus(off + TCP_MIN_HEADER, fullEnd, DecodeStatus.SHORT_L4);
  }
  const word = view.getUint16(off + 12);
  batch.tcpSeq[i] = view.getUint32(off + 4);
  batch.tcpAck[i] = view.getUint32(off + 8);
  batch.tcpFlags[i] = word & TCP_FLAGS_MASK;
  batch.tcpWin[i] = view.getUint16(off + 14);
  const hdrLen = (word >>> DATA_OFFSET_SHIFT) * 4;
  if (hdrLen < TCP_MIN_HEADER) return DecodeStatus.BAD_TCP_HEADER;
  batch.tcpHdrLen[i] = hdrLen;
  if (hdrLen > TCP_MIN_HEADER) batch.pflags[i] = batch.pflags[i]! | PacketFlag.TCP_OPTIONS;
  if (off + hdrLen > end) {
    return transportCutStatus(off + hdrLen, fullEnd, DecodeStatus.BAD_TCP_HEADER);
  }
  batch.payloadOff[i] = off + hdrLen;
  batch.payloadLen[i] = end - off - hdrLen;
  return DecodeStatus.OK;
}
