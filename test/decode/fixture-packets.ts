/**
 * @module
 * The catalogue of IP packets the decode acceptance suites put into every
 * fixture capture, built with the project's craft library: IPv4 with options
 * and fragments, IPv6 with every extension header kind, TCP with every flag
 * combination, UDP, ICMP echo and errors quoting TCP and UDP, ICMPv6 errors
 * quoting UDP, and opaque protocols. Link headers are added per capture.
 */
import { TcpFlag } from '../../src/decode/index.js';
import {
  IcmpType,
  buildPacket,
  Icmpv6Type,
  linuxSynOptions,
  tcpOptions,
  type IpPacketSpec,
  type Ipv4Spec,
  type Ipv6Spec,
} from '../../src/simulate/craft/index.js';

export interface NamedPacket {
  name: string;
  packet: IpPacketSpec;
  /** Bytes to overwrite after building, as [offset from the IP header, value]: header fields craft keeps valid. */
  patch?: readonly (readonly [at: number, value: number])[];
}

const A4 = '192.0.2.10';
const B4 = '198.51.100.20';
const C4 = '203.0.113.7';
/** IPv6 addresses chosen to exercise RFC 5952 text: compression ties, mapped and compatible forms. */
const V6_ADDRESSES = [
  '2001:db8::a',
  '2001:db8:1::b',
  '2001:db8:0:0:1:0:0:1',
  '2001:0:0:1::1',
  'fe80::1',
  '::1',
  '::ffff:192.0.2.1',
  '::192.0.2.33',
  '::',
  'ff02::1:ff00:1',
  '2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff',
] as const;
const PROTO_UDP = 17;
const PROTO_TCP = 6;
/** An IANA experimental protocol number: no dissector on either side, so its bytes stay opaque. */
const PROTO_EXPERIMENTAL = 253;
const PROTO_NO_NEXT = 59;
const PROTO_IPIP = 4;
/** Router alert (RFC 2113), then NOP, then record route with room for one address. */
const IPV4_OPTIONS = Uint8Array.of(0x94, 0x04, 0x00, 0x00, 0x01, 0x07, 0x07, 0x04, 0, 0, 0, 0);
const ALL_TCP_FLAGS = 0x200;
/** RFC 2675 jumbo payload option (type 0xc2) claiming 8 + 8 + 5 bytes after the fixed header. */
const JUMBO_OPTION = Uint8Array.of(0xc2, 0x04, 0x00, 0x00, 0x00, 0x15);
/** A spread of flag sets for captures that do not carry all 512. */
const SAMPLE_TCP_FLAGS = [0x000, 0x002, 0x012, 0x004, 0x014, 0x011, 0x018, 0x029, 0x0c2, 0x052, 0x1d2, 0x1ff, 0x100];

const v6 = (k: number): string => V6_ADDRESSES[k % V6_ADDRESSES.length]!;

/** Every TCP flag combination over IPv4 (or a sample), with varied numbers in the other fields. */
function tcpFlagPackets(all: boolean): NamedPacket[] {
  const flagSets = all ? Array.from({ length: ALL_TCP_FLAGS }, (_, f) => f) : SAMPLE_TCP_FLAGS;
  return flagSets.map((flags) => ({
    name: `IPv4 TCP flags 0x${flags.toString(16)}`,
    packet: {
      ip: {
        version: 4,
        src: A4,
        dst: B4,
        ttl: (flags * 7) & 0xff,
        id: (flags * 131) & 0xffff,
        dontFragment: (flags & 1) === 0,
      },
      l4: {
        kind: 'tcp',
        srcPort: 1024 + flags,
        dstPort: 65535 - flags,
        seq: (Math.imul(flags, 2654435761) ^ 0x89abcdef) >>> 0,
        ack: (Math.imul(flags + 1, 40503) ^ 0xfedc0000) >>> 0,
        flags,
        window: (flags * 127) & 0xffff,
        ...(flags % 3 === 0 ? { options: tcpOptions([{ kind: 'mss', value: 1460 }, { kind: 'sack-permitted' }]) } : {}),
      },
      ...(flags % 5 === 0 ? { payload: 'tcp payload' } : {}),
    },
  }));
}

