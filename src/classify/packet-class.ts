/**
 * @module
 * Packet classes: a first cut of what a packet is from the sensor's point of
 * view. A darknet sensor never sends, so a PROBE was aimed at it, a RESPONSE is
 * backscatter from a spoofed source, and an ICMP_ERROR reports a failed packet
 * that claimed the sensor's address. The detection stage refines this later
 * (UDP from 53 is a DNS answer, not a probe).
 *
 * One uint8 per packet, decided by two 256-entry tables for ICMP and ICMPv6
 * types and by the TCP flag class.
 */

import { IpProto, PacketFlag, type PacketBatch } from '../decode/index.js';
import { transportKnown } from './transport-known.js';
import { FlagClass, type FlagClassCode } from './flag-class.js';

export const PacketClass = {
  /** Non-IP or undecoded packet. */
  NONE: 0,
  /** A request: TCP SYN, UDP, ICMP echo/timestamp/info/mask request, solicitations. */
  PROBE: 1,
  /** A reply to a request the sensor never sent: SYN/ACK, RST, RST/ACK, bare ACK, echo reply, … */
  RESPONSE: 2,
  /** ICMP 3, 4, 5, 11, 12; ICMPv6 1–4. */
  ICMP_ERROR: 3,
  /** Everything else: FIN and odd TCP flags, fragments, other ICMP types, other protocols. */
  OTHER: 4,
} as const;
export type PacketClassCode = (typeof PacketClass)[keyof typeof PacketClass];

/** Display names indexed by code. */
export const PACKET_CLASS_NAMES: readonly string[] = ['NONE', 'PROBE', 'RESPONSE', 'ICMP_ERROR', 'OTHER'];

const ICMP_TYPES = 256;

function icmpTable(entries: ReadonlyArray<readonly [PacketClassCode, readonly number[]]>): Uint8Array {
  const table = new Uint8Array(ICMP_TYPES).fill(PacketClass.OTHER);
  for (const [cls, types] of entries) for (const type of types) table[type] = cls;
  return table;
}

/**
 * ICMPv4 (RFC 792, 950, 1256): requests 8 echo, 10 router solicitation,
 * 13 timestamp, 15 information, 17 address mask; their replies 0, 9, 14, 16, 18;
 * errors 3 unreachable, 4 source quench, 5 redirect, 11 time exceeded,
 * 12 parameter problem.
 */
const ICMP4_CLASS = icmpTable([
  [PacketClass.PROBE, [8, 10, 13, 15, 17]],
  [PacketClass.RESPONSE, [0, 9, 14, 16, 18]],
  [PacketClass.ICMP_ERROR, [3, 4, 5, 11, 12]],
]);

/**
 * ICMPv6 (RFC 4443, 4861, 4620): requests 128 echo, 133 router and 135
 * neighbour solicitation, 139 node information query; their replies 129, 134,
 * 136, 140; errors 1 unreachable, 2 packet too big, 3 time exceeded,
 * 4 parameter problem.
 */
const ICMP6_CLASS = icmpTable([
  [PacketClass.PROBE, [128, 133, 135, 139]],
  [PacketClass.RESPONSE, [129, 134, 136, 140]],
  [PacketClass.ICMP_ERROR, [1, 2, 3, 4]],
]);

/** Class of a TCP segment by its flag class. */
const TCP_CLASS: Record<FlagClassCode, PacketClassCode> = {
  [FlagClass.NONE]: PacketClass.NONE,
  [FlagClass.SYN]: PacketClass.PROBE,
  [FlagClass.SYN_ACK]: PacketClass.RESPONSE,
  [FlagClass.RST]: PacketClass.RESPONSE,
  [FlagClass.RST_ACK]: PacketClass.RESPONSE,
  [FlagClass.ACK]: PacketClass.RESPONSE,
  [FlagClass.FIN]: PacketClass.OTHER,
  [FlagClass.OTHER]: PacketClass.OTHER,
};
/** The same as a typed array, indexed by flag class code, for the fill loop. */
const TCP_CLASS_TABLE = new Uint8Array(Object.keys(TCP_CLASS).length);
for (const [code, cls] of Object.entries(TCP_CLASS)) TCP_CLASS_TABLE[Number(code)] = cls;

/** Class of an ICMP (`v6` false) or ICMPv6 message type. */
export function icmpClassOf(type: number, v6: boolean): PacketClassCode {
  return (v6 ? ICMP6_CLASS : ICMP4_CLASS)[type & 0xff] as PacketClassCode;
}

/** Class of a TCP segment whose flag class is `flagClass`. */
export function tcpClassOf(flagClass: FlagClassCode): PacketClassCode {
  return TCP_CLASS[flagClass];
}

/**
 * Fill `out[i]` for packets `[0, batch.length)`, given the flag classes from
 * `fillFlagClasses` for the same batch.
 */
export function fillPacketClasses(batch: PacketBatch, cols: { flagClass: Uint8Array; out: Uint8Array }): void {
  const n = batch.length;
  const { flagClass, out } = cols;
  if (out.length < n || flagClass.length < n) {
    throw new RangeError(
      `Cannot fill packet classes: columns hold ${Math.min(out.length, flagClass.length)} of ${n} packets`,
    );
  }
  const { ipVersion, pflags, proto, icmpType } = batch;
  for (let i = 0; i < n; i++) {
    if (ipVersion[i] === 0) {
      out[i] = PacketClass.NONE;
      continue;
    }
    const p = proto[i]!;
    if ((pflags[i]! & PacketFlag.FRAGMENT) !== 0) {
      out[i] = PacketClass.OTHER;
    } else if (!transportKnown(batch, i)) {
      out[i] = PacketClass.NONE;
    } else if (p === IpProto.TCP) {
      out[i] = TCP_CLASS_TABLE[flagClass[i]!] ?? PacketClass.OTHER;
    } else if (p === IpProto.UDP) {
      out[i] = PacketClass.PROBE;
    } else if (p === IpProto.ICMP) {
      out[i] = ICMP4_CLASS[icmpType[i]!]!;
    } else if (p === IpProto.ICMPV6) {
      out[i] = ICMP6_CLASS[icmpType[i]!]!;
    } else {
      out[i] = PacketClass.OTHER;
    }
  }
}
