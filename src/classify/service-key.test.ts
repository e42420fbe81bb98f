import { describe, expect, it } from 'vitest';
import { DecodeStatus, IpProto, PacketFlag } from '../decode/batch.js';
import {
  NO_PORT,
  SERVICE_NONE,
  fillServiceKeys,
  formatServiceKey,
  parseServiceKey,
  serviceKey,
  servicePort,
  serviceProto,
} from './service-key.js';
import { makeBatch } from './testdata/make-batch.js';

describe('serviceKey()', () => {
  it('serviceKey() packs protocol above port as documented', () => {
    expect(serviceKey(6, 445)).toBe(6 * 131072 + 445);
    expect(serviceKey(17, 1434)).toBe(2229658);
    expect(serviceKey(47, NO_PORT)).toBe(47 * 131072 + 65536);
    expect(serviceProto(serviceKey(17, 53))).toBe(17);
    expect(servicePort(serviceKey(17, 53))).toBe(53);
    expect(servicePort(serviceKey(17, NO_PORT))).toBe(-1);
  });

  it('serviceKey() of protocol 0 without port is not the none key', () => {
    expect(serviceKey(0, NO_PORT)).not.toBe(SERVICE_NONE);
  });
});

describe('formatServiceKey()', () => {
  it('formatServiceKey() writes the report forms', () => {
    expect(formatServiceKey(serviceKey(6, 445))).toBe('445/TCP');
    expect(formatServiceKey(serviceKey(17, 1434))).toBe('1434/UDP');
    expect(formatServiceKey(serviceKey(1, 8))).toBe('8/ICMP');
    expect(formatServiceKey(serviceKey(1, 11))).toBe('11/ICMP');
    expect(formatServiceKey(serviceKey(58, 128))).toBe('128/ICMPv6');
    expect(formatServiceKey(serviceKey(17, NO_PORT))).toBe('frag/UDP');
    expect(formatServiceKey(serviceKey(6, 0))).toBe('0/TCP');
    expect(formatServiceKey(serviceKey(47, NO_PORT))).toBe('GRE');
    expect(formatServiceKey(serviceKey(50, NO_PORT))).toBe('ESP');
    expect(formatServiceKey(serviceKey(132, NO_PORT))).toBe('SCTP');
    expect(formatServiceKey(serviceKey(253, NO_PORT))).toBe('IP-253');
    expect(formatServiceKey(SERVICE_NONE)).toBe('');
  });

  it('formatServiceKey() rejects a port on a protocol without ports', () => {
    expect(() => formatServiceKey(serviceKey(47, 80))).toThrow(RangeError);
    expect(() => formatServiceKey(-1)).toThrow(RangeError);
    expect(() => formatServiceKey(serviceKey(256, 0))).toThrow(RangeError);
  });
});

describe('parseServiceKey()', () => {
  it('parseServiceKey() inverts formatServiceKey() for every form', () => {
    const keys = [
      serviceKey(6, 0),
      serviceKey(6, 65535),
      serviceKey(17, 53),
      serviceKey(1, 0),
      serviceKey(1, 255),
      serviceKey(58, 129),
      serviceKey(6, NO_PORT),
      serviceKey(58, NO_PORT),
      serviceKey(0, NO_PORT),
      serviceKey(47, NO_PORT),
      serviceKey(99, NO_PORT),
      serviceKey(255, NO_PORT),
    ];
    for (const key of keys) expect(parseServiceKey(formatServiceKey(key))).toBe(key);
  });

  it('parseServiceKey() is case-insensitive and accepts IP-<n> for named protocols', () => {
    expect(parseServiceKey('445/tcp')).toBe(serviceKey(6, 445));
    expect(parseServiceKey(' 128/icmpv6 ')).toBe(serviceKey(58, 128));
    expect(parseServiceKey('FRAG/udp')).toBe(serviceKey(17, NO_PORT));
    expect(parseServiceKey('gre')).toBe(serviceKey(47, NO_PORT));
    expect(parseServiceKey('ip-47')).toBe(serviceKey(47, NO_PORT));
  });

  it('parseServiceKey() rejects malformed text with SyntaxError', () => {
    for (const bad of ['', 'TCP', '80', 'x/TCP', '80/FOO', '80/GRE', '-1/TCP', '1.5/UDP', 'IP-']) {
      expect(() => parseServiceKey(bad), bad).toThrow(SyntaxError);
    }
  });

  it('parseServiceKey() rejects ports and types out of range with RangeError', () => {
    expect(() => parseServiceKey('65536/TCP')).toThrow(RangeError);
    expect(() => parseServiceKey('256/ICMP')).toThrow(RangeError);
    expect(() => parseServiceKey('IP-256')).toThrow(RangeError);
  });
});

describe('fillServiceKeys()', () => {
  it('fillServiceKeys() keys destination and source per protocol, snaplen-cut TCP included', () => {
    const batch = makeBatch([
      { proto: IpProto.TCP, sport: 6000, dport: 9415, tcpFlags: 0x002 },
      { proto: IpProto.UDP, sport: 53, dport: 33000 },
      { proto: IpProto.ICMP, icmpType: 11 },
      { ipVersion: 6, proto: IpProto.ICMPV6, icmpType: 128 },
      { proto: IpProto.UDP, pflags: PacketFlag.FRAGMENT },
      { proto: 47 },
      { ipVersion: 0, status: DecodeStatus.NON_IP },
      { proto: IpProto.TCP, status: DecodeStatus.BAD_TCP_HEADER, sport: 1, dport: 2 },
      { ipVersion: 6, proto: IpProto.TCP, status: DecodeStatus.TRUNCATED, pflags: PacketFlag.FRAGMENT },
      { proto: IpProto.TCP, status: DecodeStatus.TRUNCATED, sport: 40000, dport: 23, tcpHdrLen: 40 },
      { proto: IpProto.TCP, status: DecodeStatus.TRUNCATED, sport: 40000, dport: 23 },
      { proto: IpProto.UDP, status: DecodeStatus.TRUNCATED, sport: 53, dport: 53 },
    ]);
    const dst = new Uint32Array(batch.capacity);
    const src = new Uint32Array(batch.capacity);
    fillServiceKeys(batch, { dst, src });
    expect([...dst].map(formatServiceKey)).toEqual([
      '9415/TCP',
      '33000/UDP',
      '11/ICMP',
      '128/ICMPv6',
      'frag/UDP',
      'GRE',
      '',
      '',
      'frag/TCP',
      '23/TCP',
      '',
      '',
    ]);
    expect([...src].map(formatServiceKey)).toEqual([
      '6000/TCP',
      '53/UDP',
      '11/ICMP',
      '128/ICMPv6',
      'frag/UDP',
      'GRE',
      '',
      '',
      'frag/TCP',
      '40000/TCP',
      '',
      '',
    ]);
  });

  it('fillServiceKeys() rejects columns shorter than the batch', () => {
    const batch = makeBatch([{ proto: 6 }, { proto: 6 }]);
    expect(() => fillServiceKeys(batch, { dst: new Uint32Array(1), src: new Uint32Array(2) })).toThrow(RangeError);
  });
});
