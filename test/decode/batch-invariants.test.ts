/**
 * The fuzz suite's batch checks must be able to fail: each broken invariant
 * is planted in an otherwise valid batch decoded from a fixture.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DecodeStatus, PacketBatch, PacketFlag, decodeCapture } from '../../src/decode/index.js';
import { BatchChecker, snapshotRows } from './batch-invariants.js';
import { fixtureCaptures } from './fixture-captures.js';

const FRAMES = 6;

/** A copy of the first batch of a small fixture capture (decodeCapture recycles its own). */
async function decodedBatch(): Promise<PacketBatch> {
  const capture = fixtureCaptures({ allTcpFlags: false, maxFrames: FRAMES })[0]!;
  const copy = new PacketBatch(FRAMES * 2, capture.bytes.length);
  await decodeCapture(Readable.from([capture.bytes]), {
    onBatch: (batch) => {
      type Column = {
        length: number;
        set(values: ArrayLike<number>): void;
        subarray(start: number, end: number): ArrayLike<number>;
      };
      for (const [key, value] of Object.entries(batch)) {
        if (!ArrayBuffer.isView(value)) continue;
        const to = copy[key as keyof PacketBatch] as unknown as Column;
        to.set((value as unknown as Column).subarray(0, to.length));
      }
      copy.length = batch.length;
      copy.dataUsed = batch.dataUsed;
    },
  });
  return copy;
}

const problemsOf = (batch: PacketBatch): string[] => {
  const checker = new BatchChecker();
  checker.check(batch);
  return checker.problems;
};

describe('BatchChecker', () => {
  it('BatchChecker.check() accepts a batch decodeCapture() delivered', async () => {
    const batch = await decodedBatch();
    expect(batch.length).toBe(FRAMES);
    expect(problemsOf(batch)).toEqual([]);
    expect(snapshotRows(batch)).toHaveLength(FRAMES);
  });

  const plants: [string, (b: PacketBatch) => void, RegExp][] = [
    ['a gap in frame numbers', (b) => (b.frame[2] = 9), /frame number, expected 3/],
    ['a frame past dataUsed', (b) => (b.capLen[FRAMES - 1] = b.capLen[FRAMES - 1]! + 1), /frame bytes/],
    ['a payload outside its frame', (b) => (b.payloadLen[0] = b.capLen[0]!), /payload \[/],
    ['an unknown status', (b) => (b.status[1] = 200), /unknown status 200/],
    [
      'status OK without IP',
      (b) => ((b.ipVersion[0] = 0), (b.src4[0] = 0), (b.dst4[0] = 0)),
      /status OK without an IP header/,
    ],
    [
      'a stale column on a non-IP packet',
      (b) => ((b.status[0] = DecodeStatus.NON_IP), (b.ipVersion[0] = 0)),
      /IP-level columns/,
    ],
    ['a TCP header length of 22', (b) => (b.tcpHdrLen[0] = 22), /tcpHdrLen 22/],
    ['HAS_INNER without an inner version', (b) => (b.pflags[0] = b.pflags[0]! | PacketFlag.HAS_INNER), /HAS_INNER/],
    ['ports on a non-first fragment', (b) => (b.pflags[0] = b.pflags[0]! | PacketFlag.FRAGMENT), /non-first fragment/],
  ];
  it.each(plants)('BatchChecker.check() reports %s', async (_, plant, message) => {
    const batch = await decodedBatch();
    plant(batch);
    expect(problemsOf(batch).join('\n')).toMatch(message);
  });
});
