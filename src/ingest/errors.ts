/**
 * @module
 * Errors of the ingest stage, each with a stable `code` and the file it is
 * about. A capture that fails part-way is rolled back whole; the error says
 * where reading stopped and carries the underlying error as `cause`.
 */

import { CaptureErrorCode } from '../capture/index.js';

export const IngestErrorCode = {
  /** Reading, decoding or storing a capture failed; nothing of it was stored. */
  FAILED: 'TEITEN_INGEST_FAILED',
  /**
   * The capture overlaps in time an earlier ingest of the sensor whose raw
   * packets are no longer stored, so duplicates cannot be detected.
   */
  OVERLAP_UNCHECKED: 'TEITEN_INGEST_OVERLAP_UNCHECKED',
  /** The capture counted nothing, or most of its packets go to addresses that are not the sensor's. */
  NOT_THE_SENSORS: 'TEITEN_INGEST_NOT_THE_SENSORS',
} as const;

/** ISO 8601 UTC text of epoch seconds, for messages. */
export function isoSeconds(sec: number): string {
  return new Date(sec * 1000).toISOString().replace('.000Z', 'Z');
}

/** A capture that could not be ingested; `cause` is what went wrong. */
export class IngestFailedError extends Error {
  override readonly name = 'IngestFailedError';
  readonly code = IngestErrorCode.FAILED;
  readonly fileName: string;
  /**
   * Where it failed: the byte offset a capture error names, else how far the
   * decoder had got (raw bytes of the file, compressed bytes for gzip).
   */
  readonly offset: number;
  /** The underlying error's own code (`TEITEN_CAPTURE_TRUNCATED`, `TEITEN_STORE_QUERY` …), if it has one. */
  readonly causeCode: string | undefined;

  constructor(fileName: string, context: { offset: number; totalBytes: number | undefined; cause: unknown }) {
    const { totalBytes, cause } = context;
    const reason = cause instanceof Error ? cause.message : String(cause);
    const named = (cause as { offset?: unknown } | null)?.offset;
    const offset = typeof named === 'number' ? named : context.offset;
    // A capture error already says "at byte N"; anything else gets the position added.
    const where =
      typeof named === 'number' ? '' : ` (at byte ${offset}${totalBytes === undefined ? '' : ` of ${totalBytes}`})`;
    const code = (cause as { code?: unknown } | null)?.code;
    // A capture cut inside a record (after its header) can still give its complete records.
    const hint =
      code === CaptureErrorCode.TRUNCATED && offset > 0
        ? '; to count its complete records, ingest it with --keep-truncated'
        : '';
    super(`Cannot ingest ${fileName}, nothing of it was stored: ${reason}${where}${hint}`, { cause });
    this.fileName = fileName;
    this.offset = offset;
    this.causeCode = typeof code === 'string' ? code : undefined;
  }
}

/** What the overlap error says about the earlier ingest. */
export interface OverlappedIngest {
  readonly id: number;
  readonly fileName: string;
  readonly firstSec: number;
  readonly lastSec: number;
}

/** Packets fall inside an earlier ingest whose raw packets are gone (see `duplicate-filter.ts`). */
export class OverlapUncheckedError extends Error {
  override readonly name = 'OverlapUncheckedError';
  readonly code = IngestErrorCode.OVERLAP_UNCHECKED;
  readonly fileName: string;
  /** Second of the first packet found inside the earlier ingest's time span. */
  readonly packetSec: number;
  readonly overlapped: OverlappedIngest;

  constructor(fileName: string, context: { packetSec: number; overlapped: OverlappedIngest }) {
    const { packetSec, overlapped: o } = context;
    super(
      `Cannot ingest ${fileName}: its packet at ${isoSeconds(packetSec)} falls inside ingest ${o.id} (${o.fileName}, ` +
        `${isoSeconds(o.firstSec)} to ${isoSeconds(o.lastSec)}), whose raw packets are no longer stored, so duplicate ` +
        'packets cannot be detected; allow the overlap (--allow-overlap) to count them without the check',
    );
    this.fileName = fileName;
    this.packetSec = packetSec;
    this.overlapped = o;
  }
}

/**
 * A capture refused because it does not look like the sensor's: it counted
 * nothing, or most packets go to other addresses. Usually the wrong
 * `--sensor`, or addresses mistyped at `sensors add`; nothing was stored,
 * so the same command succeeds once that is fixed.
 */
export class NotTheSensorsCaptureError extends Error {
  override readonly name = 'NotTheSensorsCaptureError';
  readonly code = IngestErrorCode.NOT_THE_SENSORS;

  constructor(
    fileName: string,
    detail: {
      sensor: string;
      addresses: string;
      read: number;
      counted: number;
      other: number;
      notObserving: number;
      top: string;
    },
  ) {
    const n = (x: number): string => x.toLocaleString('en');
    const parts = [];
    if (detail.other > 0) {
      parts.push(
        `${n(detail.other)} go to addresses not of sensor ${detail.sensor} (${detail.addresses})${detail.top === '' ? '' : `, most to ${detail.top}`}`,
      );
    }
    if (detail.notObserving > 0)
      parts.push(`${n(detail.notObserving)} fall outside its operating time (teiten sensors list)`);
    const what =
      detail.read === 0
        ? 'it holds no packets'
        : `it counted ${n(detail.counted)} of ${n(detail.read)} packets; ${parts.join('; ')}`;
    super(
      `Cannot ingest ${fileName}, nothing of it was stored: ${what}. Check --sensor and the sensor's addresses, ` +
        'or pass --allow-empty to store it as it is',
    );
  }
}
