/**
 * The observation setup counts the period's captures that were cut inside a
 * record and kept (`ingest --keep-truncated`), and the method section's
 * facts table shows that count only when there are some.
 */

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parsePeriod, previousPeriod } from '../../analyse/index.js';
import { openStore, type AnalyticsStore } from '../../store/index.js';
import { composeContext } from './context.js';
import { methodSection } from './method-section.js';
import { observationSetup } from './observation-setup.js';

const TIME_ZONE = 'Asia/Tokyo';
const JUNE_2010 = Date.parse('2010-06-10T00:00:00Z') / 1000;
const SUMMARY = { packetsRead: 5, packetsCounted: 5, packetsExcluded: 0, packetsMalformed: 0, duplicates: 0 };
let store: AnalyticsStore;

beforeEach(async () => {
  store = await openStore(':memory:', { timeZone: TIME_ZONE });
});
afterEach(async () => {
  await store.close();
});

async function ingest(sensorId: number, k: number, truncatedAt: number): Promise<void> {
  const writer = await store.beginIngest({ sensorId, fileName: `c${k}.pcap`, sha256: '', bytes: 0 });
  await writer.commit({ ...SUMMARY, firstSec: JUNE_2010 + k * 10, lastSec: JUNE_2010 + k * 10 + 1 }, { sha256: String(k).repeat(64), bytes: 100, truncatedAt });
}

/** The facts table's rows (key → value) of the method section. */
function facts(setup: Awaited<ReturnType<typeof observationSetup>>, period: ReturnType<typeof parsePeriod>): Map<string, unknown> {
  const ctx = composeContext({ lang: 'en', period, previous: previousPeriod(period), unit: 'month' });
  const section = methodSection(ctx, { setup, signatures: null, number: '5' });
  const tables = JSON.stringify(section);
  const found = new Map<string, unknown>();
  for (const m of tables.matchAll(/\{"key":"(\w+)","cells":\{"item":"[^"]*","value":([^}]*)\}\}/g)) found.set(m[1]!, JSON.parse(m[2]!));
  return found;
}

describe('observationSetup()', () => {
  it('observationSetup() counts truncated captures, and the facts table lists them only when there are some', async () => {
    const sensor = await store.addSensor({ name: 'tokyo', addresses: ['192.0.2.0/24'] });
    const period = parsePeriod('2010-06', { timeZone: TIME_ZONE });
    await ingest(sensor.id, 1, 0);
    const complete = await observationSetup(store, period, []);
    expect(complete).toMatchObject({ ingests: 1, truncatedIngests: 0 });
    expect(facts(complete, period).get('ingests')).toBe(1);
    expect(facts(complete, period).has('truncated')).toBe(false);
    await ingest(sensor.id, 2, 4242);
    const cut = await observationSetup(store, period, []);
    expect(cut).toMatchObject({ ingests: 2, truncatedIngests: 1 });
    expect(facts(cut, period).get('truncated')).toBe(1);
  });
});
