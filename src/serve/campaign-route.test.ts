/**
 * `/api/campaigns` on a store holding seeded planted campaigns: the answer
 * names the planted groups (ground truth of the generator), and a bad
 * period is refused naming it.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CAMPAIGN_PERIOD,
  CAMPAIGN_SENSOR,
  campaignScenario,
  type CampaignScenario,
} from '../analyse/testdata/campaign-scenarios.js';
import { ingestCapture } from '../ingest/index.js';
import { pcapOf, tempDir, writeTemp } from '../ingest/testdata/captures.js';
import { openStore, type AnalyticsStore } from '../store/index.js';
import { buildServer } from './server.js';

let store: AnalyticsStore;
let app: FastifyInstance;
let scenario: CampaignScenario;

beforeAll(async () => {
  scenario = campaignScenario(13);
  store = await openStore(':memory:', { timeZone: 'UTC' });
  await store.addSensor(CAMPAIGN_SENSOR);
  await ingestCapture(
    store,
    CAMPAIGN_SENSOR.name,
    writeTemp(tempDir('teiten-campaign-api-'), 'scan.pcap', pcapOf(scenario.frames)),
    { geo: null },
  );
  app = await buildServer(store);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await store?.close();
});

describe('/api/campaigns', () => {
  it("/api/campaigns answers the planted campaigns with their links' reasons", async () => {
    const reply = await app.inject(`/api/campaigns?period=${CAMPAIGN_PERIOD}`);
    expect(reply.statusCode, reply.body).toBe(200);
    const answer = reply.json() as {
      campaigns: Array<{
        sources: string[];
        links: Array<{ reasons: Array<{ kind: string }>; words: { en: string[]; ja: string[] } }>;
      }>;
    };
    const planted = new Map<string, string[]>();
    for (const [src, name] of scenario.campaignOf) planted.set(name, [...(planted.get(name) ?? []), src].sort());
    expect(answer.campaigns.map((c) => [...c.sources].sort()).sort()).toEqual([...planted.values()].sort());
    expect(answer.campaigns.every((c) => c.links.every((l) => l.reasons.length >= 2))).toBe(true);
    // Reasons come as data and in words of both languages, one sentence per reason.
    const link = answer.campaigns[0]!.links[0]!;
    expect(link.reasons[0]!.kind).toBe('port-set');
    expect(link.words.en).toHaveLength(link.reasons.length);
    expect(link.words.ja).toHaveLength(link.reasons.length);
    expect(link.words.en[0]).toMatch(/^(identical \d+-port set|port sets \d+ % alike)/);
    expect(link.words.ja[0]).toMatch(/^(同一の \d+ ポートの組|ポートの組が \d+% 一致)/);
  });

  it("the /campaigns page lists every planted campaign's sources, each linked to its lookup page", async () => {
    const reply = await app.inject(`/campaigns?period=${CAMPAIGN_PERIOD}&lang=en`);
    expect(reply.statusCode, reply.body).toBe(200);
    const planted = new Map<string, number>();
    for (const [, name] of scenario.campaignOf) planted.set(name, (planted.get(name) ?? 0) + 1);
    expect((reply.body.match(/<h2>Campaign \d+: /g) ?? []).length).toBe(planted.size);
    for (const [src] of scenario.campaignOf) expect(reply.body).toContain(`href="/ip/${src}`);
  });

  it('the /campaigns page gives summaries and link reasons in the page language', async () => {
    const ja = await app.inject(`/campaigns?period=${CAMPAIGN_PERIOD}&lang=ja`);
    expect(ja.statusCode, ja.body).toBe(200);
    expect(ja.body).toMatch(/の発信元 \(masscan の特徴\)が .* を探索/);
    expect(ja.body).toMatch(/同一の \d+ ポートの組/);
    expect(ja.body).not.toMatch(/identical \d+-port set|joined by/);
    const en = await app.inject(`/campaigns?period=${CAMPAIGN_PERIOD}&lang=en`);
    expect(en.body).toMatch(/identical \d+-port set/);
  });

  it('/api/campaigns refuses a period it cannot read', async () => {
    const reply = await app.inject('/api/campaigns?period=2010-13');
    expect(reply.statusCode).toBe(400);
    expect(reply.body).toMatch(/period/);
  });
});
