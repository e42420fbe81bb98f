import { describe, expect, it } from 'vitest';
import { hashSeed, Rng } from '../util/random.js';
import { rankItems, selectTableRows, topWithOther } from './ranking.js';
import type { DayCounts } from './rate-interval.js';
import { testedKeys, uncertaintyOfRows } from './rate-uncertainty.js';
import { syntheticDays } from './testdata/synthetic-days.js';

/**
 * Part 2 of issue 18 on simulated quarters: 60 ports with Zipf-like rates
 * (port i at 1000 / (i + 1)^1.2 per day per address on a /28), days drawn as
 * the simulator plans them, the published table (top 5 + 5 movers) and
 * the rows tested picked exactly as for a real table, BH over every row.
 */
const PORTS = 40;
const SEEDS = 100;
const QUARTER = { days: 91, addresses: 16, partialShare: 0.1, downShare: 0.02 };
const PLANTED = 1.3;

interface Outcome {
  rows: number;
  falseClaims: number;
  planted: number;
  found: number;
}

function simulate(options: { jitter: number; shift: (port: number, rng: Rng) => number; salt: number }): Outcome {
  const outcome: Outcome = { rows: 0, falseClaims: 0, planted: 0, found: 0 };
  for (let seed = 0; seed < SEEDS; seed++) {
    const rng = new Rng(hashSeed(options.salt, seed));
    const current = new Map<string, DayCounts>();
    const previous = new Map<string, DayCounts>();
    const shifts = new Map<string, number>();
    const items = [];
    for (let port = 0; port < PORTS; port++) {
      const key = `${port}/TCP`;
      const rate = 1000 / (port + 1) ** 1.2;
      const shift = options.shift(port, rng);
      shifts.set(key, shift);
      const before = syntheticDays(rng, { ...QUARTER, rate, jitter: options.jitter });
      const now = syntheticDays(rng, { ...QUARTER, rate: rate * shift, jitter: options.jitter });
      previous.set(key, before);
      current.set(key, now);
      items.push({ key, current: rateOf(now), previous: rateOf(before) });
    }
    const rows = rankItems(items);
    const keys = testedKeys({
      rows,
      table: selectTableRows(rows, { top: 5, movers: 5 }),
      shares: topWithOther(rows, 5),
    });
    const result = uncertaintyOfRows({ keys, compared: rows.length, current, previous });
    for (const row of result.rows) {
      const shift = shifts.get(row.key)!;
      const claim = row.change?.direction ?? 'none';
      outcome.rows += 1;
      if (shift === 1) {
        if (claim !== 'none') outcome.falseClaims += 1;
      } else {
        outcome.planted += 1;
        if (claim === (shift > 1 ? 'increase' : 'decrease')) outcome.found += 1;
      }
    }
  }
  return outcome;
}

function rateOf(days: DayCounts): number {
  let c = 0;
  let e = 0;
  days.counts.forEach((n, i) => {
    c += n;
    e += days.exposures[i]!;
  });
  return c / e;
}

describe('uncertaintyOfRows() claims on simulated quarters', () => {
  it('claims no change for more than 5 % of rows when nothing shifted', () => {
    for (const jitter of [0.25]) {
      const o = simulate({ jitter, shift: () => 1, salt: 1 });
      expect(o.rows).toBeGreaterThan(SEEDS * 10);
      expect(o.falseClaims / o.rows).toBeLessThanOrEqual(0.05);
    }
  });

  it('finds rises and falls of 30 % planted on half the top-10 ports, without false claims beyond 5 %', () => {
    for (const [jitter, direction] of [
      [0.12, PLANTED],
      [0.25, 1 / PLANTED],
    ] as const) {
      const o = simulate({ jitter, shift: (port, rng) => (port < 10 && rng.chance(0.5) ? direction : 1), salt: 2 });
      expect(o.planted).toBeGreaterThan(SEEDS * 3);
      expect(o.found / o.planted).toBeGreaterThanOrEqual(0.99);
      expect(o.falseClaims / o.rows).toBeLessThanOrEqual(0.05);
    }
  });

  it('tests the table’s rows and the top 20 of either period, and corrects over every row', () => {
    const rows = rankItems(
      Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, current: 40 - i, previous: i === 35 ? 100 : 40 - i })),
    );
    const keys = testedKeys({
      rows,
      table: selectTableRows(rows, { top: 3, movers: 1 }),
      shares: topWithOther(rows, 3),
    });
    expect(keys).toEqual([...Array.from({ length: 20 }, (_, i) => `k${i}`), 'k35']);
    const days = (n: number): DayCounts => ({ counts: [n, n], exposures: [1, 1] });
    const current = new Map(keys.map((k) => [k, days(100)]));
    const previous = new Map(keys.map((k) => [k, days(k === 'k0' ? 70 : 100)]));
    const one = uncertaintyOfRows({ keys, compared: keys.length, current, previous });
    const all = uncertaintyOfRows({ keys, compared: rows.length, current, previous });
    const k0 = (u: typeof one) => u.rows.find((r) => r.key === 'k0')!.change!;
    expect(k0(all).pValue).toBe(k0(one).pValue);
    // The single real change: q = m·p over the rows compared.
    expect(k0(one).qValue).toBeCloseTo(keys.length * k0(one).pValue, 12);
    expect(k0(all).qValue).toBeCloseTo(rows.length * k0(all).pValue, 12);
    expect(() => uncertaintyOfRows({ keys, compared: 3, current, previous })).toThrow(RangeError);
  });
});
