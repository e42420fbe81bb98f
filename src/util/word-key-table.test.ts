import { describe, expect, it } from 'vitest';
import { WordKeyTable } from './word-key-table.js';

describe('WordKeyTable', () => {
  it('insert() numbers new keys in order and find() returns them, across growth', () => {
    const table = new WordKeyTable(3, 4);
    const key = new Uint32Array(3);
    const reference = new Map<string, number>();
    const got: number[] = [];
    const want: number[] = [];
    let seed = 12345;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let k = 0; k < 20_000; k++) {
      // Few distinct values per word: many repeats and many near-collisions.
      key[0] = next() % 97;
      key[1] = next() % 89;
      key[2] = k % 3 === 0 ? 0xffff_ffff : next() % 5;
      const text = key.join(',');
      const expected = reference.get(text) ?? reference.size;
      reference.set(text, expected);
      want.push(expected);
      got.push(table.insert(key));
    }
    expect(got).toEqual(want);
    expect(table.size).toBe(reference.size);
    const found = [...reference].map(([text]) => table.find(key.fill(0).map((_, w) => Number(text.split(',')[w]))));
    expect(found).toEqual([...reference.values()]);
    const words = [...reference.values()].map((entry) => [0, 1, 2].map((w) => table.word(entry, w)).join(','));
    expect(words).toEqual([...reference.keys()]);
    key.set([1000, 1000, 1000]);
    expect(table.find(key)).toBe(-1);
  });

  it('clear() forgets every key and numbering restarts at 0', () => {
    const table = new WordKeyTable(1);
    const key = Uint32Array.of(7);
    table.insert(key);
    table.clear();
    expect(table.size).toBe(0);
    expect(table.find(key)).toBe(-1);
    key[0] = 8;
    expect(table.insert(key)).toBe(0);
  });

  it('WordKeyTable() rejects a width below 1', () => {
    expect(() => new WordKeyTable(0)).toThrow(RangeError);
  });
});
