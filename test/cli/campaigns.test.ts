/**
 * `teiten campaigns` and the reflection part of `teiten detections`, run as
 * a user would on captures of the seeded generators (planted campaigns;
 * reflection floods), against the generators' ground truth.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CAMPAIGN_SENSOR, campaignScenario } from '../../src/analyse/testdata/campaign-scenarios.js';
import { FLOOD_PERIOD, OSAKA, reflectionFloods, TOKYO } from '../../src/analyse/testdata/reflection-floods.js';
import { pcapOf, tempDir, writeTemp } from '../../src/ingest/testdata/captures.js';
import { besidesStaleGeo, runCli } from './run-cli.js';

let dir = '';
/** The CLI's store keeps days in Asia/Tokyo: two local days hold the whole UTC day the scenario plays on. */
const PERIOD = '2024-06-03..2024-06-04';

beforeAll(() => {
  dir = tempDir('teiten-cli-campaigns-');
});

async function storeWith(
  name: string,
  sensors: Array<{ name: string; addresses: string[] }>,
  files: Map<string, string>,
): Promise<string> {
  const db = join(dir, name);
  for (const s of sensors) {
    const added = await runCli([
      'sensors',
      'add',
      s.name,
      '--from',
      '2000-01-01T00:00:00Z',
      ...s.addresses.flatMap((a) => ['--address', a]),
      '--db',
      db,
    ]);
    expect(added).toMatchObject({ code: 0, stderr: '' });
  }
  for (const [sensor, file] of files) {
    const ingest = await runCli(['ingest', '--db', db, '--sensor', sensor, file]);
    expect(ingest.code).toBe(0);
    expect(besidesStaleGeo(ingest.stderr)).toBe('');
  }
  return db;
}

describe('teiten campaigns', () => {
  it("campaigns --json gives the planted campaigns, and the text names each link's reasons", async () => {
    const scenario = campaignScenario(11);
    const db = await storeWith(
      'campaigns.duckdb',
      [CAMPAIGN_SENSOR],
      new Map([[CAMPAIGN_SENSOR.name, writeTemp(dir, 'scan.pcap', pcapOf(scenario.frames))]]),
    );
    const json = await runCli(['campaigns', '--db', db, '--period', PERIOD, '--json']);
    expect(json).toMatchObject({ code: 0, stderr: '' });
    const stats = JSON.parse(json.stdout) as { sources: number; campaigns: Array<{ sources: string[] }> };
    const planted = new Map<string, string[]>();
    for (const [src, name] of scenario.campaignOf) planted.set(name, [...(planted.get(name) ?? []), src].sort());
    expect(stats.sources).toBe(scenario.sources.length);
    expect(stats.campaigns.map((c) => [...c.sources].sort()).sort()).toEqual([...planted.values()].sort());
    const text = await runCli(['campaigns', '--db', db, '--period', PERIOD, '--top', '2']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Campaigns, 2024-06-03\.\.2024-06-04: 4 campaign\(s\) joining 11 of \d+ scanners/);
    expect(text.stdout).toMatch(
      /~ .*: identical 12-port set .*; .* started \d+ s after .* stopped \(rotation\); same tool fingerprint \(masscan\); same fixed source port 61000/,
    );
    expect(text.stdout).not.toMatch(/Campaign 3:/);
    const ja = await runCli(['campaigns', '--db', db, '--period', PERIOD, '--top', '2', '--lang', 'ja']);
    expect(ja.code).toBe(0);
    expect(ja.stdout).toMatch(/^キャンペーン、2024-06-03\.\.2024-06-04: 探索元 \d+ のうち 11 を結ぶ 4 件/);
    expect(ja.stdout).toMatch(
      /~ .*: 同一の 12 ポートの組 .*、.* の終了の \d+ 秒後に .* が開始 \(発信元の交代\)、同じツールの特徴 \(masscan\)、同じ固定の発信元ポート 61000/,
    );
    expect(ja.stdout).not.toMatch(/identical|rotation|fingerprint/);
    expect((await runCli(['campaigns', '--db', db, '--period', PERIOD, '--lang', 'fr'])).code).toBe(2);
    expect((await runCli(['campaigns', '--db', db])).code).toBe(2);
  }, 60_000);
});

describe('teiten detections: reflection', () => {
  it('detections lists the planted reflection episodes in text and JSON', async () => {
    const { frames, truth } = reflectionFloods(4);
    const files = new Map(
      [...frames].map(([sensor, list]) => [sensor, writeTemp(dir, `${sensor}.pcap`, pcapOf(list))]),
    );
    const db = await storeWith('reflection.duckdb', [TOKYO, OSAKA], files);
    const json = await runCli(['detections', '--db', db, '--period', FLOOD_PERIOD, '--json']);
    expect(json.code).toBe(0);
    const { reflection } = JSON.parse(json.stdout) as {
      reflection: { episodes: Array<{ target: string; replies: number; reflectors: number }> };
    };
    const key = (e: { target: string; replies: number; reflectors: number }): string =>
      `${e.target} ${e.replies} ${e.reflectors}`;
    expect(reflection.episodes.map(key).sort()).toEqual(truth.map(key).sort());
    const text = await runCli(['detections', '--db', db, '--period', FLOOD_PERIOD]);
    expect(text.stdout).toMatch(/Reflection and UDP backscatter, 2024-05-10\.\.2024-05-11: 4 episode\(s\)/);
    expect(text.stdout).toMatch(
      /reflector-flood +\d+\.\d+\.\d+\.\d+ +11211\/UDP Memcached +48 +0 +68,544 +1,428\.0 +1 +12/,
    );
  }, 60_000);
});
