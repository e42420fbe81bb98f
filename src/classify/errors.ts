/**
 * @module
 * The classify stage's domain error: a GeoIP/ASN database or its source file
 * that cannot be used. Each carries a stable `code` and the file it concerns.
 */

export const GeoDbErrorCode = {
  /** The file could not be read (missing, permissions, …). */
  READ: 'GEODB_READ',
  /** The bytes are no valid MMDB (bad metadata, tree or data). */
  FORMAT: 'GEODB_FORMAT',
  /** A valid MMDB whose records hold no country (or no ASN) in a known shape. */
  SHAPE: 'GEODB_SHAPE',
  /** The bundled database package is not installed. */
  MISSING: 'GEODB_MISSING',
  /** A row of an ASN CSV file cannot be parsed. */
  CSV_ROW: 'GEODB_CSV_ROW',
  /** An `MmdbWriter` was used after `toBuffer()`. */
  WRITER_FINISHED: 'GEODB_WRITER_FINISHED',
} as const;
export type GeoDbErrorCodeValue = (typeof GeoDbErrorCode)[keyof typeof GeoDbErrorCode];

export class GeoDbError extends Error {
  override readonly name = 'GeoDbError';
  readonly code: GeoDbErrorCodeValue;
  /** The database or CSV file concerned, when there is one. */
  readonly path: string | undefined;

  constructor(code: GeoDbErrorCodeValue, message: string, context: { path?: string; cause?: unknown } = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    this.path = context.path;
  }
}
