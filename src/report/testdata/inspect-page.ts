/**
 * @module
 * What a rendered report looks like inside headless Chromium, for the
 * browser tests: problems (console errors and warnings, page errors, any
 * network request — all aborted, so no test depends on or waits for the
 * network), each chart's drawn size and shapes, each data table's rows and
 * columns, and anything that could run or fetch (live elements, `on…`
 * handler attributes, links off the page).
 */

import type { Browser } from 'playwright-core';

/** The little of the DOM the page evaluation uses (the project compiles without the DOM lib). */
interface DomElement {
  id: string;
  getAttributeNames(): string[];
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): DomList;
  getBoundingClientRect(): { width: number; height: number };
}
type DomList = ArrayLike<DomElement> & Iterable<DomElement>;
declare const document: { querySelectorAll(selector: string): DomList };

export interface PageReport {
  problems: string[];
  charts: { id: string; width: number; height: number; shapes: number }[];
  tables: { id: string; rows: number; columns: number }[];
  liveElements: number;
  handlerAttributes: string[];
  links: string[];
}

export async function inspectPage(browser: Browser, html: string): Promise<PageReport> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => problems.push(`request: ${request.url()}`));
  page.on('requestfailed', (request) => problems.push(`failed request: ${request.url()}`));
  await page.route('**/*', (route) => route.abort('blockedbyclient'));
  await page.setContent(html, { waitUntil: 'load' });
  const dom = await page.evaluate(() => ({
    charts: [...document.querySelectorAll('figure.chart')].map((figure) => {
      const svg = figure.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      return { id: figure.id, width: box?.width ?? 0, height: box?.height ?? 0, shapes: svg?.querySelectorAll('path, rect, text').length ?? 0 };
    }),
    tables: [...document.querySelectorAll('table.data')].map((table) => ({
      id: table.id,
      rows: table.querySelectorAll('tbody tr').length,
      columns: table.querySelectorAll('thead th').length,
    })),
    liveElements: document.querySelectorAll('script, img, iframe, object, embed, foreignObject, image, use, link').length,
    handlerAttributes: [...document.querySelectorAll('*')].flatMap((el) => el.getAttributeNames().filter((n: string) => n.startsWith('on'))),
    links: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href') ?? '').filter((h) => !h.startsWith('#')),
  }));
  await context.close();
  return { problems, ...dom };
}
