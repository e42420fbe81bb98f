/**
 * @module
 * Test and tooling helper: read a whole capture into an array of copied
 * records, from a path, a Readable or bytes in memory (optionally delivered in
 * small pieces, to exercise records that straddle chunk boundaries). Not for
 * hot paths: it copies every record.
 */
import { Readable } from 'node:stream';
import type { RawRecord } from './record.js';
import { readCapture, type CaptureSummary } from './read-capture.js';

/** A record with its own copy of the captured bytes. */
export interface CollectedRecord extends Omit<RawRecord, 'data' | 'offset'> {
  bytes: Uint8Array;
}

export interface CollectOptions {
  /** For in-memory input: deliver it in pieces of this size (or cycling through these sizes). */
  chunkSizes?: number | number[];
  /** Stop after this many records (the sink returns `false`). */
  limit?: number;
  name?: string;
}

/** A Readable that yields `bytes` in pieces of exactly the given size(s). */
export function chunkedStream(bytes: Uint8Array, chunkSizes: number | number[]): Readable {
  const sizes = typeof chunkSizes === 'number' ? [chunkSizes] : chunkSizes;
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw new RangeError(`Cannot split bytes: chunk sizes ${sizes.join(', ')} must be positive integers`);
  }
  function* pieces(): Generator<Buffer> {
    let pos = 0;
    for (let i = 0; pos < bytes.length; i++) {
      const size = sizes[i % sizes.length] ?? 1;
      yield Buffer.from(bytes.subarray(pos, pos + size));
      pos += size;
    }
  }
  // Object mode keeps every piece a chunk of its own; a byte stream would coalesce them.
  return Readable.from(pieces(), { objectMode: true });
}

/** Read every record of a capture into memory. */
export async function collectRecords(
  input: string | Readable | Uint8Array,
  options: CollectOptions = {},
): Promise<{ records: CollectedRecord[]; summary: CaptureSummary }> {
  const source =
    input instanceof Uint8Array ? chunkedStream(input, options.chunkSizes ?? Math.max(1, input.length)) : input;
  const records: CollectedRecord[] = [];
  const limit = options.limit ?? Infinity;
  const summary = await readCapture(source, {
    name: options.name ?? (typeof input === 'string' ? input : 'memory'),
    onRecord: (r) => {
      records.push({
        linkType: r.linkType,
        tsSec: r.tsSec,
        tsNsec: r.tsNsec,
        capLen: r.capLen,
        wireLen: r.wireLen,
        snapLen: r.snapLen,
        // A copy (Buffer#slice would be a view) as a plain Uint8Array.
        bytes: new Uint8Array(r.data.subarray(r.offset, r.offset + r.capLen)),
        fileOffset: r.fileOffset,
        interfaceId: r.interfaceId,
      });
      return records.length < limit;
    },
  });
  return { records, summary };
}
