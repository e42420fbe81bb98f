/**
 * @module
 * `IngestQueue`: one segment ingest at a time per store, with a bounded
 * number of uploads admitted (running + waiting). An upload reserves its
 * place before its body is read, so a full queue answers 503 at once, with a
 * `Retry-After` estimated from recent ingest times, instead of buffering.
 */

import { CollectorError, CollectorErrorCode } from './errors.js';

const RECENT_JOBS = 20;
const MIN_RETRY_SEC = 1;
const MAX_RETRY_SEC = 300;

export interface QueueSlot {
  /** Runs `fn` when every job admitted before it has finished; releases the slot. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** Gives the slot back unused (the upload failed before its job). */
  release(): void;
}

export class IngestQueue {
  private admitted = 0;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly durations: number[] = [];

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`Cannot make an ingest queue of ${capacity} places`);
  }

  get size(): number {
    return this.admitted;
  }

  /** A place in the queue, or a 503 `CollectorError` when it is full. */
  reserve(): QueueSlot {
    if (this.admitted >= this.capacity) {
      throw new CollectorError(CollectorErrorCode.BUSY, `the ingest queue is full (${this.capacity} uploads)`, {
        retryAfterSec: this.retryAfterSec(),
      });
    }
    this.admitted++;
    let done = false;
    const release = (): void => {
      if (done) return;
      done = true;
      this.admitted--;
    };
    return {
      release,
      run: <T>(fn: () => Promise<T>): Promise<T> => {
        const job = this.tail.then(async () => {
          const started = performance.now();
          try {
            return await fn();
          } finally {
            this.remember(performance.now() - started);
            release();
          }
        });
        this.tail = job.catch(() => undefined);
        return job;
      },
    };
  }

  /** Seconds the admitted jobs should take, from the recent average. */
  retryAfterSec(): number {
    const n = this.durations.length;
    const averageMs = n === 0 ? 1000 : this.durations.reduce((a, b) => a + b, 0) / n;
    return Math.min(MAX_RETRY_SEC, Math.max(MIN_RETRY_SEC, Math.ceil((averageMs * this.admitted) / 1000)));
  }

  /** Resolves when every admitted job has finished. */
  async drain(): Promise<void> {
    await this.tail;
  }

  private remember(ms: number): void {
    this.durations.push(ms);
    if (this.durations.length > RECENT_JOBS) this.durations.shift();
  }
}
