/**
 * The dashboard in headless Chromium (Debian's, through playwright-core),
 * served by `buildServer()` on an ephemeral port over the simulated
 * detector-check store. From the overview every same-site link is followed
 * (bounded): each page answers 200 with no console error or warning, no
 * page error, no request leaving the server, nothing live (no script,
 * image, frame) and no `on…` attribute; charts are drawn; pages also load
 * with JavaScript disabled. The period picker and the IP lookup are driven
 * through their forms, and the planted sensor label reaches a page as
 * inert text. Skipped, with the reason printed, when Chromium is absent.
 */

import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, launchChromium } from '../../src/report/pdf.js';
import { buildServer } from '../../src/serve/index.js';
import { fillServedStore, HOSTILE_LABEL, PERIOD } from '../../src/serve/testdata/served-store.js';
import type { Truth } from '../../src/simulate/index.js';
import { openStore, type AnalyticsStore } from '../../src/store/index.js';

const CHROMIUM = chromiumPath();
const available = existsSync(CHROMIUM);
if (!available) console.warn(`Skipping the dashboard browser tests: ${CHROMIUM} is absent (apt-get install chromium, or set TEITEN_CHROMIUM)`);

/** Pages the crawl visits at most: every kind of page, without walking every country and address. */
const MAX_PAGES = 45;

/** The little of the DOM the evaluations use (the project compiles without the DOM lib). */
interface DomElement {
  getAttributeNames(): string[];
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<DomElement> & Iterable<DomElement>;
  getBoundingClientRect(): { width: number; height: number };
  textContent: string | null;
}
declare const document: { querySelectorAll(selector: string): ArrayLike<DomElement> & Iterable<DomElement>; title: string };

interface Visit {
  status: number;
  problems: string[];
  links: string[];
  charts: { width: number; height: number; shapes: number }[];
  live: number;
  handlers: string[];
  text: string;
}

let store: AnalyticsStore;
let truth: Truth;
let app: FastifyInstance;
let base: string;
let browser: Browser;

/** A context whose every request off `base` is recorded as a problem and aborted. */
async function watchedPage(context: BrowserContext, problems: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.route('**/*', (route) => {
    if (route.request().url().startsWith(`${base}/`)) return route.continue();
    problems.push(`request off the server: ${route.request().url()}`);
    return route.abort('blockedbyclient');
  });
  return page;
}

async function inspect(page: Page): Promise<Omit<Visit, 'status' | 'problems'>> {
  return page.evaluate(() => ({
    links: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href') ?? ''),
    charts: [...document.querySelectorAll('figure.chart svg')].map((svg) => {
      const box = svg.getBoundingClientRect();
      return { width: box.width, height: box.height, shapes: svg.querySelectorAll('path, rect, text').length };
    }),
    live: document.querySelectorAll('script, img, iframe, object, embed, foreignObject, image, use').length,
    handlers: [...document.querySelectorAll('*')].flatMap((el) => el.getAttributeNames().filter((n) => n.startsWith('on'))),
    text: [...document.querySelectorAll('main')].map((m) => m.textContent ?? '').join(''),
  }));
}

async function visit(context: BrowserContext, path: string): Promise<Visit> {
  const problems: string[] = [];
  const page = await watchedPage(context, problems);
  const response = await page.goto(`${base}${path}`, { waitUntil: 'load' });
  const dom = await inspect(page);
  await page.close();
  return { status: response?.status() ?? 0, problems, ...dom };
}

beforeAll(async () => {
  if (!available) return;
  store = await openStore(':memory:', { timeZone: 'Asia/Tokyo' });
  ({ truth } = await fillServedStore(store));
  app = await buildServer(store);
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  browser = await launchChromium(CHROMIUM);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await store?.close();
});

