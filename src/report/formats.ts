/**
 * @module
 * The output formats of `teiten report --format`, as a name-keyed registry
 * so the CLI gets its list of choices from the type. Every renderer resolves
 * to bytes; only PDF needs Chromium (loaded lazily, so the other formats do
 * not pay for playwright-core).
 */

import type { ReportDocument } from './document.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import type { PdfOptions } from './pdf.js';

export interface RenderOptions {
  /** Passed to the PDF renderer (executable, browser to reuse). */
  pdf?: Omit<PdfOptions, 'outPath'>;
}

interface FormatEntry {
  extension: string;
  mediaType: string;
  render: (doc: ReportDocument, options: RenderOptions) => Promise<Uint8Array>;
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

export const REPORT_FORMATS = {
  html: { extension: 'html', mediaType: 'text/html; charset=utf-8', render: async (doc) => utf8(renderHtml(doc)) },
  md: { extension: 'md', mediaType: 'text/markdown; charset=utf-8', render: async (doc) => utf8(renderMarkdown(doc)) },
  json: { extension: 'json', mediaType: 'application/json', render: async (doc) => utf8(renderJson(doc)) },
  pdf: {
    extension: 'pdf',
    mediaType: 'application/pdf',
    render: async (doc, options) => (await import('./pdf.js')).renderPdf(doc, options.pdf ?? {}),
  },
} as const satisfies Record<string, FormatEntry>;

export type ReportFormat = keyof typeof REPORT_FORMATS;

export const REPORT_FORMAT_NAMES = Object.keys(REPORT_FORMATS) as ReportFormat[];

/** Renders `doc` in `format`. */
export async function renderReport(
  doc: ReportDocument,
  format: ReportFormat,
  options: RenderOptions = {},
): Promise<Uint8Array> {
  const entry: FormatEntry | undefined = REPORT_FORMATS[format];
  if (entry === undefined)
    throw new RangeError(`Cannot render report as "${String(format)}": expected ${REPORT_FORMAT_NAMES.join(', ')}`);
  return entry.render(doc, options);
}
