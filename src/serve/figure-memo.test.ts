import { describe, expect, it } from 'vitest';
import { figureMemo } from './figure-memo.js';

/** A compute function counting its calls. */
function counted<T>(value: T): { calls: () => number; compute: () => Promise<T> } {
  let calls = 0;
  return {
    calls: () => calls,
    compute: async () => {
      calls += 1;
      return value;
    },
  };
}

describe('figureMemo()', () => {
  it('computes a key once per store version, concurrent callers sharing the computation', async () => {
    let version = 'v1';
    const memo = figureMemo(async () => version);
    const f = counted(42);
    expect(await Promise.all([memo.get('a', f.compute), memo.get('a', f.compute)])).toEqual([42, 42]);
    expect(await memo.get('a', f.compute)).toBe(42);
    expect(f.calls()).toBe(1);
    version = 'v2';
    await memo.get('a', f.compute);
    expect(f.calls()).toBe(2);
    memo.clear();
    await memo.get('a', f.compute);
    expect(f.calls()).toBe(3);
  });

  it('keeps no failure and only the most recent entries', async () => {
    const memo = figureMemo(async () => 'v', 2);
    let fail = true;
    const flaky = async () => {
      if (fail) throw new Error('store gone');
      return 1;
    };
    await expect(memo.get('x', flaky)).rejects.toThrow('store gone');
    fail = false;
    expect(await memo.get('x', flaky)).toBe(1);
    const a = counted('a');
    await memo.get('a', a.compute);
    await memo.get('b', counted('b').compute);
    await memo.get('c', counted('c').compute);
    await memo.get('a', a.compute);
    expect(a.calls()).toBe(2);
  });
});
