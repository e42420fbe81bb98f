import { describe, expect, it } from 'vitest';
import { DecodeStatus, IpProto, PacketFlag, TcpFlag } from './batch.js';
import { concat, decodeOne, ethernet, filler, hex, ipv4, tcp } from './test-kit.js';
import { formatIpv4 } from '../util/ip-address.js';

// Real SYN/ACK from amp.TCP.reflection.SYNACK.pcap (frame 1): DF, MSS option.
const SYNACK_FRAME = `
  00163e0decf2 985d82115449 0800
  4500 002c 0000 4000 3a06 4e13 880056a5 0a0a0a0a
  0050 cb75 e5e141d2 4d6981b8 6012 7210 70ed 0000 020405 78`;
// Real SYN from pkt.TCP.synflood.spoofed.pcap: 40-byte IP packet in a 60-byte frame.
const PADDED_SYN_FRAME = `
  4c72b97cb5b7 44f4770fea49 0800
  4500 0028 e915 0000 f206 e098 a0a14a6c 0a0a0a0a
  a39d 63dd 36fc0000 00000000 5002 0000 724a 0000
  0000 8666 5455`;
// IGMPv2 report to 224.0.0.251 with the Router Alert option (IHL 6), as hosts send it.
const IGMP_ROUTER_ALERT_FRAME = `
  01005e0000fb 00163e0decf2 0800
  46c0 0020 0000 4000 0102 416a c0a8010a e00000fb 94040000
  1600 0904 e00000fb`;
// First 64 bytes of a real first fragment (amp.dns.RRSIG.fragmented.pcap):
// id 35969, MF, offset 0, total length 1476, UDP 53 -> 22 claiming 3930 bytes.
const FIRST_FRAGMENT_PREFIX = hex(`
  a8a15937d090 2c213128a371 0800
  4500 05c4 8c81 2000 3611 cf71 2db3c16f 0a0a0a0a
  0035 0016 0f5a 853e 3b768380000100070000000008 70697a7a617365 6f03`);
const FIRST_FRAGMENT_WIRE = 14 + 1476;
// First 64 bytes of the real last fragment of the same datagram: offset 2912, length 1038.
const LAST_FRAGMENT_PREFIX = hex(`
  a8a15937d090 2c213128a371 0800
  4500 040e 8c81 016c 3611 efbb 2db3c16f 0a0a0a0a
  4392aa2f33ccfa6e033ac248078028d542b6fc475fcb6b9be106ea69c4be`);
const LAST_FRAGMENT_WIRE = 14 + 1038;

