import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PdfRenderError } from './errors.js';
import { renderHtml } from './html.js';
import { chromiumPath, countPdfPages, launchChromium, printHtml, renderPdf } from './pdf.js';
import { hostileDocument, sampleDocument } from './test-kit.js';
import { inspectPage } from './testdata/inspect-page.js';

const CHROMIUM = chromiumPath();
const available = existsSync(CHROMIUM);
if (!available)
  console.warn(`Skipping the Chromium tests of src/report: ${CHROMIUM} is absent (apt-get install chromium)`);

describe.skipIf(!available)('report in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium(CHROMIUM);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renderHtml() output opens without console errors or requests, with every chart drawn and every table present', async () => {
    const report = await inspectPage(browser, renderHtml(sampleDocument('ja')));
    expect(report.problems).toEqual([]);
    expect(report.charts.map((c) => c.id)).toEqual(['f2-1', 'f2-2', 'f2-5', 'f2-12', 'f1-1']);
    for (const chart of report.charts) {
      expect(chart.width, chart.id).toBeGreaterThan(100);
      expect(chart.height, chart.id).toBeGreaterThan(50);
    }
    expect(report.tables).toEqual([
      { id: 't1-1', rows: 2, columns: 3 },
      { id: 't2-1', rows: 8, columns: 7 },
    ]);
  });

  it('inspectPage() notices console errors, requests and live elements (control for the checks above)', async () => {
    const report = await inspectPage(
      browser,
      '<!DOCTYPE html><html><body><img src="http://192.0.2.1/x.png"><table class="data" id="t"></table></body></html>',
    );
    expect(report.problems.some((p) => p.startsWith('request: http://192.0.2.1/x.png'))).toBe(true);
    expect(report.liveElements).toBe(1);
    expect(report.tables).toEqual([{ id: 't', rows: 0, columns: 0 }]);
  });

  it('renderHtml() output of planted strings has no live elements or handlers in the browser DOM', async () => {
    const report = await inspectPage(browser, renderHtml(hostileDocument('en')));
    expect(report.problems).toEqual([]);
    expect(report.liveElements).toBe(0);
    expect(report.handlerAttributes).toEqual([]);
    expect(report.links).toEqual(['https://www.npa.go.jp/cyberpolice/']);
    expect(report.tables.find((t) => t.id === 'hostile-table')).toEqual({ id: 'hostile-table', rows: 12, columns: 3 });
  });

  it('renderHtml() sets English paragraphs in a proportional Latin face and Japanese ones in a Japanese face', async () => {
    const expected = {
      en: /^(Liberation Sans|DejaVu Sans)$/,
      ja: /^(IPAexGothic|IPAPGothic|IPA Pゴシック|Noto Sans CJK JP)$/,
    } as const;
    for (const lang of ['en', 'ja'] as const) {
      const page = await browser.newPage();
      try {
        await page.setContent(renderHtml(sampleDocument(lang)));
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('DOM.enable');
        await cdp.send('CSS.enable');
        const { root } = await cdp.send('DOM.getDocument');
        const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: 'p.para' });
        const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
        // The face that set most of the paragraph's glyphs.
        const main = [...fonts].sort((a, b) => b.glyphCount - a.glyphCount)[0];
        expect(main?.familyName, `${lang}: ${JSON.stringify(fonts)}`).toMatch(expected[lang]);
      } finally {
        await page.close();
      }
    }
  });

  it('renderPdf() prints an A4 PDF with a plausible page count and writes it when asked', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'teiten-pdf-')), 'report.pdf');
    const pdf = await renderPdf(sampleDocument('ja'), { browser, outPath: out });
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const pages = countPdfPages(pdf);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(pages).toBeLessThanOrEqual(8);
    expect(Buffer.from(readFileSync(out)).equals(Buffer.from(pdf))).toBe(true);
    const text = Buffer.from(pdf).toString('latin1');
    expect(text).toMatch(/\/MediaBox\s*\[\s*0 0 59[45](?:\.\d+)? 84[12](?:\.\d+)?\s*\]/);
  });

  it('printHtml() aborts any request the page tries to make', async () => {
    const html =
      '<!DOCTYPE html><html><head><link rel="stylesheet" href="http://192.0.2.1/x.css"></head><body><img src="http://192.0.2.1/x.png"><p>x</p></body></html>';
    const pdf = await printHtml(html, { browser });
    expect(countPdfPages(pdf)).toBe(1);
  });
});

describe('launchChromium()', () => {
  it('launchChromium() names a missing executable', async () => {
    await expect(launchChromium('/nonexistent/chromium')).rejects.toThrow(PdfRenderError);
    await expect(launchChromium('/nonexistent/chromium')).rejects.toThrow(
      'Cannot print PDF with /nonexistent/chromium: no such executable',
    );
  });

  it('countPdfPages() counts page objects but not the page tree', () => {
    const fake = new TextEncoder().encode(
      '%PDF-1.4\n1 0 obj <</Type /Pages /Count 2>>\n2 0 obj <</Type /Page>>\n3 0 obj <</Type/Page /Parent 1 0 R>>',
    );
    expect(countPdfPages(fake)).toBe(2);
  });
});
