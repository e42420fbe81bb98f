/**
 * @module
 * Why the collector refuses a request: one error class with a stable `code`
 * and the HTTP status it maps to, turned into an answer in one place
 * (`server.ts`'s error handler). Authentication failures say which check
 * failed: the agent needs to know whether to fix its clock, its credentials
 * or nothing (a replay is the agent's own retry of a request already seen).
 */

export const CollectorErrorCode = {
  /** A sensor header is missing or malformed. */
  BAD_REQUEST: 'TEITEN_COLLECTOR_BAD_REQUEST',
  /** No sensor of that name, or no valid key for it. */
  UNKNOWN_SENSOR: 'TEITEN_COLLECTOR_UNKNOWN_SENSOR',
  /** The sensor's key was revoked. */
  REVOKED: 'TEITEN_COLLECTOR_REVOKED',
  /** The signature does not match the request. */
  BAD_SIGNATURE: 'TEITEN_COLLECTOR_BAD_SIGNATURE',
  /** The request's timestamp is further than `MAX_CLOCK_SKEW_MS` from the collector's clock. */
  CLOCK_SKEW: 'TEITEN_COLLECTOR_CLOCK_SKEW',
  /** The nonce was used before. */
  REPLAY: 'TEITEN_COLLECTOR_REPLAY',
  /** The body is larger than the collector accepts. */
  TOO_LARGE: 'TEITEN_COLLECTOR_TOO_LARGE',
  /** Metadata or body is malformed; the reason names the field. */
  INVALID: 'TEITEN_COLLECTOR_INVALID',
  /** The ingest queue is full: retry after `Retry-After` seconds. */
  BUSY: 'TEITEN_COLLECTOR_BUSY',
} as const;
export type CollectorErrorCodeValue = (typeof CollectorErrorCode)[keyof typeof CollectorErrorCode];

const STATUS: Readonly<Record<CollectorErrorCodeValue, number>> = {
  [CollectorErrorCode.BAD_REQUEST]: 400,
  [CollectorErrorCode.UNKNOWN_SENSOR]: 401,
  [CollectorErrorCode.REVOKED]: 403,
  [CollectorErrorCode.BAD_SIGNATURE]: 401,
  [CollectorErrorCode.CLOCK_SKEW]: 401,
  [CollectorErrorCode.REPLAY]: 401,
  [CollectorErrorCode.TOO_LARGE]: 413,
  [CollectorErrorCode.INVALID]: 400,
  [CollectorErrorCode.BUSY]: 503,
};

export class CollectorError extends Error {
  override readonly name = 'CollectorError';
  readonly code: CollectorErrorCodeValue;
  readonly status: number;
  /** Seconds for `Retry-After` (503 only). */
  readonly retryAfterSec: number | undefined;

  constructor(
    code: CollectorErrorCodeValue,
    reason: string,
    options: { cause?: unknown; retryAfterSec?: number } = {},
  ) {
    super(reason, options.cause === undefined ? {} : { cause: options.cause });
    this.code = code;
    this.status = STATUS[code];
    this.retryAfterSec = options.retryAfterSec;
  }
}
