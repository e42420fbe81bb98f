import { describe, expect, it } from 'vitest';
import { isSpecialUseIpv4, overlapsSpecialUseIpv4 } from './special-use.js';
import { parseIpv4 } from '../util/ip-address.js';

describe('isSpecialUseIpv4()', () => {
  it('isSpecialUseIpv4() holds inside each block and not one address past its edges', () => {
    const inside = [
      '0.0.0.1',
      '10.255.255.255',
      '100.64.0.0',
      '100.127.255.255',
      '127.0.0.1',
      '169.254.1.1',
      '172.16.0.0',
      '172.31.255.255',
      '192.0.0.9',
      '192.0.2.200',
      '192.168.0.1',
      '198.18.0.1',
      '198.19.255.255',
      '198.51.100.7',
      '203.0.113.255',
      '224.0.0.1',
      '239.255.255.255',
      '240.0.0.1',
      '255.255.255.255',
    ];
    const outside = [
      '1.0.0.0',
      '9.255.255.255',
      '11.0.0.0',
      '100.63.255.255',
      '100.128.0.0',
      '172.15.255.255',
      '172.32.0.0',
      '192.0.1.255',
      '192.0.3.0',
      '192.167.255.255',
      '192.169.0.0',
      '198.17.255.255',
      '198.20.0.0',
      '203.0.112.255',
      '223.255.255.255',
      '8.8.8.8',
    ];
    expect(inside.filter((ip) => !isSpecialUseIpv4(parseIpv4(ip)))).toEqual([]);
    expect(outside.filter((ip) => isSpecialUseIpv4(parseIpv4(ip)))).toEqual([]);
  });
});

describe('overlapsSpecialUseIpv4()', () => {
  it('overlapsSpecialUseIpv4() holds for networks inside or around a block, not beside one', () => {
    expect(overlapsSpecialUseIpv4(parseIpv4('172.16.0.0'), 12)).toBe(true);
    expect(overlapsSpecialUseIpv4(parseIpv4('172.20.0.0'), 16)).toBe(true);
    expect(overlapsSpecialUseIpv4(parseIpv4('172.0.0.0'), 8)).toBe(true);
    expect(overlapsSpecialUseIpv4(parseIpv4('172.32.0.0'), 11)).toBe(false);
    expect(overlapsSpecialUseIpv4(parseIpv4('1.0.16.0'), 20)).toBe(false);
    expect(overlapsSpecialUseIpv4(parseIpv4('192.0.3.0'), 24)).toBe(false);
  });
});
