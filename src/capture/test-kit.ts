/**
 * @module
 * Helpers for the capture stage's own tests: read bytes that must fail and
 * return the CaptureFormatError with the count of records read before it.
 */

import { chunkedStream } from './collect-records.js';
import { CaptureFormatError } from './errors.js';
import { readCapture } from './read-capture.js';

/** Reads `bytes` as `name` in chunks of `chunkSize` (default: one chunk) and returns the format error it must end with. */
export async function readFormatError(
  bytes: Uint8Array,
  options: { name: string; chunkSize?: number | undefined },
): Promise<{ error: CaptureFormatError; records: number }> {
  let records = 0;
  try {
    await readCapture(chunkedStream(bytes, options.chunkSize ?? Math.max(1, bytes.length)), {
      name: options.name,
      onRecord: () => {
        records++;
      },
    });
  } catch (error: unknown) {
    if (error instanceof CaptureFormatError) return { error, records };
    throw error;
  }
  throw new Error(`expected a CaptureFormatError reading ${options.name}`);
}
