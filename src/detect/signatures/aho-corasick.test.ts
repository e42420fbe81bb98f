import { describe, expect, it } from 'vitest';
import { AhoCorasick } from './aho-corasick.js';

const enc = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));

function found(ac: AhoCorasick, text: Uint8Array, start = 0, end = text.length): number[] {
  const hits = new Set<number>();
  ac.scan(text, start, end, (id) => hits.add(id));
  return [...hits].sort((a, b) => a - b);
}

/** Naive reference: pattern ids occurring in text[start, end), ASCII case folded. */
function naive(patterns: string[], text: Uint8Array, start: number, end: number): number[] {
  const hay = Buffer.from(text.subarray(start, end)).toString('latin1').toLowerCase();
  return patterns.flatMap((p, id) => (hay.includes(p.toLowerCase()) ? [id] : []));
}

describe('AhoCorasick', () => {
  it('scan() reports overlapping, nested and case-folded patterns', () => {
    const patterns = ['he', 'she', 'his', 'hers', 'E'];
    const ac = new AhoCorasick(patterns.map(enc));
    expect(found(ac, enc('uSHErs'))).toEqual([0, 1, 3, 4]);
    expect(found(ac, enc('ahis'))).toEqual([2]);
    expect(found(ac, enc('xyz'))).toEqual([]);
  });

  it('scan() agrees with a naive search on 500 random texts, including binary bytes and bounds', () => {
    let seed = 7;
    const random = (): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const alphabet = 'abAB\u0000\u00ff|';
    const word = (n: number): string =>
      Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    const patterns = Array.from({ length: 60 }, () => word(1 + Math.floor(random() * 5)));
    const ac = new AhoCorasick(patterns.map(enc));
    for (let k = 0; k < 500; k++) {
      const text = enc(word(40));
      const start = Math.floor(random() * 10);
      const end = 30 + Math.floor(random() * 10);
      expect(found(ac, text, start, end)).toEqual(naive(patterns, text, start, end));
    }
  });

  it('new AhoCorasick() rejects an empty pattern', () => {
    expect(() => new AhoCorasick([new Uint8Array(0)])).toThrow(RangeError);
  });
});
