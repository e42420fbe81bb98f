/**
 * @module
 * Request bodies read with their size limit enforced while streaming (style
 * rule 18) and their SHA-256 computed on the way: into memory for small
 * JSON bodies, into a file for capture segments, so memory does not grow
 * with the segment size. A body over the limit is refused with 413 as soon
 * as the limit is passed; the rest of it is read and discarded so the client
 * gets the answer instead of a reset connection.
 */

import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { finished } from 'node:stream/promises';
import { CollectorError, CollectorErrorCode } from './errors.js';

export interface BodyDigest {
  sha256: string;
  bytes: number;
}

function tooLarge(limit: number): CollectorError {
  return new CollectorError(
    CollectorErrorCode.TOO_LARGE,
    `the body is larger than the ${limit} bytes this collector accepts`,
  );
}

/** Refuses at once a request whose Content-Length announces more than `limit`. */
export function checkLength(raw: IncomingMessage, limit: number): void {
  const announced = Number(raw.headers['content-length']);
  if (Number.isFinite(announced) && announced > limit) {
    raw.resume();
    throw tooLarge(limit);
  }
}

/** The whole body in memory (JSON requests), at most `limit` bytes. */
export async function readBodyBuffer(raw: IncomingMessage, limit: number): Promise<Buffer> {
  checkLength(raw, limit);
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of raw) {
    bytes += (chunk as Buffer).length;
    if (bytes > limit) {
      raw.resume();
      throw tooLarge(limit);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, bytes);
}

/** The body into `file` (created, mode 0600), hashed on the way; the file is removed on failure. */
export async function readBodyToFile(raw: IncomingMessage, file: string, limit: number): Promise<BodyDigest> {
  checkLength(raw, limit);
  const hash = createHash('sha256');
  const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
  let bytes = 0;
  try {
    for await (const chunk of raw) {
      const buffer = chunk as Buffer;
      bytes += buffer.length;
      if (bytes > limit) {
        raw.resume();
        throw tooLarge(limit);
      }
      hash.update(buffer);
      if (!out.write(buffer)) await new Promise<void>((resolve) => out.once('drain', resolve));
    }
    out.end();
    await finished(out);
    return { sha256: hash.digest('hex'), bytes };
  } catch (error) {
    // The file is discarded: a write still in flight when the stream is
    // destroyed fails with ERR_STREAM_DESTROYED after this, and that failure
    // belongs to the discard, not to the request. `finished` keeps listening
    // (no cleanup), so it never surfaces as an uncaught exception.
    out.destroy();
    await finished(out).catch(() => undefined);
    await rm(file, { force: true });
    throw error;
  }
}
