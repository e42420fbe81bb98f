/**
 * @module
 * `IngestQueue`: one batch of segment ingests at a time per store, with a
 * bounded number of uploads admitted (running + waiting). An upload reserves
 * its place before its body is read, so a full queue answers 503 at once,
 * with a `Retry-After` estimated from recent ingest times, instead of
 * buffering. Jobs submitted while a batch runs wait together and form the
 * next batch: that is what makes group commit possible (`group-intake.ts`).
 * Before a batch starts it waits a little (`GATHER_MS` at most) for uploads
 * already admitted whose bodies are still arriving, so an agent's window of
 * uploads sent together is stored together rather than first one alone.
 */

import { CollectorError, CollectorErrorCode } from './errors.js';

const RECENT_BATCHES = 20;
const MIN_RETRY_SEC = 1;
const MAX_RETRY_SEC = 300;
/** Longest a batch waits for admitted uploads still receiving their bodies. */
export const GATHER_MS = 500;

export interface QueueSlot<J, R> {
  /** Runs `job` in the next batch; resolves with its own outcome; releases the slot. */
  submit(job: J): Promise<R>;
  /** Gives the slot back unused (the upload failed before its job). */
  release(): void;
}

/** Runs a batch; one outcome per job, in order (an error is that job's alone). */
export type RunBatch<J, R> = (jobs: J[]) => Promise<({ ok: true; answer: R } | { ok: false; error: unknown })[]>;

interface Waiting<J, R> {
  job: J;
  resolve: (answer: R) => void;
  reject: (error: unknown) => void;
}

export class IngestQueue<J, R> {
  private admitted = 0;
  private waiting: Waiting<J, R>[] = [];
  private running: Promise<void> | undefined;
  /** Jobs of the batch being run. */
  private inBatch = 0;
  /** Called when a job is submitted or a place released (the gathering wait). */
  private wake: (() => void) | undefined;
  /** Recent batches: milliseconds and jobs. */
  private readonly recent: { ms: number; jobs: number }[] = [];

  constructor(
    readonly capacity: number,
    private readonly runBatch: RunBatch<J, R>,
  ) {
    if (!Number.isSafeInteger(capacity) || capacity < 1)
      throw new RangeError(`Cannot make an ingest queue of ${capacity} places`);
  }

  get size(): number {
    return this.admitted;
  }

  /** A place in the queue, or a 503 `CollectorError` when it is full. */
  reserve(): QueueSlot<J, R> {
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
      this.wake?.();
    };
    return {
      release,
      submit: (job: J): Promise<R> =>
        new Promise<R>((resolve, reject) => {
          this.waiting.push({ job, resolve, reject });
          this.wake?.();
          this.running ??= this.drainWaiting();
        }).finally(release),
    };
  }

  /** Seconds the admitted jobs should take, from the recent average per job. */
  retryAfterSec(): number {
    const jobs = this.recent.reduce((n, b) => n + b.jobs, 0);
    const perJobMs = jobs === 0 ? 1000 : this.recent.reduce((n, b) => n + b.ms, 0) / jobs;
    return Math.min(MAX_RETRY_SEC, Math.max(MIN_RETRY_SEC, Math.ceil((perJobMs * this.admitted) / 1000)));
  }

  /** Resolves when every submitted job has finished. */
  async drain(): Promise<void> {
    await this.running;
  }

  private async drainWaiting(): Promise<void> {
    while (this.waiting.length > 0) {
      await this.gather();
      const batch = this.waiting;
      this.waiting = [];
      this.inBatch = batch.length;
      const started = performance.now();
      try {
        const outcomes = await this.runBatch(batch.map((w) => w.job));
        batch.forEach((w, i) => {
          const outcome = outcomes[i];
          if (outcome === undefined) w.reject(new Error('the batch gave no outcome for this job'));
          else if (outcome.ok) w.resolve(outcome.answer);
          else w.reject(outcome.error);
        });
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
      this.remember(performance.now() - started, batch.length);
      this.inBatch = 0;
    }
    this.running = undefined;
  }

  /** Waits until every admitted upload outside the running batch has submitted its job (or left), `GATHER_MS` at most. */
  private async gather(): Promise<void> {
    const deadline = performance.now() + GATHER_MS;
    while (this.admitted - this.inBatch > this.waiting.length) {
      const left = deadline - performance.now();
      if (left <= 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private remember(ms: number, jobs: number): void {
    this.recent.push({ ms, jobs });
    if (this.recent.length > RECENT_BATCHES) this.recent.shift();
  }
}
