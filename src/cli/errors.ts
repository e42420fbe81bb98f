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
  const code = (error as { code?: unknown }).code;
  let text = `teiten: ${error.message}${typeof code === 'string' ? ` [${code}]` : ''}`;
  let cause: unknown = error.cause;
  for (let depth = 0; cause instanceof Error && depth < 4; depth++) {
    text += `\n  caused by: ${cause.message}`;
    cause = cause.cause;
  }
  if (process.env.TEITEN_DEBUG && error.stack) text += `\n${error.stack}`;
  return text;
}
