/**
 * @module
 * `openEnrichedSource()`: a capture read (hashing its bytes), decoded and
 * enriched into batches, the first half of an ingest. With `keepTruncated`, a
 * capture that ends inside a record (its writer died mid-record, as tcpdump
 * leaves a file when the sensor loses power) ends normally after its last
 * complete record, and `truncation` says where the incomplete one starts;
 * the hash still covers every byte of the file. A large file is decoded
 * and enriched on a worker thread (`decode-thread.ts`) while this thread
 * rolls up and stores the previous batches; small files, stdin and streams
 * are decoded here. Either way the batches, counts, hash and errors are the
 * same.
 */

import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createEnrichedBatch, type EnrichedBatch, enrichInto, type GeoResolver } from '../classify/index.js';
import { decodeCapture, type PacketBatch } from '../decode/index.js';
import { CaptureErrorCode } from '../capture/index.js';
import type { SignatureAlerts } from '../detect/index.js';
import { openDecodeThread } from './decode-thread.js';
import { openHashedInput, type HashedInput } from './hashed-input.js';
import type { ThreadRules } from './thread-rules.js';

export interface SourceHandlers {
  /**
   * Each batch in capture order; the next one waits for the returned
   * promise. `matches`: the signature matches of every decoded packet of the
   * batch, when the decode thread matched `EnrichedSourceOptions.rules`.
   */
  onBatch: (enriched: EnrichedBatch, matches?: SignatureAlerts) => Promise<void>;
  /** After each chunk of about 1 MiB: bytes of the file decoded (`sourceBytes`) and packets so far. */
  onProgress: (progress: { sourceBytes: number; packets: number }) => void;
}

/** Where a capture kept with `keepTruncated` stops: the offset its incomplete last record starts at. */
export interface Truncation {
  readonly offset: number;
  /** The capture error's text, e.g. `record data truncated (10 of 74 bytes)`. */
  readonly detail: string;
}

export interface EnrichedSource {
  readonly totalBytes: number | undefined;
  /** Set once `run` resolved on a truncated capture (only with `keepTruncated`). */
  readonly truncation: Truncation | undefined;
  /** Bytes read (and hashed) so far. */
  readonly bytesRead: number;
  /** SHA-256 of every byte, once `run` has resolved. */
  digest(): string;
  /** Decodes and enriches the whole capture; rejects with the capture's error after the batches before it. */
  run(handlers: SourceHandlers): Promise<void>;
  close(): void;
}

export interface EnrichedSourceOptions {
  name: string;
  geo: GeoResolver | null;
  /** Packets per batch. */
  capacity?: number | undefined;
  /** Decode a file on a worker thread: always, never, or (undefined) from `THREAD_MIN_BYTES` up; streams always decode here. */
  thread?: boolean | undefined;
  /** End a capture cut inside a record after its last complete record instead of failing (see the module comment). */
  keepTruncated?: boolean | undefined;
  /** Rules for a decode thread to match (`thread-rules.ts`); decoding on this thread leaves them to the caller. */
  rules?: ThreadRules | undefined;
}

/**
 * Files from this size decode on a worker thread by default. Starting one
 * (thread, modules, the GeoIP tables copied over, cold compiled code) costs
 * 0.2–0.4 s, measured: a 29 MB capture ingested in the same time either way,
 * a 260 MB one 22 % faster on the thread.
 */
export const THREAD_MIN_BYTES = 64 << 20;

export async function openEnrichedSource(
  input: string | Readable,
  options: EnrichedSourceOptions,
): Promise<EnrichedSource> {
  if (typeof input === 'string' && input !== '-' && options.thread !== false) {
    // A file that cannot be read is opened here, which reports why.
    const size = await stat(input).then(
      (s) => s.size,
      () => undefined,
    );
    if (size !== undefined && (options.thread === true || size >= THREAD_MIN_BYTES))
      return openDecodeThread(input, size, options);
  }
  return new LocalSource(await openHashedInput(input, { name: options.name }), options);
}

/** Decoding on this thread. */
class LocalSource implements EnrichedSource {
  truncation: Truncation | undefined = undefined;
  private readonly input: HashedInput;
  private readonly options: EnrichedSourceOptions;

  constructor(input: HashedInput, options: EnrichedSourceOptions) {
    this.input = input;
    this.options = options;
  }

  get totalBytes(): number | undefined {
    return this.input.totalBytes;
  }

  get bytesRead(): number {
    return this.input.bytesRead;
  }

  digest(): string {
    return this.input.digest();
  }

  async run(handlers: SourceHandlers): Promise<void> {
    const enriched = new WeakMap<PacketBatch, EnrichedBatch>();
    const { geo, capacity, name } = this.options;
    try {
      await this.decode(handlers, { geo, capacity, name, enriched });
    } catch (error) {
      const cut = this.options.keepTruncated === true && this.input.ended ? truncationOf(error) : undefined;
      if (cut === undefined) throw error;
      this.truncation = cut;
    }
  }

  private async decode(
    handlers: SourceHandlers,
    context: Pick<EnrichedSourceOptions, 'geo' | 'capacity' | 'name'> & {
      enriched: WeakMap<PacketBatch, EnrichedBatch>;
    },
  ): Promise<void> {
    const { geo, capacity, name, enriched } = context;
    await decodeCapture(this.input.stream, {
      name,
      onBatch: (batch) => {
        let e = enriched.get(batch);
        if (e === undefined) enriched.set(batch, (e = createEnrichedBatch(batch)));
        enrichInto(e, { geo });
        return handlers.onBatch(e);
      },
      onProgress: (p) => handlers.onProgress({ sourceBytes: p.sourceBytes, packets: p.packets }),
      ...(capacity === undefined ? {} : { capacity }),
    });
  }

  close(): void {
    this.input.close();
  }
}

/**
 * The truncation a capture error reports when the file ends inside a record
 * after at least its file header (offset > 0); undefined for any other error.
 */
export function truncationOf(error: unknown): Truncation | undefined {
  const e = error as { code?: unknown; offset?: unknown; detail?: unknown; message?: unknown } | null;
  if (e?.code !== CaptureErrorCode.TRUNCATED || typeof e.offset !== 'number' || !(e.offset > 0)) return undefined;
  return { offset: e.offset, detail: typeof e.detail === 'string' ? e.detail : String(e.message) };
}
