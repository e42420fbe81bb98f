import { describe, expect, it } from 'vitest';
import { mix32, uniform } from '../util/random.js';
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

describe('DistinctCounter state', () => {
  /** The counter of `values` added in order. */
  const counterOf = (values: readonly number[]): DistinctCounter => {
    const c = new DistinctCounter();
    for (const v of values) c.add(v);
    return c;
  };

  it('mergeText() of any split gives exactly the state of the whole, exact and sketched', () => {
    const random = uniform(17);
    for (const n of [0, 1, 2, 200, 256, 257, 300, 5_000]) {
      const values = Array.from({ length: n * 2 }, (_, k) =>
        k < n ? 0xc612_0000 + Math.floor(random() * n * 1.5) : k === n ? 0 : 0xffff_ffff,
      );
      const whole = counterOf(values).toText();
      for (let round = 0; round < 4; round++) {
        const pieces: number[][] = [[], [], []];
        for (const v of values) pieces[Math.floor(random() * 3)]!.push(v);
        const merged = new DistinctCounter();
        for (const piece of pieces.sort(() => random() - 0.5)) merged.mergeText(counterOf(piece).toText());
        expect(merged.toText()).toBe(whole);
        expect(merged.size).toBe(counterOf(values).size);
      }
    }
  });

  it('toText() is canonical: sorted values while exact, `~` and 2048 registers after', () => {
    expect(counterOf([]).toText()).toBe('');
    expect(counterOf([3, 1, 2, 1]).toText()).toBe(Buffer.from([0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3]).toString('base64'));
    const sketch = counterOf(Array.from({ length: EXACT_LIMIT + 1 }, (_, k) => k)).toText();
    expect(sketch.startsWith('~')).toBe(true);
    expect(Buffer.from(sketch.slice(1), 'base64')).toHaveLength(2048);
  });

  it('mergeText() refuses text that is no state with SyntaxError', () => {
    expect(() => new DistinctCounter().mergeText('AAA')).toThrow(SyntaxError);
    expect(() => new DistinctCounter().mergeText('~AAAA')).toThrow(/3 registers, expected 2048/);
  });
});
