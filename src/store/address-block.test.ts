import { describe, expect, test } from 'vitest';
import { blocksOverlap, ipv6Network, parseAddressBlock } from './address-block.js';

describe('parseAddressBlock()', () => {
  test('parseAddressBlock() counts every address of an IPv4 block', () => {
    expect(parseAddressBlock('192.0.2.0/24')).toEqual({
      cidr: '192.0.2.0/24',
      family: 4,
      prefixLen: 24,
      v4First: 0xc0000200,
      v4Last: 0xc00002ff,
      addressCount: 256,
    });
    expect(parseAddressBlock('203.0.113.9')).toMatchObject({
      cidr: '203.0.113.9/32',
      addressCount: 1,
      v4First: 0xcb007109,
    });
    expect(parseAddressBlock('0.0.0.0/0')).toMatchObject({ v4First: 0, v4Last: 0xffffffff, addressCount: 2 ** 32 });
  });

  test('parseAddressBlock() counts an IPv6 entry as one address and canonicalises it', () => {
    expect(parseAddressBlock('2001:0DB8:0:0::/48')).toEqual({
      cidr: '2001:db8::/48',
      family: 6,
      prefixLen: 48,
      v4First: 0,
      v4Last: 0,
      addressCount: 1,
    });
    expect(parseAddressBlock('2001:db8::1')).toMatchObject({ cidr: '2001:db8::1/128', addressCount: 1 });
  });

  test('parseAddressBlock() rejects host bits below the prefix, naming the network', () => {
    expect(() => parseAddressBlock('192.0.2.5/24')).toThrow(
      '"192.0.2.5/24" has host bits set below /24; the network is 192.0.2.0/24',
    );
    expect(() => parseAddressBlock('2001:db8::1/64')).toThrow(/the network is 2001:db8::\/64/);
  });

  test('parseAddressBlock() rejects text that is no address or prefix', () => {
    expect(() => parseAddressBlock('192.0.2.256')).toThrow(SyntaxError);
    expect(() => parseAddressBlock('example.com')).toThrow(/not an IPv4 or IPv6 address/);
    expect(() => parseAddressBlock('10.0.0.0/33')).toThrow(RangeError);
    expect(() => parseAddressBlock('10.0.0.0/')).toThrow(/no valid prefix length/);
    expect(() => parseAddressBlock('::/129')).toThrow(/above 128/);
  });
});

describe('blocksOverlap()', () => {
  const b = parseAddressBlock;
  test('blocksOverlap() compares IPv4 ranges', () => {
    expect(blocksOverlap(b('10.0.0.0/8'), b('10.255.0.1'))).toBe(true);
    expect(blocksOverlap(b('10.0.0.0/25'), b('10.0.0.128/25'))).toBe(false);
    expect(blocksOverlap(b('10.0.0.0/32'), b('::a00:0/128'))).toBe(false);
  });

  test('blocksOverlap() compares IPv6 prefixes on the shorter length', () => {
    expect(blocksOverlap(b('2001:db8::/32'), b('2001:db8:1:2::/64'))).toBe(true);
    expect(blocksOverlap(b('2001:db8:1::/49'), b('2001:db8:1:8000::/49'))).toBe(false);
    expect(Array.from(ipv6Network(b('2001:db8::/32')).subarray(0, 4))).toEqual([0x20, 0x01, 0x0d, 0xb8]);
  });
});
