import { describe, expect, it } from 'vitest';
import type { ThresholdSpec } from './rule-types.js';
import { craftBatch, udp } from './testdata/craft-batch.js';
import { ThresholdTable } from './thresholds.js';

/** Decisions for matches by one source at the given times (seconds). */
function decisions(spec: ThresholdSpec, times: number[], sources?: string[]): boolean[] {
  const batch = craftBatch(
    times.map((at, k) => ({ packet: udp(1, 'x', { src: sources?.[k] ?? '198.51.100.1' }), at })),
  );
  const table = new ThresholdTable();
  return times.map((_, i) => table.allow(0, spec, batch, i));
}

const spec = (
  type: ThresholdSpec['type'],
  count: number,
  seconds = 10,
  track: ThresholdSpec['track'] = 'by_src',
): ThresholdSpec => ({ type, track, count, seconds });

describe('ThresholdTable', () => {
  it('allow() with type limit alerts on the first count matches of each window', () => {
    expect(decisions(spec('limit', 2), [0, 1, 2, 3, 10, 11, 12])).toEqual([
      true,
      true,
      false,
      false,
      true,
      true,
      false,
    ]);
  });

  it('allow() with type threshold alerts on every count-th match within a window', () => {
    expect(decisions(spec('threshold', 3), [0, 1, 2, 3, 4, 5, 20])).toEqual([
      false,
      false,
      true,
      false,
      false,
      true,
      false,
    ]);
    expect(decisions(spec('threshold', 1), [0, 1])).toEqual([true, true]);
  });

  it('allow() with type both alerts once per window, on the count-th match', () => {
    expect(decisions(spec('both', 3), [0, 1, 2, 3, 4, 9.5, 10, 11, 12])).toEqual([
      false,
      false,
      true,
      false,
      false,
      false,
      false,
      false,
      true,
    ]);
  });

  it('allow() with detection_filter alerts on every match after the first count', () => {
    expect(decisions(spec('detection_filter', 2), [0, 1, 2, 3, 10, 11])).toEqual([
      false,
      false,
      true,
      true,
      false,
      false,
    ]);
  });

  it('allow() tracks sources, destinations, both or the rule as asked', () => {
    const sources = ['198.51.100.1', '198.51.100.2', '198.51.100.1', '198.51.100.2'];
    expect(decisions(spec('both', 2), [0, 1, 2, 3], sources)).toEqual([false, false, true, true]);
    expect(decisions(spec('both', 2, 10, 'by_rule'), [0, 1, 2, 3], sources)).toEqual([false, true, false, false]);
    expect(decisions(spec('both', 2, 10, 'by_dst'), [0, 1, 2, 3], sources)).toEqual([false, true, false, false]);
    expect(decisions(spec('both', 2, 10, 'by_both'), [0, 1, 2, 3], sources)).toEqual([false, false, true, true]);
  });

  it('allow() drops expired sources when a rule table fills', () => {
    const n = 200_000;
    const batch = craftBatch([{ packet: udp(1, 'x'), at: 0 }]);
    const table = new ThresholdTable();
    const limit = spec('limit', 1, 10);
    for (let k = 0; k < n; k++) {
      batch.src4[0] = k;
      batch.tsSec[0] = 1_000_000 + (k < 100_000 ? 0 : 100);
      table.allow(0, limit, batch, 0);
    }
    // The table filled (70 % of 262,144 slots) after the clock moved on: the first 100,000 had expired.
    expect(table.size).toBe(n - 100_000);
  });
});