function ipv4Packets(): NamedPacket[] {
  const udpQuoteIp: Ipv4Spec = { version: 4, src: A4, dst: C4, ttl: 3 };
  const udpQuote: IpPacketSpec = {
    ip: udpQuoteIp,
    l4: { kind: 'udp', srcPort: 5353, dstPort: 161 },
    payload: 'community',
  };
  const tcpQuote: IpPacketSpec = {
    ip: { version: 4, src: A4, dst: B4, ttl: 1, id: 4242 },
    l4: {
      kind: 'tcp',
      srcPort: 5000,
      dstPort: 80,
      seq: 12345,
      flags: TcpFlag.SYN,
      options: linuxSynOptions({ mss: 1400, timestamp: 99, windowShift: 7 }),
    },
  };
  return [
    {
      name: 'IPv4 with options, TCP SYN with options',
      packet: {
        ip: { version: 4, src: A4, dst: B4, ttl: 52, id: 54321, options: IPV4_OPTIONS, tos: 0xb8 },
        l4: {
          kind: 'tcp',
          srcPort: 40000,
          dstPort: 23,
          seq: 0x89abcdef,
          flags: TcpFlag.SYN,
          window: 29200,
          options: linuxSynOptions({ mss: 1400, timestamp: 123456, windowShift: 7 }),
        },
      },
    },
    {
      name: 'IPv4 UDP',
      packet: {
        ip: { version: 4, src: C4, dst: A4, ttl: 250, id: 1 },
        l4: { kind: 'udp', srcPort: 53, dstPort: 40001 },
        payload: Uint8Array.of(1, 2, 3, 4, 5),
      },
    },
    {
      name: 'IPv4 UDP with zero checksum and empty payload',
      packet: { ip: { version: 4, src: A4, dst: C4 }, l4: { kind: 'udp', srcPort: 40002, dstPort: 9, checksum: 0 } },
    },
    {
      name: 'IPv4 ICMP echo request',
      packet: {
        ip: { version: 4, src: A4, dst: B4, id: 7 },
        l4: { kind: 'icmp', type: IcmpType.ECHO_REQUEST, id: 0x1234, seq: 7 },
        payload: 'abcdefgh',
      },
    },
    {
      name: 'IPv4 ICMP echo reply',
      packet: {
        ip: { version: 4, src: B4, dst: A4, id: 8 },
        l4: { kind: 'icmp', type: IcmpType.ECHO_REPLY, id: 0x1234, seq: 7 },
        payload: 'abcdefgh',
      },
    },
    {
      name: 'ICMP port unreachable quoting UDP',
      packet: {
        ip: { version: 4, src: C4, dst: A4 },
        l4: { kind: 'icmp', type: IcmpType.DEST_UNREACHABLE, code: 3, quote: udpQuote },
      },
    },
    {
      name: 'ICMP time exceeded quoting a whole TCP header',
      packet: {
        ip: { version: 4, src: B4, dst: A4 },
        l4: { kind: 'icmp', type: IcmpType.TIME_EXCEEDED, quoteLength: 52, quote: tcpQuote },
      },
    },
    {
      name: 'ICMP host unreachable quoting 8 bytes of TCP',
      packet: {
        ip: { version: 4, src: B4, dst: A4 },
        l4: { kind: 'icmp', type: IcmpType.DEST_UNREACHABLE, code: 1, quote: tcpQuote },
      },
    },
    {
      name: 'ICMP parameter problem quoting IPv4 with options and UDP',
      packet: {
        ip: { version: 4, src: B4, dst: A4 },
        l4: {
          kind: 'icmp',
          type: IcmpType.PARAMETER_PROBLEM,
          rest: 0x14000000,
          quote: { ...udpQuote, ip: { ...udpQuoteIp, options: IPV4_OPTIONS } },
        },
      },
    },
    {
      name: 'IPv4 first fragment carrying a UDP header',
      packet: {
        ip: { version: 4, src: C4, dst: A4, id: 777, moreFragments: true },
        l4: { kind: 'udp', srcPort: 53, dstPort: 40003, length: 1600 },
        payload: new Uint8Array(64).fill(0x61),
      },
    },
    {
      name: 'IPv4 middle fragment',
      packet: {
        ip: { version: 4, src: C4, dst: A4, id: 777, moreFragments: true, fragmentOffset: 72, protocol: PROTO_UDP },
        payload: new Uint8Array(64).fill(0x62),
      },
    },
    {
      name: 'IPv4 last fragment',
      packet: {
        ip: { version: 4, src: C4, dst: A4, id: 777, fragmentOffset: 1480, protocol: PROTO_UDP },
        payload: new Uint8Array(48).fill(0x63),
      },
    },
    {
      name: 'IPv4 non-first TCP fragment',
      packet: {
        ip: { version: 4, src: A4, dst: B4, id: 9, fragmentOffset: 8, reservedFlag: true, protocol: PROTO_TCP },
        payload: new Uint8Array(24),
      },
    },
    {
      name: 'IPv4 opaque protocol',
      packet: { ip: { version: 4, src: A4, dst: B4, protocol: PROTO_EXPERIMENTAL }, payload: 'opaque' },
    },
    {
      name: 'IPv4 in IPv4 (a tunnel teiten does not enter)',
      packet: {
        ip: { version: 4, src: A4, dst: B4, protocol: PROTO_IPIP },
        payload: buildPacket({
          ip: { version: 4, src: C4, dst: A4 },
          l4: { kind: 'tcp', srcPort: 9, dstPort: 10, flags: TcpFlag.SYN },
        }),
      },
    },
  ];
}

