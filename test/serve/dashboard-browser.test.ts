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
import { LIVE_CHART_PATH } from '../../src/serve/pages/live-chart-script.js';
import { fillServedStore, HOSTILE_LABEL, HOSTILE_RULE_MSG, PERIOD } from '../../src/serve/testdata/served-store.js';
import type { Truth } from '../../src/simulate/index.js';
import { ingestCapture } from '../../src/ingest/index.js';
import { pcapOf, tempDir, writeTemp, type TestFrame } from '../../src/ingest/testdata/captures.js';
import { openStore, type AnalyticsStore } from '../../src/store/index.js';

const CHROMIUM = chromiumPath();
const available = existsSync(CHROMIUM);
if (!available)
  console.warn(
    `Skipping the dashboard browser tests: ${CHROMIUM} is absent (apt-get install chromium, or set TEITEN_CHROMIUM)`,
  );

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
declare const document: {
  querySelectorAll(selector: string): ArrayLike<DomElement> & Iterable<DomElement>;
  title: string;
};

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
  return page.evaluate(
    (LIVE_CHART_PATH) => ({
      links: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href') ?? ''),
      charts: [...document.querySelectorAll('figure.chart svg')].map((svg) => {
        const box = svg.getBoundingClientRect();
        return { width: box.width, height: box.height, shapes: svg.querySelectorAll('path, rect, text').length };
      }),
      // The live chart's script is the one allowed (served here, CSP `script-src 'self'`); anything else live is planted.
      live: document.querySelectorAll(
        `script:not([src="${LIVE_CHART_PATH}"]), img, iframe, object, embed, foreignObject, image, use`,
      ).length,
      handlers: [...document.querySelectorAll('*')].flatMap((el) =>
        el.getAttributeNames().filter((n) => n.startsWith('on')),
      ),
      text: [...document.querySelectorAll('main')].map((m) => m.textContent ?? '').join(''),
    }),
    LIVE_CHART_PATH,
  );
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
    const start = [
      '/',
      '/?lang=en',
      `/ports?period=${PERIOD}`,
      '/countries',
      '/ip',
      '/backscatter',
      '/scanners',
      '/campaigns',
      '/signatures',
      '/findings',
      '/sensors',
      '/reports',
    ];
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
        // API answers and archived reports are downloads, not pages.
        if (link.startsWith('/api/') || link.startsWith('/reports/') || seen.has(key)) continue;
        seen.add(key);
        queue.push(link);
      }
    }
    // Pages the bounded crawl did not open must still answer.
    for (const link of queue) expect((await fetch(`${base}${link}`)).status, link).toBe(200);
    console.log(
      `crawled ${visited} pages (${[...kinds].sort().join(' ')}), ${charts} charts; ${queue.length} more links answered 200`,
    );
    expect([...kinds].sort()).toEqual([
      '/',
      '/backscatter',
      '/campaigns',
      '/countries',
      '/findings',
      '/ip',
      '/ports',
      '/reports',
      '/scanners',
      '/sensors',
      '/signatures',
    ]);
    expect(charts).toBeGreaterThan(2);
    await context.close();
  }, 300_000);

  it('pages work with JavaScript disabled', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    for (const path of ['/', `/ports/445-TCP?period=${PERIOD}&lang=en`, '/countries/CN', '/findings', '/sensors']) {
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
    const api = (await (await fetch(`${base}/api/top/ports?period=2010-06-01..2010-06-02&top=3`)).json()) as {
      ranking: { table: { key: string; rounded: { current: number } }[] };
    };
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

  it('a planted rule message reaches the signatures page as inert text', async () => {
    const context = await browser.newContext();
    const v = await visit(context, `/signatures?period=${PERIOD}&top=100`);
    expect(v.status).toBe(200);
    expect(v.problems).toEqual([]);
    expect(v.text).toContain(HOSTILE_RULE_MSG);
    expect(v.live).toBe(0);
    expect(v.handlers).toEqual([]);
    await context.close();
  }, 60_000);

  it('a planted sensor label reaches the page as inert text', async () => {
    const context = await browser.newContext();
    for (const path of [`/ports/445-TCP?period=${PERIOD}`, '/sensors']) {
      const v = await visit(context, path);
      expect(v.problems, path).toEqual([]);
      expect(v.text, path).toContain(HOSTILE_LABEL);
      expect(v.live, path).toBe(0);
      expect(v.handlers, path).toEqual([]);
    }
    await context.close();
  }, 60_000);
});

