/**
 * Composed reports in headless Chromium (Debian's, as `renderPdf` uses):
 * the HTML opens without console errors or network requests, every figure
 * of the document is drawn as an SVG of real size, every table is there
 * with its rows and columns, nothing planted runs; and the PDF prints to a
 * plausible number of A4 pages. Skipped, with the reason printed, when
 * /usr/bin/chromium (or TEITEN_CHROMIUM) is absent.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { haveCommand } from '../../src/util/have-command.js';

const CHROMIUM = chromiumPath();
const available = existsSync(CHROMIUM);
if (!available)
  console.warn(
    `Skipping the Chromium tests of test/report: ${CHROMIUM} is absent (apt-get install chromium, or set TEITEN_CHROMIUM)`,
  );

function expectedTables(doc: ReportDocument): { id: string; rows: number; columns: number }[] {
  return allBlocks(doc)
    .filter((b): b is TableBlock => b.kind === 'table')
    .map((t) => ({ id: t.id, rows: t.rows.length, columns: t.columns.length }));
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
      composeQuarterly(store, parsePeriod('FY2010Q1', { timeZone: TIME_ZONE }), {
        lang: 'ja',
        detections: detectionsFixture(),
      }),
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

  it('renderPdf() leaves no page but the last more than half empty (the English monthly report, rendered by pdftoppm)', async (ctx) => {
    if (!haveCommand('pdftoppm')) ctx.skip('pdftoppm is absent (apt-get install poppler-utils)');
    const dir = mkdtempSync(join(tmpdir(), 'teiten-fill-'));
    try {
      writeFileSync(join(dir, 'monthly.pdf'), await renderPdf(monthly, { browser }));
      const run = spawnSync('pdftoppm', ['-r', '30', '-gray', join(dir, 'monthly.pdf'), join(dir, 'page')], {
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      const pages = readdirSync(dir)
        .filter((f) => f.endsWith('.pgm'))
        .sort();
      expect(pages.length).toBeGreaterThanOrEqual(6);
      const fills = pages.map((f) => inkDepth(readFileSync(join(dir, f))));
      // The footer (page number) is left out: the body is the top 90 % of the page.
      for (const [k, fill] of fills.slice(0, -1).entries())
        expect(fill, `page ${k + 1} of ${fills.map((x) => x.toFixed(2)).join(' ')}`).toBeGreaterThan(0.5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Where the ink of a page's body ends, as a share of the page's height, from a binary PGM (P5) image. */
function inkDepth(pgm: Buffer): number {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'));
  if (header === null) throw new Error('pdftoppm did not write a binary PGM');
  const [width, height] = [Number(header[1]), Number(header[2])];
  const pixels = pgm.subarray(header[0].length);
  const bodyRows = Math.floor(height * 0.9);
  let last = 0;
  for (let y = 0; y < bodyRows; y++) {
    for (let x = 0; x < width; x++) {
      if (pixels[y * width + x]! < 160) {
        last = y;
        break;
      }
    }
  }
  return last / height;
}
