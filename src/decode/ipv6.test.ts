import { describe, expect, it } from 'vitest';
import { DecodeStatus, IpProto, PacketFlag, TcpFlag } from './batch.js';
import { MAX_IPV6_EXT_HEADERS } from './ipv6-ext.js';
import { concat, decodeOne, ethernet, filler, hex, ipv6, ipv6Ext, tcp, udp } from './test-kit.js';
import { formatIpv6 } from '../util/ip-address.js';

const ETHERTYPE_IPV6 = 0x86dd;
const IPPROTO_AH = 51;

// Real DNS answer over IPv6 from amp.dns.RRSIG.fragmented.pcap (hop limit 61).
const DNS6_FRAME = `
  a8a15937d090 2c213128a371 86dd
  6005adc6 0048 11 3d 2a0104f800000001000000000add9898 2a0104f8022117d30000000000000002
  0035 59b6 0048 60a7
  2cc58180000100010000000104767073360b6c75636173726964646572026e6c0000010001c00c00010001000000f00004bca607230000291000000000000000`;

const UDP_DATAGRAM = udp(5353, 53, filler(12));

function frame6(next: number, payload: Uint8Array, payloadLen?: number): Uint8Array {
  return ethernet(ETHERTYPE_IPV6, ipv6({ next, payloadLen }, payload));
}

/** IPv6 fragment header: offset in bytes (multiple of 8), M flag, identification. */
function fragmentHeader(next: number, offset: number, more: boolean, id: number): Uint8Array {
  const view = new DataView(new ArrayBuffer(8));
  view.setUint8(0, next);
  view.setUint16(2, offset | (more ? 1 : 0));
  view.setUint32(4, id);
  return new Uint8Array(view.buffer);
}

