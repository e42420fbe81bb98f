import { describe, expect, it } from 'vitest';
import { parseAddressSet } from './address-set.js';
import { UnsupportedRuleError, RuleValueError } from './errors.js';
import { parsePortSet } from './port-set.js';
import { normalise, subtract } from './ranges.js';
import { parseIpv6 } from '../../util/ip-address.js';

const v6 = (text: string): Uint8Array => parseIpv6(text);

describe('parsePortSet()', () => {
  it('parsePortSet() reads single ports, open ranges, lists and negations', () => {
    expect(parsePortSet('any')).toBeNull();
    expect(parsePortSet('[any]')).toBeNull();
    expect(parsePortSet('80')?.ranges).toEqual([[80, 80]]);
    expect(parsePortSet(':1023')?.ranges).toEqual([[0, 1023]]);
    expect(parsePortSet('[1024:, 80]')?.ranges).toEqual([
      [80, 80],
      [1024, 65535],
    ]);
    expect(parsePortSet('!80')?.ranges).toEqual([
      [0, 79],
      [81, 65535],
    ]);
    expect(parsePortSet('[!80,!443]')?.size).toBe(65534);
    expect(parsePortSet('[1000:2000,![1500:1600,1800]]')?.ranges).toEqual([
      [1000, 1499],
      [1601, 1799],
      [1801, 2000],
    ]);
  });

  it('parsePortSet() rejects bad ports with the offending text', () => {
    expect(() => parsePortSet('70000')).toThrow(/Port '70000' is not a port number/);
    expect(() => parsePortSet('90:80')).toThrow(/runs backwards/);
    expect(() => parsePortSet('[80')).toThrow(/expected \]/);
    expect(() => parsePortSet('!any')).toThrow(RuleValueError);
  });
});

describe('parseAddressSet()', () => {
  it('parseAddressSet() matches IPv4 CIDRs, netmasks, lists and negations', () => {
    const set = parseAddressSet('[10.0.0.0/8,!10.1.0.0/255.255.0.0,192.0.2.1]')!;
    expect(set.has4(0x0a000001)).toBe(true);
    expect(set.has4(0x0a010001)).toBe(false);
    expect(set.has4(0xc0000201)).toBe(true);
    expect(set.has4(0xc0000202)).toBe(false);
    expect(set.has6(v6('2001:db8::1'), 0)).toBe(false);
    const not = parseAddressSet('!192.0.2.0/24')!;
    expect(not.has4(0xc0000301)).toBe(true);
    expect(not.has6(v6('2001:db8::1'), 0)).toBe(true);
  });

  it('parseAddressSet() matches IPv6 prefixes at a column offset', () => {
    const set = parseAddressSet('[2001:db8::/33,!2001:db8:0:1::/64]')!;
    const column = new Uint8Array(48);
    column.set(v6('2001:db8:7fff::1'), 16);
    column.set(v6('2001:db8:8000::1'), 32);
    expect(set.has6(column, 16)).toBe(true);
    expect(set.has6(column, 32)).toBe(false);
    column.set(v6('2001:db8:0:1::5'), 0);
    expect(set.has6(column, 0)).toBe(false);
    expect(set.has4(0x0a000001)).toBe(false);
  });

  it('parseAddressSet() skips a set that matches nothing and rejects malformed addresses', () => {
    expect(() => parseAddressSet('![any]')).toThrow(UnsupportedRuleError);
    expect(() => parseAddressSet('10.0.0.256')).toThrow(/neither IPv4 nor IPv6/);
    expect(() => parseAddressSet('10.0.0.0/33')).toThrow(/invalid IPv4 prefix/);
    expect(() => parseAddressSet('2001:db8::/129')).toThrow(/invalid IPv6 prefix/);
  });
});

describe('ranges', () => {
  it('normalise() merges adjacent ranges and subtract() splits around holes', () => {
    expect(
      normalise([
        [5, 9],
        [1, 2],
        [3, 4],
        [20, 30],
      ]),
    ).toEqual([
      [1, 9],
      [20, 30],
    ]);
    expect(
      subtract(
        [[0, 100]],
        [
          [10, 20],
          [50, 50],
          [90, 200],
        ],
      ),
    ).toEqual([
      [0, 9],
      [21, 49],
      [51, 89],
    ]);
    expect(
      subtract(
        [
          [0, 5],
          [10, 15],
        ],
        [[3, 12]],
      ),
    ).toEqual([
      [0, 2],
      [13, 15],
    ]);
  });
});
