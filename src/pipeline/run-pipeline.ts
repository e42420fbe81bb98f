/**
 * @module
 * `runPipeline()`: one capture through the shared front half of every
 * command that reads packets — read (hashing the bytes), decode, enrich, on
 * a worker thread for large files — handing each enriched batch to the
 * command's sinks in capture order. `ingest` adds its rollups and store
 * writer as sinks; `detect` its detectors; `rules match` the signature
 * engine. A capture that fails part-way has delivered every batch before
 * the fault when the error is thrown, which names the file and offset.
 */

import type { Readable } from 'node:stream';
import type { EnrichedBatch } from '../classify/index.js';
import { openEnrichedSource, type EnrichedSourceOptions, type Truncation } from './enriched-source.js';

/** A consumer of enriched batches; a batch is reused once `push` has returned (or its promise settled). */
export interface PacketSink {
  push(enriched: EnrichedBatch): void | Promise<void>;
}

export interface PipelineOptions extends Omit<EnrichedSourceOptions, 'name'> {
  /** Name used in messages; default the path (`stream` for a Readable). */
  name?: string;
  sinks: readonly PacketSink[];
  /** After each chunk of about 1 MiB. */
  onProgress?: (progress: { bytesRead: number; totalBytes: number | undefined; packets: number }) => void;
}

/** What one capture gave. */
export interface PipelineRun {
  name: string;
  packets: number;
  bytesRead: number;
  totalBytes: number | undefined;
  /** SHA-256 of every byte read. */
  sha256: string;
  /** Where a capture cut inside a record stops (only with `keepTruncated`). */
  truncation: Truncation | undefined;
}

export async function runPipeline(input: string | Readable, options: PipelineOptions): Promise<PipelineRun> {
  const name = options.name ?? (typeof input === 'string' ? input : 'stream');
  const source = await openEnrichedSource(input, { ...options, name });
  let packets = 0;
  try {
    await source.run({
      onBatch: async (enriched) => {
        packets += enriched.batch.length;
        for (const sink of options.sinks) await sink.push(enriched);
      },
      onProgress: (p) =>
        options.onProgress?.({ bytesRead: source.bytesRead, totalBytes: source.totalBytes, packets: p.packets }),
    });
    return {
      name,
      packets,
      bytesRead: source.bytesRead,
      totalBytes: source.totalBytes,
      sha256: source.digest(),
      truncation: source.truncation,
    };
  } finally {
    source.close();
  }
}
