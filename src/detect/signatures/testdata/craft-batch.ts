/**
 * @module
 * Test support: packets built with the craft library, decoded by the real
 * `BatchBuilder` into one batch, and a tiny driver that loads rule text,
 * matches the batch and returns (packet, sid) pairs.
 */
import { LinkType, newRawRecord } from '../../../capture/record.js';
import type { PacketBatch } from '../../../decode/batch.js';
import { BatchBuilder } from '../../../decode/batch-builder.js';
import { buildPacket, type PacketSpec } from '../../../simulate/craft/index.js';
import { SignatureAlerts } from '../alerts.js';
import type { CategoryMap } from '../categories.js';
import { parseRuleText, type LoadRulesOptions } from '../load-rules.js';
import { SignatureEngine } from '../signature-engine.js';

/** 2010-06-01T00:00:00Z, a Tuesday. */
export const T0 = 1_275_350_400;

export interface TimedPacket {
  packet: PacketSpec;
  /** Seconds after T0 (may be fractional); default the packet's index. */
  at?: number;
}

/** Decodes crafted packets (Ethernet frames unless a spec says otherwise) into one batch. */
export function craftBatch(packets: ReadonlyArray<PacketSpec | TimedPacket>): PacketBatch {
  const batches: PacketBatch[] = [];
  const builder = new BatchBuilder({ onBatch: (b) => batches.push(b), capacity: Math.max(1, packets.length), dataCapacity: 1 << 20 });
  const record = newRawRecord();
  record.linkType = LinkType.EN10MB;
  packets.forEach((item, k) => {
    const timed = 'packet' in item ? item : { packet: item };
    const bytes = buildPacket({ link: { kind: 'ethernet' }, ...timed.packet });
    const at = timed.at ?? k;
    record.tsSec = T0 + Math.floor(at);
    record.tsNsec = Math.round((at - Math.floor(at)) * 1e9);
    record.data = bytes;
    record.capLen = bytes.length;
    record.wireLen = bytes.length;
    builder.push(record);
  });
  builder.flush();
  if (batches.length !== 1) throw new Error(`craftBatch() expected one batch, got ${batches.length}`);
  return batches[0]!;
}

/** Compiles rule text; throws on any syntax error or skipped rule, so tests see them. */
export function engineFor(text: string, options: LoadRulesOptions & { categories?: CategoryMap } = {}): SignatureEngine {
  const load = parseRuleText(text, 'test.rules', options);
  if (load.errors.length > 0) throw load.errors[0]!;
  if (load.skipped.length > 0) throw new Error(`rule skipped: ${load.skipped[0]!.keyword}: ${load.skipped[0]!.reason}`);
  return new SignatureEngine(load.rules, options.categories === undefined ? {} : { categories: options.categories });
}

/** Alerts of one match call as `[packetIndex, sid]` pairs. */
export function alertPairs(engine: SignatureEngine, batch: PacketBatch): Array<[number, number]> {
  const alerts = new SignatureAlerts(4);
  engine.match(batch, alerts);
  const pairs: Array<[number, number]> = [];
  for (let k = 0; k < alerts.length; k++) pairs.push([alerts.packet[k]!, engine.rules[alerts.rule[k]!]!.sid]);
  return pairs;
}

/** Sids alerted for each packet of the batch. */
export function sidsPerPacket(engine: SignatureEngine, batch: PacketBatch): number[][] {
  const out: number[][] = Array.from({ length: batch.length }, () => []);
  for (const [packet, sid] of alertPairs(engine, batch)) out[packet]!.push(sid);
  return out;
}

export const udp = (dstPort: number, payload: Uint8Array | string = '', extra: Partial<{ src: string; dst: string; srcPort: number; ttl: number; id: number }> = {}): PacketSpec => ({
  ip: { version: 4, src: extra.src ?? '198.51.100.7', dst: extra.dst ?? '192.0.2.10', ttl: extra.ttl ?? 64, id: extra.id ?? 1 },
  l4: { kind: 'udp', srcPort: extra.srcPort ?? 40000, dstPort },
  payload,
});

export const tcp = (dstPort: number, flags: number, extra: Partial<{ src: string; dst: string; srcPort: number; ttl: number; id: number; seq: number; ack: number; window: number; payload: Uint8Array | string }> = {}): PacketSpec => ({
  ip: { version: 4, src: extra.src ?? '198.51.100.7', dst: extra.dst ?? '192.0.2.10', ttl: extra.ttl ?? 64, id: extra.id ?? 1 },
  l4: { kind: 'tcp', srcPort: extra.srcPort ?? 40000, dstPort, flags, seq: extra.seq ?? 1000, ack: extra.ack ?? 0, window: extra.window ?? 1024 },
  payload: extra.payload ?? '',
});

export const icmp = (type: number, code: number, payload: Uint8Array | string = '', extra: Partial<{ src: string; dst: string; ttl: number; id: number; seq: number }> = {}): PacketSpec => ({
  ip: { version: 4, src: extra.src ?? '198.51.100.7', dst: extra.dst ?? '192.0.2.10', ttl: extra.ttl ?? 64 },
  l4: { kind: 'icmp', type, code, id: extra.id ?? 0x1234, seq: extra.seq ?? 1 },
  payload,
});
