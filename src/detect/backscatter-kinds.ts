/**
 * @module
 * Which packets are DoS backscatter, and whom they point at. After Moore et
 * al., "Inferring Internet Denial-of-Service Activity": a victim flooded with
 * packets whose sources are spoofed at random answers some of them, and the
 * answers that land on a darknet name the victim.
 *
 * - TCP SYN/ACK, RST, RST/ACK and ICMP echo reply: the victim is the
 *   packet's source, the attack used the packet's protocol (an echo reply
 *   answers an ICMP flood), the victim port is the source port.
 * - ICMP destination unreachable, source quench, redirect, time exceeded and
 *   parameter problem: a router or the victim reports a failed packet that
 *   claimed the sensor's address, so the victim is the destination of the
 *   quoted packet, the attack's protocol and port are the quoted ones. The
 *   quote must name the sensor address as its source; otherwise the error is
 *   not about a packet spoofed from here and is counted, not attributed.
 *
 * Only IPv4 is attributed (the extrapolation is over the 2^32 space); IPv6
 * responses are counted by the detector.
 */

import { FlagClass, PacketClass, type EnrichedBatch } from '../classify/index.js';
import { IpProto, PacketFlag } from '../decode/index.js';

export const BackscatterKind = {
  NONE: 0,
  SYN_ACK: 1,
  RST: 2,
  RST_ACK: 3,
  ECHO_REPLY: 4,
  UNREACHABLE: 5,
  SOURCE_QUENCH: 6,
  REDIRECT: 7,
  TIME_EXCEEDED: 8,
  PARAMETER_PROBLEM: 9,
} as const;
export type BackscatterKindCode = (typeof BackscatterKind)[keyof typeof BackscatterKind];

/** Display names indexed by code. */
export const BACKSCATTER_KIND_NAMES: readonly string[] = [
  'none',
  'TCP SYN/ACK',
  'TCP RST',
  'TCP RST/ACK',
  'ICMP echo reply',
  'ICMP unreachable',
  'ICMP source quench',
  'ICMP redirect',
  'ICMP time exceeded',
  'ICMP parameter problem',
];
export const BACKSCATTER_KIND_COUNT = BACKSCATTER_KIND_NAMES.length;

const ICMP_ECHO_REPLY = 0;
const ICMP6_ECHO_REPLY = 129;
/** ICMPv6 errors are types 1–4 (RFC 4443); type 0 is reserved. */
const ICMP6_LAST_ERROR = 4;
/** ICMPv4 error type → kind (RFC 792). */
const ICMP_ERROR_KIND = new Uint8Array(256);
ICMP_ERROR_KIND[3] = BackscatterKind.UNREACHABLE;
ICMP_ERROR_KIND[4] = BackscatterKind.SOURCE_QUENCH;
ICMP_ERROR_KIND[5] = BackscatterKind.REDIRECT;
ICMP_ERROR_KIND[11] = BackscatterKind.TIME_EXCEEDED;
ICMP_ERROR_KIND[12] = BackscatterKind.PARAMETER_PROBLEM;

const TCP_KIND = new Uint8Array(8);
TCP_KIND[FlagClass.SYN_ACK] = BackscatterKind.SYN_ACK;
TCP_KIND[FlagClass.RST] = BackscatterKind.RST;
TCP_KIND[FlagClass.RST_ACK] = BackscatterKind.RST_ACK;

/** What `readBackscatter` found; one object is reused for every packet. */
export interface BackscatterPacket {
  kind: BackscatterKindCode;
  victim: number;
  /** IP protocol of the attack traffic the victim answered. */
  proto: number;
  /** Victim port (TCP/UDP), or -1 when the attack protocol has none. */
  port: number;
  /** Sensor address the response arrived at. */
  sensor: number;
  /** Why a response-shaped packet was left out (`Unattributed`), NONE otherwise. */
  unattributed: UnattributedCode;
}

/** Why a response-shaped packet was not attributed. */
export const Unattributed = {
  NONE: 0,
  /** An IPv6 response or ICMPv6 error (counted only). */
  IPV6: 1,
  /** An ICMP error whose quoted packet was not decoded. */
  NO_QUOTE: 2,
  /** An ICMP error quoting a packet whose source is not the sensor address. */
  QUOTE_NOT_FROM_SENSOR: 3,
} as const;
export type UnattributedCode = (typeof Unattributed)[keyof typeof Unattributed];

export function newBackscatterPacket(): BackscatterPacket {
  return { kind: BackscatterKind.NONE, victim: 0, proto: 0, port: -1, sensor: 0, unattributed: Unattributed.NONE };
}

/**
 * Reads packet `i` of `enriched` into `out`. Returns `out.kind` (NONE when
 * the packet is not backscatter); an IPv6 or unattributable response
 * returns NONE and says why in `out.unattributed`.
 */
export function readBackscatter(enriched: EnrichedBatch, i: number, out: BackscatterPacket): BackscatterKindCode {
  const { batch } = enriched;
  out.kind = BackscatterKind.NONE;
  out.port = -1;
  out.unattributed = Unattributed.NONE;
  const cls = enriched.packetClass[i]!;
  if (cls !== PacketClass.RESPONSE && cls !== PacketClass.ICMP_ERROR) return BackscatterKind.NONE;
  const proto = batch.proto[i]!;
  let kind: number = BackscatterKind.NONE;
  if (proto === IpProto.TCP) kind = TCP_KIND[enriched.flagClass[i]!]!;
  else if (proto === IpProto.ICMP) {
    const type = batch.icmpType[i]!;
    kind = type === ICMP_ECHO_REPLY ? BackscatterKind.ECHO_REPLY : ICMP_ERROR_KIND[type]!;
  } else if (proto === IpProto.ICMPV6) {
    const type = batch.icmpType[i]!;
    if (type === ICMP6_ECHO_REPLY || type <= ICMP6_LAST_ERROR) out.unattributed = Unattributed.IPV6;
    return BackscatterKind.NONE;
  }
  if (kind === BackscatterKind.NONE) return BackscatterKind.NONE;
  if (batch.ipVersion[i] !== 4) {
    out.unattributed = Unattributed.IPV6;
    return BackscatterKind.NONE;
  }
  out.sensor = batch.dst4[i]!;
  if (kind <= BackscatterKind.ECHO_REPLY) {
    out.victim = batch.src4[i]!;
    out.proto = proto;
    out.port = proto === IpProto.TCP ? batch.sport[i]! : -1;
  } else {
    if ((batch.pflags[i]! & PacketFlag.HAS_INNER) === 0 || batch.innerVersion[i] !== 4) {
      out.unattributed = Unattributed.NO_QUOTE;
      return BackscatterKind.NONE;
    }
    if (batch.innerSrc4[i] !== out.sensor) {
      out.unattributed = Unattributed.QUOTE_NOT_FROM_SENSOR;
      return BackscatterKind.NONE;
    }
    const inner = batch.innerProto[i]!;
    out.victim = batch.innerDst4[i]!;
    out.proto = inner;
    out.port = inner === IpProto.TCP || inner === IpProto.UDP ? batch.innerDport[i]! : -1;
  }
  out.kind = kind as BackscatterKindCode;
  return out.kind;
}
