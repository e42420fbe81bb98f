/**
 * @module
 * `FrameCrafter`: turns one `PacketPlan` row into frame bytes with the fast
 * IPv4 writers, one function per family. Field objects, option bytes and the
 * quote buffer are built once; payload templates belong to the stream and get
 * their per-packet bytes (DNS id, DHT node id, RPC activity id) patched in
 * place right before the writer copies them.
 */

import { TcpFlag } from '../decode/index.js';
import { CraftBuffer } from './craft/craft-buffer.js';
import {
  ipv4IcmpFields,
  ipv4TcpFields,
  ipv4UdpFields,
  writeIpv4Icmp,
  writeIpv4Tcp,
  writeIpv4Udp,
} from './craft/fast.js';
import { buildLinkHeader } from './craft/link.js';
import { tcpOptions } from './craft/tcp-options.js';
import type { CompiledStream } from './compiled.js';
import { OS_INFO, type FamilyName } from './families.js';
import type { PacketPlan } from './packet-plan.js';
import {
  DHT_NODE_ID_LENGTH,
  DHT_NODE_ID_OFFSET,
  DHT_TID_OFFSET,
  DNS_ID_OFFSET,
  dnsAnyQuery,
  MSRPC_ACTIVITY_OFFSET,
} from './payloads.js';
import { mix32 } from '../util/random.js';

/** Larger than any planted frame (Ethernet + IP + the 376-byte Slammer payload). */
export const MAX_FRAME = 2048;
const ICMP_TIME_EXCEEDED = 11;
const ICMP_ECHO_REQUEST = 8;
const ICMP_ECHO_REPLY = 0;
const IPV4_HEADER = 20;
/** RFC 792: the IP header plus the first 8 bytes of the offending datagram. */
const QUOTE_LENGTH = IPV4_HEADER + 8;
const QUOTED_TTL = 1;
const LINUX_TS_OFFSET = 8;
const MSS = 1460;
/** An upstream router and the sensor's NIC (locally administered addresses). */
const ROUTER_MAC = '02:1b:21:3c:00:01';
const SENSOR_MAC = '02:00:5e:10:00:01';

type Write = (c: FrameCrafter, plan: PacketPlan, i: number, s: CompiledStream) => number;

export class FrameCrafter {
  readonly buf = new CraftBuffer(new Uint8Array(MAX_FRAME));
  readonly tcp;
  readonly udp;
  readonly icmp;
  readonly windowsSyn = tcpOptions([
    { kind: 'mss', value: MSS },
    { kind: 'nop' },
    { kind: 'nop' },
    { kind: 'sack-permitted' },
  ]);
  readonly linuxSyn = tcpOptions([
    { kind: 'mss', value: MSS },
    { kind: 'sack-permitted' },
    { kind: 'timestamps', value: 0 },
    { kind: 'nop' },
    { kind: 'window-scale', shift: 2 },
  ]);
  readonly mssOnly = tcpOptions([{ kind: 'mss', value: MSS }]);
  readonly quote = new Uint8Array(QUOTE_LENGTH);
  private readonly scratch = new CraftBuffer(new Uint8Array(MAX_FRAME));
  private readonly innerUdp = ipv4UdpFields({ ttl: QUOTED_TTL, payload: dnsAnyQuery('.') });
  private readonly innerTcp = ipv4TcpFields({ ttl: QUOTED_TTL, flags: TcpFlag.SYN, window: 65535 });

  constructor(link: 'ethernet' | 'raw') {
    const linkHeader =
      link === 'ethernet' ? buildLinkHeader({ kind: 'ethernet', src: ROUTER_MAC, dst: SENSOR_MAC }, 4) : null;
    this.tcp = ipv4TcpFields({ linkHeader });
    this.udp = ipv4UdpFields({ linkHeader });
    this.icmp = ipv4IcmpFields({ linkHeader });
  }

  /** Writes row `i` at offset 0 of `buf`; returns the frame length. */
  write(plan: PacketPlan, i: number, s: CompiledStream): number {
    return WRITERS[s.family](this, plan, i, s);
  }

  /** The first 28 bytes of the spoofed packet a router dropped: sensor → victim, TTL 1. */
  fillQuote(plan: PacketPlan, i: number, s: CompiledStream): Uint8Array {
    const quote = s.quote!;
    const scratch = this.scratch;
    scratch.offset = 0;
    const inner = quote.proto === 6 ? this.innerTcp : this.innerUdp;
    inner.src = plan.dst[i]!;
    inner.dst = plan.aux[i]!;
    inner.ipId = plan.seq[i]!;
    inner.srcPort = plan.sport[i]!;
    inner.dstPort = plan.dport[i]!;
    if (inner === this.innerTcp) this.innerTcp.seq = mix32(plan.seq[i]! + plan.sport[i]!);
    if (quote.proto === 6) writeIpv4Tcp(scratch, this.innerTcp);
    else writeIpv4Udp(scratch, this.innerUdp);
    this.quote.set(scratch.bytes.subarray(0, QUOTE_LENGTH));
    return this.quote;
  }
}

/** Byte writes rather than a DataView per packet: templates are small arrays of their own. */
function setUint32(bytes: Uint8Array, offset: number, value: number, littleEndian: boolean): void {
  for (let k = 0; k < 4; k++) bytes[offset + (littleEndian ? k : 3 - k)] = (value >>> (8 * k)) & 0xff;
}

function ipFields(
  f: { src: number; dst: number; ttl: number; ipId: number; dontFragment: boolean },
  plan: PacketPlan,
  i: number,
  s: CompiledStream,
): void {
  f.src = plan.src[i]!;
  f.dst = plan.dst[i]!;
  f.ttl = plan.ttl[i]!;
  f.ipId = plan.ipId[i]!;
  f.dontFragment = OS_INFO[s.os].dontFragment;
}

