import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, FALSE_DISCOVERY_RATE } from './multiple-testing.js';

/** Benjamini & Hochberg (1995), §4: fifteen p-values of a trial; at q = 0.05 the four smallest are rejected. */
const BH_1995 = [
  0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1,
];

describe('benjaminiHochberg()', () => {
  it('rejects the four hypotheses of the 1995 paper’s example at 0.05', () => {
    const q = benjaminiHochberg(BH_1995);
    expect(q.filter((v) => v <= FALSE_DISCOVERY_RATE)).toHaveLength(4);
    // m·p(i)/i for the first four: 15 × 0.0001 / 1, 15 × 0.0004 / 2, 15 × 0.0019 / 3, 15 × 0.0095 / 4.
    expect(q.slice(0, 4).map((v) => Number(v.toPrecision(10)))).toEqual([0.0015, 0.003, 0.0095, 0.035625]);
  });

  it('equals the definition min over p(j) ≥ p(i) of m·p(j)/j, in input order, for shuffled input with ties', () => {
    const p = [0.04, 0.5, 0.01, 0.04, 0.2, 0.001, 0.9, 0.03];
    const sorted = [...p].sort((a, b) => a - b);
    const expected = p.map((pi) => {
      let best = 1;
      sorted.forEach((pj, j) => {
        if (pj >= pi) best = Math.min(best, (p.length * pj) / (j + 1));
      });
      return best;
    });
    const q = benjaminiHochberg(p);
    q.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 15));
  });

  it('returns nothing for no tests and rejects p-values outside 0..1', () => {
    expect(benjaminiHochberg([])).toEqual([]);
    expect(() => benjaminiHochberg([0.2, Number.NaN])).toThrow(/p-value 1/);
  });
});
