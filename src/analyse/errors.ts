/**
 * @module
 * Errors of the analytics stage. Each has a stable `code` and names the
 * offending field, so the CLI can point at the option that caused it.
 */

export const AnalyseErrorCode = {
  /** A statistics request is malformed: unknown sensor, bad filter value, bad item key. */
  INPUT: 'TEITEN_ANALYSE_INPUT',
  /** An export could not be written; `path` names the file. */
  EXPORT: 'TEITEN_ANALYSE_EXPORT',
} as const;

/** A request the store cannot answer as asked, e.g. `sensors: ['nosuch']`. */
export class StatsInputError extends RangeError {
  override readonly name = 'StatsInputError';
  readonly code = AnalyseErrorCode.INPUT;
  /** The request field at fault: `sensors`, `ipVersion`, `packetClasses`, `service`, `country`, `keys`, `by`, … */
  readonly field: string;
  readonly value: unknown;

  constructor(field: string, value: unknown, detail: string, options?: { cause?: unknown }) {
    super(`Cannot compute statistics: ${field} ${JSON.stringify(value)} ${detail}`, options);
    this.field = field;
    this.value = value;
  }
}

/** Writing an export file failed. */
export class ExportError extends Error {
  override readonly name = 'ExportError';
  readonly code = AnalyseErrorCode.EXPORT;
  readonly path: string;

  constructor(path: string, detail: string, options?: { cause?: unknown }) {
    super(`Cannot export to ${path}: ${detail}`, options);
    this.path = path;
  }
}
