/**
 * @module
 * Service keys: one uint32 per packet naming the destination (or source)
 * "service" the way the reports write it: `445/TCP`, `1434/UDP`, `8/ICMP`,
 * `128/ICMPv6`, `frag/UDP` for a non-first fragment, `GRE`/`ESP`/… or
 * `IP-<n>` for other IP protocols.
 *
 * Layout (stable: stored in the database and compared in SQL):
 *
 *     key = proto * 2^17 + part
 *     part = port (TCP/UDP) or type (ICMP/ICMPv6), 0..65535,
 *            or NO_PORT (65536) when there is no port: fragments, other protocols
 *
 * So `key >>> 17` is the IP protocol and `key & 0x1ffff` the port part. Key 0
 * means "no service" (non-IP or undecoded packet); it cannot collide with a
 * real key because protocol 0 never carries a port, so its key is 65536.
 */

import { IpProto, PacketFlag, type PacketBatch } from '../decode/index.js';
import { transportKnown } from './transport-known.js';

/** Key of a packet that has no service: non-IP, or transport not decoded. */
export const SERVICE_NONE = 0;
/** Port part meaning "no port": a non-first fragment or a protocol without ports. */
export const NO_PORT = 0x10000;
const PROTO_SHIFT = 17;
const PROTO_MULTIPLIER = 1 << PROTO_SHIFT;
const PART_MASK = PROTO_MULTIPLIER - 1;
const MAX_PORT = 0xffff;
const MAX_ICMP_TYPE = 0xff;
const MAX_PROTO = 0xff;

/** Protocols whose key carries a port (TCP/UDP) or a message type (ICMP/ICMPv6). */
const PORT_PROTOS: ReadonlyMap<number, string> = new Map([
  [IpProto.TCP, 'TCP'],
  [IpProto.UDP, 'UDP'],
  [IpProto.ICMP, 'ICMP'],
  [IpProto.ICMPV6, 'ICMPv6'],
]);

/** Names the reports use for other IP protocols; anything else is `IP-<n>`. */
export const IP_PROTO_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'HOPOPT'],
  [2, 'IGMP'],
  [4, 'IPIP'],
  [33, 'DCCP'],
  [41, 'IPv6'],
  [47, 'GRE'],
  [50, 'ESP'],
  [51, 'AH'],
  [59, 'IPv6-NoNxt'],
  [89, 'OSPF'],
  [103, 'PIM'],
  [112, 'VRRP'],
  [115, 'L2TP'],
  [132, 'SCTP'],
  [136, 'UDPLite'],
]);

const NAME_TO_PROTO: ReadonlyMap<string, number> = new Map(
  [...PORT_PROTOS, ...IP_PROTO_NAMES].map(([proto, name]) => [name.toLowerCase(), proto]),
);

/** Key for `proto` with `part` = port/type, or `NO_PORT`. */
export function serviceKey(proto: number, part: number): number {
  return proto * PROTO_MULTIPLIER + part;
}

/** IP protocol of a key (meaningless for `SERVICE_NONE`). */
export function serviceProto(key: number): number {
  return key >>> PROTO_SHIFT;
}

/** Port or ICMP type of a key, or -1 when the key has no port. */
export function servicePort(key: number): number {
  const part = key & PART_MASK;
  return part === NO_PORT ? -1 : part;
}

/** Output columns of `fillServiceKeys`; each at least `batch.length` long. */
export interface ServiceKeyColumns {
  /** Destination service: destination port, ICMP type, fragment or protocol. */
  dst: Uint32Array;
  /** Source service: source port for TCP/UDP, otherwise the same key as `dst`. */
  src: Uint32Array;
}

/**
 * Fill destination and source service keys for packets `[0, batch.length)`.
 * A packet gets `SERVICE_NONE` when it has no IP header or its transport fields
 * are not known (`transport-known.ts`), except a non-first fragment, which
 * never has a transport header and keys as `frag/<proto>`. ICMP has no source
 * port, so its source key is its type key, like the destination.
 */