describe.skipIf(!available)('the dashboard in headless Chromium', () => {
  it('every page reached from the overview loads cleanly, links resolve, charts are drawn', async () => {
    const context = await browser.newContext();
    const start = ['/', '/?lang=en', `/ports?period=${PERIOD}`, '/countries', '/ip', '/backscatter', '/scanners', '/findings'];
    const queue = [...start];
    const seen = new Set<string>();
    const kinds = new Set<string>();
    let charts = 0;
    let visited = 0;
    while (queue.length > 0 && visited < MAX_PAGES) {
      const path = queue.shift()!;
      visited += 1;
      const v = await visit(context, path);
      expect(v.status, path).toBe(200);
      expect(v.problems, path).toEqual([]);
      expect(v.live, path).toBe(0);
      expect(v.handlers, path).toEqual([]);
      for (const chart of v.charts) {
        expect(chart.width, path).toBeGreaterThan(100);
        expect(chart.shapes, path).toBeGreaterThan(10);
      }
      charts += v.charts.length;
      kinds.add(path.split('?')[0]!.split('/').slice(0, 2).join('/'));
      for (const link of v.links) {
        expect(link.startsWith('/'), `${path} links off the site: ${link}`).toBe(true);
        // One visit per page and language: the same page for another period is the same code.
        const key = `${link.split('?')[0]} ${link.includes('lang=en') ? 'en' : 'ja'}`;
        if (link.startsWith('/api/') || seen.has(key)) continue;
        seen.add(key);
        queue.push(link);
      }
    }
    // Pages the bounded crawl did not open must still answer.
    for (const link of queue) expect((await fetch(`${base}${link}`)).status, link).toBe(200);
    console.log(`crawled ${visited} pages (${[...kinds].sort().join(' ')}), ${charts} charts; ${queue.length} more links answered 200`);
    expect([...kinds].sort()).toEqual(['/', '/backscatter', '/countries', '/findings', '/ip', '/ports', '/scanners']);
    expect(charts).toBeGreaterThan(2);
    await context.close();
  }, 300_000);

  it('pages work with JavaScript disabled', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    for (const path of ['/', `/ports/445-TCP?period=${PERIOD}&lang=en`, '/countries/CN', '/findings']) {
      const v = await visit(context, path);
      expect(v.status, path).toBe(200);
      expect(v.problems, path).toEqual([]);
      expect(v.text.length, path).toBeGreaterThan(100);
    }
    await context.close();
  }, 120_000);

  it('the period picker and the IP lookup work through their forms, URLs shareable', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const problems: string[] = [];
    const page = await watchedPage(context, problems);
    await page.goto(`${base}/ports?lang=en&top=3`);
    await page.fill('form.period input[name=period]', '2010-06-01..2010-06-02');
    await Promise.all([page.waitForURL(/period=/), page.click('form.period button')]);
    const url = new URL(page.url());
    expect(url.pathname).toBe('/ports');
    expect(url.searchParams.get('period')).toBe('2010-06-01..2010-06-02');
    expect(url.searchParams.get('top')).toBe('3');
    expect(url.searchParams.get('lang')).toBe('en');
    expect(await page.textContent('h1')).toBe('Ports 2010-06-01..2010-06-02');
    // The page's first row is the API's for the same URL parameters.
    const api = (await (await fetch(`${base}/api/top/ports?period=2010-06-01..2010-06-02&top=3`)).json()) as { ranking: { table: { key: string; rounded: { current: number } }[] } };
    const firstRow = await page.textContent('main table:last-of-type tbody tr:first-child');
    expect(firstRow).toContain(api.ranking.table[0]!.key);
    expect(firstRow).toContain(api.ranking.table[0]!.rounded.current.toFixed(2));

    const scanner = truth.scanners.find((s) => s.packets >= 20)!;
    await page.goto(`${base}/ip?lang=en&period=${PERIOD}`);
    await page.fill('form.lookup input[name=address]', scanner.address);
    await Promise.all([page.waitForURL(/\/ip\/[^?]/), page.click('form.lookup button')]);
    expect(new URL(page.url()).pathname).toBe(`/ip/${scanner.address}`);
    expect(await page.textContent('h1')).toBe(`IP lookup: ${scanner.address}`);
    expect(await page.textContent('main')).toContain(scanner.tool);

    await page.goto(`${base}/ip?address=999.1.1.1`);
    expect(await page.textContent('main .error')).toMatch(/Bad parameter address/);
    expect(problems.filter((p) => !p.includes('400'))).toEqual([]);
    await context.close();
  }, 120_000);

  it('a planted sensor label reaches the page as inert text', async () => {
    const context = await browser.newContext();
    const v = await visit(context, `/ports/445-TCP?period=${PERIOD}`);
    expect(v.problems).toEqual([]);
    expect(v.text).toContain(HOSTILE_LABEL);
    expect(v.live).toBe(0);
    expect(v.handlers).toEqual([]);
    await context.close();
  }, 60_000);
});