describe('decodeIpv6()', () => {
  it('decodeIpv6() decodes a real UDP packet', () => {
    const b = decodeOne(DNS6_FRAME);
    expect(b.status[0]).toBe(DecodeStatus.OK);
    expect(b.ipVersion[0]).toBe(6);
    expect(formatIpv6(b.src6, 0)).toBe('2a01:4f8:0:1::add:9898');
    expect(formatIpv6(b.dst6, 0)).toBe('2a01:4f8:221:17d3::2');
    expect(b.ttl[0]).toBe(61);
    expect(b.ipLen[0]).toBe(72 + 40);
    expect(b.proto[0]).toBe(IpProto.UDP);
    expect(b.pflags[0]).toBe(0);
    expect(b.sport[0]).toBe(53);
    expect(b.dport[0]).toBe(22966);
    expect(b.payloadOff[0]).toBe(14 + 48);
    expect(b.payloadLen[0]).toBe(64);
  });

  it.each([
    ['hop-by-hop', IpProto.HOPOPT],
    ['routing', IpProto.IPV6_ROUTE],
    ['destination options', IpProto.IPV6_OPTS],
  ])('decodeIpv6() walks a %s header to UDP', (_name, type) => {
    const b = decodeOne(frame6(type, ipv6Ext(IpProto.UDP, 1, UDP_DATAGRAM)));
    expect(b.status[0]).toBe(DecodeStatus.OK);
    expect(b.proto[0]).toBe(IpProto.UDP);
    expect(b.pflags[0]).toBe(PacketFlag.IPV6_EXT);
    expect(b.dport[0]).toBe(53);
    expect(b.payloadOff[0]).toBe(14 + 40 + 16 + 8);
  });

  it('decodeIpv6() walks an AH header measured in 4-byte units', () => {
    // AH: next TCP, payload length 4 → (4 + 2) * 4 = 24 bytes, SPI 0x100, seq 1, 12-byte ICV.
    const ah = hex('06 04 0000 00000100 00000001 0102030405060708090a0b0c');
    const b = decodeOne(frame6(IPPROTO_AH, concat(ah, tcp({ sport: 1234, dport: 443, flags: TcpFlag.SYN }))));
    expect(b.status[0]).toBe(DecodeStatus.OK);
    expect(b.proto[0]).toBe(IpProto.TCP);
    expect(b.dport[0]).toBe(443);
    expect(b.tcpFlags[0]).toBe(TcpFlag.SYN);
  });

  it('decodeIpv6() decodes the transport header of a first fragment', () => {
    const datagram = udp(53, 40000, filler(24), 3000);
    const b = decodeOne(frame6(IpProto.IPV6_FRAG, concat(fragmentHeader(IpProto.UDP, 0, true, 0xdeadbeef), datagram)));
    expect(b.status[0]).toBe(DecodeStatus.OK);
    expect(b.pflags[0]).toBe(PacketFlag.IPV6_EXT | PacketFlag.MORE_FRAGMENTS);
    expect(b.ipId[0]).toBe(0xdeadbeef);
    expect(b.fragOffset[0]).toBe(0);
    expect(b.dport[0]).toBe(40000);
    expect(b.payloadLen[0]).toBe(24);
  });

  it('decodeIpv6() gives a non-first fragment FRAGMENT, its protocol and no ports', () => {
    const b = decodeOne(frame6(IpProto.IPV6_FRAG, concat(fragmentHeader(IpProto.UDP, 1448, false, 7), filler(100))));
    expect(b.status[0]).toBe(DecodeStatus.OK);
    expect(b.pflags[0]).toBe(PacketFlag.IPV6_EXT | PacketFlag.FRAGMENT);
    expect(b.proto[0]).toBe(IpProto.UDP);
    expect(b.fragOffset[0]).toBe(1448);
    expect(b.ipId[0]).toBe(7);
    expect(b.sport[0]).toBe(0);
    expect(b.payloadOff[0]).toBe(14 + 48);
    expect(b.payloadLen[0]).toBe(100);
  });

  it('decodeIpv6() walks a chain of every kind of extension header', () => {
    const chain = concat(
      ipv6Ext(IpProto.IPV6_OPTS, 0),
      ipv6Ext(IpProto.IPV6_ROUTE, 0),
      ipv6Ext(IpProto.IPV6_FRAG, 2),
      fragmentHeader(IPPROTO_AH, 0, false, 99),
      hex('3c 01 0000 00000001 00000002'), // AH (12 bytes), next: destination options
      ipv6Ext(IpProto.UDP, 0),
      UDP_DATAGRAM,
    );
    const b = decodeOne(frame6(IpProto.HOPOPT, chain));
    expect(b.status[0]).toBe(DecodeStatus.OK);
    expect(b.proto[0]).toBe(IpProto.UDP);
    expect(b.ipId[0]).toBe(99);
    expect(b.sport[0]).toBe(5353);
    expect(b.payloadOff[0]).toBe(14 + 40 + 8 + 8 + 24 + 8 + 12 + 8 + 8);
  });

  it('decodeIpv6() stops at no next header (59) with status OK', () => {
    const b = decodeOne(frame6(IpProto.IPV6_OPTS, ipv6Ext(IpProto.IPV6_NONXT, 0, filler(4))));
    expect(b.status[0]).toBe(DecodeStatus.OK);
    expect(b.proto[0]).toBe(IpProto.IPV6_NONXT);
    expect(b.payloadLen[0]).toBe(4);
  });

  it('decodeIpv6() rejects an extension header that runs past the payload', () => {
    // Routing header claiming (4 + 1) * 8 bytes in an 8-byte payload; 32 bytes of
    // padding follow in the frame but lie outside the payload length.
    const routing = hex('11 04 00000000 0000');
    const b = decodeOne(frame6(IpProto.IPV6_ROUTE, concat(routing, new Uint8Array(32)), 8));
    expect(b.status[0]).toBe(DecodeStatus.BAD_IPV6_EXT);
    expect(b.ipVersion[0]).toBe(6);
    expect(b.proto[0]).toBe(IpProto.IPV6_ROUTE);
    expect(b.sport[0]).toBe(0);
  });

  it(`decodeIpv6() rejects a chain longer than ${MAX_IPV6_EXT_HEADERS} headers`, () => {
    const headers = Array.from({ length: MAX_IPV6_EXT_HEADERS + 1 }, (_, k) =>
      ipv6Ext(k === MAX_IPV6_EXT_HEADERS ? IpProto.UDP : IpProto.IPV6_OPTS, 0),
    );
    const b = decodeOne(frame6(IpProto.IPV6_OPTS, concat(...headers, UDP_DATAGRAM)));
    expect(b.status[0]).toBe(DecodeStatus.BAD_IPV6_EXT);
    const ok = decodeOne(frame6(IpProto.IPV6_OPTS, concat(...headers.slice(1), UDP_DATAGRAM)));
    expect(ok.status[0]).toBe(DecodeStatus.OK);
  });

  it('decodeIpv6() reports a chain cut by the snaplen as TRUNCATED', () => {
    const b = decodeOne(frame6(IpProto.HOPOPT, ipv6Ext(IpProto.UDP, 3, UDP_DATAGRAM)), { snap: 14 + 40 + 10 });
    expect(b.status[0]).toBe(DecodeStatus.TRUNCATED);
    expect(b.ipVersion[0]).toBe(6);
  });

  it('decodeIpv6() treats payload length 0 behind hop-by-hop as a jumbogram to the end of the frame', () => {
    // Hop-by-hop with the jumbo payload option (0xc2) claiming 0x10020 bytes.
    const jumbo = hex('11 00 c2 04 00010020');
    const b = decodeOne(frame6(IpProto.HOPOPT, concat(jumbo, udp(1, 2, filler(100), 108)), 0));
    expect(b.status[0]).toBe(DecodeStatus.OK);
    expect(b.ipLen[0]).toBe(40 + 8 + 108);
    expect(b.dport[0]).toBe(2);
  });

  it('decodeIpv6() rejects a payload length larger than the frame', () => {
    expect(decodeOne(frame6(IpProto.UDP, UDP_DATAGRAM, 400)).status[0]).toBe(DecodeStatus.BAD_IP_LENGTH);
  });

  it('decodeIpv6() rejects a fixed header cut short in a complete frame', () => {
    expect(decodeOne(frame6(IpProto.UDP, UDP_DATAGRAM).subarray(0, 14 + 30)).status[0]).toBe(
      DecodeStatus.BAD_IP_LENGTH,
    );
  });

  it('decodeIpv6() reports a fixed header cut by the snaplen as TRUNCATED', () => {
    expect(decodeOne(DNS6_FRAME, { snap: 14 + 30 }).status[0]).toBe(DecodeStatus.TRUNCATED);
  });

  it('decodeIpv6() rejects an IPv4 packet behind the IPv6 ethertype', () => {
    const b = decodeOne(ethernet(ETHERTYPE_IPV6, hex('4500 0028 0000 0000 4006 0000 01020304 05060708')));
    expect(b.status[0]).toBe(DecodeStatus.BAD_IP_VERSION);
  });

  it('decodeIpv6() bounds the payload by the payload length, not by Ethernet padding', () => {
    const packet = ipv6({ next: IpProto.TCP }, tcp({ sport: 80, dport: 1, flags: TcpFlag.RST }));
    const b = decodeOne(ethernet(ETHERTYPE_IPV6, concat(packet, new Uint8Array(6))));
    expect(b.status[0]).toBe(DecodeStatus.OK);
    expect(b.payloadLen[0]).toBe(0);
    expect(b.tcpFlags[0]).toBe(TcpFlag.RST);
  });
});
