/**
 * @module
 * Errors of the report stage, each with a stable `code`.
 */

/** A document that breaks the model's rules; `path` names the field, e.g. `sections[1].blocks[2].rows[0]`. */
export class ReportDocumentError extends TypeError {
  override readonly name = 'ReportDocumentError';
  readonly code = 'TEITEN_REPORT_DOCUMENT';
  readonly path: string;

  constructor(path: string, detail: string, options?: { cause?: unknown }) {
    super(`Invalid report document at ${path}: ${detail}`, options);
    this.path = path;
  }
}

/** A chart that ECharts could not draw, or whose SVG failed the safety check. */
export class ChartRenderError extends Error {
  override readonly name = 'ChartRenderError';
  readonly code = 'TEITEN_CHART_RENDER';
  readonly chartId: string;

  constructor(chartId: string, detail: string, options?: { cause?: unknown }) {
    super(`Cannot render chart ${JSON.stringify(chartId)}: ${detail}`, options);
    this.chartId = chartId;
  }
}

/** Chromium could not be started or could not print the PDF. */
export class PdfRenderError extends Error {
  override readonly name = 'PdfRenderError';
  readonly code = 'TEITEN_PDF_RENDER';
  readonly executablePath: string;

  constructor(executablePath: string, detail: string, options?: { cause?: unknown }) {
    super(`Cannot print PDF with ${executablePath}: ${detail}`, options);
    this.executablePath = executablePath;
  }
}

/** The port knowledge base file is missing or malformed. */
export class PortKnowledgeError extends SyntaxError {
  override readonly name = 'PortKnowledgeError';
  readonly code = 'TEITEN_PORT_KNOWLEDGE';
  readonly file: string;

  constructor(file: string, detail: string, options?: { cause?: unknown }) {
    super(`Cannot load port knowledge base ${file}: ${detail}`, options);
    this.file = file;
  }
}
