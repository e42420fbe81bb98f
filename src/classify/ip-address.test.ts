import { describe, expect, it } from 'vitest';
import { formatIpv4, formatIpv6, ipv4Tail, isIpv4Mapped, parseCidr, parseIpv4, parseIpv6 } from './ip-address.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('parseIpv4()', () => {
  it('parseIpv4() and formatIpv4() round-trip the extremes', () => {
    expect(parseIpv4('0.0.0.0')).toBe(0);
    expect(parseIpv4('255.255.255.255')).toBe(0xffffffff);
    expect(parseIpv4('1.0.16.1')).toBe(0x01001001);
    expect(formatIpv4(0xffffffff)).toBe('255.255.255.255');
    expect(formatIpv4(0x08080808)).toBe('8.8.8.8');
  });

  it('parseIpv4() rejects malformed text', () => {
    for (const bad of ['1.2.3', '1.2.3.256', '01.2.3.4', 'a.b.c.d', '']) expect(() => parseIpv4(bad), bad).toThrow(SyntaxError);
  });
});

describe('parseIpv6()', () => {
  it('parseIpv6() expands :: and dotted tails', () => {
    expect(hex(parseIpv6('::'))).toBe('0'.repeat(32));
    expect(hex(parseIpv6('2001:db8::1'))).toBe('20010db8000000000000000000000001');
    expect(hex(parseIpv6('::ffff:1.2.3.4'))).toBe('00000000000000000000ffff01020304');
    expect(hex(parseIpv6('1::'))).toBe('00010000000000000000000000000000');
    expect(hex(parseIpv6('1:2:3:4:5:6:7:8'))).toBe('00010002000300040005000600070008');
    expect(hex(parseIpv6('64:ff9b::192.0.2.33'))).toBe('0064ff9b0000000000000000c0000221');
  });

  it('parseIpv6() rejects malformed text', () => {
    for (const bad of ['1:2:3', '1::2::3', 'fe80::1%eth0', 'g::1', '1.2.3.4']) expect(() => parseIpv6(bad), bad).toThrow(SyntaxError);
  });

  it('formatIpv6() writes all eight groups that parseIpv6() reads back', () => {
    const bytes = parseIpv6('2001:db8::ff00:42:8329');
    expect(formatIpv6(bytes)).toBe('2001:db8:0:0:0:ff00:42:8329');
    expect(hex(parseIpv6(formatIpv6(bytes)))).toBe(hex(bytes));
  });

  it('isIpv4Mapped() and ipv4Tail() recognise ::ffff:a.b.c.d at an offset', () => {
    const buf = new Uint8Array(32);
    buf.set(parseIpv6('::ffff:8.8.4.4'), 16);
    expect(isIpv4Mapped(buf, 16)).toBe(true);
    expect(ipv4Tail(buf, 16)).toBe(0x08080404);
    expect(isIpv4Mapped(buf, 0)).toBe(false);
    expect(isIpv4Mapped(parseIpv6('::8.8.4.4'))).toBe(false);
  });
});

describe('parseCidr()', () => {
  it('parseCidr() reads both families and bare hosts', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ version: 4, start: 0x0a000000, prefixLen: 8 });
    expect(parseCidr('192.0.2.1')).toEqual({ version: 4, start: 0xc0000201, prefixLen: 32 });
    const v6 = parseCidr('2001:db8::/32');
    expect(v6.version === 6 && hex(v6.bytes)).toBe('20010db8000000000000000000000000');
    expect(v6.prefixLen).toBe(32);
  });

  it('parseCidr() rejects bad prefix lengths', () => {
    expect(() => parseCidr('10.0.0.0/33')).toThrow(RangeError);
    expect(() => parseCidr('::/129')).toThrow(RangeError);
    expect(() => parseCidr('10.0.0.0/x')).toThrow(SyntaxError);
    expect(() => parseCidr('10.0.0.0/')).toThrow(SyntaxError);
  });
});
