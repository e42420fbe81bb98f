import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { sleepUntil } from './backoff.js';

const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('sleepUntil()', () => {
  it('leaves no timer and no abort listener behind when the event comes first', async () => {
    const signal = new AbortController().signal;
    const before = timers();
    for (let turn = 0; turn < 50; turn++) await sleepUntil(Promise.resolve(), 60_000, signal);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    expect(timers()).toBe(before);
  });

  it('resolves after the time, or at once when the signal aborts or already has', async () => {
    const never = new Promise<void>(() => undefined);
    const before = timers();
    const started = Date.now();
    await sleepUntil(never, 20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);

    const stop = new AbortController();
    const waiting = sleepUntil(never, 60_000, stop.signal);
    stop.abort();
    await waiting;
    await sleepUntil(never, 60_000, stop.signal);
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
    expect(timers()).toBe(before);
  });
});
