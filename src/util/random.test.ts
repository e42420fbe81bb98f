import { describe, expect, it } from 'vitest';
import { hashSeed, hashText, mix32, Rng } from './random.js';

describe('random', () => {
  it('Rng() repeats its sequence for the same seed and differs for another', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const seqA = Array.from({ length: 8 }, () => a.uint32());
    expect(Array.from({ length: 8 }, () => b.uint32())).toEqual(seqA);
    expect(Array.from({ length: 8 }, () => c.uint32())).not.toEqual(seqA);
  });

  it('Rng.float() is uniform enough in [0, 1)', () => {
    const rng = new Rng(7);
    const bins = new Array<number>(10).fill(0);
    const n = 100_000;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.float();
      if (!(x >= 0 && x < 1)) outside++;
      else bins[Math.floor(x * 10)]!++;
    }
    expect(outside).toBe(0);
    for (const count of bins) expect(Math.abs(count - n / 10)).toBeLessThan(n / 100);
  });

  it('Rng.burst() keeps to 1..max with about the asked mean', () => {
    const rng = new Rng(3);
    let sum = 0;
    const n = 50_000;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const k = rng.burst(2, 50);
      if (!(k >= 1 && k <= 50)) outside++;
      sum += k;
    }
    expect(outside).toBe(0);
    expect(sum / n).toBeGreaterThan(1.9);
    expect(sum / n).toBeLessThan(2.1);
    expect(rng.burst(1, 5)).toBe(1);
  });

  it('Rng.normal() has mean 0 and deviation 1', () => {
    const rng = new Rng(11);
    let sum = 0;
    let squares = 0;
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      const x = rng.normal();
      sum += x;
      squares += x * x;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.02);
    expect(Math.abs(squares / n - 1)).toBeLessThan(0.03);
  });

  it('hashSeed() depends on every part and on their order', () => {
    expect(hashSeed(1, 2)).toBe(hashSeed(1, 2));
    expect(hashSeed(1, 2)).not.toBe(hashSeed(2, 1));
    expect(hashSeed(2 ** 40)).not.toBe(hashSeed(0));
    expect(hashText('conficker')).not.toBe(hashText('conficked'));
    expect(mix32(0)).toBe(0);
    expect(mix32(1)).not.toBe(1);
  });
});
