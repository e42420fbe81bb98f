/**
 * The admin routes in process (`app.inject`) over an empty in-memory store:
 * refused without the token (401), with a wrong one (403) and on a server
 * started without one (403); with it, each change is what the read API then
 * shows: the sensor in `/api/sensors`, its credentials' secret the key the
 * store accepts (`signingKey`, the collector's check) until revoked, a
 * downtime an hour shorter operating day, a generated report listed by
 * `/api/reports` and downloadable byte for byte. Every answer validates
 * against the OpenAPI document's schema of its route and status.
 */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signingKey } from '../../sensor/index.js';
import { openStore, type AnalyticsStore } from '../../store/index.js';
import { openApiPath } from '../openapi.js';
import { buildServer } from '../server.js';
import { AdminTokenFileError, readAdminToken } from './admin-token.js';

const TOKEN = 'k7VtW1n0dQ9sZr3X-admin';
const FINGERPRINT = 'AB:CD:EF';
const DAY_SEC = 86_400;
const TOKYO_OFFSET_SEC = 9 * 3600;

let store: AnalyticsStore;
let app: FastifyInstance;
let reportsDir: string;
const auth = { authorization: `Bearer ${TOKEN}` };

beforeAll(async () => {
  store = await openStore(':memory:', { timeZone: 'Asia/Tokyo' });
  reportsDir = join(mkdtempSync(join(tmpdir(), 'teiten-admin-')), 'reports');
  app = await buildServer(store, {
    adminToken: TOKEN,
    reportsDir,
    enrolment: { collector: 'https://collector.example:8443', fingerprint: FINGERPRINT },
  });
});

afterAll(async () => {
  await app?.close();
  await store?.close();
});

/** Local midnight in Tokyo (no daylight saving) `daysBack` days before today's. */
function tokyoMidnight(daysBack: number): number {
  const nowSec = Math.floor(Date.now() / 1000);
  return nowSec - ((nowSec + TOKYO_OFFSET_SEC) % DAY_SEC) - daysBack * DAY_SEC;
}

type Document = {
  paths: Record<string, { post: { responses: Record<string, { content: Record<string, { schema: object }> }> } }>;
};
let document: Document | undefined;

/** POSTs `payload` to `url` (a route of `route`'s shape) and checks the answer against the OpenAPI document. */
async function post(url: string, payload: object, headers: Record<string, string> = auth, route?: string) {
  const reply = await app.inject({ method: 'POST', url, payload, headers });
  document ??= (await app.inject('/api/openapi.json')).json() as Document;
  const path = route ?? url;
  const schema =
    document.paths[openApiPath(path)]?.post.responses[String(reply.statusCode)]?.content['application/json']?.schema;
  expect(schema, `${path} ${reply.statusCode} is documented`).toBeDefined();
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.validate(schema!, reply.json());
  expect(ajv.errors ?? [], `${path} ${reply.statusCode}`).toEqual([]);
  return reply;
}
const SENSOR_ROUTE = (action: string): string => `/api/admin/sensors/:name/${action}`;

