/**
 * @module
 * Which packets have trustworthy transport fields. The decoder keeps what it
 * could read even when a packet fails, so the rule lives in one place:
 * status OK, or a TCP segment cut by the capture's snaplen after its fixed
 * 20-byte header (`tcpHdrLen` set) — a SYN with options under a 54- or
 * 64-byte snaplen, common on darknet sensors, still counts as a SYN to its
 * port. Malformed packets (bad header lengths) and shorter cuts do not.
 */

import { DecodeStatus, IpProto, type PacketBatch } from '../decode/index.js';

/** Whether ports, TCP flags and ICMP type of packet `i` can be used. */
export function transportKnown(batch: PacketBatch, i: number): boolean {
  const status = batch.status[i];
  return (
    status === DecodeStatus.OK ||
    (status === DecodeStatus.TRUNCATED && batch.proto[i] === IpProto.TCP && batch.tcpHdrLen[i] !== 0)
  );
}
