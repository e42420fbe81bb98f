import { describe, expect, it } from 'vitest';
import { LinkType } from '../capture/record.js';
import { DecodeStatus, IpProto } from './batch.js';
import { concat, decodeOne, ethernet, hex } from './test-kit.js';
import { formatIpv4, formatIpv6 } from '../util/ip-address.js';

// Real SYN from pkt.TCP.synflood.spoofed.pcap (frame 1), Ethernet + 6 bytes of padding.
const SYN_FRAME = `
  4c72b97cb5b7 44f4770fea49 0800
  4500 0028 e915 0000 f206 e098 a0a14a6c 0a0a0a0a
  a39d 63dd 36fc0000 00000000 5002 0000 724a 0000
  0000 8666 5455`;
// The same IPv4 packet without its link header (40 bytes).
const SYN_IP = hex(`
  4500 0028 e915 0000 f206 e098 a0a14a6c 0a0a0a0a
  a39d 63dd 36fc0000 00000000 5002 0000 724a 0000`);
// Real IPv6 SYN from amp.dns.RRSIG.fragmented.pcap, without its Ethernet header.
const SYN6_IP = hex(`
  6000 0000 0018 06 ef 240e00f74f01000c0000000000000003 2a0104f8022117c1100000000000da5a
  b4e2 20fb d3e4d5f7 00000000 6002 7210 ff10 0000 020405b4`);

function expectSyn(batch: ReturnType<typeof decodeOne>): void {
  expect(batch.status[0]).toBe(DecodeStatus.OK);
  expect(batch.ipVersion[0]).toBe(4);
  expect(formatIpv4(batch.src4[0]!)).toBe('160.161.74.108');
  expect(formatIpv4(batch.dst4[0]!)).toBe('10.10.10.10');
  expect(batch.sport[0]).toBe(41885);
  expect(batch.dport[0]).toBe(25565);
}

function expectSyn6(batch: ReturnType<typeof decodeOne>): void {
  expect(batch.status[0]).toBe(DecodeStatus.OK);
  expect(batch.ipVersion[0]).toBe(6);
  expect(formatIpv6(batch.src6, 0)).toBe('240e:f7:4f01:c::3');
  expect(formatIpv6(batch.dst6, 0)).toBe('2a01:4f8:221:17c1:1000::da5a');
  expect(batch.proto[0]).toBe(IpProto.TCP);
  expect(batch.dport[0]).toBe(8443);
}

describe('decodeEthernet()', () => {
  it('decodeEthernet() finds IPv4 behind an Ethernet II header', () => {
    expectSyn(decodeOne(SYN_FRAME));
  });

  it('decodeEthernet() walks stacked 802.1ad, 802.1Q and 0x9100 tags', () => {
    const batch = decodeOne(ethernet(0x0800, SYN_IP, [0x88a8, 0x8100, 0x9100]));
    expectSyn(batch);
    expect(batch.payloadOff[0]).toBe(14 + 12 + 40);
  });

  it('decodeEthernet() finds IPv6 behind a real 802.1Q tag', () => {
    // 802.1Q tag, VID 10 priority 0, inner ethertype 0x86dd.
    expectSyn6(decodeOne(concat(hex('002421ef2fd3 2c213128a371 8100 000a 86dd'), SYN6_IP)));
  });

  it('decodeEthernet() counts ARP as NON_IP', () => {
    // Real ARP request: who-has 10.10.10.1 tell 10.10.10.10, padded to 60 bytes.
    const batch = decodeOne(`
      ffffffffffff 00163e0decf2 0806
      0001 0800 06 04 0001 00163e0decf2 0a0a0a0a 000000000000 0a0a0a01
      000000000000000000000000000000000000`);
    expect(batch.status[0]).toBe(DecodeStatus.NON_IP);
    expect(batch.ipVersion[0]).toBe(0);
  });

  it('decodeEthernet() counts an 802.3 length frame as NON_IP', () => {
    // 802.3 + LLC spanning-tree BPDU header: length 0x0026, DSAP/SSAP 0x42.
    const batch = decodeOne('0180c2000000 00163e0decf2 0026 424203 0000 00 00 8000001122334455');
    expect(batch.status[0]).toBe(DecodeStatus.NON_IP);
  });

  it('decodeEthernet() rejects a frame shorter than its header as BAD_LINK', () => {
    expect(decodeOne('4c72b97cb5b7 44f4770f').status[0]).toBe(DecodeStatus.BAD_LINK);
  });

  it('decodeEthernet() reports a header cut by the snaplen as TRUNCATED', () => {
    expect(decodeOne(SYN_FRAME, { snap: 10 }).status[0]).toBe(DecodeStatus.TRUNCATED);
  });

  it('decodeEthernet() reports a VLAN tag past the frame as BAD_LINK', () => {
    expect(decodeOne('4c72b97cb5b7 44f4770fea49 8100 00').status[0]).toBe(DecodeStatus.BAD_LINK);
  });
});

