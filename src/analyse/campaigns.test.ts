/**
 * Campaign links against planted ground truth (`testdata/campaign-scenarios.ts`):
 * precision and recall of "same campaign" pairs over seeds, with floors,
 * and every link's reasons in words.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ingestCapture } from '../ingest/index.js';
import { pcapOf, tempDir, writeTemp } from '../ingest/testdata/captures.js';
import { openStore, type AnalyticsStore } from '../store/index.js';
import { clickHouseTestDb } from '../store/testdata/clickhouse-test-db.js';
import { telescopeCampaigns, type TelescopeCampaigns } from './campaigns.js';
import { parsePeriod } from '../util/period.js';
import { resolveScopes } from './scope.js';
import { CAMPAIGN_PERIOD, CAMPAIGN_SENSOR, campaignScenario } from './testdata/campaign-scenarios.js';

const SEEDS = [11, 12, 13];
/** Floors over all seeds' pairs together. */
const MIN_PRECISION = 0.95;
const MIN_RECALL = 0.95;

const stores: AnalyticsStore[] = [];
afterAll(async () => {
  for (const s of stores) await s.close();
});

const pairKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** Pairs of sources in one group, for each group. */
function pairsOf(groups: Iterable<readonly string[]>): Set<string> {
  const out = new Set<string>();
  for (const g of groups)
    for (let i = 0; i < g.length; i++) for (let k = i + 1; k < g.length; k++) out.add(pairKey(g[i]!, g[k]!));
  return out;
}

const url = process.env['CLICKHOUSE_URL'];
if (url === undefined || url === '') console.log('Skipping campaigns on ClickHouse: CLICKHOUSE_URL is not set');
const drops: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const d of drops) await d();
});

async function run(
  seed: number,
  target = ':memory:',
): Promise<{ result: TelescopeCampaigns; truth: Set<string>; planted: number }> {
  const scenario = campaignScenario(seed);
  const store = await openStore(target, { timeZone: 'UTC' });
  stores.push(store);
  await store.addSensor(CAMPAIGN_SENSOR);
  await ingestCapture(
    store,
    CAMPAIGN_SENSOR.name,
    writeTemp(tempDir('teiten-campaigns-'), 'scan.pcap', pcapOf(scenario.frames)),
    { geo: null },
  );
  const { current } = await resolveScopes(store, parsePeriod(CAMPAIGN_PERIOD, { timeZone: 'UTC' }));
  const result = await telescopeCampaigns(store, current);
  const groups = new Map<string, string[]>();
  for (const [src, name] of scenario.campaignOf) groups.set(name, [...(groups.get(name) ?? []), src]);
  return { result, truth: pairsOf(groups.values()), planted: scenario.sources.length };
}

describe('telescopeCampaigns()', () => {
  it(`telescopeCampaigns() links planted campaigns with precision ≥ ${MIN_PRECISION} and recall ≥ ${MIN_RECALL} over seeds ${SEEDS.join(', ')}`, async () => {
    let found = 0;
    let right = 0;
    let truthPairs = 0;
    for (const seed of SEEDS) {
      const { result, truth, planted } = await run(seed);
      expect(result.sources).toBe(planted);
      const predicted = pairsOf(result.campaigns.map((c) => c.sources));
      found += predicted.size;
      truthPairs += truth.size;
      for (const p of predicted) if (truth.has(p)) right++;
      // Every link names its port agreement first, then at least one more reason.
      for (const link of result.links) {
        expect(link.reasons[0]!.kind).toBe('port-set');
        expect(link.reasons.length).toBeGreaterThanOrEqual(2);
      }
    }
    const precision = right / found;
    const recall = right / truthPairs;
    console.log(
      `campaign links: precision ${precision.toFixed(3)} (${right}/${found}), recall ${recall.toFixed(3)} (${right}/${truthPairs})`,
    );
    expect(precision).toBeGreaterThanOrEqual(MIN_PRECISION);
    expect(recall).toBeGreaterThanOrEqual(MIN_RECALL);
  }, 120_000);
});

describe.skipIf(url === undefined || url === '')('telescopeCampaigns() on ClickHouse', () => {
  it('telescopeCampaigns() gives the same campaigns, links and features on ClickHouse as on DuckDB', async () => {
    const db = clickHouseTestDb(url!, 'campaigns');
    drops.push(() => db.drop());
    const [duck, click] = [await run(SEEDS[0]!), await run(SEEDS[0]!, db.storeUrl)];
    expect(click.result).toEqual(duck.result);
  }, 120_000);
});
