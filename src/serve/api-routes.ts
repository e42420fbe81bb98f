/**
 * @module
 * The JSON API declared as data: each route's path, its parameters, the
 * schema of its answer, how it reads the figures and, for a table answer,
 * its CSV table. `server.ts` registers them with Fastify and `openapi.ts`
 * writes the OpenAPI document from the same objects, so the document cannot
 * drift from what the routes answer.
 */

import { DEFAULT_PAGE_ROWS, liveMinutes, MAX_LIVE_MINUTES, type Period, type RowsPage } from '../analyse/index.js';
import { loadStatus } from '../collector/index.js';
import type { AnalyticsStore } from '../store/index.js';
import { CAMPAIGN_ROUTE } from './campaign-route.js';
import { listReports } from './report-archive.js';
import { attacksCsv, dailyCsv, findingsCsv, rankingCsv, scannersCsv, signaturesCsv } from './api-tables.js';
import * as schemas from './answer-schemas.js';
import type { CsvTable } from './csv.js';
import type { FigureMemo } from './figure-memo.js';
import {
  backscatterFigures,
  countryFigures,
  findingFigures,
  ipFigures,
  portFigures,
  scannerFigures,
  signatureFigures,
  summaryFigures,
  TOP_NAMES,
  topFigures,
  type TopName,
} from './figures.js';
import {
  addressParam,
  countParam,
  countryParam,
  DEFAULT_MOVERS,
  DEFAULT_TOP,
  MAX_MOVERS,
  MAX_OFFSET,
  MAX_PAGE_ROWS,
  MAX_TOP,
  serviceParam,
} from './params.js';
import { arr, num, obj, str, type JsonSchema } from './schema-kit.js';

/** What a handler gets: the store, the request's period (default the latest) and its raw parameters. */
export interface RouteContext {
  store: AnalyticsStore;
  period: Period;
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  /** The reports archive (`report-archive.ts`), when the server keeps one. */
  reportsDir: string | null;
  /** Whole rankings kept while their pages are asked for. */
  figures: FigureMemo;
}

export interface QueryParamSpec {
  name: string;
  description: string;
  schema: JsonSchema;
}

export interface ApiRoute {
  /** Fastify path (`/api/port/:service`). */
  path: string;
  summary: string;
  pathParams?: Record<string, { description: string; schema: JsonSchema }>;
  query: QueryParamSpec[];
  response: JsonSchema;
  answer: (ctx: RouteContext) => Promise<unknown>;
  /** Present when the answer is a table: `?format=csv` writes it. */
  csv?: (answer: never) => CsvTable<never>;
  /** Present when the answer is one page of a longer table: its place, sent as `Link: rel="next"` and `X-Total-Count` too. */
  page?: (answer: never) => RowsPage;
  /** How long a finished answer is served again, when not the cache's minute (live feeds). */
  keepMs?: number;
}

const PERIOD: QueryParamSpec = {
  name: 'period',
  description:
    'month 2007-07, quarter 2010Q2, fiscal quarter FY2010Q1, day 2010-06-01 or range A..B (at most 400 days); default the fiscal quarter of the latest data',
  schema: str,
};
const TOP: QueryParamSpec = {
  name: 'top',
  description: `rows ranked 1..N (1 to ${MAX_TOP}, default ${DEFAULT_TOP})`,
  schema: { type: 'string', pattern: '^[0-9]+$' },
};
const MOVERS: QueryParamSpec = {
  name: 'movers',
  description: `also rows with increase or decrease rank 1..M (0 to ${MAX_MOVERS}, default ${DEFAULT_MOVERS})`,
  schema: { type: 'string', pattern: '^[0-9]+$' },
};
const OFFSET: QueryParamSpec = {
  name: 'offset',
  description:
    "first item of ranking.rows (every item of either period, in rank order), counted from 0 (default 0); ranking.page.next is the next page's",
  schema: { type: 'string', pattern: '^[0-9]+$' },
};
const LIMIT: QueryParamSpec = {
  name: 'limit',
  description: `most items in ranking.rows (1 to ${MAX_PAGE_ROWS}, default ${DEFAULT_PAGE_ROWS}); ranking.page.total counts them all`,
  schema: { type: 'string', pattern: '^[0-9]+$' },
};
const FORMAT: QueryParamSpec = {
  name: 'format',
  description: "json (default) or csv (the answer's table; for a ranking, the page of ranking.rows)",
  schema: { type: 'string', enum: ['json', 'csv'] },
};

