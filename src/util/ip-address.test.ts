import { describe, expect, it } from 'vitest';
import { formatIpv4, formatIpv6, ipv4Tail, isIpv4Mapped, parseCidr, parseIpv4, parseIpv6 } from './ip-address.js';

const hex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

// Address bytes and the text tshark 4.0 prints for them (ipv6.src), checked by hand.
const TSHARK_IPV6: readonly [string, string][] = [
  ['00000000000000000000ffff01020304', '::ffff:1.2.3.4'],
  ['00000000000000000000000001020304', '::1.2.3.4'],
  ['00000000000000000000000000000001', '::1'],
  ['00000000000000000000000000000000', '::'],
  ['20010db8000000000000000000000001', '2001:db8::1'],
  ['20010db8000000010001000100010001', '2001:db8:0:1:1:1:1:1'],
  ['20010db8000000010000000000000001', '2001:db8:0:1::1'],
  ['00010000000000020000000000030004', '1::2:0:0:3:4'],
  ['0064ff9b000000000000000001020304', '64:ff9b::102:304'],
  ['fe800000000000000000000000000001', 'fe80::1'],
  ['00000000000000000000ffff00000000', '::ffff:0.0.0.0'],
  ['0000000000000000ffff000001020304', '::ffff:0:102:304'],
  ['000000000000000000000000ffff0001', '::255.255.0.1'],
  ['00000000000000000000000000000100', '::100'],
  ['0000000000000000000000000000ffff', '::ffff'],
  ['00000000000000000000000000010000', '::0.1.0.0'],
  ['abcd0000000000000000000000000000', 'abcd::'],
  ['00010002000300040005000600070008', '1:2:3:4:5:6:7:8'],
  ['00000001000000000000000000000000', '0:1::'],
  ['00010000000200030000000000000000', '1:0:2:3::'],
  ['00000000000000000001ffff01020304', '::1:ffff:102:304'],
  ['2a0104f8022117c1100000000000da5a', '2a01:4f8:221:17c1:1000::da5a'],
];

describe('formatIpv4()', () => {
  it('formatIpv4() prints a u32 as a dotted quad', () => {
    expect(formatIpv4(0x0a0a0a0a)).toBe('10.10.10.10');
    expect(formatIpv4(0xffffffff)).toBe('255.255.255.255');
    expect(formatIpv4(0)).toBe('0.0.0.0');
    expect(formatIpv4(0xc0000201)).toBe('192.0.2.1');
  });
});

describe('parseIpv4()', () => {
  it('parseIpv4() reverses formatIpv4()', () => {
    for (const value of [0, 1, 0x0a0a0a0a, 0xc0000201, 0xffffffff]) expect(parseIpv4(formatIpv4(value))).toBe(value);
  });

  it.each(['1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.-4', 'a.b.c.d', '', '1..2.3'])(
    'parseIpv4() rejects "%s" with a SyntaxError',
    (text) => {
      expect(() => parseIpv4(text)).toThrow(SyntaxError);
    },
  );
});

describe('formatIpv6()', () => {
  it.each(TSHARK_IPV6)('formatIpv6() prints %s as tshark does (%s)', (bytes, text) => {
    expect(formatIpv6(hex(bytes))).toBe(text);
  });

  it('formatIpv6() reads at an offset into a column', () => {
    const column = new Uint8Array(48);
    column.set(hex('20010db8000000000000000000000001'), 16);
    expect(formatIpv6(column, 16)).toBe('2001:db8::1');
  });

  it('formatIpv6() rejects an offset without 16 bytes after it', () => {
    expect(() => formatIpv6(new Uint8Array(20), 8)).toThrow(RangeError);
  });
});

describe('parseIpv6()', () => {
  it.each(TSHARK_IPV6)('parseIpv6() reverses formatIpv6() for %s', (bytes, text) => {
    expect(parseIpv6(text)).toEqual(hex(bytes));
  });

  it('parseIpv6() accepts non-canonical forms', () => {
    expect(parseIpv6('2001:0DB8:0000:0000:0000:0000:0000:0001')).toEqual(hex('20010db8000000000000000000000001'));
    expect(parseIpv6('1::2:3:4:5:6:7')).toEqual(hex('00010000000200030004000500060007'));
    expect(parseIpv6('::ffff:0102:0304')).toEqual(hex('00000000000000000000ffff01020304'));
  });

  it.each([
    '',
    ':',
    ':::',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    '12345::',
    'g::',
    '1.2.3.4::',
    '::1.2.3',
    'fe80::1%eth0',
    '1:2:3:4:5:6:7:8::',
  ])('parseIpv6() rejects "%s" with a SyntaxError', (text) => {
    expect(() => parseIpv6(text)).toThrow(SyntaxError);
  });
});

describe('isIpv4Mapped()', () => {
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
    expect(v6.version === 6 && toHex(v6.bytes)).toBe('20010db8000000000000000000000000');
    expect(v6.prefixLen).toBe(32);
  });

  it('parseCidr() rejects bad prefix lengths', () => {
    expect(() => parseCidr('10.0.0.0/33')).toThrow(RangeError);
    expect(() => parseCidr('::/129')).toThrow(RangeError);
    expect(() => parseCidr('10.0.0.0/x')).toThrow(SyntaxError);
    expect(() => parseCidr('10.0.0.0/')).toThrow(SyntaxError);
  });
});
