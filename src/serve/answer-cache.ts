/**
 * @module
 * Finished answers kept for a while, by URL. A figure is a pure function of
 * the store, and the store changes only when an ingest commits or a sensor
 * is edited, so an answer is kept while the store's version it was
 * computed under is current (or, without a version, for a minute); a
 * quarter's ranking takes seconds to compute and an unchanged page is asked
 * for again and again. Requests arriving while the same answer is being
 * computed wait for that one computation (twenty clients asking for the
 * overview at once cost one computation, not twenty). Entries are the
 * serialised bytes, so a hit also skips serialisation; failures are never
 * kept. Bounded in entries and in bytes; the oldest go first.
 */

export interface CachedAnswer {
  type: string;
  body: string;
  /** The body gzipped, or null when too small to gain (`send-answer.ts`). */
  gzip: Uint8Array | null;
  /** Headers that belong to the answer (a page's `Link` to the next one). */
  headers?: Readonly<Record<string, string>>;
}

export interface AnswerCacheOptions {
  /** How long an answer is served again (default 60 s; 0 keeps none, but concurrent requests still share one computation). */
  ttlMs?: number;
  maxEntries?: number;
  /** Total UTF-16 length of the bodies plus bytes of their gzip kept, a proxy for memory (default 64 Mi). */
  maxChars?: number;
  /** Runs each computation (`compute-gate.ts` bounds how many at once); default: at once. */
  gate?: ComputeGate;
  /**
   * The store's version (`store-version.ts`): when given, an answer is kept
   * while the version it was computed under is current, up to `maxAgeMs`,
   * rather than for `ttlMs` (a per-key `ttlMs` still counts in time).
   */
  version?: () => Promise<string>;
  /** Longest an answer is kept under an unchanged version (default an hour). */
  maxAgeMs?: number;
  /**
   * Longest a request waits for its answer (default 60 s, what proxies commonly allow): past that it is
   * refused with `SlowAnswerError` while the computation goes on, and the
   * answer is kept for the retry. The gate bounds the store's work; this
   * bounds each request's time.
   */
  waitMs?: number;
}

import type { ComputeGate } from './compute-gate.js';
import { RetryLaterError } from './retry-later.js';

/** An answer not ready within `waitMs`: answered 503 with `Retry-After`; it is still being computed and kept. */
export class SlowAnswerError extends RetryLaterError {
  override readonly name = 'SlowAnswerError';
  readonly code = 'TEITEN_SERVE_SLOW';

  constructor(waitedMs: number) {
    const retry = Math.max(1, Math.ceil(waitedMs / 1000));
    super(`The answer took longer than ${waitedMs / 1000} s; it is still being computed, retry in ${retry} s`, retry);
  }
}

const DEFAULT_WAIT_MS = 60_000;

const DEFAULT_TTL_MS = 60_000;
const DEFAULT_MAX_AGE_MS = 3_600_000;
const DEFAULT_MAX_ENTRIES = 512;
const DEFAULT_MAX_CHARS = 64 * 1024 * 1024;

const sizeOf = (answer: CachedAnswer): number => answer.body.length + (answer.gzip?.byteLength ?? 0);

export interface AnswerCache {
  /** The kept answer of `key`, or `compute`'s; `ttlMs` overrides the cache's for this key (a live feed keeps answers seconds). */
  get(key: string, compute: () => Promise<CachedAnswer>, ttlMs?: number): Promise<CachedAnswer>;
  /** Forgets every kept answer: the store changed through this server (an admin route). */
  clear(): void;
}

export function answerCache(options: AnswerCacheOptions = {}, now: () => number = Date.now): AnswerCache {
  const ttl = options.ttlMs ?? DEFAULT_TTL_MS;
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  const gate: ComputeGate = options.gate ?? ((compute) => compute());
  const maxAge = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  const version = options.version;
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  const done = new Map<string, { at: number; version: string | null; answer: CachedAnswer }>();
  const pending = new Map<string, Promise<CachedAnswer>>();
  let chars = 0;
  /** Bumped by `clear()`: an answer computed from the store before the change is sent to its waiters, not kept. */
  let generation = 0;

  const evict = (key: string): void => {
    const entry = done.get(key);
    if (entry === undefined) return;
    chars -= sizeOf(entry.answer);
    done.delete(key);
  };

  const keep = (key: string, answer: CachedAnswer, at: number, underVersion: string | null): void => {
    if (ttl === 0 || sizeOf(answer) > maxChars) return;
    evict(key);
    done.set(key, { at, version: underVersion, answer });
    chars += sizeOf(answer);
    // Map order is insertion order: the first keys are the oldest.
    for (const oldest of done.keys()) {
      if (done.size <= maxEntries && chars <= maxChars) break;
      evict(oldest);
    }
  };

  return {
    async get(key, compute, ttlMs) {
      const current = version === undefined || ttlMs !== undefined ? null : await version();
      const entry = done.get(key);
      if (entry !== undefined) {
        const age = now() - entry.at;
        const fresh = current === null ? age < (ttlMs ?? ttl) : entry.version === current && age < maxAge;
        if (fresh) return entry.answer;
      }
      evict(key);
      const running = pending.get(key);
      if (running !== undefined) return withinWait(running, waitMs);
      const startedIn = generation;
      const startedAt = now();
      const started = gate(compute).then(
        (answer) => {
          if (pending.get(key) === started) pending.delete(key);
          // Kept under the version read before computing: a change meanwhile makes the next request compute again.
          if (startedIn === generation) keep(key, answer, startedAt, current);
          return answer;
        },
        (error: unknown) => {
          if (pending.get(key) === started) pending.delete(key);
          throw error;
        },
      );
      pending.set(key, started);
      return withinWait(started, waitMs);
    },
    clear() {
      generation += 1;
      done.clear();
      pending.clear();
      chars = 0;
    },
  };
}

/** `answer`, or `SlowAnswerError` once `waitMs` pass first (the computation is not stopped). */
function withinWait(answer: Promise<CachedAnswer>, waitMs: number): Promise<CachedAnswer> {
  // A waiter gone at its deadline must not leave the computation's failure unhandled.
  answer.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SlowAnswerError(waitMs)), waitMs);
    timer.unref();
  });
  return Promise.race([answer, deadline]).finally(() => clearTimeout(timer));
}
