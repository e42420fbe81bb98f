import { describe, expect, it } from 'vitest';
import { DecodeStatus, IpProto, PacketFlag, type PacketBatch } from './batch.js';
import { concat, decodeOne, ethernet, filler, hex, ipv4, ipv6, ipv6Ext, udp } from './test-kit.js';
import { formatIpv4, formatIpv6 } from '../util/ip-address.js';

// Real echo request (amp.dns.RRSIG.fragmented.pcap): id 53369, seq 1, 56 data bytes.
const ECHO_FRAME = `
  a8a159933237 2c213128a371 0800
  4500 0054 26c5 4000 3c01 c5e6 d5856864 0a0a0a0a
  08 00 0cfa d079 0001
  16fe496100000000ed580e0000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637`;
// Real "admin prohibited" unreachable quoting a whole TCP SYN (amp.TCP.reflection.SYNACK.pcap).
const UNREACH_TCP_FRAME = `
  00163e0decf2 985d82115449 0800
  45c0 0044 b131 0000 3a01 f567 8e6f36dd 0a0a0a0a
  03 0d 57d2 00000000
  4500 0028 5401 0000 f306 190a ac63e914 8e6f36dd
  797e 01bb 572e9ba8 00000000 5002 6ef0 781d 0000`;
// Real port unreachable quoting an SNMP request (amp.UDP.snmp.src161.pcapng).
const UNREACH_UDP_FRAME = `
  a8a159823a69 dc38e1fc2cae 0800
  4500 005a 35b0 0000 3101 6c35 3155a255 0a0a0a0a
  03 03 db91 00000000
  4500 003e fe94 0000 ef11 c1e1 88f3ae9a 3155a255
  3006 00a1 002a 0000 302002010104067075626c6963a51302020001020100020146300730050601280500`;
// Real time exceeded quoting an SNMP request (same capture).
const TIME_EXCEEDED_FRAME = `
  a8a159823a69 dc38e1fc2cae 0800
  4500 005a 0c89 0000 3601 a6a2 675e5606 0a0a0a0a
  0b 00 2e49 00000000
  4500 003e d426 0000 0111 f22b 88f3ae9a 675e5471
  d551 00a1 002a 0000 302002010104067075626c6963a51302020001020100020146300730050601280500`;
// Real unreachable quoting exactly 8 bytes of a TCP header (amp.UDP.snmp.src161.pcapng).
const UNREACH_MINIMAL_QUOTE_FRAME = `
  a8a159823a69 dc38e1fc2cae 0800
  4500 0038 1bac 0000 3701 2e4c b20c73ad 0a0a0a0a
  03 0d 1ccd 00000000
  4500 002c 1bac 0000 3b06 06d9 88f3ae9a b20c73ad
  a102 5078 4579a931`;

/** An IPv4 ICMP error (type 3 code 1) quoting `quote`. */
function icmpError(quote: Uint8Array, type = 3): Uint8Array {
  const header = Uint8Array.of(type, 1, 0, 0, 0, 0, 0, 0);
  return ethernet(0x0800, ipv4({ proto: IpProto.ICMP }, concat(header, quote)));
}

function expectNoInnerPorts(b: PacketBatch): void {
  expect(b.innerSport[0]).toBe(0);
  expect(b.innerDport[0]).toBe(0);
}