describe.skipIf(!available)("the overview's live chart in headless Chromium", () => {
  let liveStore: AnalyticsStore;
  let liveApp: FastifyInstance;
  let liveBase: string;
  let minute: number;

  beforeAll(async () => {
    liveStore = await openStore(':memory:', { timeZone: 'Asia/Tokyo' });
    await liveStore.addSensor({ name: 'live', addresses: ['192.0.2.0/24'] });
    // Packets of 1, 3 and 2 sources in three minutes of the last ten, none in the others.
    minute = Math.floor(Date.now() / 60_000) - 8;
    const udp = (sec: number, src: string): TestFrame => ({
      sec,
      spec: { ip: { version: 4, src, dst: '192.0.2.9' }, l4: { kind: 'udp', srcPort: 999, dstPort: 53 } },
    });
    const frames = [
      udp(minute * 60 + 1, '1.0.16.1'),
      udp((minute + 3) * 60, '1.0.16.1'),
      udp((minute + 3) * 60 + 5, '1.0.16.2'),
      udp((minute + 3) * 60 + 9, '1.0.16.3'),
      udp((minute + 5) * 60 + 30, '1.0.16.4'),
      udp((minute + 5) * 60 + 31, '1.0.16.4'),
      udp((minute + 5) * 60 + 32, '1.0.16.5'),
    ];
    await ingestCapture(liveStore, 'live', writeTemp(tempDir('teiten-live-chart-'), 'live.pcap', pcapOf(frames)), {
      geo: null,
      detection: null,
    });
    liveApp = await buildServer(liveStore);
    await liveApp.listen({ host: '127.0.0.1', port: 0 });
    liveBase = `http://127.0.0.1:${(liveApp.server.address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    await liveApp?.close();
    await liveStore?.close();
  });

  it('draws a bar per minute with packets and the sources line from /api/live, loading nothing from elsewhere', async () => {
    const context = await browser.newContext();
    const problems: string[] = [];
    const requests: string[] = [];
    const page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await page.route('**/*', (route) => {
      const url = route.request().url();
      requests.push(url.startsWith(liveBase) ? url.slice(liveBase.length) : url);
      return url.startsWith(`${liveBase}/`) ? route.continue() : route.abort('blockedbyclient');
    });
    await page.goto(`${liveBase}/?lang=en`);
    await page.waitForSelector('figure.live[data-state=drawn]', { timeout: 20_000 });
    const drawn = await page.evaluate(() => {
      const figure = document.querySelectorAll('figure.live')[0]!;
      return {
        bars: [...figure.querySelectorAll('g.packets rect')].map((r) => Number(r.getAttribute('height'))),
        titles: [...figure.querySelectorAll('g.packets rect title')].map((t) => t.textContent ?? ''),
        line: (figure.querySelectorAll('polyline.sources')[0]?.getAttribute('points') ?? '').split(' ').length,
        box: figure.querySelectorAll('svg')[0]!.getBoundingClientRect(),
      };
    });
    const api = (await (await fetch(`${liveBase}/api/live?minutes=60`)).json()) as {
      minutes: { minute: string; packets: number; sources: number }[];
    };
    expect(
      api.minutes
        .filter((m) => m.packets > 0)
        .map((m) => [Date.parse(m.minute) / 60_000 - minute, m.packets, m.sources]),
    ).toEqual([
      [0, 1, 1],
      [3, 3, 3],
      [5, 3, 2],
    ]);
    // One bar per minute with packets, heights in proportion (3 packets = the full plot height, 1 = a third).
    expect(drawn.bars).toHaveLength(3);
    expect(drawn.bars[0]! / drawn.bars[1]!).toBeCloseTo(1 / 3, 5);
    expect(drawn.bars[1]).toBeCloseTo(drawn.bars[2]!, 5);
    expect(drawn.titles.map((t) => t.split(' ').slice(1).join(' '))).toEqual(['1 / 1', '3 / 3', '3 / 2']);
    expect(drawn.line).toBe(60);
    expect(drawn.box.width).toBeGreaterThan(100);
    expect(problems).toEqual([]);
    expect(requests.filter((r) => !r.startsWith('/'))).toEqual([]);
    expect(requests).toContain(LIVE_CHART_PATH);
    expect(requests).toContain('/api/live?minutes=60');
    await context.close();
  }, 60_000);
});
