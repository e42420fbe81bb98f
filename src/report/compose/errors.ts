/**
 * @module
 * Errors of the composers, each with a stable `code`.
 */

/** Detection tables handed to a composer that break `detection-input.ts`; `field` is the path, e.g. `signatures.byCategory.2.current`. */
export class DetectionInputError extends TypeError {
  override readonly name = 'DetectionInputError';
  readonly code = 'TEITEN_REPORT_DETECTION_INPUT';
  readonly source: string;
  readonly field: string;

  constructor(source: string, field: string, detail: string, options?: { cause?: unknown }) {
    super(`Invalid detection input ${source} at ${field}: ${detail}`, options);
    this.source = source;
    this.field = field;
  }
}

/** A period or option a composer cannot lay out a report for. */
export class ComposeError extends RangeError {
  override readonly name = 'ComposeError';
  readonly code = 'TEITEN_REPORT_COMPOSE';
  readonly option: string;

  constructor(option: string, detail: string) {
    super(`Cannot compose report: ${option} ${detail}`);
    this.option = option;
  }
}
