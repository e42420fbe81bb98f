import { describe, expect, it } from 'vitest';
import { BusyError, computeGate } from './compute-gate.js';

describe('computeGate()', () => {
  it('computeGate() runs at most `running` at once, queues `waiting` more and refuses the rest with BusyError', async () => {
    const gate = computeGate({ running: 2, waiting: 1 });
    let active = 0;
    let peak = 0;
    const releases: (() => void)[] = [];
    const job = (): Promise<number> =>
      gate(async () => {
        active += 1;
        peak = Math.max(peak, active);
        await new Promise<void>((resolve) => releases.push(resolve));
        active -= 1;
        return peak;
      });
    const jobs = [job(), job(), job()];
    await expect(job()).rejects.toBeInstanceOf(BusyError);
    await Promise.resolve();
    expect(releases).toHaveLength(2);
    releases.shift()!();
    await new Promise((r) => setTimeout(r, 0));
    expect(releases).toHaveLength(2);
    for (const r of releases.splice(0)) r();
    await new Promise((r) => setTimeout(r, 0));
    releases.shift()?.();
    expect(await Promise.all(jobs)).toEqual([2, 2, 2]);
    expect(peak).toBe(2);
  });

  it('computeGate() frees the slot of a failed computation', async () => {
    const gate = computeGate({ running: 1, waiting: 0 });
    await expect(
      gate(async () => {
        throw new RangeError('bad');
      }),
    ).rejects.toThrow('bad');
    expect(await gate(async () => 7)).toBe(7);
  });
});
