/**
 * @module
 * Non-payload keywords: header field tests (`flags`, `ttl`, `id`, `seq`,
 * `ack`, `window`, `itype`, `icode`, `icmp_id`, `icmp_seq`, `ip_proto`,
 * `dsize`, `sameip`, `fragbits`, and teiten's `teiten_conficker_p2p`), `flow`
 * for a stateless sensor, and the stateful `threshold`/`detection_filter`.
 */
import { RuleValueError, UnsupportedRuleError } from './errors.js';
import { parseNumber, parseNumericTest } from './numeric-test.js';
import { splitCommas } from './rule-text.js';
import {
  Compare,
  FlagMode,
  PacketField,
  type PacketFieldCode,
  type PacketTest,
  type ThresholdSpec,
} from './rule-types.js';

const U8 = 0xff;
const U16 = 0xffff;
const U32 = 0xffffffff;
const TCP_FLAG_BITS: Readonly<Record<string, number>> = {
  F: 0x01,
  S: 0x02,
  R: 0x04,
  P: 0x08,
  A: 0x10,
  U: 0x20,
  E: 0x40,
  C: 0x80,
  '2': 0x40,
  '1': 0x80,
  '0': 0,
};
/** `fragbits` letters as bits of the test (not the header): M more fragments, D don't fragment. */
export const FragBit = { M: 1, D: 2 } as const;
const IP_PROTOCOL_NAMES: Readonly<Record<string, number>> = {
  icmp: 1,
  igmp: 2,
  ipip: 4,
  tcp: 6,
  egp: 8,
  udp: 17,
  ipv6: 41,
  rsvp: 46,
  gre: 47,
  esp: 50,
  ah: 51,
  'ipv6-icmp': 58,
  icmpv6: 58,
  eigrp: 88,
  ospf: 89,
  pim: 103,
  vrrp: 112,
  l2tp: 115,
  sctp: 132,
};

/** What `flow` decided: accepted, plus a note when `established` was assumed. */
export interface FlowDecision {
  note: string | null;
}

function numeric(field: PacketFieldCode, value: string | null, what: string, max: number): PacketTest {
  return { field, ...parseNumericTest(value, what, max) };
}

function equality(field: PacketFieldCode, value: string | null, what: string, max: number): PacketTest {
  const test = numeric(field, value, what, max);
  if (test.op !== Compare.EQ && test.op !== Compare.NE)
    throw new RuleValueError(`${what} only compares for (in)equality`);
  return test;
}

/** Packet test for a header keyword, or undefined when `keyword` is not one. */
export function packetTest(keyword: string, value: string | null): PacketTest | undefined {
  switch (keyword) {
    case 'ttl':
      return numeric(PacketField.TTL, value, 'ttl', U8);
    case 'id':
      return numeric(PacketField.IP_ID, value, 'id', U16);
    case 'dsize':
      return numeric(PacketField.DSIZE, value, 'dsize', U16);
    case 'itype':
      return numeric(PacketField.ICMP_TYPE, value, 'itype', U8);
    case 'icode':
      return numeric(PacketField.ICMP_CODE, value, 'icode', U8);
    case 'seq':
      return equality(PacketField.TCP_SEQ, value, 'seq', U32);
    case 'ack':
      return equality(PacketField.TCP_ACK, value, 'ack', U32);
    case 'window':
      return equality(PacketField.TCP_WINDOW, value, 'window', U16);
    case 'icmp_id':
      return equality(PacketField.ICMP_ID, value, 'icmp_id', U16);
    case 'icmp_seq':
      return equality(PacketField.ICMP_SEQ, value, 'icmp_seq', U16);
    case 'ip_proto':
      return ipProto(value);
    case 'flags':
      return tcpFlags(value);
    case 'fragbits':
      return fragBits(value);
    case 'sameip':
      if (value !== null) throw new RuleValueError('sameip takes no value');
      return { field: PacketField.SAME_IP, op: Compare.EQ, a: 0, b: 0 };
    case 'teiten_conficker_p2p':
      if (value !== null) throw new RuleValueError('teiten_conficker_p2p takes no value');
      return { field: PacketField.CONFICKER_P2P, op: Compare.EQ, a: 0, b: 0 };
    default:
      return undefined;
  }
}

function ipProto(value: string | null): PacketTest {
  const text = (value ?? '').trim();
  const name = /^([!<>]?)\s*([a-z][a-z0-9-]*)$/i.exec(text);
  if (name !== null) {
    const number = IP_PROTOCOL_NAMES[name[2]!.toLowerCase()];
    if (number === undefined) throw new RuleValueError(`ip_proto '${text}' is not a known protocol name`);
    return numeric(PacketField.IP_PROTO, `${name[1]}${number}`, 'ip_proto', U8);
  }
  return numeric(PacketField.IP_PROTO, text, 'ip_proto', U8);
}

