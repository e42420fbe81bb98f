/**
 * The store's version changes with each kind of change the figures depend
 * on, on DuckDB and (with `CLICKHOUSE_URL`) ClickHouse.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { SCAN_SETTINGS_KEY } from '../analyse/telescope-scanners.js';
import { ingestCapture } from '../ingest/index.js';
import { pcapOf, tempDir, writeTemp } from '../ingest/testdata/captures.js';
import { openStore, type AnalyticsStore } from '../store/index.js';
import { clickHouseTestDb } from '../store/testdata/clickhouse-test-db.js';
import { storeVersionOf } from './store-version.js';

const url = process.env['CLICKHOUSE_URL'];
type Backend = () => { target: string; drop: () => Promise<void> };
const targets: [string, Backend][] = [
  ['DuckDB', () => ({ target: ':memory:', drop: async () => undefined })],
  ...(url === undefined || url === ''
    ? []
    : [
        [
          'ClickHouse',
          () => {
            const db = clickHouseTestDb(url, 'version');
            return { target: db.storeUrl, drop: () => db.drop() };
          },
        ] as [string, Backend],
      ]),
];

describe.each(targets)('storeVersionOf() on %s', (_name, make) => {
  const backend = make();
  let store: AnalyticsStore;
  afterAll(async () => {
    await store?.close();
    await backend.drop();
  });

  it('storeVersionOf() changes when a sensor is edited, an ingest commits or scanner settings change, read at most every checkMs', async () => {
    store = await openStore(backend.target, { timeZone: 'Asia/Tokyo' });
    let now = 0;
    const version = storeVersionOf(store, { checkMs: 100, now: () => now });
    const seen = [await version()];
    const sensor = await store.addSensor({ name: 'tokyo', addresses: ['192.0.2.0/24'] });
    expect(await version()).toBe(seen[0]);
    const step = async (): Promise<void> => {
      now += 100;
      const next = await version();
      expect(seen).not.toContain(next);
      seen.push(next);
    };
    await step();
    await store.addDowntime(sensor.id, { from: 1000, to: 2000 });
    await step();
    const frame = {
      sec: 1_300_000_000,
      spec: {
        ip: { version: 4 as const, src: '1.0.16.1', dst: '192.0.2.1' },
        l4: { kind: 'udp' as const, srcPort: 1, dstPort: 53 },
      },
    };
    await ingestCapture(store, 'tokyo', writeTemp(tempDir('teiten-version-'), 'one.pcap', pcapOf([frame])), {
      geo: null,
      detection: null,
    });
    await step();
    await store.setMeta(SCAN_SETTINGS_KEY, '{"minAddresses":10}');
    await step();
  });
});
