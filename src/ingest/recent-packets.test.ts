import { describe, expect, it } from 'vitest';
import { PACKET_KEY_WORDS } from './packet-identity.js';
import { RecentPackets } from './recent-packets.js';

/** Checks identities given as [sec, usec, tag]: true per repeat found. */
function run(recent: RecentPackets, ids: readonly (readonly [number, number, number])[]): boolean[] {
  return ids.map(([sec, usec, tag]) => {
    const at = recent.nextOffset;
    recent.ring.fill(0, at, at + PACKET_KEY_WORDS);
    recent.ring[at] = sec;
    recent.ring[at + 1] = usec;
    recent.ring[at + 5] = tag;
    return recent.check();
  });
}

describe('RecentPackets', () => {
  it('check() finds copies with the same identity and tells apart packets sharing a timestamp', () => {
    const recent = new RecentPackets(8);
    expect(
      run(recent, [
        [10, 1, 1],
        [10, 1, 2],
        [10, 1, 1],
        [10, 1, 1],
        [10, 2, 1],
        [10, 1, 2],
      ]),
    ).toEqual([false, false, true, true, false, true]);
  });

  it('check() forgets packets older than the window, even through long chains', () => {
    const recent = new RecentPackets(4);
    // Five other packets push the first out of a window of four.
    const ids: [number, number, number][] = [
      [1, 0, 9],
      [1, 0, 1],
      [1, 0, 2],
      [1, 0, 3],
      [1, 0, 4],
      [1, 0, 9],
      [1, 0, 4],
    ];
    expect(run(recent, ids)).toEqual([false, false, false, false, false, false, true]);
  });

  it('RecentPackets() rejects an empty window', () => {
    expect(() => new RecentPackets(0)).toThrow(RangeError);
  });
});