function ipv6Packets(): NamedPacket[] {
  const ip = (k: number, rest: Partial<Ipv6Spec> = {}): Ipv6Spec => ({
    version: 6,
    src: v6(k),
    dst: v6(k + 1),
    hopLimit: 10 + k,
    ...rest,
  });
  const udpQuote = (k: number, rest: Partial<Ipv6Spec> = {}): IpPacketSpec => ({
    ip: ip(k, rest),
    l4: { kind: 'udp', srcPort: 40100 + k, dstPort: 53 },
    payload: 'query',
  });
  const packets: NamedPacket[] = [
    {
      name: 'IPv6 TCP through hop-by-hop, destination, routing and fragment headers',
      packet: {
        ip: ip(0, {
          flowLabel: 0xabcde,
          extensions: [
            { kind: 'hop-by-hop', options: Uint8Array.of(0x05, 0x02, 0x00, 0x00) },
            { kind: 'destination' },
            { kind: 'routing', routingType: 2, segmentsLeft: 1, addresses: ['2001:db8:2::c'] },
            { kind: 'fragment', id: 0x01020304 },
          ],
        }),
        l4: {
          kind: 'tcp',
          srcPort: 2222,
          dstPort: 40022,
          seq: 1,
          ack: 2,
          flags: TcpFlag.SYN | TcpFlag.ACK | TcpFlag.ECE,
          options: tcpOptions([{ kind: 'mss', value: 1220 }]),
        },
        payload: 'xyz',
      },
    },
    {
      name: 'IPv6 UDP after hop-by-hop',
      packet: {
        ip: ip(1, { extensions: [{ kind: 'hop-by-hop' }] }),
        l4: { kind: 'udp', srcPort: 546, dstPort: 547 },
        payload: 'dhcp',
      },
    },
    {
      name: 'IPv6 first fragment carrying UDP',
      packet: {
        ip: ip(2, { extensions: [{ kind: 'fragment', id: 0xdeadbeef, more: true }] }),
        l4: { kind: 'udp', srcPort: 53, dstPort: 40004, length: 3000 },
        payload: new Uint8Array(40),
      },
    },
    {
      name: 'IPv6 non-first fragment',
      packet: {
        ip: ip(2, { protocol: PROTO_UDP, extensions: [{ kind: 'fragment', id: 0xdeadbeef, offset: 1232 }] }),
        payload: new Uint8Array(32),
      },
    },
    {
      name: 'IPv6 no next header after destination options',
      packet: { ip: ip(3, { protocol: PROTO_NO_NEXT, extensions: [{ kind: 'destination' }] }) },
    },
    {
      name: 'ICMPv6 echo request',
      packet: { ip: ip(4), l4: { kind: 'icmpv6', type: Icmpv6Type.ECHO_REQUEST, id: 99, seq: 3 }, payload: 'ping' },
    },
    {
      name: 'ICMPv6 port unreachable quoting UDP',
      packet: { ip: ip(5), l4: { kind: 'icmpv6', type: Icmpv6Type.DEST_UNREACHABLE, code: 4, quote: udpQuote(6) } },
    },
    {
      name: 'ICMPv6 time exceeded quoting UDP after destination options',
      packet: {
        ip: ip(7),
        l4: {
          kind: 'icmpv6',
          type: Icmpv6Type.TIME_EXCEEDED,
          quote: udpQuote(8, { extensions: [{ kind: 'destination' }] }),
        },
      },
    },
    {
      name: 'ICMPv6 packet too big quoting TCP',
      packet: {
        ip: ip(9),
        l4: {
          kind: 'icmpv6',
          type: Icmpv6Type.PACKET_TOO_BIG,
          rest: 1280,
          quote: {
            ip: ip(10),
            l4: { kind: 'tcp', srcPort: 7, dstPort: 8, flags: TcpFlag.ACK },
            payload: new Uint8Array(100),
          },
        },
      },
    },
  ];
  for (let k = 0; k < V6_ADDRESSES.length; k++) {
    packets.push({
      name: `IPv6 UDP from ${v6(k)}`,
      packet: {
        ip: ip(k, { trafficClass: k * 16 }),
        l4: { kind: 'udp', srcPort: 40200 + k, dstPort: 40300 + k },
        payload: 'v6',
      },
    });
  }
  return packets;
}