describe('decodeIpv4()', () => {
  it('decodeIpv4() decodes the header fields of a real SYN/ACK', () => {
    const b = decodeOne(SYNACK_FRAME);
    expect(b.status[0]).toBe(DecodeStatus.OK);
    expect(b.ipVersion[0]).toBe(4);
    expect(formatIpv4(b.src4[0]!)).toBe('136.0.86.165');
    expect(formatIpv4(b.dst4[0]!)).toBe('10.10.10.10');
    expect(b.ttl[0]).toBe(58);
    expect(b.ipId[0]).toBe(0);
    expect(b.ipLen[0]).toBe(44);
    expect(b.proto[0]).toBe(IpProto.TCP);
    expect(b.fragOffset[0]).toBe(0);
    expect(b.pflags[0]).toBe(PacketFlag.DONT_FRAGMENT | PacketFlag.TCP_OPTIONS);
    expect(b.tcpFlags[0]).toBe(TcpFlag.SYN | TcpFlag.ACK);
  });

  it('decodeIpv4() ignores Ethernet padding after the total length', () => {
    const b = decodeOne(PADDED_SYN_FRAME);
    expect(b.status[0]).toBe(DecodeStatus.OK);
    expect(b.capLen[0]).toBe(60);
    expect(b.ipLen[0]).toBe(40);
    expect(b.payloadOff[0]).toBe(54);
    expect(b.payloadLen[0]).toBe(0);
  });

  it('decodeIpv4() flags options and starts the payload after them', () => {
    const b = decodeOne(IGMP_ROUTER_ALERT_FRAME);
    expect(b.status[0]).toBe(DecodeStatus.OK);
    expect(b.pflags[0]).toBe(PacketFlag.IP_OPTIONS | PacketFlag.DONT_FRAGMENT);
    expect(b.proto[0]).toBe(2);
    expect(b.ttl[0]).toBe(1);
    expect(formatIpv4(b.dst4[0]!)).toBe('224.0.0.251');
    expect(b.payloadOff[0]).toBe(14 + 24);
    expect(b.payloadLen[0]).toBe(8);
  });

  it('decodeIpv4() decodes the transport header of a first fragment', () => {
    const b = decodeOne(concat(FIRST_FRAGMENT_PREFIX, filler(FIRST_FRAGMENT_WIRE - 64)));
    expect(b.status[0]).toBe(DecodeStatus.OK);
    expect(b.pflags[0]).toBe(PacketFlag.MORE_FRAGMENTS);
    expect(b.ipId[0]).toBe(35969);
    expect(b.sport[0]).toBe(53);
    expect(b.dport[0]).toBe(22);
    expect(b.payloadOff[0]).toBe(42);
    expect(b.payloadLen[0]).toBe(1476 - 28);
  });

  it('decodeIpv4() gives a non-first fragment FRAGMENT, its protocol and no ports', () => {
    const b = decodeOne(concat(LAST_FRAGMENT_PREFIX, filler(LAST_FRAGMENT_WIRE - 64)));
    expect(b.status[0]).toBe(DecodeStatus.OK);
    expect(b.pflags[0]).toBe(PacketFlag.FRAGMENT);
    expect(b.proto[0]).toBe(IpProto.UDP);
    expect(b.fragOffset[0]).toBe(2912);
    expect(b.ipId[0]).toBe(35969);
    expect(b.sport[0]).toBe(0);
    expect(b.dport[0]).toBe(0);
    expect(b.payloadOff[0]).toBe(34);
    expect(b.payloadLen[0]).toBe(1038 - 20);
  });

  it('decodeIpv4() flags a middle fragment with FRAGMENT and MORE_FRAGMENTS', () => {
    const b = decodeOne(ethernet(0x0800, ipv4({ proto: IpProto.UDP, fragWord: 0x2000 | 182 }, filler(1456))));
    expect(b.pflags[0]).toBe(PacketFlag.FRAGMENT | PacketFlag.MORE_FRAGMENTS);
    expect(b.fragOffset[0]).toBe(1456);
    expect(b.sport[0]).toBe(0);
  });

  it('decodeIpv4() decodes a snaplen-cut first fragment as far as the bytes go', () => {
    const frame = concat(FIRST_FRAGMENT_PREFIX, filler(FIRST_FRAGMENT_WIRE - 64));
    const b = decodeOne(frame, { snap: 64 });
    expect(b.status[0]).toBe(DecodeStatus.OK);
    expect(b.wireLen[0]).toBe(FIRST_FRAGMENT_WIRE);
    expect(b.ipLen[0]).toBe(1476);
    expect(b.dport[0]).toBe(22);
    expect(b.payloadLen[0]).toBe(64 - 42);
  });

  it('decodeIpv4() reports an IP header cut by the snaplen as TRUNCATED', () => {
    const b = decodeOne(SYNACK_FRAME, { snap: 30 });
    expect(b.status[0]).toBe(DecodeStatus.TRUNCATED);
    expect(b.ipVersion[0]).toBe(0);
  });

  it('decodeIpv4() rejects IHL below 5', () => {
    const b = decodeOne(ethernet(0x0800, ipv4({ proto: IpProto.TCP, ihl: 3 }, filler(20))));
    expect(b.status[0]).toBe(DecodeStatus.BAD_IHL);
    expect(b.ipVersion[0]).toBe(0);
  });

  it('decodeIpv4() rejects an IHL past the end of a complete frame', () => {
    const b = decodeOne(ethernet(0x0800, ipv4({ proto: IpProto.TCP, ihl: 15 }, filler(8))));
    expect(b.status[0]).toBe(DecodeStatus.BAD_IHL);
  });

  it('decodeIpv4() rejects a frame that ends right after the link header', () => {
    expect(decodeOne(ethernet(0x0800, new Uint8Array(0))).status[0]).toBe(DecodeStatus.BAD_IHL);
  });

  it('decodeIpv4() rejects a version nibble other than 4', () => {
    const packet = ipv4({ proto: IpProto.TCP }, filler(20));
    packet[0] = 0x65;
    expect(decodeOne(ethernet(0x0800, packet)).status[0]).toBe(DecodeStatus.BAD_IP_VERSION);
  });

  it('decodeIpv4() rejects a total length smaller than the header and keeps the header fields', () => {
    const b = decodeOne(ethernet(0x0800, ipv4({ proto: IpProto.TCP, totalLen: 16, src: '203.0.113.9' }, filler(20))));
    expect(b.status[0]).toBe(DecodeStatus.BAD_IP_LENGTH);
    expect(b.ipVersion[0]).toBe(4);
    expect(formatIpv4(b.src4[0]!)).toBe('203.0.113.9');
  });

  it('decodeIpv4() rejects a total length of 0 (TSO-style)', () => {
    const b = decodeOne(ethernet(0x0800, ipv4({ proto: IpProto.TCP, totalLen: 0 }, filler(20))));
    expect(b.status[0]).toBe(DecodeStatus.BAD_IP_LENGTH);
  });

  it('decodeIpv4() rejects a total length larger than the frame on the wire', () => {
    const b = decodeOne(ethernet(0x0800, ipv4({ proto: IpProto.TCP, totalLen: 400 }, filler(20))));
    expect(b.status[0]).toBe(DecodeStatus.BAD_IP_LENGTH);
  });

  it('decodeIpv4() accepts a total length larger than the captured bytes when the snaplen cut them', () => {
    const frame = ethernet(
      0x0800,
      ipv4({ proto: IpProto.TCP }, tcp({ sport: 1, dport: 2, flags: TcpFlag.PSH }, filler(300))),
    );
    const b = decodeOne(frame, { snap: 100 });
    expect(b.status[0]).toBe(DecodeStatus.OK);
    expect(b.ipLen[0]).toBe(340);
    expect(b.payloadLen[0]).toBe(100 - 54);
  });

  it('decodeIpv4() hands an unknown protocol its whole payload', () => {
    const b = decodeOne(ethernet(0x0800, ipv4({ proto: 47 }, filler(24))));
    expect(b.status[0]).toBe(DecodeStatus.OK);
    expect(b.proto[0]).toBe(47);
    expect(b.payloadOff[0]).toBe(34);
    expect(b.payloadLen[0]).toBe(24);
  });
});
