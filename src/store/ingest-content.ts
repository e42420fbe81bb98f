/**
 * @module
 * Checks of a capture's content identity (SHA-256 and size), shared by
 * `beginIngest` and `commit`: a single-pass ingest learns the hash only once
 * it has read the capture, so either call may bring it.
 */

import type { IngestContent } from './store.js';

const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/** A capture's hash (64 hex digits, lower-cased) and size. */
export function checkIngestContent(fileName: string, content: IngestContent): IngestContent {
  const sha256 = typeof content.sha256 === 'string' ? content.sha256.toLowerCase() : '';
  if (!SHA256_PATTERN.test(sha256)) {
    throw new TypeError(
      `Cannot ingest ${fileName}: sha256 must be 64 hex digits, got ${JSON.stringify(content.sha256)}`,
    );
  }
  return { sha256, bytes: checkBytes(fileName, content.bytes) };
}

/** A capture size: a whole number of bytes. */
export function checkBytes(fileName: string, bytes: number): number {
  if (!Number.isSafeInteger(bytes) || bytes < 0) {
    throw new RangeError(`Cannot ingest ${fileName}: bytes must be a whole number >= 0, got ${bytes}`);
  }
  return bytes;
}
