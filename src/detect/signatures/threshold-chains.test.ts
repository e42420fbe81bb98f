import { describe, expect, it } from 'vitest';
import { Rng } from '../../util/random.js';
import type { ThresholdSpec } from './rule-types.js';
import { craftBatch, udp } from './testdata/craft-batch.js';
import { needsEarlier, ThresholdChains, THRESHOLD_TRACKS, THRESHOLD_TYPES, trackedKey } from './threshold-chains.js';
import { ThresholdTable } from './thresholds.js';

describe('ThresholdChains', () => {
  it('allow() decides every type and track as ThresholdTable decides the same stream', () => {
    const rng = new Rng(3);
    const times: number[] = [];
    for (let t = 0; times.length < 400; t += rng.between(0, 9)) times.push(t);
    const packets = times.map((at) => ({
      src: `198.51.100.${rng.int(3)}`,
      dst: `192.0.2.${rng.int(3)}`,
      at,
    }));
    const batch = craftBatch(packets.map((p) => ({ packet: udp(53, '', { src: p.src, dst: p.dst }), at: p.at })));
    for (const type of THRESHOLD_TYPES)
      for (const track of THRESHOLD_TRACKS) {
        const spec: ThresholdSpec = { type, track, count: 3, seconds: 20 };
        const table = new ThresholdTable();
        const chains = new ThresholdChains();
        const want = packets.map((_, i) => table.allow(0, spec, batch, i));
        const got = packets.map((p) => chains.allow(trackedKey(track, p.src, p.dst), spec, Math.floor(p.at) + 1e9));
        expect(got, `${type} ${track}`).toEqual(want);
        expect(want.some(Boolean) && !want.every(Boolean), `${type} ${track} alerts on some matches only`).toBe(true);
      }
  });

  it('needsEarlier() is true only when an unread match could be within the window', () => {
    const spec: ThresholdSpec = { type: 'both', track: 'by_src', count: 2, seconds: 60 };
    // Read from second 100: an unread match is at 99 at the latest; 159 - 99 = 60 opens a fresh window.
    expect(needsEarlier(spec, 159, 100)).toBe(false);
    expect(needsEarlier(spec, 158, 100)).toBe(true);
  });
});
