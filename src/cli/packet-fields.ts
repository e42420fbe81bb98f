/**
 * @module
 * The fields of `teiten decode` output, one entry per column: its name and
 * how to read it from a batch slot. A field that does not apply to a packet
 * is `null` (empty in CSV).
 */
import { DECODE_STATUS_NAMES, IpProto, PacketFlag, formatTcpFlags, type PacketBatch } from '../decode/index.js';
import { formatIpv4, formatIpv6 } from '../util/ip-address.js';

type FieldValue = string | number | null;
type FieldReader = (batch: PacketBatch, i: number) => FieldValue;

const isTcp = (b: PacketBatch, i: number): boolean => b.ipVersion[i] !== 0 && b.proto[i] === IpProto.TCP;
const isUdp = (b: PacketBatch, i: number): boolean => b.ipVersion[i] !== 0 && b.proto[i] === IpProto.UDP;
const isIcmp = (b: PacketBatch, i: number): boolean =>
  b.ipVersion[i] !== 0 && (b.proto[i] === IpProto.ICMP || b.proto[i] === IpProto.ICMPV6);
const hasPorts = (b: PacketBatch, i: number): boolean =>
  (isTcp(b, i) || isUdp(b, i)) && (b.pflags[i]! & PacketFlag.FRAGMENT) === 0;
const hasInner = (b: PacketBatch, i: number): boolean => (b.pflags[i]! & PacketFlag.HAS_INNER) !== 0;
const ip = (b: PacketBatch, i: number, value: number): FieldValue => (b.ipVersion[i] === 0 ? null : value);

function address(v4: Uint32Array, v6: Uint8Array, version: number, i: number): FieldValue {
  if (version === 4) return formatIpv4(v4[i]!);
  if (version === 6) return formatIpv6(v6, i * 16);
  return null;
}

function timestamp(b: PacketBatch, i: number): string {
  return `${b.tsSec[i]}.${String(b.tsNsec[i]).padStart(9, '0')}`;
}

function packetFlags(b: PacketBatch, i: number): string {
  const bits = b.pflags[i]!;
  return Object.entries(PacketFlag)
    .filter(([, bit]) => (bits & bit) !== 0)
    .map(([name]) => name.toLowerCase())
    .join('|');
}

export const PACKET_FIELDS: ReadonlyArray<readonly [string, FieldReader]> = [
  ['frame', (b, i) => b.frame[i]!],
  ['ts', timestamp],
  ['caplen', (b, i) => b.capLen[i]!],
  ['len', (b, i) => b.wireLen[i]!],
  ['status', (b, i) => DECODE_STATUS_NAMES[b.status[i]!] ?? String(b.status[i])],
  ['ip_version', (b, i) => ip(b, i, b.ipVersion[i]!)],
  ['src', (b, i) => address(b.src4, b.src6, b.ipVersion[i]!, i)],
  ['dst', (b, i) => address(b.dst4, b.dst6, b.ipVersion[i]!, i)],
  ['proto', (b, i) => ip(b, i, b.proto[i]!)],
  ['ttl', (b, i) => ip(b, i, b.ttl[i]!)],
  ['ip_id', (b, i) => ip(b, i, b.ipId[i]!)],
  ['ip_len', (b, i) => ip(b, i, b.ipLen[i]!)],
  ['frag_offset', (b, i) => ip(b, i, b.fragOffset[i]!)],
  ['pflags', packetFlags],
  ['sport', (b, i) => (hasPorts(b, i) ? b.sport[i]! : null)],
  ['dport', (b, i) => (hasPorts(b, i) ? b.dport[i]! : null)],
  ['tcp_flags', (b, i) => (isTcp(b, i) ? formatTcpFlags(b.tcpFlags[i]!) : null)],
  ['tcp_seq', (b, i) => (isTcp(b, i) ? b.tcpSeq[i]! : null)],
  ['tcp_ack', (b, i) => (isTcp(b, i) ? b.tcpAck[i]! : null)],
  ['tcp_win', (b, i) => (isTcp(b, i) ? b.tcpWin[i]! : null)],
  ['tcp_hlen', (b, i) => (isTcp(b, i) ? b.tcpHdrLen[i]! : null)],
  ['icmp_type', (b, i) => (isIcmp(b, i) ? b.icmpType[i]! : null)],
  ['icmp_code', (b, i) => (isIcmp(b, i) ? b.icmpCode[i]! : null)],
  ['payload_len', (b, i) => ip(b, i, b.payloadLen[i]!)],
  ['inner_src', (b, i) => (hasInner(b, i) ? address(b.innerSrc4, b.innerSrc6, b.innerVersion[i]!, i) : null)],
  ['inner_dst', (b, i) => (hasInner(b, i) ? address(b.innerDst4, b.innerDst6, b.innerVersion[i]!, i) : null)],
  ['inner_proto', (b, i) => (hasInner(b, i) ? b.innerProto[i]! : null)],
  ['inner_sport', (b, i) => (hasInner(b, i) ? b.innerSport[i]! : null)],
  ['inner_dport', (b, i) => (hasInner(b, i) ? b.innerDport[i]! : null)],
];
