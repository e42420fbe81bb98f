/**
 * @module
 * `RetryLaterError`: a request refused for now, answered 503 with
 * `Retry-After` (the server too busy, an answer not ready in time). The
 * error handler treats every kind alike.
 */

export abstract class RetryLaterError extends Error {
  abstract readonly code: string;
  readonly statusCode = 503;
  readonly retryAfterSec: number;

  constructor(message: string, retryAfterSec: number) {
    super(message);
    this.retryAfterSec = retryAfterSec;
  }
}
