import { describe, expect, it } from 'vitest';
import { DecodeStatus, IpProto, PacketFlag, TcpFlag } from './batch.js';
import { formatTcpFlags } from './tcp-flags.js';
import { decodeOne, ethernet, filler, ipv4, tcp } from './test-kit.js';
import { formatIpv4 } from '../util/ip-address.js';

// Real SYN with MSS, NOP, window scale, SACK-permitted (amp.TCP.reflection.SYNACK.pcap).
const SYN_OPTIONS_FRAME = `
  00163e0decf2 985d82115449 0800
  4520 0034 8708 0000 7206 059b d8dfcf0d 0a0a0a0a
  0fb4 0016 420fbcd1 00000000 8002 faf0 a9af 0000 020405780103030801010402`;
// Real SYN with ECE and CWR (pkt.TCP.DOMINATE.syn.ecn.cwr.pcapng), padded frame.
const SYN_ECN_FRAME = `
  4c72b97cb5b7 44f4770fea49 0800
  4500 0028 126c 0000 f206 6a9a 572ce089 0a0a0a0a
  6be5 75a8 35810000 00000000 50c2 ffff 4b4a 0100 00008cd7276f`;
// Real RST/ACK from synscan.pcapng, padded frame.
const RST_ACK_FRAME = `
  0025b3bf91ee 00260b310733 0800
  4500 0028 0000 4000 3606 d276 400d8634 ac100008
  0071 8cd2 92c2df89 dd528319 5014 0000 dd7a 0000 000000000000`;
// Real PSH/ACK carrying 38 bytes after a 12-byte timestamp option (amp.dns.RRSIG.fragmented.pcap).
const PSH_ACK_FRAME = `
  a8a15937d090 2c213128a371 0800
  4500 005a f6b2 4000 3806 9c33 a39ef805 0a0a0a0a
  98f0 1f90 e69bd0f3 d0aa7bab 8018 02a0 ec2e 0000 0101080a1912b3117fe278b1
  17030300210000000000000017acff10e95545b0ca1b75199ac1faa1526307da8c1a3a11e121`;

function tcpFrame(segment: Uint8Array): Uint8Array {
  return ethernet(0x0800, ipv4({ proto: IpProto.TCP, src: '192.0.2.77' }, segment));
}

describe('decodeTcp()', () => {
  it('decodeTcp() decodes a real SYN with options', () => {
    const b = decodeOne(SYN_OPTIONS_FRAME);
    expect(b.status[0]).toBe(DecodeStatus.OK);
    expect(b.sport[0]).toBe(4020);
    expect(b.dport[0]).toBe(22);
    expect(b.tcpSeq[0]).toBe(1108327633);
    expect(b.tcpAck[0]).toBe(0);
    expect(b.tcpWin[0]).toBe(64240);
    expect(b.tcpFlags[0]).toBe(TcpFlag.SYN);
    expect(b.tcpHdrLen[0]).toBe(32);
    expect(b.pflags[0]).toBe(PacketFlag.TCP_OPTIONS);
    expect(b.payloadOff[0]).toBe(14 + 20 + 32);
    expect(b.payloadLen[0]).toBe(0);
  });

  it('decodeTcp() keeps ECE and CWR of a real ECN SYN', () => {
    const b = decodeOne(SYN_ECN_FRAME);
    expect(b.tcpFlags[0]).toBe(TcpFlag.SYN | TcpFlag.ECE | TcpFlag.CWR);
    expect(formatTcpFlags(b.tcpFlags[0]!)).toBe('SEC');
    expect(b.tcpWin[0]).toBe(65535);
    expect(b.pflags[0]).toBe(0);
  });

  it('decodeTcp() decodes a real RST/ACK', () => {
    const b = decodeOne(RST_ACK_FRAME);
    expect(formatTcpFlags(b.tcpFlags[0]!)).toBe('RA');
    expect(b.tcpAck[0]).toBe(3713172249);
    expect(b.tcpSeq[0]).toBe(2462244745);
  });

  it('decodeTcp() reads the NS bit', () => {
    const b = decodeOne(tcpFrame(tcp({ sport: 1, dport: 2, flags: TcpFlag.NS | TcpFlag.ACK })));
    expect(b.tcpFlags[0]).toBe(TcpFlag.NS | TcpFlag.ACK);
  });

  it('decodeTcp() ignores the three reserved bits', () => {
    const segment = tcp({ sport: 1, dport: 2, flags: TcpFlag.SYN });
    segment[12] = segment[12]! | 0x0e;
    expect(decodeOne(tcpFrame(segment)).tcpFlags[0]).toBe(TcpFlag.SYN);
  });

  it('decodeTcp() sets the payload after the options', () => {
    const b = decodeOne(PSH_ACK_FRAME);
    expect(b.status[0]).toBe(DecodeStatus.OK);
    expect(formatTcpFlags(b.tcpFlags[0]!)).toBe('PA');
    expect(b.tcpHdrLen[0]).toBe(32);
    expect(b.payloadOff[0]).toBe(66);
    expect(b.payloadLen[0]).toBe(38);
  });

  it('decodeTcp() rejects a data offset below 5 and keeps the IP addresses and ports', () => {
    const b = decodeOne(tcpFrame(tcp({ sport: 7, dport: 8, flags: TcpFlag.SYN, dataOffset: 3 })));
    expect(b.status[0]).toBe(DecodeStatus.BAD_TCP_HEADER);
    expect(formatIpv4(b.src4[0]!)).toBe('192.0.2.77');
    expect(b.dport[0]).toBe(8);
    expect(b.tcpHdrLen[0]).toBe(0);
    expect(b.payloadLen[0]).toBe(0);
  });

  it('decodeTcp() rejects a data offset past the end of a complete IP payload', () => {
    const b = decodeOne(tcpFrame(tcp({ sport: 7, dport: 8, flags: TcpFlag.SYN, dataOffset: 15 }, filler(4))));
    expect(b.status[0]).toBe(DecodeStatus.BAD_TCP_HEADER);
  });

  it('decodeTcp() reports options cut by the snaplen as TRUNCATED', () => {
    const b = decodeOne(SYN_OPTIONS_FRAME, { snap: 14 + 20 + 24 });
    expect(b.status[0]).toBe(DecodeStatus.TRUNCATED);
    expect(b.tcpFlags[0]).toBe(TcpFlag.SYN);
    expect(b.tcpHdrLen[0]).toBe(32);
    expect(b.payloadLen[0]).toBe(0);
  });

  it('decodeTcp() reports a fixed header cut by the snaplen as TRUNCATED with its ports', () => {
    const b = decodeOne(SYN_OPTIONS_FRAME, { snap: 14 + 20 + 6 });
    expect(b.status[0]).toBe(DecodeStatus.TRUNCATED);
    expect(b.dport[0]).toBe(22);
    expect(b.tcpFlags[0]).toBe(0);
  });

  it('decodeTcp() rejects a header shorter than 20 bytes in a complete IP payload as SHORT_L4', () => {
    const b = decodeOne(tcpFrame(tcp({ sport: 7, dport: 8, flags: TcpFlag.SYN }).subarray(0, 10)));
    expect(b.status[0]).toBe(DecodeStatus.SHORT_L4);
    expect(b.sport[0]).toBe(7);
  });
});