const DEFAULT_LIVE_MINUTES = 60;
/** The live chart polls; a collector's upload shows within this. */
const LIVE_KEEP_MS = 5000;

const top = (ctx: RouteContext): number =>
  countParam('top', ctx.query['top'], { min: 1, max: MAX_TOP, fallback: DEFAULT_TOP });

/** A typed CSV function stored where the route list keeps them untyped. */
const csvOf = <T, R>(fn: (answer: T) => CsvTable<R>): ApiRoute['csv'] => fn as unknown as ApiRoute['csv'];
const pageOf = <T>(fn: (answer: T) => RowsPage): ApiRoute['page'] => fn as unknown as ApiRoute['page'];
type TopAnswer = Awaited<ReturnType<typeof topFigures>>;

export const API_ROUTES: readonly ApiRoute[] = [
  {
    path: '/api/summary',
    summary:
      "The period against the previous one: accesses per day per address, sources per day, daily series, top ports and countries (the quarterly report's §1)",
    query: [PERIOD],
    response: obj({
      summary: schemas.periodSummary,
      daily: schemas.dailySeries,
      ports: schemas.rankingExcerpt,
      countries: schemas.rankingExcerpt,
    }),
    answer: (ctx) => summaryFigures(ctx.store, ctx.period),
  },
  {
    path: '/api/top/:table',
    summary:
      "A ranking table with the previous period's rank, change, increase and decrease ranks, and one page of every item (`ranking.rows`, `ranking.page`); the JSON of `teiten stats --json` for the same arguments",
    pathParams: {
      table: { description: 'ports, countries, sensors or country-ports', schema: { type: 'string', enum: TOP_NAMES } },
    },
    query: [PERIOD, TOP, MOVERS, OFFSET, LIMIT, FORMAT],
    response: obj({ summary: schemas.periodSummary, ranking: schemas.rankingTable }),
    answer: (ctx) =>
      topFigures(ctx.store, {
        memo: ctx.figures,
        period: ctx.period,
        name: ctx.params['table'] as TopName,
        top: top(ctx),
        movers: countParam('movers', ctx.query['movers'], { min: 0, max: MAX_MOVERS, fallback: DEFAULT_MOVERS }),
        offset: countParam('offset', ctx.query['offset'], { min: 0, max: MAX_OFFSET, fallback: 0 }),
        limit: countParam('limit', ctx.query['limit'], { min: 1, max: MAX_PAGE_ROWS, fallback: DEFAULT_PAGE_ROWS }),
      }),
    csv: csvOf((a: TopAnswer) => rankingCsv(a.ranking.rows)),
    page: pageOf((a: TopAnswer) => a.ranking.page),
  },
  {
    path: '/api/port/:service',
    summary: 'One destination service: totals against the previous period, daily series, source countries and sensors',
    pathParams: { service: { description: 'service as port-protocol: 445-TCP, 53-UDP, 8-ICMP', schema: str } },
    query: [PERIOD, FORMAT],
    response: schemas.portAnswer,
    answer: (ctx) => portFigures(ctx.store, { period: ctx.period, service: serviceParam(ctx.params['service'] ?? '') }),
    csv: csvOf((a: Awaited<ReturnType<typeof portFigures>>) => dailyCsv(a.daily)),
  },
  {
    path: '/api/country/:cc',
    summary: 'One source country: totals against the previous period, daily series and destination ports',
    pathParams: { cc: { description: 'ISO 3166 alpha-2 code (ZZ: unknown)', schema: str } },
    query: [PERIOD, FORMAT],
    response: schemas.countryAnswer,
    answer: (ctx) => countryFigures(ctx.store, { period: ctx.period, country: countryParam(ctx.params['cc'] ?? '') }),
    csv: csvOf((a: Awaited<ReturnType<typeof countryFigures>>) => dailyCsv(a.daily)),
  },
  {
    path: '/api/ip/:address',
    summary:
      'What the store knows of one address in the period: scanner windows and tools, signature detections, backscatter attacks on it',
    pathParams: { address: { description: 'IPv4 or IPv6 address', schema: str } },
    query: [PERIOD],
    response: schemas.sourceProfile,
    answer: (ctx) => ipFigures(ctx.store, { period: ctx.period, address: addressParam(ctx.params['address'] ?? '') }),
  },
  {
    path: '/api/backscatter',
    summary:
      'DoS backscatter against the previous period: by victim port, country and response, daily series, largest attacks and victims',
    query: [PERIOD, TOP, FORMAT],
    response: schemas.backscatterStatistics,
    answer: (ctx) => backscatterFigures(ctx.store, { period: ctx.period, top: top(ctx) }),
    csv: csvOf(attacksCsv),
  },
  {
    path: '/api/scanners',
    summary: 'Scanners of the period: by scan type and tool, and the widest ones',
    query: [PERIOD, TOP, FORMAT],
    response: schemas.scannerStatistics,
    answer: (ctx) => scannerFigures(ctx.store, { period: ctx.period, top: top(ctx) }),
    csv: csvOf(scannersCsv),
  },
  {
    path: '/api/signatures',
    summary:
      "Signature detections of the period against the previous one: the most-raised rules (sid, message, category, packets), as the report's §3",
    query: [PERIOD, TOP, FORMAT],
    response: schemas.signatureStatistics,
    answer: (ctx) => signatureFigures(ctx.store, { period: ctx.period, top: top(ctx) }),
    csv: csvOf(signaturesCsv),
  },
  {
    path: '/api/findings',
    summary:
      "The period's findings (surges, drops, new entries, rank jumps), most significant first, as the report finds them",
    query: [PERIOD, FORMAT],
    response: schemas.findings,
    answer: (ctx) => findingFigures(ctx.store, ctx.period),
    csv: csvOf(findingsCsv),
  },
  {
    path: '/api/live',
    summary:
      'Packets and distinct sources per minute of the last minutes (from the raw packets the store keeps), for the live chart',
    query: [
      {
        name: 'minutes',
        description: `minutes up to now (1 to ${MAX_LIVE_MINUTES}, default ${DEFAULT_LIVE_MINUTES})`,
        schema: { type: 'string', pattern: '^[0-9]+$' },
      },
    ],
    response: obj({ minutes: arr(obj({ minute: str, packets: num, sources: num })) }),
    keepMs: LIVE_KEEP_MS,
    answer: async (ctx) => ({
      minutes: await liveMinutes(ctx.store, {
        untilSec: Date.now() / 1000,
        minutes: countParam('minutes', ctx.query['minutes'], {
          min: 1,
          max: MAX_LIVE_MINUTES,
          fallback: DEFAULT_LIVE_MINUTES,
        }),
      }),
    }),
  },
  {
    path: '/api/sensors',
    summary:
      "Each sensor's health from the collector's records, as `teiten sensors status --json`: credentials, last heartbeat and lag, " +
      'spool, segments and packets received, losses by cause, operating time per day',
    query: [],
    response: obj({ sensors: arr(schemas.sensorStatus) }),
    answer: async (ctx) => ({ sensors: await loadStatus(ctx.store, { nowMs: Date.now() }) }),
    keepMs: LIVE_KEEP_MS,
  },
  {
    path: '/api/reports',
    summary: 'The reports archive: generated report files, newest first, each downloadable at its url',
    query: [],
    response: obj({ reports: arr(obj({ name: str, format: str, bytes: num, modified: str, url: str })) }),
    answer: async (ctx) => ({ reports: ctx.reportsDir === null ? [] : await listReports(ctx.reportsDir) }),
    // `teiten report --out` may write into the directory at any time; listing it costs a readdir.
    keepMs: 0,
  },
  CAMPAIGN_ROUTE,
];
