/**
 * @module
 * The HTML pages' routes: each reads `?period=`, `?lang=` and its own
 * parameters through the same checks as the API (a bad one is a 400 page
 * naming it), renders the page and answers it; plus the stylesheet.
 * Shareable URLs: `/ports/445-TCP?period=FY2010Q1`, `/countries/CN`,
 * `/ip/192.0.2.1` (the lookup form's `/ip?address=` redirects there).
 */

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MAX_TOP, addressParam, countParam, countryParam, DEFAULT_TOP, serviceParam } from '../params.js';
import { ParameterError } from '../errors.js';
import { finishAnswer, sendAnswer } from '../send-answer.js';
import type { ServeContext } from '../serve-context.js';
import { campaignsPage } from './campaign-page.js';
import { backscatterPage, findingsPage, ipPage, scannersPage, signaturesPage } from './detection-pages.js';
import { page, STYLESHEET_PATH } from './layout.js';
import { LIVE_CHART_PATH, LIVE_CHART_SCRIPT } from './live-chart-script.js';
import { reportsPage, sensorsPage } from './network-pages.js';
import { PAGE_CSS } from './page-style.js';
import type { PageLang } from './page-words.js';
import { countryPage, overviewPage, portPage, rankingPage, type PageInput, type PageParts } from './summary-pages.js';
import { href, segment } from './html-kit.js';

type Query = Record<string, string | undefined>;

const NETWORK_KEEP_MS = 5000;

function langOf(query: Query): PageLang {
  const lang = query['lang'];
  if (lang === undefined || lang === 'ja') return 'ja';
  if (lang === 'en') return 'en';
  throw new ParameterError('lang', `expected ja or en, got ${JSON.stringify(lang)}`);
}

export function registerPages(app: FastifyInstance, ctx: ServeContext): void {
  app.get(STYLESHEET_PATH, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'max-age=3600').send(PAGE_CSS),
  );
  app.get(LIVE_CHART_PATH, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'max-age=3600').send(LIVE_CHART_SCRIPT),
  );

  /** Registers a page at `path` whose parts `render` makes. */
  const route = (
    path: string,
    render: (input: PageInput, request: FastifyRequest, query: Query) => Promise<PageParts>,
    options: { keep?: (query: Query) => Record<string, string>; picker?: boolean; keepMs?: number } = {},
  ): void => {
    app.get(path, async (request: FastifyRequest, reply: FastifyReply) => {
      const query = request.query as Query;
      const lang = langOf(query);
      const cached = await ctx.cache.get(
        request.url,
        async () => {
          const text = query['period']?.trim();
          const period = await ctx.periodOf(text);
          const state = { lang, ...(text === undefined || text === '' ? {} : { period: period.label }) };
          const parts = await render({ store: ctx.store, period, state }, request, query);
          const body = page({
            title: parts.title,
            state,
            path: request.url.split('?')[0]!,
            body: parts.body,
            ...(options.picker === false ? {} : { periodLabel: period.label }),
            ...(parts.scripts === undefined ? {} : { scripts: parts.scripts }),
            ...(options.keep === undefined ? {} : { keep: options.keep(query) }),
          });
          return finishAnswer('text/html; charset=utf-8', body);
        },
        options.keepMs,
      );
      return sendAnswer(request, reply, cached);
    });
  };

  const top = (query: Query): number =>
    countParam('top', query['top'], { min: 1, max: MAX_TOP, fallback: DEFAULT_TOP });
  const keepTop = (query: Query): Record<string, string> =>
    query['top'] === undefined ? {} : { top: String(top(query)) };
  const params = (request: FastifyRequest): Record<string, string> => request.params as Record<string, string>;

  route('/', (input) => overviewPage(input));
  route('/ports', (input, _r, query) => rankingPage({ ...input, name: 'ports', top: top(query) }), { keep: keepTop });
  route('/countries', (input, _r, query) => rankingPage({ ...input, name: 'countries', top: top(query) }), {
    keep: keepTop,
  });
  route('/ports/:service', (input, request) =>
    portPage({ ...input, service: serviceParam(params(request)['service'] ?? '') }),
  );
  route('/countries/:cc', (input, request) =>
    countryPage({ ...input, country: countryParam(params(request)['cc'] ?? '') }),
  );
  route('/ip/:address', (input, request) =>
    ipPage({ ...input, address: addressParam(params(request)['address'] ?? '') }),
  );
  route('/backscatter', (input, _r, query) => backscatterPage({ ...input, top: top(query) }), { keep: keepTop });
  route('/scanners', (input, _r, query) => scannersPage({ ...input, top: top(query) }), { keep: keepTop });
  route('/signatures', (input, _r, query) => signaturesPage({ ...input, top: top(query) }), { keep: keepTop });
  route('/campaigns', (input) => campaignsPage(input));
  route('/findings', (input) => findingsPage(input));
  // Health moves with every upload and the archive with every report written: kept seconds, not a minute.
  route('/sensors', (input) => sensorsPage({ store: input.store, state: input.state, nowMs: Date.now() }), {
    picker: false,
    keepMs: NETWORK_KEEP_MS,
  });
  route('/reports', (input) => reportsPage({ reportsDir: ctx.reportsDir, state: input.state }), {
    picker: false,
    keepMs: 0,
  });

  // The lookup form submits `/ip?address=…`: checked, then redirected to the shareable `/ip/ADDRESS`.
  app.get('/ip', async (request, reply) => {
    const query = request.query as Query;
    const lang = langOf(query);
    const address = query['address'];
    if (address !== undefined && address.trim() !== '') {
      const state = {
        lang,
        ...(query['period'] === undefined || query['period'] === '' ? {} : { period: query['period'] }),
      };
      // `href` escapes for HTML; a Location header wants the raw URL.
      const location = href(`/ip/${segment(addressParam(address))}`, state).replace(/&amp;/g, '&');
      return reply.redirect(location, 303);
    }
    const period = await ctx.periodOf(query['period']);
    const state = {
      lang,
      ...(query['period'] === undefined || query['period'] === '' ? {} : { period: period.label }),
    };
    const parts = await ipPage({ store: ctx.store, period, state, address: null });
    return reply
      .type('text/html; charset=utf-8')
      .send(page({ title: parts.title, state, path: '/ip', periodLabel: period.label, body: parts.body }));
  });
}
