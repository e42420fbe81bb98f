/**
 * Composed reports in headless Chromium (Debian's, as `renderPdf` uses):
 * the HTML opens without console errors or network requests, every figure
 * of the document is drawn as an SVG of real size, every table is there
 * with its rows and columns, nothing planted runs; and the PDF prints to a
 * plausible number of A4 pages. Skipped, with the reason printed, when
 * /usr/bin/chromium (or TEITEN_CHROMIUM) is absent.
 */

import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePeriod } from '../../src/analyse/index.js';
import { composeMonthly, composeQuarterly } from '../../src/report/compose/index.js';
import { renderHtml, type ReportDocument, type TableBlock } from '../../src/report/index.js';
import { chromiumPath, countPdfPages, launchChromium, renderPdf } from '../../src/report/pdf.js';
import { openStore, type AnalyticsStore } from '../../src/store/index.js';
import { detectionsFixture } from './detections-fixture.js';
import { allBlocks } from './doc-helpers.js';
import { loadReportFixture, TIME_ZONE } from './report-fixture.js';
import { inspectPage } from '../../src/report/testdata/inspect-page.js';

const CHROMIUM = chromiumPath();
const available = existsSync(CHROMIUM);
if (!available) console.warn(`Skipping the Chromium tests of test/report: ${CHROMIUM} is absent (apt-get install chromium, or set TEITEN_CHROMIUM)`);

function expectedTables(doc: ReportDocument): { id: string; rows: number; columns: number }[] {
  return allBlocks(doc).filter((b): b is TableBlock => b.kind === 'table').map((t) => ({ id: t.id, rows: t.rows.length, columns: t.columns.length }));
}

function chartIds(doc: ReportDocument): string[] {
  return allBlocks(doc).flatMap((b) => (b.kind === 'chart' ? [b.id] : []));
}

describe.skipIf(!available)('composed reports in headless Chromium', () => {
  let browser: Browser;
  let store: AnalyticsStore;
  let quarterly: ReportDocument;
  let monthly: ReportDocument;

  beforeAll(async () => {
    store = await openStore(':memory:', { timeZone: TIME_ZONE });
    await loadReportFixture(store);
    [quarterly, monthly, browser] = await Promise.all([
      composeQuarterly(store, parsePeriod('FY2010Q1', { timeZone: TIME_ZONE }), { lang: 'ja', detections: detectionsFixture() }),
      composeMonthly(store, parsePeriod('2010-06', { timeZone: TIME_ZONE }), { lang: 'en' }),
      launchChromium(CHROMIUM),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await store?.close();
  });

  for (const which of ['quarterly', 'monthly'] as const) {
    it(`renderHtml() of the ${which} report opens cleanly, with every chart drawn and every table present`, async () => {
      const doc = which === 'quarterly' ? quarterly : monthly;
      const report = await inspectPage(browser, renderHtml(doc));
      expect(report.problems).toEqual([]);
      expect(report.charts.map((c) => c.id)).toEqual(chartIds(doc));
      expect(report.charts.length).toBeGreaterThan(10);
      for (const c of report.charts) {
        expect(c.width, c.id).toBeGreaterThan(100);
        expect(c.height, c.id).toBeGreaterThan(50);
        expect(c.shapes, c.id).toBeGreaterThan(3);
      }
      expect(report.tables).toEqual(expectedTables(doc));
      expect(report.liveElements).toBe(0);
      expect(report.handlerAttributes.length).toBe(0);
    });
  }

  it('renderPdf() prints the quarterly and monthly reports to A4 PDFs of a plausible length', async () => {
    for (const doc of [quarterly, monthly]) {
      const pdf = await renderPdf(doc, { browser });
      expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
      const pages = countPdfPages(pdf);
      expect(pages, doc.meta.kind).toBeGreaterThanOrEqual(6);
      expect(pages, doc.meta.kind).toBeLessThanOrEqual(30);
    }
  });
});
