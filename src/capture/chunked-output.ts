/**
 * @module
 * Buffered output for the capture writers. Records are encoded straight into
 * a 1 MiB buffer, which is handed on whole when full, so writing millions of
 * packets costs one `write` per MiB. Three destinations:
 *
 * - none: kept in memory; `toBuffer()` returns everything (test fixtures);
 * - a path: written with synchronous `fs.writeSync`, which is its own
 *   backpressure (the simulator and benchmarks writing large files);
 * - a `Writable`: `write()` on the stream; when its buffer is full the writer's
 *   `writePacket()` returns `false` and the caller awaits `drained()`, exactly
 *   like `stream.write()` itself.
 */
import { once } from 'node:events';
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

export const WRITE_CHUNK_BYTES = 1 << 20;
/** Memory outputs start small: most of them are test fixtures of a few records. */
const MEMORY_CHUNK_BYTES = 64 * 1024;

/** Where a writer sends its bytes: memory (undefined), a file path, or a stream. */
export type CaptureOutput = string | Writable | undefined;

export class ChunkedOutput {
  /** Current buffer and the next free offset in it; encoders write between `reserve()` calls. */
  buf: Uint8Array;
  view: DataView;
  pos = 0;
  private flushedBytes = 0;
  private readonly chunkSize: number;
  private readonly memory: Uint8Array[] | undefined;
  private readonly fd: number | undefined;
  private readonly stream: Writable | undefined;
  private closed = false;

  constructor(output: CaptureOutput) {
    this.memory = output === undefined ? [] : undefined;
    this.fd = typeof output === 'string' ? openSync(output, 'w') : undefined;
    this.stream = typeof output === 'object' ? output : undefined;
    this.chunkSize = output === undefined ? MEMORY_CHUNK_BYTES : WRITE_CHUNK_BYTES;
    this.buf = new Uint8Array(this.chunkSize);
    this.view = new DataView(this.buf.buffer);
  }

  /** Total bytes written so far, buffered ones included. */
  get bytesWritten(): number {
    return this.flushedBytes + this.pos;
  }

  /** True when a stream destination asks the caller to wait for `drained()`. */
  get needsDrain(): boolean {
    return this.stream?.writableNeedDrain ?? false;
  }

  /** Make room for `n` bytes and return the offset in `buf` where they go. */
  reserve(n: number): number {
    if (this.closed) throw new Error('Cannot write capture: the writer is closed');
    if (this.pos + n > this.buf.length) {
      this.flush();
      if (n > this.buf.length) this.replaceBuffer(n);
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  /** Hand the buffered bytes to the destination. */
  flush(): void {
    if (this.pos === 0) return;
    const chunk = this.buf.subarray(0, this.pos);
    this.flushedBytes += this.pos;
    this.pos = 0;
    if (this.fd !== undefined) {
      writeFully(this.fd, chunk);
    } else if (this.stream !== undefined) {
      // The stream keeps a reference to the chunk until it is written: never reuse it.
      this.stream.write(chunk);
      this.replaceBuffer(this.chunkSize);
    } else {
      this.memory?.push(chunk.slice());
    }
  }

  /** Resolves once a stream destination has drained (immediately otherwise). */
  async drained(): Promise<void> {
    if (this.stream !== undefined && this.stream.writableNeedDrain) await once(this.stream, 'drain');
  }

  /** Everything written so far (memory destination only). */
  toBuffer(): Buffer {
    if (this.memory === undefined)
      throw new TypeError('Cannot collect capture bytes: the writer streams to a file or stream');
    this.flush();
    return Buffer.concat(this.memory);
  }

  /** Flush, then close the file or end the stream and wait until it has finished. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    if (this.fd !== undefined) closeSync(this.fd);
    if (this.stream !== undefined) {
      this.stream.end();
      await finished(this.stream);
    }
  }

  private replaceBuffer(size: number): void {
    this.buf = new Uint8Array(Math.max(size, this.chunkSize));
    this.view = new DataView(this.buf.buffer);
  }
}

function writeFully(fd: number, chunk: Uint8Array): void {
  let done = 0;
  while (done < chunk.length) done += writeSync(fd, chunk, done, chunk.length - done);
}
