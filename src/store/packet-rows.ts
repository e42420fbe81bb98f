/**
 * @module
 * Raw `packets` rows from an enriched batch: one row per packet addressed to
 * the ingest's sensor, in `PACKETS` column order, with addresses as canonical
 * text and up to 64 payload bytes as hex.
 */

import type { EnrichedBatch } from '../classify/enrich.js';
import { formatIpv4, formatIpv6 } from '../decode/address.js';
import type { TzClock } from '../util/tz.js';
import type { ColumnBuffer } from './column-buffer.js';

/** Payload bytes kept per raw packet. */
export const RAW_PAYLOAD_BYTES = 64;
const IPV6_BYTES = 16;

export interface PacketRowsInput {
  enriched: EnrichedBatch;
  /** Sensor id per packet (`AddressMatcher.fill`); rows are kept where it equals `sensorId`. */
  sensorOf: Int32Array;
  sensorId: number;
  ingestId: number;
  /** Clock in the store's zone, for `local_day`. */
  clock: TzClock;
}

/** Adds the packets of `input` to `buffer` (a `PACKETS` buffer); returns rows added. */
export function addPacketRows(buffer: ColumnBuffer, input: PacketRowsInput): number {
  const { enriched, sensorOf, sensorId, ingestId, clock } = input;
  const b = enriched.batch;
  const n = b.length;
  if (sensorOf.length < n) throw new RangeError(`Cannot write raw packets: sensorOf holds ${sensorOf.length} of ${n} packets`);
  const data = b.data;
  let added = 0;
  for (let i = 0; i < n; i++) {
    if (sensorOf[i] !== sensorId) continue;
    const v6 = b.ipVersion[i] === 6;
    const payloadLen = b.payloadLen[i]!;
    const keep = Math.min(payloadLen, RAW_PAYLOAD_BYTES);
    const payloadHex = keep === 0 ? '' : Buffer.from(data.buffer, data.byteOffset + b.payloadOff[i]!, keep).toString('hex');
    const tsSec = b.tsSec[i]!;
    buffer.addValues([
      ingestId,
      sensorId,
      tsSec,
      b.tsNsec[i],
      clock.localDay(tsSec),
      b.ipVersion[i],
      v6 ? formatIpv6(b.src6, i * IPV6_BYTES) : formatIpv4(b.src4[i]!),
      v6 ? formatIpv6(b.dst6, i * IPV6_BYTES) : formatIpv4(b.dst4[i]!),
      b.proto[i],
      b.sport[i],
      b.dport[i],
      b.tcpFlags[i],
      b.ttl[i],
      b.ipId[i],
      b.tcpSeq[i],
      b.tcpAck[i],
      b.tcpWin[i],
      b.icmpType[i],
      b.icmpCode[i],
      b.ipLen[i],
      b.wireLen[i],
      enriched.service[i],
      enriched.srcService[i],
      enriched.country[i],
      enriched.asn[i],
      enriched.flagClass[i],
      enriched.packetClass[i],
      payloadLen,
      payloadHex,
    ]);
    added++;
  }
  return added;
}
