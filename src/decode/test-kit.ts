/**
 * @module
 * Test support for the decode stage's unit tests (not used by the app): hex
 * fixtures, small header builders for cases no real capture holds, and
 * `decodeOne()`, which runs a frame through the real `BatchBuilder`.
 */
import { LinkType, newRawRecord } from '../capture/record.js';
import type { PacketBatch } from './batch.js';
import { BatchBuilder } from './batch-builder.js';
import { parseIpv4, parseIpv6 } from '../util/ip-address.js';

/** Bytes from hex text; whitespace and `#` comments to the end of a line are ignored. */
export function hex(text: string): Uint8Array {
  const clean = text.replace(/#[^\n]*/g, '').replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) {
    throw new SyntaxError(`Cannot parse hex fixture: "${clean.slice(0, 40)}…"`);
  }
  return Uint8Array.from(Buffer.from(clean, 'hex'));
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

/** `n` filler bytes (0, 1, 2 …) for payloads whose content does not matter. */
export function filler(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, k) => k & 0xff);
}

export interface DecodeOneOptions {
  linkType?: number;
  /** Keep only this many bytes, as a capture snaplen would (wire length stays the frame's). */
  snap?: number;
  /** Wire length to claim; defaults to the frame's length. */
  wireLen?: number;
}

/** Decodes one frame through `BatchBuilder` and returns its batch (the packet is slot 0). */
export function decodeOne(frame: Uint8Array | string, options: DecodeOneOptions = {}): PacketBatch {
  const bytes = typeof frame === 'string' ? hex(frame) : frame;
  const batches: PacketBatch[] = [];
  const builder = new BatchBuilder({ onBatch: (b) => batches.push(b), capacity: 4, dataCapacity: 1 << 16 });
  const record = newRawRecord();
  record.linkType = options.linkType ?? LinkType.EN10MB;
  record.data = bytes;
  record.capLen = Math.min(bytes.length, options.snap ?? bytes.length);
  record.wireLen = options.wireLen ?? bytes.length;
  builder.push(record);
  builder.flush();
  const batch = batches[0];
  if (batch === undefined || batch.length !== 1) throw new Error('decodeOne() expected exactly one packet');
  return batch;
}

function u16(value: number): Uint8Array {
  return Uint8Array.of(value >>> 8, value & 0xff);
}

/** Ethernet II header (fixed MACs) with optional VLAN tags, each given as its TPID. */
export function ethernet(ethertype: number, payload: Uint8Array, vlanTpids: number[] = []): Uint8Array {
  const parts = [hex('00163e0decf2 985d82115449')];
  let vid = 100;
  for (const tpid of vlanTpids) parts.push(u16(tpid), u16(vid++));
  parts.push(u16(ethertype), payload);
  return concat(...parts);
}

export interface Ipv4Fields {
  proto: number;
  src?: string;
  dst?: string;
  ttl?: number;
  id?: number;
  /** Raw flags+fragment-offset word (DF 0x4000, MF 0x2000, offset in 8-byte units). */
  fragWord?: number;
  options?: Uint8Array;
  /** Overrides the computed total length. */
  totalLen?: number;
  /** Overrides the computed IHL (in 4-byte words). */
  ihl?: number;
}

export function ipv4(fields: Ipv4Fields, payload: Uint8Array): Uint8Array {
  const options = fields.options ?? new Uint8Array(0);
  const hdr = new DataView(new ArrayBuffer(20));
  hdr.setUint8(0, 0x40 | (fields.ihl ?? (20 + options.length) / 4));
  hdr.setUint16(2, fields.totalLen ?? 20 + options.length + payload.length);
  hdr.setUint16(4, fields.id ?? 0x1234);
  hdr.setUint16(6, fields.fragWord ?? 0);
  hdr.setUint8(8, fields.ttl ?? 64);
  hdr.setUint8(9, fields.proto);
  hdr.setUint32(12, parseIpv4(fields.src ?? '192.0.2.1'));
  hdr.setUint32(16, parseIpv4(fields.dst ?? '198.51.100.2'));
  return concat(new Uint8Array(hdr.buffer), options, payload);
}

export interface Ipv6Fields {
  next: number;
  src?: string;
  dst?: string;
  hop?: number;
  /** Overrides the computed payload length. */
  payloadLen?: number;
}

export function ipv6(fields: Ipv6Fields, payload: Uint8Array): Uint8Array {
  const hdr = new DataView(new ArrayBuffer(8));
  hdr.setUint32(0, 0x60000000);
  hdr.setUint16(4, fields.payloadLen ?? payload.length);
  hdr.setUint8(6, fields.next);
  hdr.setUint8(7, fields.hop ?? 64);
  const src = parseIpv6(fields.src ?? '2001:db8::1');
  const dst = parseIpv6(fields.dst ?? '2001:db8::2');
  return concat(new Uint8Array(hdr.buffer), src, dst, payload);
}

/** IPv6 extension header in the generic layout (8-octet units), padded to `8 * (units + 1)`. */
export function ipv6Ext(next: number, units: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const body = new Uint8Array(8 * (units + 1));
  body[0] = next;
  body[1] = units;
  return concat(body, payload);
}

export interface TcpFields {
  sport: number;
  dport: number;
  seq?: number;
  ack?: number;
  flags: number;
  win?: number;
  options?: Uint8Array;
  /** Overrides the computed data offset (in 4-byte words). */
  dataOffset?: number;
}

export function tcp(fields: TcpFields, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const options = fields.options ?? new Uint8Array(0);
  const hdr = new DataView(new ArrayBuffer(20));
  hdr.setUint16(0, fields.sport);
  hdr.setUint16(2, fields.dport);
  hdr.setUint32(4, fields.seq ?? 1);
  hdr.setUint32(8, fields.ack ?? 0);
  const words = fields.dataOffset ?? (20 + options.length) / 4;
  hdr.setUint16(12, (words << 12) | (fields.flags & 0x1ff));
  hdr.setUint16(14, fields.win ?? 1024);
  return concat(new Uint8Array(hdr.buffer), options, payload);
}

export function udp(sport: number, dport: number, payload: Uint8Array, length?: number): Uint8Array {
  const hdr = new DataView(new ArrayBuffer(8));
  hdr.setUint16(0, sport);
  hdr.setUint16(2, dport);
  hdr.setUint16(4, length ?? 8 + payload.length);
  return concat(new Uint8Array(hdr.buffer), payload);
}

/** Columns set by the builder from the record rather than by decoding. */
const RECORD_COLUMNS = new Set(['frame', 'tsSec', 'tsNsec']);

/** Every per-packet column of a batch with the number of values one slot holds. */
export function batchColumns(batch: PacketBatch): [string, ArrayLike<number>, number][] {
  const result: [string, ArrayLike<number>, number][] = [];
  for (const [name, value] of Object.entries(batch)) {
    if (name === 'data' || !ArrayBuffer.isView(value)) continue;
    const column = value as unknown as ArrayLike<number>;
    result.push([name, column, column.length / batch.capacity]);
  }
  return result;
}

/** The values of every column of slot `i` except those copied from the record, by column name. */
export function slotValues(batch: PacketBatch, i: number): Record<string, number[]> {
  const values: Record<string, number[]> = {};
  for (const [name, column, width] of batchColumns(batch)) {
    if (RECORD_COLUMNS.has(name)) continue;
    values[name] = Array.from({ length: width }, (_, k) => column[i * width + k]!);
  }
  return values;
}
