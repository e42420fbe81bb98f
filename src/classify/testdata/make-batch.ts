/**
 * @module
 * Test helper: build a `PacketBatch` from a few hand-written packet rows, so
 * classify tests can state their inputs column by column without a decoder.
 */

import { DecodeStatus, PacketBatch } from '../../decode/batch.js';

/** One packet's columns; anything omitted is 0 (or OK / IPv4 as noted). */
export interface PacketRow {
  /** Default 4. */
  ipVersion?: number;
  /** Default `DecodeStatus.OK`. */
  status?: number;
  pflags?: number;
  proto?: number;
  src4?: number;
  /** 16 bytes. */
  src6?: readonly number[] | Uint8Array;
  sport?: number;
  dport?: number;
  tcpFlags?: number;
  tcpHdrLen?: number;
  icmpType?: number;
  icmpCode?: number;
}

/** A batch holding `rows` in order, with capacity `rows.length` (at least 1). */
export function makeBatch(rows: readonly PacketRow[]): PacketBatch {
  const batch = new PacketBatch(Math.max(1, rows.length), 64);
  rows.forEach((row, i) => {
    batch.ipVersion[i] = row.ipVersion ?? 4;
    batch.status[i] = row.status ?? DecodeStatus.OK;
    batch.pflags[i] = row.pflags ?? 0;
    batch.proto[i] = row.proto ?? 0;
    batch.src4[i] = row.src4 ?? 0;
    if (row.src6) batch.src6.set(row.src6, i * 16);
    batch.sport[i] = row.sport ?? 0;
    batch.dport[i] = row.dport ?? 0;
    batch.tcpFlags[i] = row.tcpFlags ?? 0;
    batch.tcpHdrLen[i] = row.tcpHdrLen ?? 0;
    batch.icmpType[i] = row.icmpType ?? 0;
    batch.icmpCode[i] = row.icmpCode ?? 0;
  });
  batch.length = rows.length;
  return batch;
}
