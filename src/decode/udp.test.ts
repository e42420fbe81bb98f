import { describe, expect, it } from 'vitest';
import { DecodeStatus, IpProto } from './batch.js';
import { decodeOne, ethernet, filler, ipv4, udp } from './test-kit.js';
import { formatIpv4 } from '../util/ip-address.js';

// Real ISAKMP (NAT-T, 4500/udp) reflection packet from amp.UDP.isakmp.pcap: 232-byte IP packet.
const ISAKMP_FRAME = `
  00163e2777db985d821154490800452000e83ca2000074115be5ca81cec80a0a
  0a0a1194612b00d4247b00000000c9832c40b1d51852da89b7f7c2ba7a460110
  020000000000000000c80d000034000000010000000100000028010100010000
  00200101000080010005800200028003000180040002800b0001800c00010d00
  00144a131c81070358455c5728f20e95452f0d0000147d9419a65310ca6f2c17
  9d9215529d560d00001490cb80913ebb696e086381b5ec427b1f0d000014cd60
  464335df21f87cfdb2fc68b6a4480d0000144485152d18b6bbcd0be8a8469579
  ddcc00000014afcad71368a1f1c96b8696fc77570100`;

function udpFrame(datagram: Uint8Array): Uint8Array {
  return ethernet(0x0800, ipv4({ proto: IpProto.UDP, src: '192.0.2.53' }, datagram));
}

describe('decodeUdp()', () => {
  it('decodeUdp() decodes a real datagram', () => {
    const b = decodeOne(ISAKMP_FRAME);
    expect(b.status[0]).toBe(DecodeStatus.OK);
    expect(formatIpv4(b.src4[0]!)).toBe('202.129.206.200');
    expect(b.sport[0]).toBe(4500);
    expect(b.dport[0]).toBe(24875);
    expect(b.payloadOff[0]).toBe(42);
    expect(b.payloadLen[0]).toBe(212 - 8);
    expect(b.tcpFlags[0]).toBe(0);
  });

  it('decodeUdp() ends the payload at the UDP length, not the IP length', () => {
    const b = decodeOne(udpFrame(udp(1000, 2000, filler(30), 20)));
    expect(b.status[0]).toBe(DecodeStatus.OK);
    expect(b.payloadLen[0]).toBe(12);
  });

  it('decodeUdp() rejects a UDP length below 8 and keeps the ports', () => {
    const b = decodeOne(udpFrame(udp(1000, 2000, filler(4), 4)));
    expect(b.status[0]).toBe(DecodeStatus.BAD_UDP_LENGTH);
    expect(b.dport[0]).toBe(2000);
    expect(formatIpv4(b.src4[0]!)).toBe('192.0.2.53');
  });

  it('decodeUdp() rejects a UDP length larger than the IP payload', () => {
    expect(decodeOne(udpFrame(udp(1000, 2000, filler(4), 100))).status[0]).toBe(DecodeStatus.BAD_UDP_LENGTH);
  });

  it('decodeUdp() rejects a header shorter than 8 bytes in a complete IP payload as SHORT_L4', () => {
    const b = decodeOne(udpFrame(udp(1000, 2000, filler(0)).subarray(0, 6)));
    expect(b.status[0]).toBe(DecodeStatus.SHORT_L4);
    expect(b.sport[0]).toBe(1000);
  });

  it('decodeUdp() reports a header cut by the snaplen as TRUNCATED', () => {
    expect(decodeOne(ISAKMP_FRAME, { snap: 14 + 20 + 6 }).status[0]).toBe(DecodeStatus.TRUNCATED);
  });

  it('decodeUdp() reports the captured part of a payload cut by the snaplen', () => {
    const b = decodeOne(ISAKMP_FRAME, { snap: 96 });
    expect(b.status[0]).toBe(DecodeStatus.OK);
    expect(b.payloadLen[0]).toBe(96 - 42);
  });
});
