/**
 * @module
 * Errors of the capture stage. A malformed capture file stops reading (style
 * rule 17), so every error names the file and, where it is known, the byte
 * offset in the decompressed stream, and carries a stable `code`.
 */

export const CaptureErrorCode = {
  /** The stream ends inside a file header, record header or record body. */
  TRUNCATED: 'TEITEN_CAPTURE_TRUNCATED',
  /** The stream holds no bytes at all. */
  EMPTY: 'TEITEN_CAPTURE_EMPTY',
  /** The first bytes are neither a pcap nor a pcapng magic number. */
  BAD_MAGIC: 'TEITEN_CAPTURE_BAD_MAGIC',
  /** A pcap file header that cannot be used (for example version 1.x). */
  BAD_HEADER: 'TEITEN_CAPTURE_BAD_HEADER',
  /** A pcapng block whose length, layout or references are inconsistent. */
  BAD_BLOCK: 'TEITEN_CAPTURE_BAD_BLOCK',
  /** A record or block length above the hard cap or the file's snapshot length. */
  RECORD_TOO_LARGE: 'TEITEN_CAPTURE_RECORD_TOO_LARGE',
  /** The gzip layer is corrupt or cut off. */
  BAD_GZIP: 'TEITEN_CAPTURE_BAD_GZIP',
  /** The source could not be opened or read (CaptureSourceError). */
  SOURCE: 'TEITEN_CAPTURE_SOURCE',
} as const;
export type CaptureErrorCodeValue = (typeof CaptureErrorCode)[keyof typeof CaptureErrorCode];

export interface CaptureErrorContext {
  code: CaptureErrorCodeValue;
  fileName: string;
  offset: number | undefined;
  cause?: unknown;
}

/** Bytes of a capture that cannot be parsed. */
export class CaptureFormatError extends SyntaxError {
  override readonly name = 'CaptureFormatError';
  readonly code: CaptureErrorCodeValue;
  /** Name of the capture as given to the reader (a path, `-` or a label). */
  readonly fileName: string;
  /** Byte offset in the decompressed stream, or `undefined` when not meaningful (gzip). */
  readonly offset: number | undefined;
  /** The problem without the file and offset prefix, e.g. `record header truncated`. */
  readonly detail: string;

  constructor(detail: string, context: CaptureErrorContext) {
    const { code, fileName, offset } = context;
    const at = offset === undefined ? '' : ` at byte ${offset}`;
    super(
      `Cannot read capture ${fileName}${at}: ${detail}`,
      context.cause === undefined ? {} : { cause: context.cause },
    );
    this.code = code;
    this.fileName = fileName;
    this.offset = offset;
    this.detail = detail;
  }
}

/** The capture could not be opened or read (missing file, I/O error of the stream). */
export class CaptureSourceError extends Error {
  override readonly name = 'CaptureSourceError';
  readonly code = CaptureErrorCode.SOURCE;
  readonly fileName: string;

  constructor(fileName: string, cause: unknown) {
    super(`Cannot read capture ${fileName}: ${sourceReason(cause)}`, { cause });
    this.fileName = fileName;
  }

  /** `cause` as a source error of `fileName`; one that already is one passes through (readers stack: one message, not one per layer). */
  static of(fileName: string, cause: unknown): CaptureSourceError {
    return cause instanceof CaptureSourceError ? cause : new CaptureSourceError(fileName, cause);
  }
}

/** What went wrong, in words a user acts on for the usual system errors. */
function sourceReason(cause: unknown): string {
  const code = (cause as { code?: unknown } | null)?.code;
  if (code === 'EISDIR') return 'it is a directory (EISDIR; name the capture files in it)';
  if (code === 'ENOENT') return 'no such file (ENOENT)';
  if (code === 'EACCES') return 'permission denied (EACCES)';
  return cause instanceof Error ? cause.message : String(cause);
}
