/**
 * @module
 * `decodeCapture()`: capture framing and protocol decoding in one streaming
 * pass, handing decoded `PacketBatch`es to an (optionally asynchronous)
 * consumer. Memory stays constant: batches are recycled once the consumer's
 * promise settles, and the reader waits for the consumer after every chunk.
 */
import type { Readable } from 'node:stream';
import {
  type CaptureFormat,
  type CaptureProgress,
  type CaptureSummary,
  type RawRecord,
  readCapture,
} from '../capture/index.js';
import type { PacketBatch } from './batch.js';
import { BatchBuilder } from './batch-builder.js';
import type { DecodeStats } from './decode-stats.js';

export interface DecodeCaptureOptions {
  /**
   * Receives each decoded batch. The batch is reused after the returned
   * promise settles, so copy anything kept beyond that.
   */
  onBatch: (batch: PacketBatch) => void | Promise<void>;
  /** Called after each chunk of the source, with packets decoded so far. */
  onProgress?: (progress: CaptureProgress & { packets: number }) => void;
  /** Stop after this many packets (at least 1). */
  limit?: number;
  /** Name for messages; defaults to the path. */
  name?: string;
  /** Packets per batch. */
  capacity?: number;
  /**
   * Hand over the partial batch after every chunk of the source instead of
   * waiting for a full one: a live pipe (`tcpdump -w - -U | teiten decode -`)
   * then shows packets as they arrive, not when thousands have.
   */
  live?: boolean;
  /**
   * Called before a failure is thrown with what was read up to it: the format
   * (undefined when the header itself could not be read) and the decode
   * counts of the packets delivered, so a summary can say what came before
   * the cut.
   */
  onFailure?: (partial: { format: CaptureFormat | undefined; compressed: boolean; decode: DecodeStats }) => void;
}

export interface DecodeCaptureResult {
  capture: CaptureSummary;
  decode: DecodeStats;
}

/**
 * Decodes every packet of a capture (path, `-` for stdin, or a stream).
 * On a malformed file, every complete packet before the fault is decoded and
 * delivered first; then the capture error is thrown.
 */
export async function decodeCapture(
  input: string | Readable,
  options: DecodeCaptureOptions,
): Promise<DecodeCaptureResult> {
  const ready: PacketBatch[] = [];
  const builder = new BatchBuilder({
    onBatch: (batch) => ready.push(batch),
    ...(options.capacity === undefined ? {} : { capacity: options.capacity }),
  });
  const limit = options.limit ?? Infinity;
  if (!(limit >= 1)) throw new RangeError(`Cannot decode a capture: limit is ${options.limit}`);

  const deliver = async (): Promise<void> => {
    while (ready.length > 0) {
      const batch = ready.shift()!;
      await options.onBatch(batch);
      builder.recycle(batch);
    }
  };
  // readCapture keeps a chunk's record bytes unchanged until onChunk, so the
  // builder copies them there, a region at a time, instead of per record.
  const onRecord = (record: RawRecord): boolean => {
    builder.pushRetained(record);
    return builder.frames < limit;
  };

  let capture: CaptureSummary;
  let format: CaptureFormat | undefined;
  let compressed = false;
  try {
    capture = await readCapture(input, {
      onRecord,
      onChunk: async (progress) => {
        builder.settle();
        if (options.live === true) builder.flush();
        await deliver();
        options.onProgress?.({ ...progress, packets: builder.frames });
      },
      onFormat: (f, gzip) => {
        format = f;
        compressed = gzip;
      },
      ...(options.name === undefined ? {} : { name: options.name }),
    });
  } catch (error: unknown) {
    // Keep every packet decoded before the fault: deliver it, then report the fault.
    builder.flush();
    await deliver();
    options.onFailure?.({ format, compressed, decode: builder.stats() });
    throw error;
  }
  builder.flush();
  await deliver();
  return { capture, decode: builder.stats() };
}
