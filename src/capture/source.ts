/**
 * @module
 * Byte sources for captures: a path, `-` for stdin, or any Node `Readable`
 * (such as the stdout of `tcpdump -w -`). Gzip is recognised by its magic
 * bytes, not by the name, and inflated as a stream: nothing buffers a whole
 * file. Files are read in 1 MiB chunks so framing overhead per chunk is noise.
 */
import { open } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';
import { CaptureErrorCode, CaptureFormatError, CaptureSourceError } from './errors.js';

/** Large reads: per-chunk costs (an await, a DataView, a carried tail) amortise to nothing. */
const READ_CHUNK_BYTES = 1 << 20;
/** zlib's default output chunk is 16 KiB; match the file read size instead. */
const GUNZIP_CHUNK_BYTES = 1 << 20;
const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;
const GZIP_MAGIC_SIZE = 2;
const STDIN_NAME = '-';

export interface CaptureSource {
  /** Name for messages: the path, `-`, or the label given for a stream. */
  readonly name: string;
  /** True when the bytes were gzip-compressed. */
  readonly compressed: boolean;
  /** Size of the file in bytes when known (paths only). */
  readonly totalBytes: number | undefined;
  /** Raw (still compressed, if gzip) bytes read from the source so far. */
  readonly sourceBytes: number;
  /** The decompressed bytes, chunk by chunk. Iterate once. */
  readonly chunks: AsyncIterable<Uint8Array>;
  /** Release the underlying streams; safe to call more than once. */
  close(): void;
}

/** Open a capture source and look at its first bytes to detect gzip. */
export async function openCaptureSource(
  input: string | Readable,
  options: { name?: string } = {},
): Promise<CaptureSource> {
  const name = options.name ?? (typeof input === 'string' ? input : 'stream');
  let raw: Readable;
  let totalBytes: number | undefined;
  if (input === STDIN_NAME) {
    raw = process.stdin;
  } else if (typeof input === 'string') {
    try {
      const handle = await open(input, 'r');
      totalBytes = (await handle.stat()).size;
      raw = handle.createReadStream({ highWaterMark: READ_CHUNK_BYTES });
    } catch (error: unknown) {
      throw new CaptureSourceError(name, error);
    }
  } else {
    raw = input;
  }
  return new StreamSource({ name, raw, totalBytes }).start();
}

class StreamSource implements CaptureSource {
  readonly name: string;
  compressed = false;
  readonly totalBytes: number | undefined;
  sourceBytes = 0;
  /** Assigned by start(), which every instance goes through before it is returned. */
  chunks!: AsyncIterable<Uint8Array>;
  private readonly raw: Readable;
  private readonly iterator: AsyncIterator<unknown>;
  private head: Uint8Array[] = [];
  private gunzip: Gunzip | undefined = undefined;

  constructor(init: { name: string; raw: Readable; totalBytes: number | undefined }) {
    this.name = init.name;
    this.raw = init.raw;
    this.totalBytes = init.totalBytes;
    this.iterator = init.raw[Symbol.asyncIterator]();
  }

  /** Read until the gzip magic can be checked, then pick the plain or inflating path. */
  async start(): Promise<this> {
    let headLength = 0;
    while (headLength < GZIP_MAGIC_SIZE) {
      const chunk = await this.nextRaw();
      if (chunk === undefined) break;
      this.head.push(chunk);
      headLength += chunk.length;
    }
    if (this.head.length > 1) this.head = [Buffer.concat(this.head)];
    const first = this.head[0];
    this.compressed =
      first !== undefined && first.length >= GZIP_MAGIC_SIZE && first[0] === GZIP_MAGIC_0 && first[1] === GZIP_MAGIC_1;
    this.chunks = this.compressed ? this.inflated() : this.rawChunks();
    return this;
  }

  close(): void {
    this.gunzip?.destroy();
    this.raw.destroy();
  }

  private async nextRaw(): Promise<Uint8Array | undefined> {
    let result: IteratorResult<unknown>;
    try {
      result = await this.iterator.next();
    } catch (error: unknown) {
      throw new CaptureSourceError(this.name, error);
    }
    if (result.done === true) return undefined;
    const chunk = result.value;
    if (!(chunk instanceof Uint8Array)) {
      throw new TypeError(`Cannot read capture ${this.name}: the stream yields ${typeof chunk}, not bytes (is an encoding set?)`);
    }
    return chunk;
  }

  private async *rawChunks(): AsyncGenerator<Uint8Array> {
    const head = this.head;
    this.head = [];
    for (const chunk of head) {
      this.sourceBytes += chunk.length;
      yield chunk;
    }
    for (;;) {
      const chunk = await this.nextRaw();
      if (chunk === undefined) return;
      this.sourceBytes += chunk.length;
      yield chunk;
    }
  }

  private async *inflated(): AsyncGenerator<Uint8Array> {
    const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
    this.gunzip = gunzip;
    // pipeline() carries backpressure and tears both streams down on failure;
    // the failure itself reaches us through the iteration of `gunzip` below.
    pipeline(Readable.from(this.rawChunks(), { objectMode: false }), gunzip, () => undefined);
    try {
      for await (const chunk of gunzip) yield chunk as Uint8Array;
    } catch (error: unknown) {
      if (error instanceof CaptureSourceError || error instanceof TypeError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new CaptureFormatError(`the gzip stream is corrupt or cut off (${reason})`, {
        code: CaptureErrorCode.BAD_GZIP,
        fileName: this.name,
        offset: undefined,
        cause: error,
      });
    }
  }
}
