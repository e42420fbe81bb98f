/**
 * @module
 * `readCapture()`: the entry point of the capture stage. Opens a source,
 * detects pcap or pcapng by magic number (after gzip, if any), frames every
 * record into the caller's sink and reports what it read.
 */
import type { Readable } from 'node:stream';
import { CaptureErrorCode, CaptureFormatError } from './errors.js';
import type { Framer } from './framer.js';
import { PcapFramer, isPcapMagic } from './pcap.js';
import { PcapngFramer, isPcapngMagic } from './pcapng.js';
import type { RecordSink } from './record.js';
import { openCaptureSource } from './source.js';

const FRAMERS = { pcap: PcapFramer, pcapng: PcapngFramer } as const;
export type CaptureFormat = keyof typeof FRAMERS;

const MAGIC_SIZE = 4;

export interface CaptureProgress {
  /** Raw bytes read from the source (compressed bytes for gzip). */
  sourceBytes: number;
  /** Size of the source when known (a file), for a percentage. */
  totalBytes: number | undefined;
}

export interface ReadCaptureOptions {
  /**
   * Receives every record; return `false` to stop after this one. The record
   * object is reused, but the bytes it points to stay unchanged until
   * `onChunk` for the chunk being framed has been called (or until
   * `readCapture` settles), so a sink may defer copying them to there.
   */
  onRecord: RecordSink;
  /**
   * Awaited after each chunk has been framed: the backpressure point for
   * asynchronous consumers (flush a batch, insert into a database). The bytes
   * of the records framed from earlier chunks may be reused after it returns.
   */
  onChunk?: (progress: CaptureProgress) => void | Promise<void>;
  /** Called once the file header is recognised, before any record. */
  onFormat?: (format: CaptureFormat, compressed: boolean) => void;
  /** Name for messages; defaults to the path, or `stream` for a Readable. */
  name?: string;
}

export interface CaptureTimestamp {
  sec: number;
  nsec: number;
}

export interface CaptureSummary {
  name: string;
  format: CaptureFormat;
  compressed: boolean;
  /** Records delivered to the sink. */
  records: number;
  /** Sum of captured lengths of the records delivered. */
  bytes: number;
  /** Sum of their original (wire) lengths. */
  wireBytes: number;
  /** Link types of the records delivered, in order of first appearance. */
  linkTypes: number[];
  /** Timestamps of the first and last record in file order (not min/max). */
  firstTimestamp: CaptureTimestamp | undefined;
  lastTimestamp: CaptureTimestamp | undefined;
  /** True when the sink returned `false` and reading stopped there. */
  stoppedEarly: boolean;
  /** Raw bytes read from the source. */
  sourceBytes: number;
}

/** Which format the first four bytes (read little-endian) announce, if any. */
export function detectCaptureFormat(magicLe: number): CaptureFormat | undefined {
  if (isPcapMagic(magicLe)) return 'pcap';
  if (isPcapngMagic(magicLe)) return 'pcapng';
  return undefined;
}

/**
 * Read a capture from a path, `-` (stdin) or a Readable. Every complete
 * record is delivered before an error about a damaged file is thrown.
 * The source stream is destroyed when reading ends, stops early or fails.
 */
export async function readCapture(input: string | Readable, options: ReadCaptureOptions): Promise<CaptureSummary> {
  const source = await openCaptureSource(input, options.name === undefined ? {} : { name: options.name });
  const { onRecord, onChunk } = options;
  try {
    let framer: Framer | undefined;
    let format: CaptureFormat = 'pcap';
    let head: Uint8Array | undefined;
    for await (let chunk of source.chunks) {
      if (framer === undefined) {
        // Only a stream cut into tiny pieces gets here more than once.
        head = head === undefined ? chunk : Buffer.concat([head, chunk]);
        // Copied: the source may reuse the chunk's buffer for the next one.
        if (head.length < MAGIC_SIZE) {
          head = new Uint8Array(head);
          continue;
        }
        format = detect(head, source.name);
        options.onFormat?.(format, source.compressed);
        framer = new FRAMERS[format](onRecord, { fileName: source.name });
        chunk = head;
      }
      const more = framer.feed(chunk);
      if (onChunk !== undefined) await onChunk({ sourceBytes: source.sourceBytes, totalBytes: source.totalBytes });
      if (!more) break;
    }
    if (framer === undefined) {
      const got = head?.length ?? 0;
      const where = { fileName: source.name, offset: 0 };
      if (got === 0) throw new CaptureFormatError('the file is empty', { code: CaptureErrorCode.EMPTY, ...where });
      throw new CaptureFormatError(`file header truncated (${got} bytes)`, {
        code: CaptureErrorCode.TRUNCATED,
        ...where,
      });
    }
    framer.finish();
    const s = framer.stats;
    return {
      name: source.name,
      format,
      compressed: source.compressed,
      records: s.records,
      bytes: s.capturedBytes,
      wireBytes: s.wireBytes,
      linkTypes: s.linkTypes,
      firstTimestamp: s.records === 0 ? undefined : { sec: s.firstSec, nsec: s.firstNsec },
      lastTimestamp: s.records === 0 ? undefined : { sec: s.lastSec, nsec: s.lastNsec },
      stoppedEarly: framer.stopped,
      sourceBytes: source.sourceBytes,
    };
  } finally {
    source.close();
  }
}

function detect(head: Uint8Array, fileName: string): CaptureFormat {
  const magic = new DataView(head.buffer, head.byteOffset, MAGIC_SIZE).getUint32(0, true);
  const format = detectCaptureFormat(magic);
  if (format !== undefined) return format;
  const bytes = Buffer.from(head.subarray(0, MAGIC_SIZE))
    .toString('hex')
    .replace(/(..)(?!$)/g, '$1 ');
  throw new CaptureFormatError(`unknown magic bytes ${bytes}: neither pcap nor pcapng`, {
    code: CaptureErrorCode.BAD_MAGIC,
    fileName,
    offset: 0,
  });
}