export function fillServiceKeys(batch: PacketBatch, out: ServiceKeyColumns): void {
  const n = batch.length;
  if (out.dst.length < n || out.src.length < n) {
    throw new RangeError(
      `Cannot fill service keys: columns hold ${Math.min(out.dst.length, out.src.length)} of ${n} packets`,
    );
  }
  const { ipVersion, pflags, proto, sport, dport, icmpType } = batch;
  const { dst, src } = out;
  for (let i = 0; i < n; i++) {
    if (ipVersion[i] === 0) {
      dst[i] = src[i] = SERVICE_NONE;
      continue;
    }
    const p = proto[i]!;
    const base = p * PROTO_MULTIPLIER;
    if ((pflags[i]! & PacketFlag.FRAGMENT) !== 0) {
      dst[i] = src[i] = base + NO_PORT;
    } else if (!transportKnown(batch, i)) {
      dst[i] = src[i] = SERVICE_NONE;
    } else if (p === IpProto.TCP || p === IpProto.UDP) {
      dst[i] = base + dport[i]!;
      src[i] = base + sport[i]!;
    } else if (p === IpProto.ICMP || p === IpProto.ICMPV6) {
      dst[i] = src[i] = base + icmpType[i]!;
    } else {
      dst[i] = src[i] = base + NO_PORT;
    }
  }
}

function protoName(proto: number): string {
  return PORT_PROTOS.get(proto) ?? IP_PROTO_NAMES.get(proto) ?? `IP-${proto}`;
}

/** Text form of a key: `445/TCP`, `8/ICMP`, `frag/UDP`, `GRE`, `IP-253`; `''` for `SERVICE_NONE`. */
export function formatServiceKey(key: number): string {
  if (key === SERVICE_NONE) return '';
  if (!Number.isInteger(key) || key < 0 || key > serviceKey(MAX_PROTO, NO_PORT)) {
    throw new RangeError(`Cannot format service key ${key}: out of range`);
  }
  const proto = serviceProto(key);
  const part = key & PART_MASK;
  const name = protoName(proto);
  if (!PORT_PROTOS.has(proto)) {
    if (part !== NO_PORT) throw new RangeError(`Cannot format service key ${key}: protocol ${name} has no ports`);
    return name;
  }
  if (part === NO_PORT) return `frag/${name}`;
  if (part > MAX_PORT) throw new RangeError(`Cannot format service key ${key}: port part is ${part}`);
  return `${part}/${name}`;
}

/**
 * Inverse of `formatServiceKey`, case-insensitive: `445/tcp`, `frag/UDP`,
 * `128/icmpv6`, `gre`, `IP-47` (same key as `GRE`). Throws `SyntaxError` on
 * text that is no service and `RangeError` on a port or type out of range.
 */
export function parseServiceKey(text: string): number {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  if (slash < 0) {
    const proto = parseProtoName(trimmed, text);
    if (PORT_PROTOS.has(proto)) {
      throw new SyntaxError(
        `Cannot parse service "${text}": ${protoName(proto)} needs a port or type, e.g. 80/${protoName(proto)}`,
      );
    }
    return serviceKey(proto, NO_PORT);
  }
  const portText = trimmed.slice(0, slash).trim();
  const proto = parseProtoName(trimmed.slice(slash + 1).trim(), text);
  if (!PORT_PROTOS.has(proto)) {
    throw new SyntaxError(`Cannot parse service "${text}": ${protoName(proto)} has no ports`);
  }
  if (portText.toLowerCase() === 'frag') return serviceKey(proto, NO_PORT);
  if (!/^\d{1,5}$/.test(portText)) throw new SyntaxError(`Cannot parse service "${text}": "${portText}" is not a port`);
  const port = Number(portText);
  const max = proto === IpProto.TCP || proto === IpProto.UDP ? MAX_PORT : MAX_ICMP_TYPE;
  if (port > max) throw new RangeError(`Cannot parse service "${text}": ${port} is above ${max}`);
  return serviceKey(proto, port);
}

function parseProtoName(name: string, text: string): number {
  const lower = name.toLowerCase();
  const known = NAME_TO_PROTO.get(lower);
  if (known !== undefined) return known;
  const m = /^ip-(\d{1,3})$/.exec(lower);
  if (m) {
    const proto = Number(m[1]);
    if (proto > MAX_PROTO)
      throw new RangeError(`Cannot parse service "${text}": protocol ${proto} is above ${MAX_PROTO}`);
    return proto;
  }
  throw new SyntaxError(`Cannot parse service "${text}": unknown protocol "${name}"`);
}
