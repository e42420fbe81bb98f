/**
 * `buildServer()` driven in-process (`app.inject`) over the simulated
 * detector-check store: every API route answers, the answers validate
 * against the OpenAPI document's schemas (Ajv, the validator Fastify
 * itself uses), CSV where the answer is a table, 400s naming the parameter,
 * security headers on every answer.
 */

import Ajv from 'ajv';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type AnalyticsStore } from '../store/index.js';
import { API_ROUTES, buildServer, CONTENT_SECURITY_POLICY, openApiPath } from './index.js';
import { fillServedStore, HOSTILE_LABEL, PERIOD } from './testdata/served-store.js';

let store: AnalyticsStore;
let app: FastifyInstance;
let document: { paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: object }> }> } }> };

beforeAll(async () => {
  store = await openStore(':memory:', { timeZone: 'Asia/Tokyo' });
  await fillServedStore(store);
  app = await buildServer(store);
  document = (await app.inject('/api/openapi.json')).json();
}, 180_000);

afterAll(async () => {
  await app?.close();
  await store?.close();
});

/** Validates `body` against the document's schema of `path`'s answer with `status`. */
function validate(path: string, status: number, body: unknown): void {
  const schema = document.paths[openApiPath(path)]!.get.responses[String(status)]!.content['application/json']!.schema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  const ok = ajv.validate(schema, body);
  expect(ajv.errors ?? [], `${path} ${status}`).toEqual([]);
  expect(ok).toBe(true);
}

const SAMPLE_URLS: Record<string, string> = {
  '/api/summary': `/api/summary?period=${PERIOD}`,
  '/api/top/:table': `/api/top/ports?period=${PERIOD}&top=5`,
  '/api/port/:service': `/api/port/445-TCP?period=${PERIOD}`,
  '/api/country/:cc': `/api/country/CN?period=${PERIOD}`,
  '/api/ip/:address': `/api/ip/192.0.2.1?period=${PERIOD}`,
  '/api/backscatter': `/api/backscatter?period=${PERIOD}`,
  '/api/scanners': `/api/scanners?period=${PERIOD}`,
  '/api/findings': `/api/findings?period=${PERIOD}`,
};

describe('buildServer() API', () => {
  it('/api/openapi.json documents every route with its parameters', () => {
    expect(Object.keys(document.paths).sort()).toEqual(API_ROUTES.map((r) => openApiPath(r.path)).sort());
    expect(Object.keys(SAMPLE_URLS).sort()).toEqual(API_ROUTES.map((r) => r.path).sort());
  });

  it.each(Object.entries(SAMPLE_URLS))('%s answers JSON that validates against the OpenAPI document', async (path, url) => {
    const reply = await app.inject(url);
    expect(reply.statusCode, reply.body).toBe(200);
    expect(reply.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    validate(path, 200, reply.json());
  });
});
