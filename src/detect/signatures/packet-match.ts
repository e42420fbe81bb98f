/**
 * @module
 * Header checks of one rule against one packet of a batch: protocol,
 * addresses and ports (both ways for `<>`), and the numeric field tests.
 * Hot path: reads batch columns only, allocates nothing.
 */
import { IpProto, PacketFlag, type PacketBatch } from '../../decode/index.js';
import type { AddressSet } from './address-set.js';
import { ConfickerPortCache, confickerWeek } from './conficker-ports.js';
import { FragBit } from './packet-options.js';
import { compareNumber } from './numeric-test.js';
import type { PortSet } from './port-set.js';
import { FlagMode, PacketField, type PacketTest, type SignatureRule } from './rule-types.js';

const ICMP_ID_OFFSET = 4;
const ICMP_SEQ_OFFSET = 2;
const TCP_FLAG_BYTE = 0xff;
/** ICMP types whose header carries an identifier and sequence number (echo, timestamp, information, address mask). */
const ICMP_ID_TYPES = new Uint8Array(256);
for (const type of [0, 8, 13, 14, 15, 16, 17, 18, 128, 129]) ICMP_ID_TYPES[type] = 1;
/** Created on first use: 1.5 MiB that rule sets without `teiten_conficker_p2p` never need. */
let conficker: ConfickerPortCache | null = null;

function hasAddress(set: AddressSet | null, batch: PacketBatch, i: number, source: boolean): boolean {
  if (set === null) return true;
  if (batch.ipVersion[i] === 4) return set.has4(source ? batch.src4[i]! : batch.dst4[i]!);
  return set.has6(source ? batch.src6 : batch.dst6, i * 16);
}

function hasPort(set: PortSet | null, port: number): boolean {
  return set === null || set.has(port);
}

/** True when the packet carries ports (TCP or UDP, first fragment). */
export function hasPorts(batch: PacketBatch, i: number): boolean {
  const proto = batch.proto[i];
  return (proto === IpProto.TCP || proto === IpProto.UDP) && (batch.pflags[i]! & PacketFlag.FRAGMENT) === 0;
}

/** Addresses and ports of the rule header, in the rule's direction or (for `<>`) the other. */
export function headerMatches(rule: SignatureRule, batch: PacketBatch, i: number): boolean {
  const portless = rule.sport === null && rule.dport === null;
  if (!portless && !hasPorts(batch, i)) return false;
  const sport = batch.sport[i]!;
  const dport = batch.dport[i]!;
  if (
    hasPort(rule.sport, sport) &&
    hasPort(rule.dport, dport) &&
    hasAddress(rule.src, batch, i, true) &&
    hasAddress(rule.dst, batch, i, false)
  ) {
    return true;
  }
  return (
    rule.bidirectional &&
    hasPort(rule.sport, dport) &&
    hasPort(rule.dport, sport) &&
    hasAddress(rule.src, batch, i, false) &&
    hasAddress(rule.dst, batch, i, true)
  );
}

/** `flags`/`fragbits` semantics (Suricata's), on the packet's bits. */
export function flagsMatch(mode: number, packet: number, want: number, considered: number): boolean {
  // Suricata: a rule for "no flags" only matches a packet with flags under `!`.
  if (want === 0 && packet !== 0) return mode === FlagMode.NOT;
  const flags = packet & considered;
  switch (mode) {
    case FlagMode.ANY:
      return (flags & want) !== 0;
    case FlagMode.ALL:
      return (flags & want) === want;
    case FlagMode.NOT:
      return (flags & want) !== want;
    default:
      return flags === want;
  }
}

function isTcp(batch: PacketBatch, i: number): boolean {
  return batch.proto[i] === IpProto.TCP && (batch.pflags[i]! & PacketFlag.FRAGMENT) === 0;
}

function isIcmp(batch: PacketBatch, i: number): boolean {
  const proto = batch.proto[i];
  return (proto === IpProto.ICMP || proto === IpProto.ICMPV6) && (batch.pflags[i]! & PacketFlag.FRAGMENT) === 0;
}

/** Reads a 16-bit value of the ICMP header, which ends where the payload starts. */
function icmpField(batch: PacketBatch, i: number, back: number): number {
  const at = batch.payloadOff[i]! - back;
  return (batch.data[at]! << 8) | batch.data[at + 1]!;
}

/** One field test; a field the packet does not have (flags of UDP) fails. */
export function testPasses(test: PacketTest, batch: PacketBatch, i: number): boolean {
  let value: number;
  switch (test.field) {
    case PacketField.TTL:
      value = batch.ttl[i]!;
      break;
    case PacketField.IP_ID:
      if (batch.ipVersion[i] !== 4) return false;
      value = batch.ipId[i]!;
      break;
    case PacketField.DSIZE:
      value = batch.payloadLen[i]!;
      break;
    case PacketField.IP_PROTO:
      value = batch.proto[i]!;
      break;
    case PacketField.TCP_SEQ:
      if (!isTcp(batch, i)) return false;
      value = batch.tcpSeq[i]!;
      break;
    case PacketField.TCP_ACK:
      if (!isTcp(batch, i)) return false;
      value = batch.tcpAck[i]!;
      break;
    case PacketField.TCP_WINDOW:
      if (!isTcp(batch, i)) return false;
      value = batch.tcpWin[i]!;
      break;
    case PacketField.TCP_FLAGS:
      return isTcp(batch, i) && flagsMatch(test.op, batch.tcpFlags[i]! & TCP_FLAG_BYTE, test.a, test.b);
    case PacketField.ICMP_TYPE:
      if (!isIcmp(batch, i)) return false;
      value = batch.icmpType[i]!;
      break;
    case PacketField.ICMP_CODE:
      if (!isIcmp(batch, i)) return false;
      value = batch.icmpCode[i]!;
      break;
    case PacketField.ICMP_ID:
    case PacketField.ICMP_SEQ:
      if (!isIcmp(batch, i) || ICMP_ID_TYPES[batch.icmpType[i]!] !== 1) return false;
      value = icmpField(batch, i, test.field === PacketField.ICMP_ID ? ICMP_ID_OFFSET : ICMP_SEQ_OFFSET);
      break;
    case PacketField.FRAG_BITS: {
      if (batch.ipVersion[i] !== 4) return false;
      const flags = batch.pflags[i]!;
      const bits =
        ((flags & PacketFlag.MORE_FRAGMENTS) !== 0 ? FragBit.M : 0) |
        ((flags & PacketFlag.DONT_FRAGMENT) !== 0 ? FragBit.D : 0);
      return flagsMatch(test.op, bits, test.a, TCP_FLAG_BYTE);
    }
    case PacketField.SAME_IP:
      if (batch.ipVersion[i] === 4) return batch.src4[i] === batch.dst4[i];
      for (let k = i * 16; k < i * 16 + 16; k++) if (batch.src6[k] !== batch.dst6[k]) return false;
      return true;
    case PacketField.CONFICKER_P2P:
      if (batch.ipVersion[i] !== 4 || !hasPorts(batch, i)) return false;
      conficker ??= new ConfickerPortCache();
      return conficker.isP2pPort(
        batch.dst4[i]!,
        confickerWeek(batch.tsSec[i]!),
        batch.dport[i]!,
        batch.proto[i] === IpProto.TCP,
      );
    default:
      return false;
  }
  return compareNumber(test.op, value, test.a, test.b);
}

export function testsPass(tests: readonly PacketTest[], batch: PacketBatch, i: number): boolean {
  for (let k = 0; k < tests.length; k++) if (!testPasses(tests[k]!, batch, i)) return false;
  return true;
}
