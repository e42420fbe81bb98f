/**
 * @module
 * A per-client rate limit: a fixed window of `perWindow` requests per
 * address, then a 429 with `Retry-After` until the window ends. Windows of
 * clients gone quiet are dropped as new windows start, so the table holds
 * at most the clients of one window.
 */

export interface RateLimitOptions {
  /** Requests per client per window; 0 turns the limit off (a benchmark's 20 clients share one address). */
  perWindow?: number;
  windowMs?: number;
}

const DEFAULT_PER_WINDOW = 600;
const DEFAULT_WINDOW_MS = 60_000;
const MS_PER_SECOND = 1000;

/** A check per request: 0 to go ahead, else the seconds to wait. */
export function rateLimiter(options: RateLimitOptions = {}, now: () => number = Date.now): (client: string) => number {
  const perWindow = options.perWindow ?? DEFAULT_PER_WINDOW;
  const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  let windowStart = now();
  let counts = new Map<string, number>();
  if (perWindow === 0) return () => 0;
  return (client) => {
    const t = now();
    if (t - windowStart >= windowMs) {
      windowStart = t - ((t - windowStart) % windowMs);
      counts = new Map();
    }
    const n = (counts.get(client) ?? 0) + 1;
    counts.set(client, n);
    return n > perWindow ? Math.max(1, Math.ceil((windowStart + windowMs - t) / MS_PER_SECOND)) : 0;
  };
}
