/**
 * @module
 * Dispatch table from IP protocol number to transport decoder. The network
 * decoders index it with the byte from the header, so adding a protocol is
 * one line here. (The IPv4 decoder calls TCP, UDP and ICMP directly first, so
 * that V8 can inline them; the table holds them too.)
 */
import { DecodeStatus, IpProto } from './batch.js';
import { decodeIcmp, decodeIcmpv6 } from './icmp.js';
import type { TransportDecoder } from './layer.js';
import { sharedStage } from './stage.js';
import { decodeTcp } from './tcp.js';
import { decodeUdp } from './udp.js';

/** Local alias of the shared stage: V8 folds a module's own constant into compiled code, not an import (see stage.ts). */
const stage = sharedStage;

const IP_PROTOCOL_COUNT = 256;

/**
 * A protocol without a decoder (GRE, ESP, SCTP, no-next-header …): its whole
 * captured IP payload is the payload.
 */
function decodeOpaque(slot: number, _view: DataView, off: number, end: number, _fullEnd: number): number {
  stage.payloadOff[slot] = off;
  stage.payloadLen[slot] = end - off;
  return DecodeStatus.OK;
}

function buildTable(): readonly TransportDecoder[] {
  const table = new Array<TransportDecoder>(IP_PROTOCOL_COUNT).fill(decodeOpaque);
  table[IpProto.TCP] = decodeTcp;
  table[IpProto.UDP] = decodeUdp;
  table[IpProto.ICMP] = decodeIcmp;
  table[IpProto.ICMPV6] = decodeIcmpv6;
  return table;
}

/**
 * Transport decoder per IP protocol number. Every one of the 256 entries is
 * set, so indexing with a header byte always finds a function.
 */
export const TRANSPORT_DECODERS: readonly TransportDecoder[] = buildTable();
