/**
 * @module
 * Byte sources for captures: a path, `-` for stdin, or any Node `Readable`
 * (such as the stdout of `tcpdump -w -`). Gzip is recognised by its magic
 * bytes, not by the name, and inflated as a stream: nothing buffers a whole
 * file.
 *
 * A plain (not gzip) file is read with `FileHandle.read()` into two buffers
 * used in turn: while the consumer frames one chunk, the next is already being
 * read into the other. So a chunk is only valid until the next one is asked
 * for; the capture stage's framers never keep one longer.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import type { Gunzip } from 'node:zlib';
import { CaptureErrorCode, CaptureFormatError, CaptureSourceError } from './errors.js';

/**
 * File read size. Large reads make per-chunk costs (an await, a DataView, a
 * carried tail) noise; on the decode benchmark 1 MiB beat 2 and 4 MiB (the
 * two buffers stay in the cache, and fewer batches wait per chunk).
 */
const READ_CHUNK_BYTES = 1 << 20;
/**
 * Read buffers start this far into their allocation. glibc hands out large
 * blocks 16 bytes past a page boundary, and on AMD Zen 3 the kernel's copy
 * into user memory (`rep movsb`) runs about 4x slower when the destination
 * sits a few to 31 bytes past the (page-aligned) source modulo 4 KiB: reading
 * a 364 MB capture took 145 ms into such a buffer, 32 ms into one shifted by
 * 64 bytes. Elsewhere the shift costs nothing.
 */
const READ_BUFFER_SHIFT = 64;
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
  /**
   * The decompressed bytes, chunk by chunk. Iterate once. A chunk's bytes may
   * be overwritten once the next chunk is asked for.
   */
  readonly chunks: AsyncIterable<Uint8Array>;
  /** Release the underlying streams; safe to call more than once. */
  close(): void;
}

/** Where raw (possibly compressed) chunks come from. */
interface RawReader {
  /** The next chunk, or undefined at the end. */
  next(): Promise<Uint8Array | undefined>;
  /**
   * From now on the reader may overwrite a chunk once the next one is asked
   * for (only safe when the consumer never holds on to a chunk).
   */
  reuseBuffers(): void;
  close(): void;
}

/** Open a capture source and look at its first bytes to detect gzip. */
export async function openCaptureSource(
  input: string | Readable,
  options: { name?: string } = {},
): Promise<CaptureSource> {
  const name = options.name ?? (typeof input === 'string' ? input : 'stream');
  let reader: RawReader;
  let totalBytes: number | undefined;
  if (input === STDIN_NAME) {
    reader = new StreamReader(process.stdin, name);
  } else if (typeof input === 'string') {
    try {
      const handle = await open(input, 'r');
      totalBytes = (await handle.stat()).size;
      reader = new FileReader(handle, name);
    } catch (error: unknown) {
      throw CaptureSourceError.of(name, error);
    }
  } else {
    reader = new StreamReader(input, name);
  }
  return new DetectingSource({ name, reader, totalBytes }).start();
}

/** A Readable's chunks, checked to be bytes. */
class StreamReader implements RawReader {
  readonly #stream: Readable;
  readonly #iterator: AsyncIterator<unknown>;
  readonly #name: string;

  constructor(stream: Readable, name: string) {
    this.#stream = stream;
    this.#iterator = stream[Symbol.asyncIterator]();
    this.#name = name;
  }

  async next(): Promise<Uint8Array | undefined> {
    let result: IteratorResult<unknown>;
    try {
      result = await this.#iterator.next();
    } catch (error: unknown) {
      throw CaptureSourceError.of(this.#name, error);
    }
    if (result.done === true) return undefined;
    const chunk = result.value;
    if (!(chunk instanceof Uint8Array)) {
      throw new TypeError(
        `Cannot read capture ${this.#name}: the stream yields ${typeof chunk}, not bytes (is an encoding set?)`,
      );
    }
    return chunk;
  }

  reuseBuffers(): void {
    // A stream hands out a new buffer per chunk; there is nothing to reuse.
  }

  close(): void {
    this.#stream.destroy();
  }
}

/**
 * Reads a file ahead by one chunk. Until `reuseBuffers()`, every read gets a
 * fresh buffer (the gzip path hands chunks to zlib, which works on them
 * asynchronously); after it, two buffers take turns, so they are allocated
 * (and their pages faulted in) once and stay warm in the cache.
 */
class FileReader implements RawReader {
  readonly #handle: FileHandle;
  readonly #name: string;
  #reuse = false;
  /** The read under way and the buffer it fills. */
  #pending: Promise<number> | undefined = undefined;
  #pendingBuffer: Uint8Array = new Uint8Array(0);
  /** The buffer of the chunk handed out last; the consumer is done with it once it asks for the next. */
  #handedOut: Uint8Array | undefined = undefined;
  #ended = false;
  #closed = false;

