/**
 * @module
 * Raw `packets` rows from an enriched batch: one row per packet addressed to
 * the ingest's sensor, with addresses as canonical text and up to 64 payload
 * bytes as hex. The kept packets are gathered column by column into typed
 * arrays of the columns' own types and added with `ColumnBuffer.addColumns`,
 * so a batch costs a few arrays, not an array and 29 checks per packet; only
 * the text columns make a string per packet.
 */

import type { EnrichedBatch } from '../classify/index.js';
import type { TzClock } from '../util/tz.js';
import type { ColumnBuffer } from './column-buffer.js';
import { formatIpv4, formatIpv6 } from '../util/ip-address.js';

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
  const { enriched: e, sensorOf, sensorId, ingestId, clock } = input;
  const b = e.batch;
  const n = b.length;
  if (sensorOf.length < n)
    throw new RangeError(`Cannot write raw packets: sensorOf holds ${sensorOf.length} of ${n} packets`);
  let kept = 0;
  for (let i = 0; i < n; i++) if (sensorOf[i] === sensorId) kept++;
  if (kept === 0) return 0;
  const c = {
    tsSec: new Float64Array(kept),
    tsNsec: new Uint32Array(kept),
    localDay: new Int32Array(kept),
    ipVersion: new Uint8Array(kept),
    src: new Array<string>(kept),
    dst: new Array<string>(kept),
    proto: new Uint8Array(kept),
    sport: new Uint16Array(kept),
    dport: new Uint16Array(kept),
    tcpFlags: new Uint16Array(kept),
    ttl: new Uint8Array(kept),
    ipId: new Uint32Array(kept),
    seq: new Uint32Array(kept),
    ack: new Uint32Array(kept),
    win: new Uint16Array(kept),
    icmpType: new Uint8Array(kept),
    icmpCode: new Uint8Array(kept),
    ipLen: new Uint32Array(kept),
    wireLen: new Uint32Array(kept),
    service: new Uint32Array(kept),
    srcService: new Uint32Array(kept),
    country: new Uint16Array(kept),
    asn: new Uint32Array(kept),
    flagClass: new Uint8Array(kept),
    packetClass: new Uint8Array(kept),
    payloadLen: new Uint32Array(kept),
    payloadHex: new Array<string>(kept),
  };
  // One Buffer view of the batch's bytes: hex of a payload is then a string, with no view object per packet.
  const data = Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength);
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (sensorOf[i] !== sensorId) continue;
    const v6 = b.ipVersion[i] === 6;
    const tsSec = b.tsSec[i]!;
    const payloadLen = b.payloadLen[i]!;
    const keep = Math.min(payloadLen, RAW_PAYLOAD_BYTES);
    const payloadOff = b.payloadOff[i]!;
    c.tsSec[k] = tsSec;
    c.tsNsec[k] = b.tsNsec[i]!;
    c.localDay[k] = clock.localDay(tsSec);
    c.ipVersion[k] = b.ipVersion[i]!;
    c.src[k] = v6 ? formatIpv6(b.src6, i * IPV6_BYTES) : formatIpv4(b.src4[i]!);
    c.dst[k] = v6 ? formatIpv6(b.dst6, i * IPV6_BYTES) : formatIpv4(b.dst4[i]!);
    c.proto[k] = b.proto[i]!;
    c.sport[k] = b.sport[i]!;
    c.dport[k] = b.dport[i]!;
    c.tcpFlags[k] = b.tcpFlags[i]!;
    c.ttl[k] = b.ttl[i]!;
    c.ipId[k] = b.ipId[i]!;
    c.seq[k] = b.tcpSeq[i]!;
    c.ack[k] = b.tcpAck[i]!;
    c.win[k] = b.tcpWin[i]!;
    c.icmpType[k] = b.icmpType[i]!;
    c.icmpCode[k] = b.icmpCode[i]!;
    c.ipLen[k] = b.ipLen[i]!;
    c.wireLen[k] = b.wireLen[i]!;
    c.service[k] = e.service[i]!;
    c.srcService[k] = e.srcService[i]!;
    c.country[k] = e.country[i]!;
    c.asn[k] = e.asn[i]!;
    c.flagClass[k] = e.flagClass[i]!;
    c.packetClass[k] = e.packetClass[i]!;
    c.payloadLen[k] = payloadLen;
    c.payloadHex[k] = keep === 0 ? '' : data.toString('hex', payloadOff, payloadOff + keep);
    k++;
  }
  buffer.addColumns({ rowCount: kept, columns: c }, { ingest_id: ingestId, sensor_id: sensorId });
  return kept;
}
