/**
 * @module
 * `renderPdf`: the HTML report printed to an A4 PDF by Debian's Chromium
 * through playwright-core, with page numbers in the footer. The page runs
 * with JavaScript disabled, the context offline and every request aborted:
 * the report is self-contained, so anything it tried to fetch would be a
 * bug or an injection, and must not reach the network.
 */

import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';
import type { ReportDocument } from './document.js';
import { PdfRenderError } from './errors.js';
import { renderHtml } from './html.js';

/** Debian's Chromium; `TEITEN_CHROMIUM` overrides it. */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';
/** Flags for a quiet headless run: no sandbox (containers), no GPU, no background traffic. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Must match the `@page` margins of `html-style.ts`; the bottom one holds the page-number footer. */
const PAGE_MARGIN = { top: '18mm', right: '16mm', bottom: '20mm', left: '16mm' } as const;
const FOOTER_TEMPLATE =
  '<div style="width:100%;font-size:8pt;font-family:sans-serif;color:#444;text-align:center;">' +
  '<span class="pageNumber"></span> / <span class="totalPages"></span></div>';
/** An empty header: Chromium prints the title and date there when given none. */
const HEADER_TEMPLATE = '<span></span>';
const PDF_PAGE_OBJECT = /\/Type\s*\/Page(?![A-Za-z])/g;

export interface PdfOptions {
  /** Also write the PDF here. */
  outPath?: string;
  executablePath?: string;
  /** A browser to reuse (tests, batch runs); it is left open. */
  browser?: Browser;
}

/** The Chromium executable to use: `TEITEN_CHROMIUM`, else `/usr/bin/chromium`. */
export function chromiumPath(): string {
  return process.env['TEITEN_CHROMIUM'] || DEFAULT_CHROMIUM_PATH;
}

/** Starts headless Chromium; throws `PdfRenderError` when the executable is missing or will not start. */
export async function launchChromium(executablePath: string = chromiumPath()): Promise<Browser> {
  if (!existsSync(executablePath)) {
    throw new PdfRenderError(
      executablePath,
      'no such executable (install the Debian chromium package or set TEITEN_CHROMIUM)',
    );
  }
  try {
    return await chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS] });
  } catch (cause) {
    throw new PdfRenderError(executablePath, `Chromium did not start: ${(cause as Error).message}`, { cause });
  }
}

/** Renders `doc` to HTML and prints it; resolves to the PDF bytes. */
export async function renderPdf(doc: ReportDocument, options: PdfOptions = {}): Promise<Uint8Array> {
  return printHtml(renderHtml(doc), options);
}

/** Prints a self-contained HTML string to an A4 PDF with page numbers. */
export async function printHtml(html: string, options: PdfOptions = {}): Promise<Uint8Array> {
  const executablePath = options.executablePath ?? chromiumPath();
  const browser = options.browser ?? (await launchChromium(executablePath));
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    try {
      const page = await context.newPage();
      await page.route('**/*', (route) => route.abort('blockedbyclient'));
      await page.setContent(html, { waitUntil: 'load' });
      const pdf = await page.pdf({
        format: 'A4',
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: HEADER_TEMPLATE,
        footerTemplate: FOOTER_TEMPLATE,
        margin: PAGE_MARGIN,
      });
      if (options.outPath !== undefined) await writeFile(options.outPath, pdf);
      return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
    } finally {
      await context.close();
    }
  } catch (cause) {
    if (cause instanceof PdfRenderError) throw cause;
    throw new PdfRenderError(executablePath, (cause as Error).message, { cause });
  } finally {
    if (options.browser === undefined) await browser.close();
  }
}

/** Pages in a PDF written by Chromium (it keeps page objects uncompressed): counts `/Type /Page` objects. */
export function countPdfPages(pdf: Uint8Array): number {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  return text.match(PDF_PAGE_OBJECT)?.length ?? 0;
}
