/**
 * @module
 * Retry delays: exponential backoff with jitter. Half the delay is fixed and
 * half random ("equal jitter"), so sensors that lost the collector together
 * do not come back in step, and none retries in a tight loop.
 */

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 60_000 };

/** Delay before retry number `attempt` (0 for the first retry). */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random = Math.random): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return ceiling / 2 + random() * (ceiling / 2);
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Resolves when `event` settles, after `ms`, or when `signal` aborts, and
 * leaves no timer or abort listener behind: a loop that raced `event` with a
 * plain `sleep` kept one of each per turn until the sleep ran out.
 */
export async function sleepUntil(event: Promise<unknown>, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted === true) return;
  const stop = new AbortController();
  const relay = (): void => stop.abort();
  signal?.addEventListener('abort', relay, { once: true });
  try {
    await Promise.race([event, sleep(ms, stop.signal)]);
  } finally {
    signal?.removeEventListener('abort', relay);
    stop.abort();
  }
}