/** Malformed packets, one per way a header can lie, to pin down how both decoders treat them. */
function malformedPackets(): NamedPacket[] {
  const tcp: IpPacketSpec = {
    ip: { version: 4, src: A4, dst: B4 },
    l4: { kind: 'tcp', srcPort: 4000, dstPort: 80, seq: 77, ack: 88, flags: TcpFlag.ACK },
    payload: new Uint8Array(12),
  };
  const IPV4_TCP_DATA_OFFSET = 20 + 12;
  const IPV6_FIRST_EXT_LENGTH = 40 + 1;
  return [
    { name: 'IP version 5', packet: tcp, patch: [[0, 0x55]] },
    { name: 'IPv4 IHL 4', packet: tcp, patch: [[0, 0x44]] },
    {
      name: 'IPv4 total length beyond the frame',
      packet: { ...tcp, ip: { version: 4, src: A4, dst: B4, totalLength: 1500 } },
    },
    {
      name: 'IPv4 total length below the header',
      packet: { ...tcp, ip: { version: 4, src: A4, dst: B4, totalLength: 12 } },
    },
    { name: 'TCP with the three reserved bits set', packet: tcp, patch: [[IPV4_TCP_DATA_OFFSET, 0x5e]] },
    { name: 'TCP data offset 3', packet: tcp, patch: [[IPV4_TCP_DATA_OFFSET, 0x30]] },
    { name: 'TCP data offset 15 beyond the segment', packet: tcp, patch: [[IPV4_TCP_DATA_OFFSET, 0xf0]] },
    {
      name: 'UDP length 4',
      packet: {
        ip: { version: 4, src: A4, dst: C4 },
        l4: { kind: 'udp', srcPort: 53, dstPort: 53, length: 4 },
        payload: 'x',
      },
    },
    {
      name: 'UDP length beyond the IP payload',
      packet: {
        ip: { version: 4, src: A4, dst: C4 },
        l4: { kind: 'udp', srcPort: 53, dstPort: 53, length: 500 },
        payload: 'x',
      },
    },
    {
      name: 'ICMP header cut short by the IP length',
      packet: { ip: { version: 4, src: A4, dst: B4, protocol: 1 }, payload: Uint8Array.of(3, 3, 0, 0) },
    },
    {
      name: 'IPv6 payload length beyond the frame',
      packet: {
        ip: { version: 6, src: v6(0), dst: v6(1), payloadLength: 1000 },
        l4: { kind: 'udp', srcPort: 1, dstPort: 2 },
      },
    },
    {
      name: 'IPv6 jumbogram (payload length 0, jumbo payload option)',
      packet: {
        ip: {
          version: 6,
          src: v6(2),
          dst: v6(3),
          payloadLength: 0,
          extensions: [{ kind: 'hop-by-hop', options: JUMBO_OPTION }],
        },
        l4: { kind: 'udp', srcPort: 3, dstPort: 4 },
        payload: 'jumbo',
      },
    },
    {
      name: 'IPv6 hop-by-hop length beyond the payload',
      packet: {
        ip: { version: 6, src: v6(0), dst: v6(1), extensions: [{ kind: 'hop-by-hop' }] },
        l4: { kind: 'udp', srcPort: 1, dstPort: 2 },
      },
      patch: [[IPV6_FIRST_EXT_LENGTH, 9]],
    },
  ];
}

/** Catalogue of IP packets; `allTcpFlags` adds all 512 TCP flag combinations instead of a sample. */
export function fixturePackets(allTcpFlags: boolean): NamedPacket[] {
  return [...ipv4Packets(), ...ipv6Packets(), ...malformedPackets(), ...tcpFlagPackets(allTcpFlags)];
}

/** Where a frame is cut to model a snaplen: bytes kept after the link header, for a few header depths. */
export const SNAP_CUTS = [
  { name: 'inside the IP header', keep: 10 },
  { name: 'inside the transport header', keep: 46 },
  { name: 'inside the payload', keep: 62 },
] as const;
