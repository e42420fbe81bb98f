import { describe, expect, it } from 'vitest';
import { TopKeys } from './scanners-top-keys.js';

describe('TopKeys', () => {
  it('TopKeys counts exactly while the keys fit', () => {
    const t = new TopKeys(3);
    for (const k of [80, 443, 80, 22, 80, 443]) t.add(k);
    expect(t.top()).toEqual([{ key: 80, count: 3, error: 0 }, { key: 443, count: 2, error: 0 }, { key: 22, count: 1, error: 0 }]);
    expect(t.exact).toBe(true);
  });

  it('TopKeys keeps every key above total / capacity after replacements', () => {
    const t = new TopKeys(4);
    for (let k = 0; k < 1000; k++) {
      t.add(k % 2 === 0 ? 6667 : 10_000 + k); // one heavy port among 500 one-off ports
    }
    const [first] = t.top(1);
    expect(first!.key).toBe(6667);
    expect(first!.count - first!.error).toBeLessThanOrEqual(500);
    expect(first!.count).toBeGreaterThanOrEqual(500);
    expect(t.exact).toBe(false);
  });

  it('TopKeys rejects a capacity below 1', () => {
    expect(() => new TopKeys(0)).toThrow(RangeError);
  });
});