describe('admin routes', () => {
  it('refuse a request without the token (401) or with a wrong one (403), before reading its body', async () => {
    const sensor = { name: 'x1', addresses: ['192.0.2.0/24'], from: 0 };
    const none = await post('/api/admin/sensors', sensor, {});
    expect(none.statusCode).toBe(401);
    expect(none.json().code).toBe('TEITEN_SERVE_ADMIN');
    expect((await post('/api/admin/sensors', sensor, { authorization: `Bearer ${TOKEN}x` })).statusCode).toBe(403);
    expect(
      (await post('/api/admin/sensors', sensor, { authorization: `Bearer ${TOKEN.slice(0, -1)}` })).statusCode,
    ).toBe(403);
    expect((await post('/api/admin/sensors', sensor, { authorization: TOKEN })).statusCode).toBe(401);
    // A malformed body is not even validated without the token.
    expect((await post('/api/admin/sensors', { nonsense: true }, {})).statusCode).toBe(401);
    expect((await app.inject('/api/sensors')).json().sensors).toEqual([]);
  });

  it('are refused on a server started without a token, whatever the header', async () => {
    const plain = await buildServer(store);
    const reply = await plain.inject({
      method: 'POST',
      url: '/api/admin/sensors/x/revoke',
      payload: {},
      headers: auth,
    });
    expect(reply.statusCode).toBe(403);
    expect(reply.json().message).toMatch(/--admin-token-file/);
    await plain.close();
  });

  it('add a sensor, enrol it, record its downtime and revoke it, each visible through the read API', async () => {
    const from = tokyoMidnight(2);
    const added = await post('/api/admin/sensors', {
      name: 'tokyo-1',
      label: 'Tokyo <one>',
      addresses: ['198.51.100.0/24'],
      from,
    });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json().sensor).toMatchObject({
      name: 'tokyo-1',
      addresses: ['198.51.100.0/24'],
      intervals: [{ kind: 'operating', to: null }],
    });
    const listed = (await app.inject('/api/sensors')).json().sensors;
    expect(listed.map((s: { sensor: string; credentials: string }) => [s.sensor, s.credentials])).toEqual([
      ['tokyo-1', 'not enrolled'],
    ]);

    const enrolled = await post('/api/admin/sensors/tokyo-1/enroll', {}, auth, SENSOR_ROUTE('enroll'));
    expect(enrolled.statusCode, enrolled.body).toBe(200);
    const { credentials } = enrolled.json();
    expect(credentials).toMatchObject({
      version: 1,
      sensor: 'tokyo-1',
      collector: 'https://collector.example:8443',
      fingerprint: FINGERPRINT,
    });
    const sensor = (await store.findSensor('tokyo-1'))!;
    const valid = (await store.network.keys(sensor.id)).filter((k) => k.revokedMs === 0).map((k) => k.keyHash);
    expect(valid).toEqual([signingKey(credentials.secret)]);
    expect((await app.inject('/api/sensors')).json().sensors[0].credentials).toBe('active');

    const down = await post(
      '/api/admin/sensors/tokyo-1/downtime',
      { from: from + 3600, to: from + 7200, note: 'power cut' },
      auth,
      SENSOR_ROUTE('downtime'),
    );
    expect(down.statusCode, down.body).toBe(201);
    const day = new Date((from + TOKYO_OFFSET_SEC) * 1000).toISOString().slice(0, 10);
    const days = (await app.inject('/api/sensors')).json().sensors[0].days as { date: string; operatingSec: number }[];
    expect(days.find((d) => d.date === day)?.operatingSec).toBe(DAY_SEC - 3600);

    const revoked = await post('/api/admin/sensors/tokyo-1/revoke', {}, auth, SENSOR_ROUTE('revoke'));
    expect(revoked.json()).toEqual({ sensor: 'tokyo-1', revokedKeys: 1 });
    expect((await app.inject('/api/sensors')).json().sensors[0].credentials).toBe('revoked');
  });

  it("answer the store's refusals: 400 naming the field, 404 for no such sensor, 409 for a name or addresses taken", async () => {
    const bad = await post('/api/admin/sensors', { name: 'Bad Name', addresses: ['198.18.0.0/24'], from: 0 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().parameter).toBe('name');
    const taken = await post('/api/admin/sensors', { name: 'tokyo-2', addresses: ['198.51.100.7'], from: 0 });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().message).toMatch(/198\.51\.100/);
    expect((await post('/api/admin/sensors/nobody/revoke', {}, auth, SENSOR_ROUTE('revoke'))).statusCode).toBe(404);
    expect(
      (await post('/api/admin/sensors', { name: 'tokyo-1', addresses: ['203.0.113.0/24'], from: 0 })).statusCode,
    ).toBe(409);
    const backwards = await post(
      '/api/admin/sensors/tokyo-1/downtime',
      { from: 2000, to: 1000 },
      auth,
      SENSOR_ROUTE('downtime'),
    );
    expect(backwards.statusCode).toBe(400);
    expect((await post('/api/admin/sensors', { name: 'x', addresses: 'nope', from: 0 })).statusCode).toBe(400);
  });

  it('generate a report into the archive, listed by /api/reports and downloadable as written', async () => {
    expect((await app.inject('/api/reports')).json()).toEqual({ reports: [] });
    const made = await post('/api/admin/reports', { period: '2010-06', lang: 'en', format: 'json' });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ kind: 'monthly', name: 'teiten-monthly-2010-06-en.json', format: 'json' });
    const { reports } = (await app.inject('/api/reports')).json();
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      name: 'teiten-monthly-2010-06-en.json',
      url: '/reports/teiten-monthly-2010-06-en.json',
      bytes: made.json().bytes,
    });
    const file = await app.inject(reports[0].url);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toBe('attachment; filename="teiten-monthly-2010-06-en.json"');
    expect(file.rawPayload.byteLength).toBe(reports[0].bytes);
    expect(JSON.parse(file.body).meta.kind).toBe('monthly');
    for (const name of ['..%2Fserved.duckdb', '.hidden.json', 'notes.txt', 'missing.json']) {
      expect([400, 404], name).toContain((await app.inject(`/reports/${name}`)).statusCode);
    }
    expect((await post('/api/admin/reports', { period: '2010-06-01..2010-06-03' })).json().parameter).toBe('kind');
  });
});

describe('readAdminToken()', () => {
  it('reads one word of at least 16 characters and names the file otherwise', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teiten-token-'));
    const file = (name: string, text: string): string => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    expect(await readAdminToken(file('good', `  ${TOKEN}\n`))).toBe(TOKEN);
    await expect(readAdminToken(file('short', 'secret\n'))).rejects.toThrow(
      /short: the token has 6 characters, at least 16/,
    );
    await expect(readAdminToken(file('two', 'aaaaaaaaaaaaaaaa bbbbbbbbbbbbbbbbb'))).rejects.toThrow(
      AdminTokenFileError,
    );
    await expect(readAdminToken(join(dir, 'absent'))).rejects.toThrow(/absent/);
  });
});