describe('decodeIcmp()', () => {
  it('decodeIcmp() decodes a real echo request without inner fields', () => {
    const b = decodeOne(ECHO_FRAME);
    expect(b.status[0]).toBe(DecodeStatus.OK);
    expect(b.proto[0]).toBe(IpProto.ICMP);
    expect(b.icmpType[0]).toBe(8);
    expect(b.icmpCode[0]).toBe(0);
    expect(b.payloadOff[0]).toBe(42);
    expect(b.payloadLen[0]).toBe(56);
    expect(b.pflags[0]! & PacketFlag.HAS_INNER).toBe(0);
    expect(b.innerVersion[0]).toBe(0);
    expect(b.sport[0]).toBe(0);
  });

  it('decodeIcmp() decodes the TCP packet quoted by a real unreachable', () => {
    const b = decodeOne(UNREACH_TCP_FRAME);
    expect(b.status[0]).toBe(DecodeStatus.OK);
    expect(b.icmpType[0]).toBe(3);
    expect(b.icmpCode[0]).toBe(13);
    expect(b.pflags[0]).toBe(PacketFlag.HAS_INNER);
    expect(b.innerVersion[0]).toBe(4);
    expect(b.innerProto[0]).toBe(IpProto.TCP);
    expect(formatIpv4(b.innerSrc4[0]!)).toBe('172.99.233.20');
    expect(formatIpv4(b.innerDst4[0]!)).toBe('142.111.54.221');
    expect(b.innerSport[0]).toBe(31102);
    expect(b.innerDport[0]).toBe(443);
  });

  it('decodeIcmp() decodes the UDP packet quoted by a real port unreachable', () => {
    const b = decodeOne(UNREACH_UDP_FRAME);
    expect(b.pflags[0]).toBe(PacketFlag.HAS_INNER);
    expect(b.innerProto[0]).toBe(IpProto.UDP);
    expect(formatIpv4(b.innerSrc4[0]!)).toBe('136.243.174.154');
    expect(formatIpv4(b.innerDst4[0]!)).toBe('49.85.162.85');
    expect(b.innerSport[0]).toBe(12294);
    expect(b.innerDport[0]).toBe(161);
  });

  it('decodeIcmp() decodes the packet quoted by a real time exceeded', () => {
    const b = decodeOne(TIME_EXCEEDED_FRAME);
    expect(b.icmpType[0]).toBe(11);
    expect(b.pflags[0]).toBe(PacketFlag.HAS_INNER);
    expect(formatIpv4(b.innerDst4[0]!)).toBe('103.94.84.113');
    expect(b.innerSport[0]).toBe(54609);
  });

  it('decodeIcmp() accepts a real quote of exactly 8 transport bytes', () => {
    const b = decodeOne(UNREACH_MINIMAL_QUOTE_FRAME);
    expect(b.pflags[0]).toBe(PacketFlag.HAS_INNER);
    expect(b.innerSport[0]).toBe(41218);
    expect(b.innerDport[0]).toBe(20600);
  });

  it.each([4, 5, 12])('decodeIcmp() decodes the quote of error type %i', (type) => {
    const b = decodeOne(icmpError(ipv4({ proto: IpProto.UDP }, udp(1, 2, filler(4))), type));
    expect(b.pflags[0]).toBe(PacketFlag.HAS_INNER);
    expect(b.innerDport[0]).toBe(2);
  });

  it('decodeIcmp() leaves the inner columns empty when the quoted IP header is cut', () => {
    const quote = ipv4({ proto: IpProto.UDP }, udp(1, 2, filler(4))).subarray(0, 12);
    const b = decodeOne(icmpError(quote));
    expect(b.status[0]).toBe(DecodeStatus.OK);
    expect(b.pflags[0]).toBe(0);
    expect(b.innerVersion[0]).toBe(0);
    expect(b.innerSrc4[0]).toBe(0);
  });

  it('decodeIcmp() keeps inner addresses but not ports or HAS_INNER when the ports are cut', () => {
    const quote = ipv4({ proto: IpProto.TCP, src: '198.51.100.7' }, filler(20)).subarray(0, 22);
    const b = decodeOne(icmpError(quote));
    expect(b.status[0]).toBe(DecodeStatus.OK);
    expect(b.pflags[0]).toBe(0);
    expect(b.innerVersion[0]).toBe(4);
    expect(b.innerProto[0]).toBe(IpProto.TCP);
    expect(formatIpv4(b.innerSrc4[0]!)).toBe('198.51.100.7');
    expectNoInnerPorts(b);
  });

  it('decodeIcmp() keeps inner ports but not HAS_INNER when fewer than 8 transport bytes are quoted', () => {
    const quote = ipv4({ proto: IpProto.UDP }, udp(1, 2, filler(4))).subarray(0, 26);
    const b = decodeOne(icmpError(quote));
    expect(b.pflags[0]).toBe(0);
    expect(b.innerDport[0]).toBe(2);
  });

  it('decodeIcmp() gives a quoted non-first fragment no inner ports', () => {
    const b = decodeOne(icmpError(ipv4({ proto: IpProto.UDP, fragWord: 10 }, filler(16))));
    expect(b.pflags[0]).toBe(PacketFlag.HAS_INNER);
    expect(b.innerProto[0]).toBe(IpProto.UDP);
    expectNoInnerPorts(b);
  });

  it('decodeIcmp() ignores a quote that is not IP', () => {
    const b = decodeOne(icmpError(filler(40)));
    expect(b.status[0]).toBe(DecodeStatus.OK);
    expect(b.pflags[0]).toBe(0);
    expect(b.innerVersion[0]).toBe(0);
  });

  it('decodeIcmp() keeps the quote of an error cut by the snaplen as far as it goes', () => {
    const b = decodeOne(UNREACH_TCP_FRAME, { snap: 14 + 20 + 8 + 20 + 2 });
    expect(b.status[0]).toBe(DecodeStatus.OK);
    expect(b.pflags[0]).toBe(0);
    expect(formatIpv4(b.innerSrc4[0]!)).toBe('172.99.233.20');
    expectNoInnerPorts(b);
  });

  it('decodeIcmp() rejects a header shorter than 8 bytes in a complete IP payload as SHORT_L4', () => {
    const b = decodeOne(ethernet(0x0800, ipv4({ proto: IpProto.ICMP }, hex('0303 0000'))));
    expect(b.status[0]).toBe(DecodeStatus.SHORT_L4);
    expect(b.icmpType[0]).toBe(3);
    expect(b.icmpCode[0]).toBe(3);
  });

  it('decodeIcmp() reports a header cut by the snaplen as TRUNCATED', () => {
    expect(decodeOne(ECHO_FRAME, { snap: 14 + 20 + 4 }).status[0]).toBe(DecodeStatus.TRUNCATED);
  });
});

