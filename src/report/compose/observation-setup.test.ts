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

async function ingest(
  sensorId: number,
  k: number,
  truncatedAt: number,
  geo: { geoipDb: string; geoipBuildSec: number } = { geoipDb: '', geoipBuildSec: 0 },
): Promise<void> {
  const writer = await store.beginIngest({ sensorId, fileName: `c${k}.pcap`, sha256: '', bytes: 0, ...geo });
  await writer.commit(
    { ...SUMMARY, firstSec: JUNE_2010 + k * 10, lastSec: JUNE_2010 + k * 10 + 1 },
    { sha256: String(k).repeat(64), bytes: 100, truncatedAt },
  );
}

/** The facts table's rows (key → value) of the method section. */
function facts(
  setup: Awaited<ReturnType<typeof observationSetup>>,
  period: ReturnType<typeof parsePeriod>,
): Map<string, unknown> {
  const ctx = composeContext({ lang: 'en', period, previous: previousPeriod(period), unit: 'month' });
  const section = methodSection(ctx, { setup, signatures: null, number: '5' });
  const tables = JSON.stringify(section);
  const found = new Map<string, unknown>();
  for (const m of tables.matchAll(/\{"key":"(\w+)","cells":\{"item":"[^"]*","value":([^}]*)\}\}/g))
    found.set(m[1]!, JSON.parse(m[2]!));
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

  it("observationSetup() adds the period's losses of sensors that deliver through the collector, and the sensor table shows them", async () => {
    const live = await store.addSensor({ name: 'live', addresses: ['192.0.2.0/24'] });
    await store.addSensor({ name: 'file', addresses: ['198.51.100.0/24'] });
    const period = parsePeriod('2010-06', { timeZone: TIME_ZONE });
    const us = (sec: number): number => sec * 1_000_000;
    const segment = (sequence: number, sec: number, kernelDropped: number, agentDropped: number) => ({
      sensorId: live.id,
      sequence,
      segmentId: String(sequence).padStart(64, '0'),
      localDay: 0,
      firstUs: us(sec),
      lastUs: us(sec + 59),
      packets: 10,
      kernelReceived: 100,
      kernelDropped,
      agentDropped,
      mode: 'live',
      ingestId: 0,
      packetsRead: 10,
      packetsCounted: 10,
      bytes: 1000,
      receivedMs: 0,
    });
    // Two segments in June, one in July (outside the period).
    await store.network.addSegment(segment(0, JUNE_2010, 3, 1));
    await store.network.addSegment(segment(1, JUNE_2010 + 60, 2, 0));
    await store.network.addSegment(segment(2, Date.parse('2010-07-02T00:00:00Z') / 1000, 50, 50));
    await store.network.addLosses([
      {
        sensorId: live.id,
        firstSequence: 5,
        lastSequence: 6,
        segments: 2,
        packets: 40,
        fromUs: us(JUNE_2010 + 600),
        toUs: us(JUNE_2010 + 719),
        localDay: 0,
        reportedMs: 0,
      },
    ]);
    const uses = ['live', 'file'].map((name) => ({
      name,
      label: '',
      addresses: [],
      addressCount: 256,
      addressDays: 256,
      previousAddressDays: 0,
    }));
    const setup = await observationSetup(store, period, uses);
    expect(setup.sensors.map((x) => x.losses)).toEqual([
      { segments: 2, kernelDropped: 5, agentDropped: 1, spoolDroppedSegments: 2, spoolDroppedPackets: 40 },
      null,
    ]);
    const ctx = composeContext({ lang: 'en', period, previous: previousPeriod(period), unit: 'month' });
    const table = JSON.stringify(methodSection(ctx, { setup, signatures: null, number: '5' }));
    expect(table).toMatch(/"cells":\{"name":"live",[^}]*"dropped":6,"spool":40\}/);
    expect(table).toMatch(/"cells":\{"name":"file",[^}]*"dropped":null,"spool":null\}/);
    // Without collector records the table keeps its old columns.
    const plain = JSON.stringify(
      methodSection(ctx, {
        setup: { ...setup, sensors: setup.sensors.map((x) => ({ ...x, losses: null })) },
        signatures: null,
        number: '5',
      }),
    );
    expect(plain).not.toMatch(/"dropped"/);
  });

  it('observationSetup() records how old each GeoIP database was at its latest ingest; the method section warns past 90 days, in both languages', async () => {
    const sensor = await store.addSensor({ name: 'tokyo', addresses: ['192.0.2.0/24'] });
    const period = parsePeriod('2010-06', { timeZone: TIME_ZONE });
    const nowSec = Math.floor(Date.now() / 1000);
    const fresh = { geoipDb: 'fresh.mmdb (new)', geoipBuildSec: nowSec - 10 * 86_400 };
    await ingest(sensor.id, 1, 0, fresh);
    await ingest(sensor.id, 2, 0, fresh);
    const text = (setup: Awaited<ReturnType<typeof observationSetup>>, lang: 'en' | 'ja'): string => {
      const ctx = composeContext({ lang, period, previous: previousPeriod(period), unit: 'month' });
      return JSON.stringify(methodSection(ctx, { setup, signatures: null, number: '5' }));
    };
    const young = await observationSetup(store, period, []);
    // Ingested just now, 10 days (less a few seconds of test) after the build.
    expect(young.geoip).toEqual([
      {
        database: 'fresh.mmdb (new)',
        buildDate: expect.any(String),
        ageDays: expect.any(Number),
        ingests: 2,
        packets: 10,
      },
    ]);
    expect([9, 10]).toContain(young.geoip[0]!.ageDays);
    expect(text(young, 'en')).not.toMatch(/days old/);
    expect(text(young, 'ja')).not.toMatch(/日超/);

    const built = Date.parse('2010-05-01T00:00:00Z') / 1000;
    await ingest(sensor.id, 3, 0, { geoipDb: 'old.mmdb (2010)', geoipBuildSec: built });
    const [record] = (await store.listIngests()).filter((i) => i.geoipDb === 'old.mmdb (2010)');
    const age = Math.floor((record!.ingestedSec - built) / 86_400);
    expect(age).toBeGreaterThan(5_000);
    const aged = await observationSetup(store, period, []);
    expect(aged.geoip.map((u) => [u.database, u.buildDate, u.ageDays])).toEqual([
      ['fresh.mmdb (new)', young.geoip[0]!.buildDate, young.geoip[0]!.ageDays],
      ['old.mmdb (2010)', '2010-05-01', age],
    ]);
    const n = age.toLocaleString('en-US');
    expect(text(aged, 'en')).toContain(
      `The GeoIP database old.mmdb (2010) was ${n} days old (more than 90) when captures were ingested with it, so some source countries may no longer match current assignments.`,
    );
    expect(text(aged, 'ja')).toContain(
      `なお、GeoIP データベース old.mmdb (2010) は、取り込み時点で作成から ${n} 日 (90 日超) を経ており、発信元の国・地域の一部は現在の割り当てと異なる可能性がある。`,
    );
  });
});
