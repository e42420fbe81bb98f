import { describe, expect, it } from 'vitest';
import { mix32 } from '../util/random.js';
import { DistinctCounter, EXACT_LIMIT } from './scanners-distinct.js';

describe('DistinctCounter', () => {
  it('DistinctCounter counts exactly up to EXACT_LIMIT values, 0 and 2^32-1 included', () => {
    const c = new DistinctCounter();
    for (let round = 0; round < 3; round++) {
      c.add(0);
      c.add(0xffff_ffff);
      for (let v = 1; v < EXACT_LIMIT - 1; v++) c.add(v * 7919);
    }
    expect(c.size).toBe(EXACT_LIMIT);
    expect(c.exact).toBe(true);
    c.add(123_456_789);
    expect(c.exact).toBe(false);
  });

  it('DistinctCounter estimates large counts within 8 %', () => {
    for (const n of [300, 1_000, 5_000, 50_000, 500_000]) {
      const c = new DistinctCounter();
      // Sequential addresses, as a scanner sweeping a network would produce.
      for (let k = 0; k < n; k++) c.add(0xc612_0000 + k);
      for (let k = 0; k < n; k += 3) c.add(0xc612_0000 + k); // repeats change nothing
      expect(Math.abs(c.size - n) / n).toBeLessThan(0.08);
    }
  });

  it('mix32() is a bijection on a sample and spreads neighbours', () => {
    const seen = new Set<number>();
    for (let k = 0; k < 10_000; k++) seen.add(mix32(k));
    expect(seen.size).toBe(10_000);
    expect(mix32(1) >>> 21).not.toBe(mix32(2) >>> 21);
  });
});
