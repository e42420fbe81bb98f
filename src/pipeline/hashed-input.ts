/**
 * @module
 * `openHashedInput()`: a capture's bytes as a stream for `decodeCapture`,
 * with the SHA-256 of exactly those bytes computed as they pass, so the
 * duplicate key costs no second read. The hash covers the file as stored
 * (still compressed, for gzip), which is what "the same capture" means.
 *
 * A path is read with `FileHandle.read` in 1 MiB chunks into fresh buffers
 * (the decoder may hold a chunk until it asks for the next one, and the
 * stream may read one ahead); stdin (`-`) and other streams are hashed chunk
 * by chunk as they arrive.
 */

import { createHash, type Hash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { CaptureSourceError } from '../capture/index.js';

const READ_CHUNK_BYTES = 1 << 20;
/** Keeps the read buffer off a page boundary (see `capture/source.ts`: the kernel copy runs faster). */
const READ_BUFFER_SHIFT = 64;
const STDIN_NAME = '-';

export interface HashedInput {
  readonly name: string;
  /** The bytes, to hand to `decodeCapture`; iterate once. */
  readonly stream: Readable;
  /** File size when known (paths). */
  readonly totalBytes: number | undefined;
  /** Bytes read so far. */
  readonly bytesRead: number;
  /** True once the stream has delivered its last byte. */
  readonly ended: boolean;
  /** Lower-case hex SHA-256 of every byte; only once `ended`. */
  digest(): string;
  /** Releases the file or stream; safe to repeat. */
  close(): void;
}

/** Opens a path, `-` (stdin) or a Readable for hashing while it is read. */
export async function openHashedInput(input: string | Readable, options: { name?: string } = {}): Promise<HashedInput> {
  const name = options.name ?? (typeof input === 'string' ? input : 'stream');
  if (typeof input === 'string' && input !== STDIN_NAME) {
    let handle: FileHandle;
    let size: number;
    try {
      handle = await open(input, 'r');
      size = (await handle.stat()).size;
    } catch (error) {
      throw CaptureSourceError.of(name, error);
    }
    return new Hashed(
      name,
      size,
      (self) => readFile(self, handle),
      () => void handle.close().catch(() => undefined),
    );
  }
  const source = input === STDIN_NAME ? process.stdin : (input as Readable);
  return new Hashed(
    name,
    undefined,
    (self) => passThrough(self, source),
    () => source.destroy(),
  );
}

class Hashed implements HashedInput {
  readonly name: string;
  readonly totalBytes: number | undefined;
  readonly stream: Readable;
  bytesRead = 0;
  ended = false;
  readonly hash: Hash = createHash('sha256');
  private readonly release: () => void;
  private closed = false;

  constructor(
    name: string,
    totalBytes: number | undefined,
    chunks: (self: Hashed) => AsyncGenerator<Uint8Array>,
    release: () => void,
  ) {
    this.name = name;
    this.totalBytes = totalBytes;
    this.release = release;
    // One chunk of read-ahead: the stream asks for more only below a chunk buffered.
    this.stream = Readable.from(chunks(this), { objectMode: false, highWaterMark: READ_CHUNK_BYTES });
    this.stream.once('close', () => this.close());
  }

  /** Hashes and counts a chunk on its way out. */
  take(chunk: Uint8Array): Uint8Array {
    this.hash.update(chunk);
    this.bytesRead += chunk.length;
    return chunk;
  }

  digest(): string {
    if (!this.ended) throw new RangeError(`Cannot hash ${this.name}: only ${this.bytesRead} bytes were read`);
    return this.hash.copy().digest('hex');
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.release();
  }
}

async function* readFile(self: Hashed, handle: FileHandle): AsyncGenerator<Uint8Array> {
  for (;;) {
    const buffer = Buffer.allocUnsafeSlow(READ_BUFFER_SHIFT + READ_CHUNK_BYTES).subarray(READ_BUFFER_SHIFT);
    let bytesRead: number;
    try {
      ({ bytesRead } = await handle.read(buffer, 0, READ_CHUNK_BYTES, null));
    } catch (error) {
      throw CaptureSourceError.of(self.name, error);
    }
    if (bytesRead === 0) break;
    yield self.take(buffer.subarray(0, bytesRead));
  }
  self.ended = true;
}

async function* passThrough(self: Hashed, source: Readable): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    if (!(chunk instanceof Uint8Array)) {
      throw new TypeError(
        `Cannot read capture ${self.name}: the stream yields ${typeof chunk}, not bytes (is an encoding set?)`,
      );
    }
    yield self.take(chunk);
  }
  self.ended = true;
}
