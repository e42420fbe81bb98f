import { describe, expect, it } from 'vitest';
import { DecodeStatus, IpProto, PacketFlag, TcpFlag } from '../decode/batch.js';
import { FlagClass, fillFlagClasses } from './flag-class.js';
import { PACKET_CLASS_NAMES, PacketClass, fillPacketClasses, icmpClassOf, tcpClassOf } from './packet-class.js';
import { makeBatch, type PacketRow } from './testdata/make-batch.js';

function classesOf(rows: PacketRow[]): string[] {
  const batch = makeBatch(rows);
  const flagClass = new Uint8Array(batch.length);
  const out = new Uint8Array(batch.length).fill(0xff);
  fillFlagClasses(batch, flagClass);
  fillPacketClasses(batch, { flagClass, out });
  return [...out].map((c) => PACKET_CLASS_NAMES[c]!);
}

function typesWith(v6: boolean, cls: number): number[] {
  const types: number[] = [];
  for (let t = 0; t < 256; t++) if (icmpClassOf(t, v6) === cls) types.push(t);
  return types;
}

describe('icmpClassOf()', () => {
  it('icmpClassOf() lists exactly the ICMPv4 requests, replies and errors', () => {
    expect(typesWith(false, PacketClass.PROBE)).toEqual([8, 10, 13, 15, 17]);
    expect(typesWith(false, PacketClass.RESPONSE)).toEqual([0, 9, 14, 16, 18]);
    expect(typesWith(false, PacketClass.ICMP_ERROR)).toEqual([3, 4, 5, 11, 12]);
    expect(typesWith(false, PacketClass.OTHER)).toHaveLength(256 - 15);
  });

  it('icmpClassOf() lists exactly the ICMPv6 requests, replies and errors', () => {
    expect(typesWith(true, PacketClass.PROBE)).toEqual([128, 133, 135, 139]);
    expect(typesWith(true, PacketClass.RESPONSE)).toEqual([129, 134, 136, 140]);
    expect(typesWith(true, PacketClass.ICMP_ERROR)).toEqual([1, 2, 3, 4]);
    expect(typesWith(true, PacketClass.OTHER)).toHaveLength(256 - 12);
  });
});

describe('tcpClassOf()', () => {
  it('tcpClassOf() maps every flag class', () => {
    const expected: Record<string, string> = {
      NONE: 'NONE',
      SYN: 'PROBE',
      SYN_ACK: 'RESPONSE',
      RST: 'RESPONSE',
      RST_ACK: 'RESPONSE',
      ACK: 'RESPONSE',
      FIN: 'OTHER',
      OTHER: 'OTHER',
    };
    for (const [name, code] of Object.entries(FlagClass)) {
      expect(PACKET_CLASS_NAMES[tcpClassOf(code)], name).toBe(expected[name]);
    }
  });
});

describe('fillPacketClasses()', () => {
  it('fillPacketClasses() classifies each protocol', () => {
    const { SYN, ACK, RST, FIN } = TcpFlag;
    expect(
      classesOf([
        { proto: IpProto.TCP, tcpFlags: SYN },
        { proto: IpProto.TCP, tcpFlags: SYN | ACK },
        { proto: IpProto.TCP, tcpFlags: RST },
        { proto: IpProto.TCP, tcpFlags: RST | ACK },
        { proto: IpProto.TCP, tcpFlags: ACK },
        { proto: IpProto.TCP, tcpFlags: FIN | ACK },
        { proto: IpProto.UDP, dport: 1434 },
        { proto: IpProto.ICMP, icmpType: 8 },
        { proto: IpProto.ICMP, icmpType: 0 },
        { proto: IpProto.ICMP, icmpType: 14 },
        { proto: IpProto.ICMP, icmpType: 11 },
        { ipVersion: 6, proto: IpProto.ICMPV6, icmpType: 128 },
        { ipVersion: 6, proto: IpProto.ICMPV6, icmpType: 129 },
        { ipVersion: 6, proto: IpProto.ICMPV6, icmpType: 1 },
        { proto: 47 },
      ]),
    ).toEqual([
      'PROBE',
      'RESPONSE',
      'RESPONSE',
      'RESPONSE',
      'RESPONSE',
      'OTHER',
      'PROBE',
      'PROBE',
      'RESPONSE',
      'RESPONSE',
      'ICMP_ERROR',
      'PROBE',
      'RESPONSE',
      'ICMP_ERROR',
      'OTHER',
    ]);
  });

  it('fillPacketClasses() gives OTHER to fragments and NONE to undecoded packets', () => {
    expect(
      classesOf([
        { proto: IpProto.UDP, pflags: PacketFlag.FRAGMENT },
        { proto: IpProto.UDP, status: DecodeStatus.BAD_UDP_LENGTH },
        { ipVersion: 0, status: DecodeStatus.NON_IP },
        { proto: IpProto.TCP, tcpFlags: TcpFlag.SYN, status: DecodeStatus.TRUNCATED, tcpHdrLen: 40 },
        { proto: IpProto.ICMP, icmpType: 8, status: DecodeStatus.TRUNCATED },
      ]),
    ).toEqual(['OTHER', 'NONE', 'NONE', 'PROBE', 'NONE']);
  });

  it('fillPacketClasses() rejects columns shorter than the batch', () => {
    const batch = makeBatch([{}, {}]);
    expect(() => fillPacketClasses(batch, { flagClass: new Uint8Array(2), out: new Uint8Array(1) })).toThrow(
      RangeError,
    );
  });
});
