/**
 * @module
 * CLI-level errors and the one place that turns any error into a message line.
 */

/** Wrong command-line usage; exits with code 2. */
export class UsageError extends Error {
  readonly code = 'TEITEN_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** One line (plus causes) for stderr: `teiten: <message> [code]`. */
export function formatCliError(error: unknown): string {
  if (!(error instanceof Error)) return `teiten: ${String(error)}`;
  const code = errorCode(error);
  let text = `teiten: ${error.message}${code === null ? '' : ` [${code}]`}`;
  let cause: unknown = error.cause;
  for (let depth = 0; cause instanceof Error && depth < 4; depth++) {
    // Most wrappers quote their cause's message: say each thing once.
    if (!text.includes(cause.message)) text += `\n  caused by: ${cause.message}`;
    cause = cause.cause;
  }
  if (process.env.TEITEN_DEBUG && error.stack) text += `\n${error.stack}`;
  return text;
}

/**
 * The most specific code an error carries: a wrapper's `causeCode` (an
 * ingest that failed because its capture is truncated says
 * `TEITEN_CAPTURE_TRUNCATED`), else its own `code`; null when it has none.
 */
export function errorCode(error: unknown): string | null {
  const { causeCode, code } = (error ?? {}) as { causeCode?: unknown; code?: unknown };
  if (typeof causeCode === 'string') return causeCode;
  return typeof code === 'string' ? code : null;
}
