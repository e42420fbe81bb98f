/**
 * The probe past an IPv6 key another address holds, on a real DuckDB store
 * (a 48-bit collision cannot be found by search in a test, so the rows a
 * collision would leave are planted with SQL).
 */

import { describe, expect, test } from 'vitest';
import { openStore } from './index.js';
import { IPV6_KEY_BASE, canonicalSource, ipv6KeyCandidate, nextIpv6Key } from './source-key.js';

const SUMMARY = {
  packetsRead: 1,
  packetsCounted: 1,
  packetsExcluded: 0,
  packetsMalformed: 0,
  duplicates: 0,
  firstSec: 0,
  lastSec: 0,
};

describe('source keys', () => {
  test('canonicalSource() tells the family and canonical text, and names text that is no address', () => {
    expect(canonicalSource('192.0.2.1')).toEqual({ family: 4, text: '192.0.2.1', ipv4: 0xc000_0201 });
    expect(canonicalSource('2001:DB8:0::1')).toEqual({ family: 6, text: '2001:db8::1', ipv4: -1 });
    expect(() => canonicalSource('192.0.2.01')).toThrow('Cannot parse IPv4 address "192.0.2.01"');
    expect(() => canonicalSource('2001:db8::1::2')).toThrow(/Cannot parse IPv6 address/);
  });

  test('IPv6 keys are safe integers above every IPv4 key, and probing wraps inside their span', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 20_000; i++) {
      const key = ipv6KeyCandidate(`2001:db8::${i.toString(16)}`);
      expect(key >= IPV6_KEY_BASE && Number.isSafeInteger(key + 1)).toBe(true);
      seen.add(key);
    }
    expect(seen.size).toBe(20_000);
    expect(nextIpv6Key(IPV6_KEY_BASE + 2 ** 48 - 1)).toBe(IPV6_KEY_BASE);
    expect(nextIpv6Key(IPV6_KEY_BASE + 5)).toBe(IPV6_KEY_BASE + 6);
  });
});

describe('SourceKeyAssignments', () => {
  test('an IPv6 address whose hash key another address holds takes the next free key', async () => {
    const store = await openStore(':memory:');
    const sensor = await store.addSensor({ name: 'probe', addresses: ['192.0.2.0/24'] });
    const wanted = ipv6KeyCandidate('2001:db8::77');
    // Another address on that key and the next, as a hash collision would leave them.
    await store.query({
      sql: 'INSERT INTO ipv6_sources (source_key, address) VALUES (?, ?)',
      params: [wanted, '2001:db8::aa'],
    });
    await store.query({
      sql: 'INSERT INTO ipv6_sources (source_key, address) VALUES (?, ?)',
      params: [wanted + 1, '2001:db8::bb'],
    });
    const writer = await store.beginIngest({
      sensorId: sensor.id,
      fileName: 'x.pcap',
      sha256: '03'.repeat(32),
      bytes: 1,
    });
    expect(await writer.sourceKeys(['2001:db8::77', '2001:db8::aa', '2001:db8::bb'])).toEqual([
      wanted + 2,
      wanted,
      wanted + 1,
    ]);
    await writer.commit(SUMMARY);
    const rows = await store.query<{ source_key: number; address: string }>({
      sql: 'SELECT source_key, address FROM ipv6_sources ORDER BY source_key',
      params: [],
    });
    expect(rows).toEqual([
      { source_key: wanted, address: '2001:db8::aa' },
      { source_key: wanted + 1, address: '2001:db8::bb' },
      { source_key: wanted + 2, address: '2001:db8::77' },
    ]);
    await store.close();
  });
});
