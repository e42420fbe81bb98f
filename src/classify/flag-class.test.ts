import { describe, expect, it } from 'vitest';
import { DecodeStatus, IpProto, PacketFlag, TcpFlag } from '../decode/batch.js';
import { FLAG_CLASS_NAMES, FlagClass, fillFlagClasses, flagClassOf } from './flag-class.js';
import { makeBatch } from './testdata/make-batch.js';

const { FIN, SYN, RST, ACK, PSH, URG, ECE, CWR, NS } = TcpFlag;

/** Hand-written class of every combination of the four deciding flags. */
const CORE_TABLE: ReadonlyArray<readonly [number, string]> = [
  [0, 'OTHER'], // NULL scan
  [FIN, 'FIN'],
  [SYN, 'SYN'],
  [SYN | FIN, 'OTHER'],
  [RST, 'RST'],
  [RST | FIN, 'OTHER'],
  [RST | SYN, 'OTHER'],
  [RST | SYN | FIN, 'OTHER'],
  [ACK, 'ACK'],
  [ACK | FIN, 'FIN'],
  [ACK | SYN, 'SYN/ACK'],
  [ACK | SYN | FIN, 'OTHER'],
  [ACK | RST, 'RST/ACK'],
  [ACK | RST | FIN, 'OTHER'],
  [ACK | RST | SYN, 'OTHER'],
  [ACK | RST | SYN | FIN, 'OTHER'],
];
const OTHER_BITS = [PSH, URG, ECE, CWR, NS];

describe('flagClassOf()', () => {
  it('flagClassOf() classifies all 16 SYN/ACK/RST/FIN combinations', () => {
    for (const [flags, name] of CORE_TABLE) {
      expect(FLAG_CLASS_NAMES[flagClassOf(flags)], `flags 0x${flags.toString(16)}`).toBe(name);
    }
  });

  it('flagClassOf() ignores PSH, URG, ECE, CWR and NS in all 512 combinations', () => {
    for (const [core, name] of CORE_TABLE) {
      for (let m = 0; m < 1 << OTHER_BITS.length; m++) {
        let flags = core;
        OTHER_BITS.forEach((bit, b) => {
          if (m & (1 << b)) flags |= bit;
        });
        expect(FLAG_CLASS_NAMES[flagClassOf(flags)], `flags 0x${flags.toString(16)}`).toBe(name);
      }
    }
  });

  it('flagClassOf() names the common scan and backscatter shapes', () => {
    expect(flagClassOf(SYN | ECE | CWR)).toBe(FlagClass.SYN);
    expect(flagClassOf(PSH | ACK)).toBe(FlagClass.ACK);
    expect(flagClassOf(FIN | PSH | URG)).toBe(FlagClass.FIN); // Xmas
    expect(flagClassOf(0)).toBe(FlagClass.OTHER);
  });
});

describe('fillFlagClasses()', () => {
  it('fillFlagClasses() gives NONE to non-TCP, fragments and TCP without a full fixed header', () => {
    const batch = makeBatch([
      { proto: IpProto.TCP, tcpFlags: SYN },
      { proto: IpProto.TCP, tcpFlags: SYN | ACK },
      { ipVersion: 6, proto: IpProto.TCP, tcpFlags: RST | ACK },
      { proto: IpProto.UDP, tcpFlags: SYN },
      { proto: IpProto.TCP, tcpFlags: SYN, pflags: PacketFlag.FRAGMENT },
      { proto: IpProto.TCP, tcpFlags: SYN, status: DecodeStatus.TRUNCATED },
      { ipVersion: 0, proto: IpProto.TCP, tcpFlags: SYN },
      { proto: IpProto.TCP, tcpFlags: SYN, status: DecodeStatus.TRUNCATED, tcpHdrLen: 44 },
      { proto: IpProto.TCP, tcpFlags: SYN, status: DecodeStatus.BAD_TCP_HEADER, tcpHdrLen: 60 },
    ]);
    const out = new Uint8Array(batch.length).fill(0xff);
    fillFlagClasses(batch, out);
    expect([...out].map((c) => FLAG_CLASS_NAMES[c])).toEqual([
      'SYN',
      'SYN/ACK',
      'RST/ACK',
      'NONE',
      'NONE',
      'NONE',
      'NONE',
      'SYN',
      'NONE',
    ]);
  });

  it('fillFlagClasses() rejects a column shorter than the batch', () => {
    expect(() => fillFlagClasses(makeBatch([{}, {}]), new Uint8Array(1))).toThrow(RangeError);
  });
});
