/**
 * `telescopeCampaigns()` on crafted Masscan probes (`simulate/craft` through
 * a real ingest): two shards of one scan (`--seed 1234`) from unrelated
 * networks, hours apart, are linked by their recovered seed and nothing
 * else coordinates them; a third Masscan source with the same ports, fixed
 * source port and TTL but a random 64-bit seed is linked to neither.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { masscanCookie } from '../detect/masscan-seed.js';
import { clickHouseTestDb } from '../store/testdata/clickhouse-test-db.js';
import { ingestCapture } from '../ingest/index.js';
import { pcapOf, tempDir, writeTemp, type TestFrame } from '../ingest/testdata/captures.js';
import { openStore, type AnalyticsStore } from '../store/index.js';
import { formatIpv4, parseIpv4 } from '../util/ip-address.js';
import { parsePeriod } from '../util/period.js';
import { Rng } from '../util/random.js';
import { telescopeCampaigns, type TelescopeCampaigns } from './campaigns.js';
import { resolveScopes } from './scope.js';
import { CAMPAIGN_PERIOD, CAMPAIGN_SENSOR, DAY0 } from './testdata/campaign-scenarios.js';

const SYN = 0x02;
const HOUR = 3_600;
const PORTS = [22, 80, 443, 445, 3389, 8080];
const SHARD_1 = '11.1.2.3';
const SHARD_2 = '77.8.9.10';
const LONER = '130.5.6.7';

/** 48 probes over ten minutes to the telescope /24, each with Masscan's IP ID and the SYN cookie of `seed`. */
function masscanScan(src: string, start: number, seed: { hi: number; lo: number }, rng: Rng): TestFrame[] {
  return Array.from({ length: 48 }, (_, p): TestFrame => {
    const dstNum = ((198 << 24) | (51 << 16) | (100 << 8) | rng.int(256)) >>> 0;
    const dstPort = PORTS[p % PORTS.length]!;
    const seq = masscanCookie(seed, { src: parseIpv4(src), sport: 61000, dst: dstNum, dport: dstPort });
    return {
      sec: start + Math.floor((p * 600) / 47),
      nsec: 0,
      spec: {
        ip: { version: 4, src, dst: formatIpv4(dstNum), ttl: 255, id: (dstNum ^ dstPort ^ seq) & 0xffff },
        l4: { kind: 'tcp', dstPort, flags: SYN, srcPort: 61000, seq, window: 1024 },
      },
    };
  });
}

const url = process.env['CLICKHOUSE_URL'];
if (url === undefined || url === '') console.log('Skipping Masscan seeds on ClickHouse: CLICKHOUSE_URL is not set');
const stores: AnalyticsStore[] = [];
const drops: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const s of stores) await s.close();
  for (const d of drops) await d();
});

/** The campaigns of the crafted capture ingested into a store at `target`. */
async function campaignsOn(target: string): Promise<TelescopeCampaigns> {
  const rng = new Rng(7);
  const frames = [
    ...masscanScan(SHARD_1, DAY0 + HOUR, { hi: 0, lo: 1234 }, rng),
    ...masscanScan(SHARD_2, DAY0 + 4 * HOUR, { hi: 0, lo: 1234 }, rng),
    ...masscanScan(LONER, DAY0 + 9 * HOUR, { hi: 0x9e3779b9, lo: 0x7f4a7c15 }, rng),
  ].sort((a, b) => a.sec - b.sec);
  const store = await openStore(target, { timeZone: 'UTC' });
  stores.push(store);
  await store.addSensor(CAMPAIGN_SENSOR);
  const file = writeTemp(tempDir('teiten-masscan-seed-'), 'masscan.pcap', pcapOf(frames));
  await ingestCapture(store, CAMPAIGN_SENSOR.name, file, { geo: null });
  const { current } = await resolveScopes(store, parsePeriod(CAMPAIGN_PERIOD, { timeZone: 'UTC' }));
  return telescopeCampaigns(store, current);
}

let result: TelescopeCampaigns;

beforeAll(async () => {
  result = await campaignsOn(':memory:');
}, 60_000);

describe('telescopeCampaigns() and Masscan seeds', () => {
  it('telescopeCampaigns() recovers the shared --seed of two shards and links them by it alone', () => {
    const seeds = new Map(result.features.map((f) => [f.source, f.masscanSeed]));
    expect(seeds.get(SHARD_1)).toEqual({ seed: 1234, kind: 'number' });
    expect(seeds.get(SHARD_2)).toEqual({ seed: 1234, kind: 'number' });
    expect(seeds.get(LONER)).toBeNull();
    expect(result.campaigns.map((c) => [...c.sources].sort())).toEqual([[SHARD_1, SHARD_2]]);
    const [link] = result.links;
    expect(link!.reasons).toEqual([
      { kind: 'port-set', jaccard: 1, ports: ['22/TCP', '3389/TCP', '443/TCP', '445/TCP', '80/TCP', '8080/TCP'] },
      { kind: 'masscan-seed', seed: 1234, seedKind: 'number' },
      { kind: 'same-tool', tools: ['masscan'] },
      { kind: 'same-ttl', ttl: 255 },
      { kind: 'same-source-port', port: 61000 },
    ]);
  });
});

describe.skipIf(url === undefined || url === '')('telescopeCampaigns() and Masscan seeds on ClickHouse', () => {
  it('telescopeCampaigns() recovers the same seeds and links on ClickHouse as on DuckDB', async () => {
    const db = clickHouseTestDb(url!, 'masscan_seed');
    drops.push(() => db.drop());
    expect(await campaignsOn(db.storeUrl)).toEqual(result);
  }, 120_000);
});
