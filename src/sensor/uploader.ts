/**
 * @module
 * `Uploader`: sends the spool's segments to the collector in sequence order,
 * a few at once (`window`: the collector stores segments of a sensor that
 * wait together as one group commit, so one at a time would leave it a
 * commit per segment), and deletes each only after the collector acknowledged it
 * (`stored`, or `duplicate` when an earlier attempt was stored but its answer
 * lost). Network failures and busy answers are retried with backoff; the
 * credentials or certificate being refused stops the agent (see
 * `collector-answer.ts`).
 */
import { readFile } from 'node:fs/promises';
import type { AgentLog } from './agent-log.js';
import { backoffDelay, sleep, sleepUntil } from './backoff.js';
import { readAnswer } from './collector-answer.js';
import { CollectorUnreachableError, type CollectorClient } from './collector-client.js';
import type { ClockWatch } from './clock-watch.js';
import { encodeSegmentHeader, PATHS, SegmentAnswer } from './protocol.js';
import type { Spool, SpoolEntry } from './spool.js';

/** Uploads in flight at once, and their bodies' bytes (one segment goes whatever its size). */
export const DEFAULT_UPLOAD_WINDOW = 8;
export const UPLOAD_WINDOW_BYTES = 128 * 1024 * 1024;

export interface UploaderOptions {
  spool: Spool;
  client: CollectorClient;
  clock: ClockWatch;
  log: AgentLog;
  /** Uploads in flight at once (default `DEFAULT_UPLOAD_WINDOW`; at most `UPLOAD_WINDOW_BYTES` of bodies). */
  window?: number;
}

export class Uploader {
  readonly #o: UploaderOptions;
  /** Segments acknowledged in this run. */
  acknowledged = 0;
  #inFlightBytes = 0;

  constructor(options: UploaderOptions) {
    this.#o = options;
  }

  /** Upload until `signal` aborts; rejects with an `AgentError` when the collector refuses for good. */
  async run(signal: AbortSignal): Promise<void> {
    const workers = Array.from({ length: this.#o.window ?? DEFAULT_UPLOAD_WINDOW }, () => this.#work(signal));
    // The first refusal for good stops the agent; the other workers end with its signal.
    await Promise.all(workers);
  }

  async #work(signal: AbortSignal): Promise<void> {
    const { spool } = this.#o;
    while (!signal.aborted) {
      // Taken and marked in one step: no two workers send the same segment.
      const next = spool.entries().find((e) => !spool.inFlight.has(e.meta.sequence));
      if (next === undefined || (spool.inFlight.size > 0 && this.#inFlightBytes + next.bytes > UPLOAD_WINDOW_BYTES)) {
        await sleepUntil(spool.changed(), 60_000, signal);
        continue;
      }
      spool.inFlight.add(next.meta.sequence);
      this.#inFlightBytes += next.bytes;
      try {
        await this.#upload(next, signal);
      } finally {
        spool.inFlight.delete(next.meta.sequence);
        this.#inFlightBytes -= next.bytes;
      }
    }
  }

  async #upload(entry: SpoolEntry, signal: AbortSignal): Promise<void> {
    const { client, log, spool, clock } = this.#o;
    const { meta } = entry;
    const body = await readFile(entry.pcapPath);
    const segmentHeader = encodeSegmentHeader(meta);
    for (let attempt = 0; !signal.aborted; attempt++) {
      let afterMs: number | undefined;
      let reason: string;
      try {
        const response = await client.send({
          method: 'POST',
          path: PATHS.segments,
          body,
          contentType: 'application/octet-stream',
          segmentHeader,
        });
        const answer = readAnswer(response, SegmentAnswer, `segment ${meta.sequence}`);
        if (answer.kind === 'ok') {
          clock.observe(answer.value.clockOffsetMs);
          await spool.remove(meta.sequence);
          this.acknowledged++;
          log('segment-uploaded', {
            seq: meta.sequence,
            status: answer.value.status,
            packets: meta.packets,
            bytes: body.length,
            attempts: attempt + 1,
            spool: spool.depth.segments,
          });
          return;
        }
        ({ reason, afterMs } = answer);
      } catch (error: unknown) {
        if (!(error instanceof CollectorUnreachableError)) throw error;
        reason = error.message;
      }
      const delay = afterMs ?? backoffDelay(attempt);
      log('segment-retry', { seq: meta.sequence, attempt: attempt + 1, inMs: Math.round(delay), reason });
      await sleep(delay, signal);
    }
  }
}