describe('decodeIcmpv6()', () => {
  const INNER_SRC = '2001:db8:aaaa::10';
  const INNER_DST = '2001:db8:bbbb::20';

  function icmpv6(type: number, code: number, body: Uint8Array): Uint8Array {
    const header = Uint8Array.of(type, code, 0, 0, 0, 0, 0, 0);
    return ethernet(
      0x86dd,
      ipv6({ next: IpProto.ICMPV6, src: '2001:db8:bbbb::1', dst: INNER_SRC }, concat(header, body)),
    );
  }

  it('decodeIcmpv6() decodes the IPv6 UDP packet quoted by a port unreachable', () => {
    const quote = ipv6({ next: IpProto.UDP, src: INNER_SRC, dst: INNER_DST }, udp(33434, 53, filler(20)));
    const b = decodeOne(icmpv6(1, 4, quote));
    expect(b.status[0]).toBe(DecodeStatus.OK);
    expect(b.proto[0]).toBe(IpProto.ICMPV6);
    expect(b.icmpType[0]).toBe(1);
    expect(b.icmpCode[0]).toBe(4);
    expect(b.pflags[0]).toBe(PacketFlag.HAS_INNER);
    expect(b.innerVersion[0]).toBe(6);
    expect(b.innerProto[0]).toBe(IpProto.UDP);
    expect(formatIpv6(b.innerSrc6, 0)).toBe(INNER_SRC);
    expect(formatIpv6(b.innerDst6, 0)).toBe(INNER_DST);
    expect(b.innerSport[0]).toBe(33434);
    expect(b.innerDport[0]).toBe(53);
    expect(b.innerSrc4[0]).toBe(0);
  });

  it('decodeIcmpv6() walks the extension headers of the quoted packet', () => {
    const quote = ipv6({ next: IpProto.IPV6_OPTS }, concat(ipv6Ext(IpProto.UDP, 0), udp(7, 9, filler(4))));
    const b = decodeOne(icmpv6(3, 0, quote));
    expect(b.pflags[0]).toBe(PacketFlag.HAS_INNER);
    expect(b.innerProto[0]).toBe(IpProto.UDP);
    expect(b.innerDport[0]).toBe(9);
  });

  it('decodeIcmpv6() keeps inner addresses when the quoted extension chain is cut', () => {
    const quote = ipv6({ next: IpProto.IPV6_OPTS, src: INNER_SRC }, ipv6Ext(IpProto.UDP, 3)).subarray(0, 48);
    const b = decodeOne(icmpv6(1, 0, quote));
    expect(b.status[0]).toBe(DecodeStatus.OK);
    expect(b.pflags[0]).toBe(0);
    expect(b.innerVersion[0]).toBe(6);
    expect(b.innerProto[0]).toBe(IpProto.IPV6_OPTS);
    expect(formatIpv6(b.innerSrc6, 0)).toBe(INNER_SRC);
    expectNoInnerPorts(b);
  });

  it('decodeIcmpv6() decodes an echo request (type 128) without inner fields', () => {
    const b = decodeOne(icmpv6(128, 0, ipv6({ next: IpProto.UDP }, udp(1, 2, filler(4)))));
    expect(b.icmpType[0]).toBe(128);
    expect(b.pflags[0]).toBe(0);
    expect(b.innerVersion[0]).toBe(0);
    expect(b.payloadLen[0]).toBe(40 + 12);
  });
});