  constructor(handle: FileHandle, name: string) {
    this.#handle = handle;
    this.#name = name;
  }

  async next(): Promise<Uint8Array | undefined> {
    if (this.#ended) return undefined;
    this.#pending ??= this.#read(this.#freshBuffer());
    const buffer = this.#pendingBuffer;
    let bytesRead: number;
    try {
      bytesRead = await this.#pending;
    } catch (error: unknown) {
      throw CaptureSourceError.of(this.#name, error);
    } finally {
      this.#pending = undefined;
    }
    if (bytesRead === 0) {
      this.#ended = true;
      return undefined;
    }
    const spare = this.#reuse ? this.#handedOut : undefined;
    this.#handedOut = buffer;
    this.#pending = this.#read(spare ?? this.#freshBuffer());
    return buffer.subarray(0, bytesRead);
  }

  reuseBuffers(): void {
    this.#reuse = true;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#ended = true;
    const pending = this.#pending;
    this.#pending = undefined;
    // Close after the read ahead settles; neither outcome matters any more.
    const closeHandle = (): void => {
      this.#handle.close().catch(() => undefined);
    };
    if (pending === undefined) closeHandle();
    else pending.then(closeHandle, closeHandle);
  }

  #freshBuffer(): Uint8Array {
    const block = Buffer.allocUnsafeSlow(READ_BUFFER_SHIFT + READ_CHUNK_BYTES);
    return block.subarray(READ_BUFFER_SHIFT);
  }

  #read(buffer: Uint8Array): Promise<number> {
    this.#pendingBuffer = buffer;
    const read = this.#handle.read(buffer, 0, buffer.length, null).then((r) => r.bytesRead);
    // A read ahead that nobody awaits (reading stopped early) must not become an unhandled rejection.
    read.catch(() => undefined);
    return read;
  }
}

class DetectingSource implements CaptureSource {
  readonly name: string;
  compressed = false;
  readonly totalBytes: number | undefined;
  sourceBytes = 0;
  /** Assigned by start(), which every instance goes through before it is returned. */
  chunks!: AsyncIterable<Uint8Array>;
  readonly #reader: RawReader;
  #head: Uint8Array[] = [];
  #gunzip: Gunzip | undefined = undefined;

  constructor(init: { name: string; reader: RawReader; totalBytes: number | undefined }) {
    this.name = init.name;
    this.#reader = init.reader;
    this.totalBytes = init.totalBytes;
  }

  /** Read until the gzip magic can be checked, then pick the plain or inflating path. */
  async start(): Promise<this> {
    let headLength = 0;
    while (headLength < GZIP_MAGIC_SIZE) {
      const chunk = await this.#reader.next();
      if (chunk === undefined) break;
      this.#head.push(chunk);
      headLength += chunk.length;
    }
    if (this.#head.length > 1) this.#head = [Buffer.concat(this.#head)];
    const first = this.#head[0];
    this.compressed =
      first !== undefined && first.length >= GZIP_MAGIC_SIZE && first[0] === GZIP_MAGIC_0 && first[1] === GZIP_MAGIC_1;
    // Inflating hands raw chunks to zlib, which may still read one while the next is fetched.
    if (!this.compressed) this.#reader.reuseBuffers();
    this.chunks = this.compressed ? this.#inflated() : this.#rawChunks();
    return this;
  }

  close(): void {
    this.#gunzip?.destroy();
    this.#reader.close();
  }

  async *#rawChunks(): AsyncGenerator<Uint8Array> {
    const head = this.#head;
    this.#head = [];
    for (const chunk of head) {
      this.sourceBytes += chunk.length;
      yield chunk;
    }
    for (;;) {
      const chunk = await this.#reader.next();
      if (chunk === undefined) return;
      this.sourceBytes += chunk.length;
      yield chunk;
    }
  }

  async *#inflated(): AsyncGenerator<Uint8Array> {
    // Loaded on first use: most captures are not compressed.
    const { createGunzip } = await import('node:zlib');
    const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
    this.#gunzip = gunzip;
    // pipeline() carries backpressure and tears both streams down on failure;
    // the failure itself reaches us through the iteration of `gunzip` below.
    pipeline(Readable.from(this.#rawChunks(), { objectMode: false }), gunzip, () => undefined);
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
