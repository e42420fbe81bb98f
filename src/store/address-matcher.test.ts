import { describe, expect, test } from 'vitest';
import { PacketBatch } from '../decode/batch.js';
import { parseAddressBlock } from './address-block.js';
import { AddressMatcher, NO_SENSOR } from './address-matcher.js';
import { parseIpv4, parseIpv6 } from '../util/ip-address.js';

const sensors = [
  { id: 7, addresses: ['192.0.2.0/24', '2001:db8:1::/64'].map(parseAddressBlock) },
  { id: 9, addresses: ['198.51.100.7', '10.0.0.0/8', '2001:db8:2:8000::/49'].map(parseAddressBlock) },
];

describe('AddressMatcher', () => {
  const m = AddressMatcher.fromSensors(sensors);

  test('match4() finds the block holding an address, edges included', () => {
    expect(m.match4(parseIpv4('192.0.2.0'))).toBe(7);
    expect(m.match4(parseIpv4('192.0.2.255'))).toBe(7);
    expect(m.match4(parseIpv4('192.0.3.0'))).toBe(NO_SENSOR);
    expect(m.match4(parseIpv4('198.51.100.7'))).toBe(9);
    expect(m.match4(parseIpv4('198.51.100.8'))).toBe(NO_SENSOR);
    expect(m.match4(parseIpv4('10.200.1.1'))).toBe(9);
    expect(m.match4(parseIpv4('0.0.0.0'))).toBe(NO_SENSOR);
    expect(m.match4(parseIpv4('255.255.255.255'))).toBe(NO_SENSOR);
    expect(m.size).toBe(5);
  });

  test('match6() honours prefix lengths that end inside a byte', () => {
    expect(m.match6(parseIpv6('2001:db8:1::ffff'), 0)).toBe(7);
    expect(m.match6(parseIpv6('2001:db8:1:1::'), 0)).toBe(NO_SENSOR);
    expect(m.match6(parseIpv6('2001:db8:2:8123::1'), 0)).toBe(9);
    expect(m.match6(parseIpv6('2001:db8:2:7fff::1'), 0)).toBe(NO_SENSOR);
  });

  test('fill() maps every packet and counts the matched ones', () => {
    const batch = new PacketBatch(4, 16);
    batch.length = 4;
    batch.ipVersion.set([4, 6, 0, 4]);
    batch.dst4[0] = parseIpv4('192.0.2.77');
    batch.dst6.set(parseIpv6('2001:db8:2:ffff::9'), 16);
    batch.dst4[3] = parseIpv4('8.8.8.8');
    const out = new Int32Array(4);
    expect(m.fill(batch, out)).toBe(2);
    expect(Array.from(out)).toEqual([7, 9, NO_SENSOR, NO_SENSOR]);
    expect(() => m.fill(batch, new Int32Array(2))).toThrow(RangeError);
  });

  test('fromSensors() rejects overlapping IPv4 blocks', () => {
    const clash = [
      { id: 1, addresses: [parseAddressBlock('10.0.0.0/8')] },
      { id: 2, addresses: [parseAddressBlock('10.1.0.0/16')] },
    ];
    expect(() => AddressMatcher.fromSensors(clash)).toThrow(/sensors 1 and 2 overlap/);
  });
});
