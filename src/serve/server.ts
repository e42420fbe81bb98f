/**
 * @module
 * `buildServer()`: the Fastify application of `teiten serve` over one open
 * store: the JSON API (`API_ROUTES`), its OpenAPI document, the HTML pages
 * and their stylesheet, the reports archive, the admin routes (refused
 * without `adminToken`), security headers on every answer, a per-client
 * rate limit keyed by the socket's address (no header can change it), and
 * one error handler turning every failure into an HTTP answer.
 * The caller listens and closes; closing the app does not close the store.
 */

import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { RowsPage } from '../analyse/index.js';
import type { AnalyticsStore } from '../store/index.js';
import { registerAdmin } from './admin/register-admin.js';
import { answerCache, type AnswerCacheOptions } from './answer-cache.js';
import { API_ROUTES } from './api-routes.js';
import { errorBody } from './answer-schemas.js';
import { computeGate, type ComputeGateOptions } from './compute-gate.js';
import { RetryLaterError } from './retry-later.js';
import { toCsv } from './csv.js';
import { errorAnswer, ParameterError, ServeErrorCode } from './errors.js';
import { latestPeriodOf } from './latest-period.js';
import { openApiDocument } from './openapi.js';
import { errorPage } from './pages/error-page.js';
import { registerPages } from './pages/register-pages.js';
import { periodParam } from './params.js';
import { rateLimiter, type RateLimitOptions } from './rate-limit.js';
import { registerReportDownloads } from './report-downloads.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { storeVersionOf } from './store-version.js';
import type { ServeContext } from './serve-context.js';
import { finishAnswer, sendAnswer } from './send-answer.js';
import { figureMemo } from './figure-memo.js';

export interface ServerOptions {
  /** Fastify's logger (default off; the CLI turns it on). */
  logger?: boolean;
  /** Requests per client per window; default 600 a minute. */
  rateLimit?: RateLimitOptions;
  /** How long finished answers are served again (default a minute). */
  cache?: AnswerCacheOptions;
  /** How many answers are computed at once, and wait (default 2 and 32; past that 503). */
  compute?: ComputeGateOptions;
  /** The admin routes' token (`admin/admin-token.ts`); absent: they answer 403. */
  adminToken?: string;
  /** The reports archive's directory (`report-archive.ts`); absent: none. */
  reportsDir?: string;
  /** What enrolments write into credentials (`--collector` fills both). */
  enrolment?: ServeContext['enrolment'];
  /** The store's name printed in generated reports (default `store`). */
  databaseName?: string;
}

