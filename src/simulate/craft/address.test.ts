import { describe, expect, it } from 'vitest';
import { formatIpv4, ipv4ToUint32, ipv6ToBytes, macToBytes, parseIpv4, parseIpv6 } from './address.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('address', () => {
  it('parseIpv4() reads dotted text as an unsigned integer', () => {
    expect(parseIpv4('192.0.2.1')).toBe(0xc0000201);
    expect(parseIpv4('255.255.255.255')).toBe(0xffffffff);
    expect(parseIpv4('0.0.0.0')).toBe(0);
  });

  it('parseIpv4() rejects short, overlong and leading-zero text', () => {
    for (const text of ['1.2.3', '1.2.3.4.5', '1.2.3.256', '01.2.3.4', '1.2.3.', 'a.b.c.d', '1.2.3.-4']) {
      expect(() => parseIpv4(text), text).toThrow(SyntaxError);
    }
  });

  it('ipv4ToUint32() passes integers through and rejects out-of-range numbers', () => {
    expect(ipv4ToUint32(0x0a000001)).toBe(0x0a000001);
    expect(ipv4ToUint32('10.0.0.1')).toBe(0x0a000001);
    expect(() => ipv4ToUint32(-1, 'ip.src')).toThrow(/ip\.src/);
    expect(() => ipv4ToUint32(2 ** 32)).toThrow(RangeError);
    expect(() => ipv4ToUint32(1.5)).toThrow(RangeError);
  });

  it('formatIpv4() round-trips with parseIpv4()', () => {
    expect(formatIpv4(parseIpv4('203.0.113.254'))).toBe('203.0.113.254');
  });

  it('parseIpv6() expands "::" and reads an IPv4 tail', () => {
    expect(hex(parseIpv6('2001:db8::1'))).toBe('20010db8000000000000000000000001');
    expect(hex(parseIpv6('::'))).toBe('0'.repeat(32));
    expect(hex(parseIpv6('::1'))).toBe(`${'0'.repeat(30)}01`);
    expect(hex(parseIpv6('fe80::'))).toBe(`fe80${'0'.repeat(28)}`);
    expect(hex(parseIpv6('::ffff:192.0.2.1'))).toBe('00000000000000000000ffffc0000201');
    expect(hex(parseIpv6('1:2:3:4:5:6:7:8'))).toBe('00010002000300040005000600070008');
    expect(hex(parseIpv6('1:2:3:4:5:6:7::'))).toBe('00010002000300040005000600070000');
    expect(hex(parseIpv6('64:ff9b::198.51.100.7'))).toBe('0064ff9b0000000000000000c6336407');
  });

  it('parseIpv6() rejects malformed text', () => {
    const bad = ['1::2::3', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:8::', '12345::', ':1::', 'g::', '1.2.3.4::', '::1.2.3', 'fe80::1%eth0'];
    for (const text of bad) expect(() => parseIpv6(text), text).toThrow(SyntaxError);
  });

  it('ipv6ToBytes() passes 16 bytes through and rejects other lengths', () => {
    const bytes = new Uint8Array(16);
    expect(ipv6ToBytes(bytes)).toBe(bytes);
    expect(() => ipv6ToBytes(new Uint8Array(4), 'ip.dst')).toThrow(/ip\.dst: 4 bytes/);
  });

  it('macToBytes() reads colon or dash text and rejects anything else', () => {
    expect(hex(macToBytes('00:1A:2b:3c:4d:5e'))).toBe('001a2b3c4d5e');
    expect(hex(macToBytes('00-1a-2b-3c-4d-5e'))).toBe('001a2b3c4d5e');
    expect(() => macToBytes('00:1a:2b:3c:4d')).toThrow(SyntaxError);
    expect(() => macToBytes(new Uint8Array(5))).toThrow(RangeError);
  });
});
