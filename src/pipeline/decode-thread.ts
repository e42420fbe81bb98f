/**
 * @module
 * A capture file decoded and enriched on a worker thread
 * (`decode-worker.ts`): the worker reads, hashes, decodes and enriches, and
 * copies each batch into one of a few shared-memory slots
 * (`shared-batch.ts`), with the batch's signature matches when asked
 * (`thread-rules.ts`); this thread takes the batches in order, and a slot
 * goes back to the worker once its batch was handled. Reading and decoding
 * the next batches thus overlaps the rollups and writes of the previous ones,
 * which on two cores took a fifth off a 5 M-packet ingest.
 *
 * An error in the worker comes back as an error with the same message, name
 * and own fields (`code`, `offset`, `fileName` …), after the batches decoded
 * before it, as `decodeCapture` delivers them.
 */

import { Worker } from 'node:worker_threads';
import { geoTransfer, type GeoTransfer } from '../classify/index.js';
import { DEFAULT_BATCH_BYTES, DEFAULT_BATCH_PACKETS } from '../decode/index.js';
import type { EnrichedSource, EnrichedSourceOptions, SourceHandlers, Truncation } from './enriched-source.js';
import { createSharedSlot, showFilled, slotBatch, type FilledSlot, type SharedSlot } from './shared-batch.js';
import { alertsOf, type MatchColumns, type ThreadRules } from './thread-rules.js';

/** Batches in flight: one being handled here, the rest decoded ahead. */
const SLOTS = 4;

/** What the worker starts with. */
export interface DecodeWorkerData {
  path: string;
  name: string;
  capacity: number;
  geo: GeoTransfer | null;
  slots: SharedSlot[];
  keepTruncated: boolean;
  rules: ThreadRules | null;
}

/** An error's message, name and own plain fields, as a message can carry them. */
export interface ErrorData {
  name: string;
  message: string;
  stack: string | undefined;
  fields: Record<string, string | number | boolean>;
}

export type WorkerMessage =
  | { type: 'batch'; filled: FilledSlot; matches: MatchColumns | null }
  | { type: 'progress'; sourceBytes: number; packets: number; bytesRead: number }
  | { type: 'done'; digest: string; bytesRead: number; truncation: Truncation | undefined }
  | { type: 'error'; error: ErrorData; bytesRead: number };

/** Decoding of the file at `path` (`size` bytes) on a worker thread. */
export function openDecodeThread(path: string, size: number, options: EnrichedSourceOptions): EnrichedSource {
  return new ThreadSource(path, size, options);
}

class ThreadSource implements EnrichedSource {
  readonly totalBytes: number;
  bytesRead = 0;
  truncation: Truncation | undefined = undefined;
  private readonly path: string;
  private readonly options: EnrichedSourceOptions;
  private hash: string | undefined;
  private worker: Worker | undefined;

  constructor(path: string, totalBytes: number, options: EnrichedSourceOptions) {
    this.path = path;
    this.totalBytes = totalBytes;
    this.options = options;
  }

  digest(): string {
    if (this.hash === undefined)
      throw new RangeError(`Cannot hash ${this.options.name}: only ${this.bytesRead} bytes were read`);
    return this.hash;
  }

  run(handlers: SourceHandlers): Promise<void> {
    const capacity = this.options.capacity ?? DEFAULT_BATCH_PACKETS;
    const slots = Array.from({ length: SLOTS }, () => createSharedSlot(capacity, DEFAULT_BATCH_BYTES));
    const views = slots.map(slotBatch);
    const data: DecodeWorkerData = {
      path: this.path,
      name: this.options.name,
      capacity,
      slots,
      keepTruncated: this.options.keepTruncated === true,
      rules: this.options.rules ?? null,
      geo: this.options.geo === null ? null : geoTransfer(this.options.geo),
    };
    const worker = new Worker(workerUrl(), { workerData: data });
    this.worker = worker;
    return new Promise<void>((resolve, reject) => {
      // The worker's exit is queued behind its messages: it follows `done` once the batches before it are handled.
      const queue: (WorkerMessage | { type: 'exit'; code: number })[] = [];
      let busy = false;
      let settled = false;
      const settle = (error?: unknown): void => {
        if (settled) return;
        settled = true;
        this.close();
        if (error === undefined) resolve();
        else reject(error);
      };
      const handle = async (m: (typeof queue)[number]): Promise<void> => {
        switch (m.type) {
          case 'batch':
            await handlers.onBatch(
              showFilled(views[m.filled.slot]!, m.filled),
              m.matches === null ? undefined : alertsOf(m.matches),
            );
            worker.postMessage(m.filled.slot);
            return;
          case 'progress':
            this.bytesRead = m.bytesRead;
            handlers.onProgress(m);
            return;
          case 'done':
            this.bytesRead = m.bytesRead;
            this.hash = m.digest;
            this.truncation = m.truncation;
            return settle();
          case 'error':
            this.bytesRead = m.bytesRead;
            return settle(rebuildError(m.error));
          case 'exit':
            return settle(
              new Error(
                `The decode thread for ${this.options.name} stopped (exit code ${m.code}) before the end of the capture`,
              ),
            );
        }
      };
      // Messages are handled one at a time in arrival order; a batch's handler may wait on the store.
      const pump = async (): Promise<void> => {
        if (busy) return;
        busy = true;
        try {
          while (queue.length > 0 && !settled) await handle(queue.shift()!);
        } catch (error) {
          settle(error);
        } finally {
          busy = false;
        }
      };
      worker.on('message', (m: WorkerMessage) => {
        queue.push(m);
        void pump();
      });
      worker.on('error', (error) => settle(error));
      worker.on('exit', (code) => {
        queue.push({ type: 'exit', code });
        void pump();
      });
    });
  }

  close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }
}

/** The worker's module: the build's JavaScript also when this module runs as TypeScript under the test runner. */
function workerUrl(): URL {
  if (import.meta.url.endsWith('.ts')) return new URL('../../dist/src/pipeline/decode-worker.js', import.meta.url);
  return new URL('./decode-worker.js', import.meta.url);
}

export function errorData(error: unknown): ErrorData {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), stack: undefined, fields: {} };
  const fields: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
  }
  return { name: error.name, message: error.message, stack: error.stack, fields };
}

function rebuildError(data: ErrorData): Error {
  const error = Object.assign(new Error(data.message), data.fields);
  // `name` may be a read-only class field on the original; here it is a plain property.
  Object.defineProperty(error, 'name', { value: data.name, enumerable: false, writable: true, configurable: true });
  if (data.stack !== undefined) error.stack = data.stack;
  return error;
}