describe('decodeRaw()', () => {
  it.each([LinkType.RAW, LinkType.RAW_DLT12, LinkType.RAW_DLT14])(
    'decodeRaw() reads IPv4 and IPv6 on link type %i',
    (linkType) => {
      expectSyn(decodeOne(SYN_IP, { linkType }));
      expectSyn6(decodeOne(SYN6_IP, { linkType }));
    },
  );

  it('decodeRaw() rejects a version nibble other than 4 or 6', () => {
    const bad = SYN_IP.slice();
    bad[0] = 0x55;
    expect(decodeOne(bad, { linkType: LinkType.RAW }).status[0]).toBe(DecodeStatus.BAD_IP_VERSION);
  });

  it('decodeRaw() rejects an empty frame as BAD_IP_VERSION', () => {
    expect(decodeOne(new Uint8Array(0), { linkType: LinkType.RAW }).status[0]).toBe(DecodeStatus.BAD_IP_VERSION);
  });
});

describe('decodeLinuxSll() and decodeLinuxSll2()', () => {
  // Incoming unicast packet (type 0), ARPHRD_ETHER, 6-byte address, protocol 0x0800.
  const SLL = hex('0000 0001 0006 985d82115449 0000 0800');
  // Protocol 0x86dd, reserved, ifindex 2, ARPHRD_ETHER, type 0, 6-byte address.
  const SLL2 = hex('86dd 0000 00000002 0001 00 06 985d82115449 0000');

  it('decodeLinuxSll() reads the protocol at offset 14', () => {
    expectSyn(decodeOne(concat(SLL, SYN_IP), { linkType: LinkType.LINUX_SLL }));
  });

  it('decodeLinuxSll2() reads the protocol at offset 0', () => {
    expectSyn6(decodeOne(concat(SLL2, SYN6_IP), { linkType: LinkType.LINUX_SLL2 }));
  });

  it('decodeLinuxSll() counts a non-IP protocol as NON_IP', () => {
    const arp = concat(hex('0001 0001 0006 985d82115449 0000 0806'), new Uint8Array(28));
    expect(decodeOne(arp, { linkType: LinkType.LINUX_SLL }).status[0]).toBe(DecodeStatus.NON_IP);
  });

  it('decodeLinuxSll2() rejects a header shorter than 20 bytes as BAD_LINK', () => {
    expect(decodeOne(SLL2.subarray(0, 19), { linkType: LinkType.LINUX_SLL2 }).status[0]).toBe(DecodeStatus.BAD_LINK);
  });
});

describe('decodeNull() and decodeLoop()', () => {
  it('decodeNull() reads AF_INET written little-endian', () => {
    expectSyn(decodeOne(concat(hex('02000000'), SYN_IP), { linkType: LinkType.NULL }));
  });

  it('decodeNull() reads AF_INET written big-endian', () => {
    expectSyn(decodeOne(concat(hex('00000002'), SYN_IP), { linkType: LinkType.NULL }));
  });

  it.each(['18000000', '1c000000', '1e000000', '0000001e'])('decodeNull() reads AF_INET6 %s', (af) => {
    expectSyn6(decodeOne(concat(hex(af), SYN6_IP), { linkType: LinkType.NULL }));
  });

  it('decodeNull() counts another address family as NON_IP', () => {
    expect(decodeOne(concat(hex('07000000'), SYN_IP), { linkType: LinkType.NULL }).status[0]).toBe(DecodeStatus.NON_IP);
  });

  it('decodeNull() rejects an IPv6 packet behind AF_INET as BAD_IP_VERSION', () => {
    expect(decodeOne(concat(hex('02000000'), SYN6_IP), { linkType: LinkType.NULL }).status[0]).toBe(
      DecodeStatus.BAD_IP_VERSION,
    );
  });

  it('decodeLoop() reads the family in network byte order', () => {
    expectSyn(decodeOne(concat(hex('00000002'), SYN_IP), { linkType: LinkType.LOOP }));
    expectSyn6(decodeOne(concat(hex('00000018'), SYN6_IP), { linkType: LinkType.LOOP }));
    // Little-endian bytes are not swapped back for LOOP.
    expect(decodeOne(concat(hex('02000000'), SYN_IP), { linkType: LinkType.LOOP }).status[0]).toBe(DecodeStatus.NON_IP);
  });

  it('decodeLoop() rejects a frame shorter than 4 bytes as BAD_LINK', () => {
    expect(decodeOne(hex('000000'), { linkType: LinkType.LOOP }).status[0]).toBe(DecodeStatus.BAD_LINK);
  });
});