export async function buildServer(store: AnalyticsStore, options: ServerOptions = {}): Promise<FastifyInstance> {
  // trustProxy stays off: `request.ip` is the socket's peer, which the rate limit is keyed on.
  const app = Fastify({ logger: options.logger ?? false, return503OnClosing: true, trustProxy: false });
  const latest = latestPeriodOf(store);
  const version = storeVersionOf(store);
  const ctx: ServeContext = {
    store,
    periodOf: async (text) =>
      text === undefined || text.trim() === '' ? latest() : periodParam(text, store.settings.timeZone),
    cache: answerCache({ version, ...options.cache, gate: computeGate(options.compute) }),
    figures: figureMemo(version),
    reportsDir: options.reportsDir ?? null,
    enrolment: options.enrolment ?? {},
    databaseName: options.databaseName ?? 'store',
  };
  const limit = rateLimiter(options.rateLimit);

  app.addHook('onRequest', async (request, reply) => {
    const wait = limit(request.ip);
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      throw Object.assign(new Error(`Too many requests from ${request.ip}: retry in ${wait} s`), {
        statusCode: 429,
        code: 'TEITEN_SERVE_RATE_LIMIT',
      });
    }
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    return payload;
  });
  app.setErrorHandler((error, request, reply) => answerError(error, request, reply));
  app.setNotFoundHandler((request, reply) => {
    const error = Object.assign(new Error(`No page at ${request.url.split('?')[0]}`), {
      statusCode: 404,
      code: ServeErrorCode.NOT_FOUND,
    });
    return answerError(error, request, reply);
  });

  // The document never changes while the server runs: serialised and gzipped once.
  const document = finishAnswer('application/json; charset=utf-8', JSON.stringify(openApiDocument()));
  app.get('/api/openapi.json', async (request, reply) => sendAnswer(request, reply, await document));
  for (const route of API_ROUTES) {
    const params =
      route.pathParams === undefined
        ? undefined
        : {
            type: 'object',
            properties: Object.fromEntries(Object.entries(route.pathParams).map(([name, p]) => [name, p.schema])),
            required: Object.keys(route.pathParams),
          };
    const querystring = { type: 'object', properties: Object.fromEntries(route.query.map((q) => [q.name, q.schema])) };
    app.get(
      route.path,
      {
        schema: {
          ...(params === undefined ? {} : { params }),
          querystring,
          response: { 200: route.response, '4xx': errorBody, '5xx': errorBody },
        },
      },
      async (request: FastifyRequest, reply: FastifyReply) => {
        const query = request.query as Record<string, string | undefined>;
        const format = query['format'] ?? 'json';
        if (format === 'csv' && route.csv === undefined)
          throw new ParameterError('format', `${route.path} answers JSON only`);
        const period = await ctx.periodOf(query['period']);
        const cached = await ctx.cache.get(
          answerKey(request.url, period.label),
          async () => {
            const answer = await route.answer({
              store,
              period,
              params: request.params as Record<string, string>,
              query,
              reportsDir: ctx.reportsDir,
              figures: ctx.figures,
            });
            const headers =
              route.page === undefined ? {} : pageHeaders(request.url, period.label, route.page(answer as never));
            if (format === 'csv')
              return finishAnswer('text/csv; charset=utf-8', toCsv(route.csv!(answer as never)), headers);
            // Serialised through the route's response schema, once; a hit sends the same text.
            return finishAnswer('application/json; charset=utf-8', String(reply.serialize(answer)), headers);
          },
          route.keepMs,
        );
        return sendAnswer(request, reply, cached);
      },
    );
  }
  registerAdmin(app, ctx, options.adminToken ?? null);
  registerReportDownloads(app, ctx);
  registerPages(app, ctx);
  return app;
}

/**
 * The cache key of an API answer: its path and parameters in a fixed order,
 * the period as resolved (no `period`, `period=FY2010Q1` and `period=fy2010q1`
 * are one answer when the latest data is in FY2010Q1).
 */
export function answerKey(url: string, periodLabel: string): string {
  const [path = '', search = ''] = url.split('?', 2);
  const params = new URLSearchParams(search);
  params.set('period', periodLabel);
  params.sort();
  return `${path}?${params.toString()}`;
}

/**
 * A page's headers: the count of the whole table (`X-Total-Count`) and, when
 * more follow, the next page's URL (`Link`, RFC 8288), the same parameters
 * with the period resolved and `offset` moved on.
 */
function pageHeaders(url: string, periodLabel: string, page: RowsPage): Record<string, string> {
  const headers: Record<string, string> = { 'x-total-count': String(page.total) };
  if (page.next === null) return headers;
  const [path = '', search = ''] = url.split('?', 2);
  const params = new URLSearchParams(search);
  params.set('period', periodLabel);
  params.set('offset', String(page.next));
  headers['link'] = `<${path}?${params.toString()}>; rel="next"`;
  return headers;
}

/** The one place an error becomes an answer: JSON under `/api/`, an HTML page elsewhere. */
function answerError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const body = errorAnswer(error, (e) => request.log.error({ err: e }, 'request failed'));
  reply.code(body.statusCode);
  if (error instanceof RetryLaterError) reply.header('retry-after', String(error.retryAfterSec));
  if (request.url.startsWith('/api/')) return reply.type('application/json; charset=utf-8').send(body);
  const lang = (request.query as Record<string, unknown> | undefined)?.['lang'] === 'en' ? 'en' : 'ja';
  return reply.type('text/html; charset=utf-8').send(errorPage(body, lang));
}
