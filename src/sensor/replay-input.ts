/**
 * @module
 * `replayCapture()`: feeds a capture file (or stdin) through the same
 * segmenting and spooling path as live capture, as fast as the spool takes
 * it, with segments cut by the packets' own timestamps.
 *
 * A file is identified by its absolute path, size and modification time; the
 * spool remembers how many of its records are already in committed segments,
 * so a restarted replay skips exactly those (nothing sent twice, nothing
 * missed) and, since cuts depend only on the packets, cuts the rest as an
 * uninterrupted run would have. Stdin cannot be resumed.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { readCapture, type CaptureSummary } from '../capture/index.js';
import type { SegmentCommitter } from './segment-committer.js';
import { Segmenter } from './segmenter.js';

const STDIN = '-';

export async function replayKey(input: string): Promise<string | undefined> {
  if (input === STDIN) return undefined;
  const path = resolve(input);
  const info = await stat(path);
  return `${path}:${info.size}:${Math.round(info.mtimeMs)}`;
}

export interface ReplayOptions {
  input: string;
  committer: SegmentCommitter;
  segmentSeconds: number;
  segmentBytes: number;
  /** Records already in committed segments (from the spool). */
  skipRecords: number;
  signal: AbortSignal;
}

export async function replayCapture(options: ReplayOptions): Promise<CaptureSummary> {
  const { committer, skipRecords, signal } = options;
  const segmenter = new Segmenter({
    mode: 'replay',
    segmentSeconds: options.segmentSeconds,
    segmentBytes: options.segmentBytes,
    recordsBase: skipRecords,
    onSegment: (sealed) => committer.push(sealed),
  });
  let seen = 0;
  const summary = await readCapture(options.input, {
    onRecord: (record) => {
      if (seen++ >= skipRecords) segmenter.push(record);
      return !signal.aborted;
    },
    onChunk: () => committer.settle(),
  });
  segmenter.finish();
  await committer.settle();
  return summary;
}
