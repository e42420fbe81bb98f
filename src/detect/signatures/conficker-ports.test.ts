import { describe, expect, it } from 'vitest';
import { confickerPorts, confickerWeek, ConfickerPortCache, isBlacklistedPort } from './conficker-ports.js';

/**
 * Reference in the shape of SRI's `portgen` (64-bit product in BigInt, ports
 * kept as 16-bit halves), written independently of the Number arithmetic
 * under test.
 */
function referencePorts(address: number, week: number): number[] {
  const MASK32 = 0xffffffffn;
  const swapped = BigInt(
    (address & 0xff) * 2 ** 24 +
      ((address >>> 8) & 0xff) * 2 ** 16 +
      ((address >>> 16) & 0xff) * 2 ** 8 +
      (address >>> 24),
  );
  let product = ~swapped & MASK32;
  const ports = [0, 0, 0, 0];
  const block = (first: number): void => {
    for (let i = 0; i < 10; i++) {
      product = 0x15a4e35n * (product & MASK32) + 1n;
      const high = Number((product >> 32n) & MASK32);
      ports[first + (i % 2)] = ports[first + (i % 2)]! ^ ((high >>> i) & 0xffff);
    }
  };
  const bad = (p: number): boolean => isBlacklistedPort(p);
  do block(0);
  while (bad(ports[0]!) || bad(ports[1]!) || ports[0] === ports[1]);
  product = (product & MASK32) ^ BigInt(week);
  do block(2);
  while (
    bad(ports[2]!) ||
    bad(ports[3]!) ||
    ports[2] === ports[3] ||
    [ports[2], ports[3]].some((p) => p === ports[0] || p === ports[1])
  );
  return ports;
}

describe('confickerPorts()', () => {
  it('confickerPorts() agrees with a BigInt reference on 2,000 addresses and weeks', () => {
    let seed = 12345;
    for (let k = 0; k < 2000; k++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const address = seed;
      const week = 2000 + (k % 300);
      expect(confickerPorts(address, week)).toEqual(referencePorts(address, week));
    }
  });

  it('confickerPorts() never yields a blacklisted or repeated port, and only the second pair follows the week', () => {
    const address = 0xc0000201; // 192.0.2.1
    const a = confickerPorts(address, 2100);
    const b = confickerPorts(address, 2101);
    for (const p of [...a, ...b]) expect(isBlacklistedPort(p)).toBe(false);
    expect(new Set(a).size).toBe(4);
    expect(b.slice(0, 2)).toEqual(a.slice(0, 2));
    expect(b.slice(2)).not.toEqual(a.slice(2));
  });

  it('isBlacklistedPort() blocks the well-known range and leaves high ports open', () => {
    expect(isBlacklistedPort(0)).toBe(true);
    expect(isBlacklistedPort(2047)).toBe(true);
    expect(isBlacklistedPort(65535)).toBe(true); // top block, bit 31 of the last word
    expect(isBlacklistedPort(40000)).toBe(true); // word 39 = 0x4: ports 40000-40031
    expect(isBlacklistedPort(40032)).toBe(false);
    expect(isBlacklistedPort(50000)).toBe(false);
  });

  it('confickerWeek() starts weeks on Monday 00:00 UTC', () => {
    const monday = Date.UTC(2009, 2, 2) / 1000; // 2009-03-02, a Monday
    expect(confickerWeek(monday)).toBe(confickerWeek(monday - 1) + 1);
    expect(confickerWeek(monday + 6 * 86400 + 86399)).toBe(confickerWeek(monday));
  });

  it('ConfickerPortCache.isP2pPort() answers per protocol and survives slot collisions', () => {
    const cache = new ConfickerPortCache();
    for (let address = 0xc0000200; address < 0xc0000200 + 9000; address += 7) {
      const [t1, u1, t2, u2] = confickerPorts(address, 2050);
      expect(cache.isP2pPort(address, 2050, t1, true) && cache.isP2pPort(address, 2050, t2, true)).toBe(true);
      expect(cache.isP2pPort(address, 2050, u1, false) && cache.isP2pPort(address, 2050, u2, false)).toBe(true);
      expect(cache.isP2pPort(address, 2050, u1, true)).toBe(false);
    }
  });
});
