/**
 * `buildServer()` driven in-process (`app.inject`) over the simulated
 * detector-check store: every API route answers, the answers validate
 * against the OpenAPI document's schemas (Ajv, the validator Fastify
 * itself uses), CSV where the answer is a table, 400s naming the parameter,
 * security headers on every answer.
 */

import { gunzipSync } from 'node:zlib';
import { Ajv } from 'ajv';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePeriod, rankingTable } from '../analyse/index.js';
import { openStore, type AnalyticsStore } from '../store/index.js';
import { ADMIN_ROUTES, API_ROUTES, buildServer, CONTENT_SECURITY_POLICY, openApiPath } from './index.js';
import type { Truth } from '../simulate/index.js';
import {
  fillServedStore,
  HOSTILE_LABEL,
  HOSTILE_RULE_MSG,
  HOSTILE_SENSOR,
  HOSTILE_SID,
  PERIOD,
} from './testdata/served-store.js';

let store: AnalyticsStore;
let truth: Truth;
let app: FastifyInstance;
let document: {
  paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: object }> }> } }>;
};

beforeAll(async () => {
  store = await openStore(':memory:', { timeZone: 'Asia/Tokyo' });
  ({ truth } = await fillServedStore(store));
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
  '/api/signatures': `/api/signatures?period=${PERIOD}`,
  '/api/findings': `/api/findings?period=${PERIOD}`,
  '/api/sensors': '/api/sensors',
  '/api/live': '/api/live?minutes=5',
  '/api/campaigns': `/api/campaigns?period=${PERIOD}`,
  '/api/reports': '/api/reports',
};

describe('buildServer() API', () => {
  it('/api/openapi.json documents every route with its parameters', () => {
    expect(Object.keys(document.paths).sort()).toEqual(
      [...API_ROUTES, ...ADMIN_ROUTES].map((r) => openApiPath(r.path)).sort(),
    );
    expect(Object.keys(SAMPLE_URLS).sort()).toEqual(API_ROUTES.map((r) => r.path).sort());
  });

  it.each(Object.entries(SAMPLE_URLS))(
    '%s answers JSON that validates against the OpenAPI document',
    async (path, url) => {
      const reply = await app.inject(url);
      expect(reply.statusCode, reply.body).toBe(200);
      expect(reply.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(reply.headers['content-type']).toMatch(/^application\/json/);
      validate(path, 200, reply.json());
    },
  );
});

/** Truth packets per date of the rows `keep` selects (`traffic.rows`: day, sensor, stream, service, sourceService, country, packets). */
function plantedByDate(keep: (service: string, country: string) => boolean): Map<string, number> {
  const byDate = new Map<string, number>();
  for (const row of truth.traffic.rows) {
    const [day, , , service, , country, packets] = row;
    if (!keep(truth.services[service]!, truth.countries[country]!)) continue;
    const date = truth.days[day]!;
    byDate.set(date, (byDate.get(date) ?? 0) + packets);
  }
  return byDate;
}

interface DailyAnswer {
  summary: { current: { packets: number } };
  daily: { dates: string[]; items: { packets: number[] }[] };
}

function servedByDate(answer: DailyAnswer): Map<string, number> {
  return new Map(
    answer.daily.dates.map((d, i) => [d, answer.daily.items[0]!.packets[i]!] as const).filter(([, n]) => n > 0),
  );
}

describe("buildServer() figures against the simulator's truth", () => {
  it('/api/port/445-TCP counts the planted 445/TCP packets, day by day', async () => {
    const answer: DailyAnswer = (await app.inject(`/api/port/445-TCP?period=${PERIOD}`)).json();
    const planted = plantedByDate((service) => service === '445/TCP');
    console.log(
      `445/TCP per day: planted ${JSON.stringify([...planted])}, served ${JSON.stringify([...servedByDate(answer)])}`,
    );
    expect(servedByDate(answer)).toEqual(planted);
    expect(answer.summary.current.packets).toBe([...planted.values()].reduce((a, b) => a + b, 0));
  });

  it('/api/country/CN counts the planted packets from China, day by day', async () => {
    const answer: DailyAnswer = (await app.inject(`/api/country/cn?period=${PERIOD}`)).json();
    expect(servedByDate(answer)).toEqual(plantedByDate((_s, country) => country === 'CN'));
  });

  it('/api/summary counts every planted packet to the sensors and none of the excluded ones', async () => {
    const answer = (await app.inject(`/api/summary?period=${PERIOD}`)).json();
    expect(answer.summary.current.packets).toBe(truth.totals.packets);
    expect(answer.ports.table[0].key).toBe('445/TCP');
  });

  it("/api/live lists the last minutes up to now (none of this 2010 store's packets), and refuses a bad count naming it", async () => {
    const answer = (await app.inject('/api/live?minutes=5')).json() as {
      minutes: { minute: string; packets: number }[];
    };
    expect(answer.minutes).toHaveLength(5);
    expect(Date.now() - Date.parse(answer.minutes[4]!.minute)).toBeLessThan(120_000);
    expect(answer.minutes.every((m) => m.packets === 0)).toBe(true);
    const bad = await app.inject('/api/live?minutes=99999');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().reason ?? bad.json().message ?? JSON.stringify(bad.json())).toMatch(/minutes/);
  });

  it('/api/sensors lists every sensor of the store with its collector health; none of these delivered through a collector', async () => {
    const answer = (await app.inject('/api/sensors')).json() as {
      sensors: { sensor: string; credentials: string; segments: { received: number } }[];
    };
    expect(answer.sensors.map((x) => x.sensor).sort()).toEqual(
      truth.sensors.map((x: { name: string }) => x.name).sort(),
    );
    for (const sensor of answer.sensors)
      expect(sensor).toMatchObject({ credentials: 'not enrolled', segments: { received: 0 } });
  });

  it("/api/ip/ADDRESS names the planted tool of scanners that sent enough probes, and the API's attacks' victims as victims", async () => {
    const planted = truth.scanners.filter((s) => s.packets >= 20).slice(0, 3);
    expect(planted.length).toBeGreaterThan(0);
    for (const s of planted) {
      const profile = (await app.inject(`/api/ip/${s.address}?period=${PERIOD}`)).json();
      expect(
        profile.scanners.flatMap((w: { tools: string[] }) => w.tools),
        s.address,
      ).toContain(s.tool);
      expect(Date.parse(profile.firstSeen) / 1000).toBeGreaterThanOrEqual(Math.floor(s.firstSec));
      expect(Date.parse(profile.lastSeen) / 1000).toBeLessThanOrEqual(Math.ceil(s.lastSec));
    }
    const backscatter = (await app.inject(`/api/backscatter?period=${PERIOD}&top=100`)).json();
    const victims = new Set(truth.backscatter.map((b) => b.victim));
    for (const attack of backscatter.attacks.slice(0, 3)) {
      expect(victims.has(attack.victim), attack.victim).toBe(true);
      const profile = (await app.inject(`/api/ip/${attack.victim}?period=${PERIOD}`)).json();
      expect(profile.victim).toBe(true);
      expect(profile.attacks.length).toBe(
        backscatter.attacks.filter((a: { victim: string }) => a.victim === attack.victim).length,
      );
    }
    const nobody = (await app.inject(`/api/ip/2001:db8::dead?period=${PERIOD}`)).json();
    expect(nobody).toMatchObject({
      firstSeen: null,
      lastSeen: null,
      daysActive: 0,
      scanners: [],
      attacks: [],
      victim: false,
    });
  });

  it('/api/top/country-ports pages its rows: the pages, followed by their Link, are every item once, in order', async () => {
    const period = parsePeriod(PERIOD, { timeZone: 'Asia/Tokyo' });
    const every = (
      await rankingTable(store, { period, by: 'country-service', filter: {}, top: 10, movers: 5, sources: true })
    ).rows.map((r) => `${r.key} ${r.packets}`);
    const total = every.length;
    const limit = Math.ceil(total / 3) + 1;
    expect(limit).toBeLessThanOrEqual(2000);
    type Page = { ranking: { rows: { key: string; packets: number }[]; page: object } };
    const pages: Page[] = [];
    let url: string | undefined = `/api/top/country-ports?period=${PERIOD}&limit=${limit}`;
    while (url !== undefined) {
      const reply: Awaited<ReturnType<typeof app.inject>> = await app.inject(url);
      expect(reply.statusCode, reply.body).toBe(200);
      expect(reply.headers['x-total-count']).toBe(String(total));
      pages.push(reply.json());
      url = /^<([^>]+)>; rel="next"$/.exec(String(reply.headers['link'] ?? ''))?.[1];
    }
    expect(pages.map((p) => p.ranking.page)).toEqual([
      { offset: 0, limit, total, next: limit },
      { offset: limit, limit, total, next: 2 * limit },
      { offset: 2 * limit, limit, total, next: null },
    ]);
    expect(pages.flatMap((p) => p.ranking.rows.map((r) => `${r.key} ${r.packets}`))).toEqual(every);
    // Everything but the page is the same answer on every page.
    const rest = (a: Page) => ({ ...a, ranking: { ...a.ranking, rows: null, page: null } });
    for (const p of pages) expect(rest(p)).toEqual(rest(pages[0]!));
    const first = (await app.inject(`/api/top/country-ports?period=${PERIOD}`)).json();
    expect(first.ranking.page).toEqual({ offset: 0, limit: 1000, total, next: 1000 });
    const beyond = (await app.inject(`/api/top/country-ports?period=${PERIOD}&offset=${total + 5}`)).json();
    expect(beyond.ranking.rows).toEqual([]);
    expect(beyond.ranking.page).toEqual({ offset: total + 5, limit: 1000, total, next: null });
  });

  it('/ports and /countries link every item of their ranking (JSON and CSV pages of /api/top/*) and say how many', async () => {
    for (const name of ['ports', 'countries']) {
      const page = await app.inject(`/${name}?period=${PERIOD}&lang=en`);
      expect(page.statusCode).toBe(200);
      const note =
        /Every item: <a href="([^"]+)">JSON<\/a> · <a href="([^"]+)">CSV<\/a> \(([\d,]+) items, 1,000 per page\)/.exec(
          page.body,
        );
      expect(note, name).not.toBeNull();
      const [, json, csv, count] = note!;
      const answer = (await app.inject(json!.replaceAll('&amp;', '&'))).json();
      expect(answer.ranking.page.total).toBe(Number(count!.replaceAll(',', '')));
      const table = await app.inject(csv!.replaceAll('&amp;', '&'));
      expect(table.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(table.body.trimEnd().split('\r\n')).toHaveLength(1 + answer.ranking.rows.length);
    }
  });

  it('an answer without ?period= is of the fiscal quarter of the latest data', async () => {
    const answer = (await app.inject('/api/top/countries')).json();
    expect(answer.ranking.period.label).toBe('FY2010Q1');
    expect(answer).toEqual((await app.inject(`/api/top/countries?period=${PERIOD}`)).json());
  });

  it('/api/signatures lists the planted rule with its markup message kept as data', async () => {
    const answer = (await app.inject(`/api/signatures?period=${PERIOD}&top=100`)).json();
    const planted = answer.signatures.find((r: { sid: number }) => r.sid === HOSTILE_SID);
    expect(planted, JSON.stringify(answer.signatures.map((r: { sid: number }) => r.sid))).toMatchObject({
      msg: HOSTILE_RULE_MSG,
    });
    expect(planted.packets).toBeGreaterThan(0);
  });

  it("/api/top/sensors keeps the planted sensor label as data (escaping is the pages' job)", async () => {
    const answer = (await app.inject(`/api/top/sensors?period=${PERIOD}`)).json();
    const row = answer.ranking.rows.find((r: { key: string }) => r.key === HOSTILE_SENSOR);
    expect(row.label.sensorLabel).toBe(HOSTILE_LABEL);
  });
});

describe('buildServer() CSV and refusals', () => {
  it('a large answer goes gzipped to a client that accepts it, as the same JSON', async () => {
    const plain = await app.inject(`/api/top/ports?period=${PERIOD}`);
    const zipped = await app.inject({ url: `/api/top/ports?period=${PERIOD}`, headers: { 'accept-encoding': 'gzip' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['vary']).toBe('accept-encoding');
    expect(JSON.parse(gunzipSync(zipped.rawPayload).toString('utf8'))).toEqual(plain.json());
  });

  it('?format=csv writes the page of ranking rows the JSON holds, with its Link and total', async () => {
    const json = (await app.inject(`/api/top/ports?period=${PERIOD}&offset=2&limit=4`)).json();
    const reply = await app.inject(`/api/top/ports?period=${PERIOD}&offset=2&limit=4&format=csv`);
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(reply.headers['x-total-count']).toBe(String(json.ranking.page.total));
    expect(reply.headers['link']).toBe(`</api/top/ports?period=${PERIOD}&offset=6&limit=4&format=csv>; rel="next"`);
    const lines = reply.body.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^rank,previous_rank,key,per_day_per_address,/);
    expect(lines.slice(1).map((l) => l.split(',')[2])).toEqual(json.ranking.rows.map((r: { key: string }) => r.key));
    expect(lines).toHaveLength(5);
    expect(Number(lines[1]!.split(',')[3])).toBe(json.ranking.rows[0].current);
    const daily = await app.inject(`/api/port/445-TCP?period=${PERIOD}&format=csv`);
    expect(daily.body.split('\r\n')[0]).toBe('date,packets,per_day_per_address,sources');
    for (const path of ['/api/backscatter', '/api/scanners', '/api/signatures', '/api/findings']) {
      expect((await app.inject(`${path}?period=${PERIOD}&format=csv`)).statusCode, path).toBe(200);
    }
  });

  it.each([
    ['/api/summary?period=FY2010Q5', 'period'],
    ['/api/summary?period=2009-01-01..2010-06-30', 'period'],
    ['/api/top/ports?top=0', 'top'],
    ['/api/top/ports?top=101', 'top'],
    ['/api/top/ports?top=ten', 'top'],
    ['/api/top/ports?movers=99', 'movers'],
    ['/api/top/servers', 'table'],
    ['/api/top/ports?limit=0', 'limit'],
    ['/api/top/ports?limit=2001', 'limit'],
    ['/api/top/ports?offset=-1', 'offset'],
    ['/api/top/ports?format=xml', 'format'],
    ['/api/summary?format=csv', 'format'],
    ['/api/port/445-XYZ', 'service'],
    ['/api/port/99999-TCP', 'service'],
    ['/api/country/CHN', 'cc'],
    ['/api/ip/1.2.3.999', 'address'],
    ['/api/ip/not-an-address', 'address'],
  ])('%s is a 400 naming %s', async (url, parameter) => {
    const reply = await app.inject(url);
    expect(reply.statusCode, reply.body).toBe(400);
    const body = reply.json();
    expect(body.parameter).toBe(parameter);
    expect(body.message).toMatch(new RegExp(parameter));
    validate('/api/summary', 400, body);
  });

  it('the rate limit is per socket address: no forwarding header moves a client into another bucket', async () => {
    const limited = await buildServer(store, { rateLimit: { perWindow: 3 } });
    const from = (remoteAddress: string, forwarded: string) =>
      limited.inject({
        url: '/api/openapi.json',
        remoteAddress,
        headers: { 'x-forwarded-for': forwarded, 'x-real-ip': forwarded, forwarded: `for=${forwarded}` },
      });
    for (let i = 1; i <= 3; i++) expect((await from('192.0.2.10', `198.51.100.${i}`)).statusCode).toBe(200);
    const fourth = await from('192.0.2.10', '198.51.100.99');
    expect(fourth.statusCode).toBe(429);
    expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(0);
    expect(fourth.json().message).toMatch(/192\.0\.2\.10/);
    // Another socket address is another client, whatever it claims to forward for.
    expect((await from('192.0.2.11', '192.0.2.10')).statusCode).toBe(200);
    await limited.close();
  });

  it('an answer not ready within the wait is a 503 with Retry-After, and the retry gets the answer computed meanwhile', async () => {
    const hasty = await buildServer(store, { cache: { waitMs: 1 } });
    const url = `/api/top/countries?period=${PERIOD}`;
    const first = await hasty.inject(url);
    expect(first.statusCode).toBe(503);
    expect(first.json()).toMatchObject({ code: 'TEITEN_SERVE_SLOW' });
    expect(Number(first.headers['retry-after'])).toBeGreaterThan(0);
    validate('/api/top/{table}', 503, first.json());
    // The computation goes on after the 503 (behind the start-up warm-up in the gate's queue): retry until it is kept.
    let retry = await hasty.inject(url);
    for (let k = 0; k < 120 && retry.statusCode === 503; k++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      retry = await hasty.inject(url);
    }
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual((await app.inject(url)).json());
    await hasty.close();
  });

  it('an unknown path is a 404 (JSON under /api/, HTML elsewhere) with the security headers', async () => {
    const api = await app.inject('/api/nothing');
    expect(api.statusCode).toBe(404);
    expect(api.json().code).toBe('TEITEN_SERVE_NOT_FOUND');
    const page = await app.inject('/nothing/<script>');
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).not.toContain('<script>');
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });
});
