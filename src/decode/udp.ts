/**
 * @module
 * UDP header decoder: ports, length check and payload bounds.
 */
import { DecodeStatus, PacketFlag, type PacketBatch } from './batch.js';
import { transportCutStatus } from './layer.js';

const UDP_HEADER = 8;
const PORTS_LEN = 4;

/**
 * Decodes the UDP header at `off`. The payload ends at the UDP length, not the
 * IP payload end, so trailing bytes inside the IP packet are not payload. In
 * a first fragment (more fragments follow) the UDP length covers the whole
 * datagram, so only that case may claim more than the IP payload holds.
 */
export function decodeUdp(
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
  if (off + UDP_HEADER > end) {
    return transportCutStatus(off + UDP_HEADER, fullEnd, DecodeStatus.SHORT_L4);
  }
  const udpLen = view.getUint16(off + 4);
  if (udpLen < UDP_HEADER) return DecodeStatus.BAD_UDP_LENGTH;
  let udpEnd = off + udpLen;
  if (udpEnd > fullEnd) {
    if ((batch.pflags[i]! & PacketFlag.MORE_FRAGMENTS) === 0) return DecodeStatus.BAD_UDP_LENGTH;
    udpEnd = fullEnd;
  }
  const payloadEnd = udpEnd < end ? udpEnd : end;
  batch.payloadOff[i] = off + UDP_HEADER;
  batch.payloadLen[i] = payloadEnd - off - UDP_HEADER;
  return DecodeStatus.OK;
}