function writeTcp(
  c: FrameCrafter,
  plan: PacketPlan,
  i: number,
  s: CompiledStream,
  flags: number,
  options: Uint8Array | null,
): number {
  const f = c.tcp;
  ipFields(f, plan, i, s);
  f.srcPort = plan.sport[i]!;
  f.dstPort = plan.dport[i]!;
  f.seq = plan.seq[i]!;
  f.ack = plan.ack[i]!;
  f.flags = flags;
  f.window = plan.win[i]!;
  f.options = options;
  f.payload = null;
  c.buf.offset = 0;
  return writeIpv4Tcp(c.buf, f);
}

const synProbe: Write = (c, plan, i, s) => {
  if (s.tool !== null) return writeTcp(c, plan, i, s, TcpFlag.SYN, null);
  if (s.os === 'linux') {
    setUint32(c.linuxSyn, LINUX_TS_OFFSET, plan.aux[i]!, false);
    return writeTcp(c, plan, i, s, TcpFlag.SYN, c.linuxSyn);
  }
  return writeTcp(c, plan, i, s, TcpFlag.SYN, s.os === 'windows' ? c.windowsSyn : null);
};

function writeUdp(c: FrameCrafter, plan: PacketPlan, i: number, s: CompiledStream, payload: Uint8Array | null): number {
  const f = c.udp;
  ipFields(f, plan, i, s);
  f.srcPort = plan.sport[i]!;
  f.dstPort = plan.dport[i]!;
  f.payload = payload;
  c.buf.offset = 0;
  return writeIpv4Udp(c.buf, f);
}

/** Patches a 16-bit id at `offset` of the stream's template, then writes it. */
const udpWithId =
  (offset: number): Write =>
  (c, plan, i, s) => {
    const payload = s.payload!;
    payload[offset] = (plan.aux[i]! >>> 8) & 0xff;
    payload[offset + 1] = plan.aux[i]! & 0xff;
    return writeUdp(c, plan, i, s, payload);
  };

const dht: Write = (c, plan, i, s) => {
  const payload = s.payload!;
  // A node keeps its id: derive it from the source address.
  const src = plan.src[i]!;
  for (let k = 0; k < DHT_NODE_ID_LENGTH; k += 4) {
    const word = mix32(src + k);
    payload[DHT_NODE_ID_OFFSET + k] = word >>> 24;
    payload[DHT_NODE_ID_OFFSET + k + 1] = (word >>> 16) & 0xff;
    payload[DHT_NODE_ID_OFFSET + k + 2] = (word >>> 8) & 0xff;
    payload[DHT_NODE_ID_OFFSET + k + 3] = word & 0xff;
  }
  payload[DHT_TID_OFFSET] = 0x61 + (plan.aux[i]! % 26);
  payload[DHT_TID_OFFSET + 1] = 0x61 + ((plan.aux[i]! >>> 8) % 26);
  return writeUdp(c, plan, i, s, payload);
};

const messenger: Write = (c, plan, i, s) => {
  const payload = s.payload!;
  setUint32(payload, MSRPC_ACTIVITY_OFFSET, plan.aux[i]!, true);
  setUint32(payload, MSRPC_ACTIVITY_OFFSET + 4, plan.src[i]!, true);
  return writeUdp(c, plan, i, s, payload);
};

function writeIcmp(c: FrameCrafter, plan: PacketPlan, i: number, s: CompiledStream, type: number): number {
  const f = c.icmp;
  ipFields(f, plan, i, s);
  f.type = type;
  f.code = 0;
  if (type === ICMP_TIME_EXCEEDED) {
    f.id = 0;
    f.seq = 0;
    f.payload = c.fillQuote(plan, i, s);
  } else {
    f.id = plan.aux[i]! >>> 16;
    f.seq = plan.aux[i]! & 0xffff;
    f.payload = s.payload;
  }
  c.buf.offset = 0;
  return writeIpv4Icmp(c.buf, f);
}

const WRITERS: Readonly<Record<FamilyName, Write>> = {
  'syn-scan': synProbe,
  'proxy-probe': synProbe,
  'ack-probe': (c, plan, i, s) => writeTcp(c, plan, i, s, TcpFlag.ACK, null),
  'udp-probe': (c, plan, i, s) => writeUdp(c, plan, i, s, s.payload),
  slammer: (c, plan, i, s) => writeUdp(c, plan, i, s, s.payload),
  nachi: (c, plan, i, s) => writeIcmp(c, plan, i, s, ICMP_ECHO_REQUEST),
  'echo-request': (c, plan, i, s) => writeIcmp(c, plan, i, s, ICMP_ECHO_REQUEST),
  'bittorrent-dht': dht,
  'messenger-popup': messenger,
  'dns-any': udpWithId(DNS_ID_OFFSET),
  traceroute: (c, plan, i, s) => writeUdp(c, plan, i, s, s.payload),
  'dns-answer': udpWithId(DNS_ID_OFFSET),
  'time-exceeded': (c, plan, i, s) => writeIcmp(c, plan, i, s, ICMP_TIME_EXCEEDED),
  'syn-ack': (c, plan, i, s) => writeTcp(c, plan, i, s, TcpFlag.SYN | TcpFlag.ACK, c.mssOnly),
  'rst-ack': (c, plan, i, s) => writeTcp(c, plan, i, s, TcpFlag.RST | TcpFlag.ACK, null),
  'echo-reply': (c, plan, i, s) => writeIcmp(c, plan, i, s, ICMP_ECHO_REPLY),
};
