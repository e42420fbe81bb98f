import { describe, expect, it } from 'vitest';
import { uniform } from '../util/random.js';
import { SERVICE_TALLY_LIMIT, ServiceTally } from './scanners-service-tally.js';

const tallyOf = (keys: readonly number[]): ServiceTally => {
  const t = new ServiceTally();
  for (const k of keys) t.add(k);
  return t;
};

describe('ServiceTally', () => {
  it('ServiceTally keeps exact probes per service up to the limit and lists the top ones', () => {
    const t = tallyOf([80, 23, 23, 445, 23, 80]);
    expect(t.toText()).toBe('23:3 80:2 445:1');
    expect(t.top(2)).toEqual([
      { key: 23, probes: 3 },
      { key: 80, probes: 2 },
    ]);
    expect([t.size, t.exact]).toEqual([3, true]);
  });

  it('ServiceTally past the limit keeps a count of services and withholds the top list', () => {
    const t = tallyOf(Array.from({ length: SERVICE_TALLY_LIMIT + 1 }, (_, k) => k));
    expect([t.exact, t.top(5), t.toText().startsWith('~')]).toEqual([false, [], true]);
    expect(t.size).toBeGreaterThan(SERVICE_TALLY_LIMIT);
  });

  it('mergeText() of any split gives exactly the tally of the whole, below and past the limit', () => {
    const random = uniform(3);
    for (const services of [1, 5, SERVICE_TALLY_LIMIT, SERVICE_TALLY_LIMIT + 1, 2_000]) {
      const keys = Array.from({ length: services * 3 }, () => 6 * 2 ** 17 + Math.floor(random() * services));
      const whole = tallyOf(keys).toText();
      for (let round = 0; round < 4; round++) {
        const pieces: number[][] = [[], [], [], []];
        for (const k of keys) pieces[Math.floor(random() * 4)]!.push(k);
        const merged = new ServiceTally();
        for (const piece of pieces.sort(() => random() - 0.5)) merged.mergeText(tallyOf(piece).toText());
        expect(merged.toText()).toBe(whole);
      }
    }
  });

  it('mergeText() refuses a pair that is not service:probes with SyntaxError', () => {
    expect(() => new ServiceTally().mergeText('80:1 x')).toThrow(/'x' is not service:probes/);
    expect(() => new ServiceTally().mergeText('80:0')).toThrow(SyntaxError);
  });
});