/** `flags:[+*!]SAFRPUCE0[,ignored]` with Suricata's modifiers. */
function tcpFlags(value: string | null): PacketTest {
  if (value === null) throw new RuleValueError('flags needs a value');
  const [setText, maskText] = value.split(',').map((part) => part.trim()) as [string, string | undefined];
  let mode: number = FlagMode.EXACT;
  let bits = 0;
  for (const c of setText.replace(/\s+/g, '')) {
    if (c === '+') mode = FlagMode.ALL;
    else if (c === '*') mode = FlagMode.ANY;
    else if (c === '!') mode = FlagMode.NOT;
    else {
      const bit = TCP_FLAG_BITS[c.toUpperCase()];
      if (bit === undefined) throw new RuleValueError(`flags '${value}' has an unknown flag '${c}'`);
      bits |= bit;
    }
  }
  let considered = U8;
  for (const c of (maskText ?? '').replace(/\s+/g, '')) {
    const bit = TCP_FLAG_BITS[c.toUpperCase()];
    if (bit === undefined || c === '0') throw new RuleValueError(`flags mask '${maskText}' has an unknown flag '${c}'`);
    considered &= ~bit;
  }
  return { field: PacketField.TCP_FLAGS, op: mode as PacketTest['op'], a: bits, b: considered };
}

/** `fragbits:[*!]MD` (the reserved bit R is not decoded, so it is unsupported). */
function fragBits(value: string | null): PacketTest {
  if (value === null) throw new RuleValueError('fragbits needs a value');
  let mode: number = FlagMode.EXACT;
  let bits = 0;
  for (const c of value.replace(/\s+/g, '')) {
    if (c === '*') mode = FlagMode.ANY;
    else if (c === '!') mode = FlagMode.NOT;
    else if (c === 'M' || c === 'D') bits |= FragBit[c];
    else if (c === 'R' || c === '+')
      throw new UnsupportedRuleError(`fragbits ${c}`, 'the reserved bit and + are not decoded');
    else throw new RuleValueError(`fragbits '${value}' has an unknown bit '${c}'`);
  }
  return { field: PacketField.FRAG_BITS, op: mode as PacketTest['op'], a: bits, b: 0 };
}

/**
 * `flow`: a darknet sensor never completes a handshake, so every packet is
 * the first of its flow, sent to the server. `to_server`, `from_client`,
 * `stateless` and `no_stream` hold for every packet; `established` needs
 * connection state and is unsupported unless `assumeEstablished` (then noted).
 */
export function flowOption(value: string | null, assumeEstablished: boolean): FlowDecision {
  if (value === null) throw new RuleValueError('flow needs a value');
  let note: string | null = null;
  for (const part of splitCommas(value)) {
    if (part === 'to_server' || part === 'from_client' || part === 'stateless' || part === 'no_stream') continue;
    if (part === 'established' && assumeEstablished) {
      note = 'flow:established assumed: the packet is matched as if its connection were established';
      continue;
    }
    const reasons: Record<string, string> = {
      established: 'a stateless darknet sensor sees no established connections',
      not_established: 'needs connection state',
      to_client: 'a darknet sensor is never the client side',
      from_server: 'a darknet sensor is never the client side',
      only_stream: 'needs stream reassembly',
      only_frag: 'needs fragment reassembly',
      no_frag: 'needs fragment reassembly',
    };
    throw new UnsupportedRuleError(`flow:${part}`, reasons[part] ?? 'unknown flow option');
  }
  return { note };
}

/** `threshold:type T, track X, count N, seconds S` and `detection_filter:track X, count N, seconds S`. */
export function thresholdOption(keyword: 'threshold' | 'detection_filter', value: string | null): ThresholdSpec {
  if (value === null) throw new RuleValueError(`${keyword} needs a value`);
  const fields = new Map<string, string>();
  for (const part of splitCommas(value)) {
    const [name, arg] = part.split(/\s+/, 2) as [string, string | undefined];
    if (arg === undefined) throw new RuleValueError(`${keyword} '${part}' needs a value`);
    fields.set(name, arg.trim());
  }
  const type = keyword === 'detection_filter' ? 'detection_filter' : fields.get('type');
  if (type !== 'limit' && type !== 'threshold' && type !== 'both' && type !== 'detection_filter') {
    throw new RuleValueError(`${keyword} type '${type ?? ''}' must be limit, threshold or both`);
  }
  const track = fields.get('track');
  if (track !== 'by_src' && track !== 'by_dst' && track !== 'by_rule' && track !== 'by_both') {
    throw new RuleValueError(`${keyword} track '${track ?? ''}' must be by_src, by_dst, by_rule or by_both`);
  }
  const min = type === 'detection_filter' ? 0 : 1;
  return {
    type,
    track,
    count: parseNumber(fields.get('count') ?? '', `${keyword} count`, U32, min),
    seconds: parseNumber(fields.get('seconds') ?? '', `${keyword} seconds`, U32, 1),
  };
}
