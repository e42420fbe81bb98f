/**
 * @module
 * A packet's identity for duplicate detection: the fields two copies of one
 * packet share and two different packets practically never do, packed into
 * `PACKET_KEY_WORDS` 32-bit words for `WordKeyTable`.
 *
 * Identity = timestamp to the microsecond, IP version, source, destination,
 * protocol, source and destination ports, ICMP type and code, IP ID, TCP
 * sequence number and IP length. The timestamp is cut to microseconds so a
 * nanosecond pcapng and a microsecond pcap of the same traffic agree. A
 * retransmitted probe differs in time (and usually IP ID), so it is not a
 * duplicate; the same frame captured twice (two interfaces, two overlapping
 * capture files) is.
 *
 * The same key is built from a decoded batch (`packetKeyOf`) and from a
 * stored raw `packets` row (`packetKeyOfRow`), so new packets compare exactly
 * with stored ones.
 */

import { type PacketBatch } from '../decode/index.js';
import { parseIpv4, parseIpv6 } from '../util/ip-address.js';

export const PACKET_KEY_WORDS = 15;
const NS_PER_US = 1000;
const IPV6_BYTES = 16;
/** Word offsets in a key. */
const W_SEC = 0;
const W_USEC = 1;
const W_SRC = 2;
const W_DST = 6;
const W_PORTS = 10;
const W_KIND = 11;
const W_IP_ID = 12;
const W_SEQ = 13;
const W_IP_LEN = 14;

/** The raw `packets` columns a key is built from (as `SELECT`ed by `STORED_KEY_COLUMNS`). */
export interface StoredPacketRow {
  ts_sec: number;
  ts_nsec: number;
  ip_version: number;
  src: string;
  dst: string;
  proto: number;
  sport: number;
  dport: number;
  icmp_type: number;
  icmp_code: number;
  ip_id: number;
  seq: number;
  ip_len: number;
}

/** Column list for a `SELECT` from `packets` that `packetKeyOfRow` reads. */
export const STORED_KEY_COLUMNS =
  'ts_sec, ts_nsec, ip_version, src, dst, proto, sport, dport, icmp_type, icmp_code, ip_id, seq, ip_len';

/** Writes the identity of packet `i` of `batch` into `out[at..at + PACKET_KEY_WORDS)`. */
export function packetKeyOf(batch: PacketBatch, i: number, out: Uint32Array, at = 0): void {
  const version = batch.ipVersion[i]!;
  out[at + W_SEC] = batch.tsSec[i]!;
  out[at + W_USEC] = Math.floor(batch.tsNsec[i]! / NS_PER_US);
  if (version === 6) {
    const from = i * IPV6_BYTES;
    for (let w = 0; w < 4; w++) {
      out[at + W_SRC + w] = readWord(batch.src6, from + 4 * w);
      out[at + W_DST + w] = readWord(batch.dst6, from + 4 * w);
    }
  } else {
    out[at + W_SRC] = batch.src4[i]!;
    out[at + W_DST] = batch.dst4[i]!;
    for (let w = 1; w < 4; w++) {
      out[at + W_SRC + w] = 0;
      out[at + W_DST + w] = 0;
    }
  }
  out[at + W_PORTS] = ((batch.sport[i]! << 16) | batch.dport[i]!) >>> 0;
  out[at + W_KIND] = ((version << 24) | (batch.proto[i]! << 16) | (batch.icmpType[i]! << 8) | batch.icmpCode[i]!) >>> 0;
  out[at + W_IP_ID] = batch.ipId[i]!;
  out[at + W_SEQ] = batch.tcpSeq[i]!;
  out[at + W_IP_LEN] = batch.ipLen[i]!;
}

/** Writes the identity of a stored raw packet into `out`; same words as `packetKeyOf` gives its batch packet. */
export function packetKeyOfRow(row: StoredPacketRow, out: Uint32Array): void {
  out[W_SEC] = row.ts_sec;
  out[W_USEC] = Math.floor(row.ts_nsec / NS_PER_US);
  if (row.ip_version === 6) {
    const src = parseIpv6(row.src);
    const dst = parseIpv6(row.dst);
    for (let w = 0; w < 4; w++) {
      out[W_SRC + w] = readWord(src, 4 * w);
      out[W_DST + w] = readWord(dst, 4 * w);
    }
  } else {
    out[W_SRC] = parseIpv4(row.src);
    out[W_DST] = parseIpv4(row.dst);
    for (let w = 1; w < 4; w++) {
      out[W_SRC + w] = 0;
      out[W_DST + w] = 0;
    }
  }
  out[W_PORTS] = ((row.sport << 16) | row.dport) >>> 0;
  out[W_KIND] = ((row.ip_version << 24) | (row.proto << 16) | (row.icmp_type << 8) | row.icmp_code) >>> 0;
  out[W_IP_ID] = row.ip_id;
  out[W_SEQ] = row.seq;
  out[W_IP_LEN] = row.ip_len;
}

/** Big-endian 32-bit word of `bytes` at `at`. */
function readWord(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}
