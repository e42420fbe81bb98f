/**
 * The commit rule for ingests of one sensor that run at the same time, on
 * DuckDB and on ClickHouse (when `CLICKHOUSE_URL` is set), deterministically
 * ordered here (the CLI tests race real processes): an ingest committed
 * meanwhile that overlaps in time refuses the later commit, unless the later
 * one's duplicate check had seen it; disjoint ingests both commit; and of two
 * stores committing overlapping ingests at the same instant, one wins.
 */

import { describe, expect, it } from 'vitest';
import { openStore, StoreErrorCode, type AnalyticsStore, type IngestWriter } from './index.js';
import { clickHouseTestDb } from './testdata/clickhouse-test-db.js';

const T0 = Date.parse('2010-06-01T00:00:00Z') / 1000;
const HOUR = 3600;

function summary(
  from: number,
  to: number,
): {
  packetsRead: number;
  packetsCounted: number;
  packetsExcluded: number;
  packetsMalformed: number;
  duplicates: number;
  firstSec: number;
  lastSec: number;
} {
  return {
    packetsRead: 2,
    packetsCounted: 2,
    packetsExcluded: 0,
    packetsMalformed: 0,
    duplicates: 0,
    firstSec: from,
    lastSec: to,
  };
}

let hashes = 0;
const nextHash = (): string => (++hashes).toString(16).padStart(64, '0');

async function begin(store: AnalyticsStore, sensorId: number, seen?: number[]): Promise<IngestWriter> {
  return store.beginIngest({
    sensorId,
    fileName: `f${hashes}.pcap`,
    sha256: '',
    bytes: 0,
    ...(seen === undefined ? {} : { seenIngestIds: seen }),
  });
}

async function traffic(writer: IngestWriter): Promise<void> {
  await writer.appendTraffic([
    {
      localDay: 14761,
      localHour: 9,
      ipVersion: 4,
      service: 445,
      sportClass: 0,
      country: 0,
      flagClass: 0,
      packetClass: 0,
      packets: 2,
      bytes: 120,
    },
  ]);
}

async function visiblePackets(store: AnalyticsStore): Promise<number> {
  return (
    await store.query<{ n: number }>({ sql: 'SELECT COALESCE(SUM(packets), 0) AS n FROM traffic_hour', params: [] })
  )[0]!.n;
}

function suite(
  name: string,
  target: () => Promise<{ url: string; done: () => Promise<void> }>,
  options: { skip: boolean; twoStores: boolean },
): void {
  const { skip, twoStores } = options;
  describe.skipIf(skip)(`concurrent commits on ${name}`, () => {
    it('commit() refuses an ingest that overlaps one committed meanwhile, and keeps nothing of it', async () => {
      const { url, done } = await target();
      const store = await openStore(url);
      try {
        const sensor = await store.addSensor({ name: 's', addresses: ['192.0.2.0/24'] });
        const first = await begin(store, sensor.id);
        const second = await begin(store, sensor.id);
        const disjoint = await begin(store, sensor.id);
        for (const w of [first, second, disjoint]) await traffic(w);
        const committed = await first.commit(summary(T0, T0 + HOUR), { sha256: nextHash(), bytes: 1 });
        const refused = await second
          .commit(summary(T0 + HOUR, T0 + 2 * HOUR), { sha256: nextHash(), bytes: 1 })
          .catch((e: unknown) => e);
        expect(refused).toMatchObject({ code: StoreErrorCode.CONCURRENT_INGEST, otherIngestId: committed.id });
        await second.rollback();
        // After both ends of the other's span: commits.
        await disjoint.commit(summary(T0 + 2 * HOUR, T0 + 3 * HOUR), { sha256: nextHash(), bytes: 1 });
        // Begun after the first committed (its check saw it): commits.
        const later = await begin(store, sensor.id);
        await traffic(later);
        await later.commit(summary(T0, T0 + HOUR), { sha256: nextHash(), bytes: 1 });
        expect((await store.listIngests()).length).toBe(3);
        expect(await visiblePackets(store)).toBe(6);
      } finally {
        await store.close();
        await done();
      }
    });

    it.skipIf(!twoStores)(
      'commit() of overlapping ingests from two stores at the same instant lets exactly one through',
      async () => {
        const { url, done } = await target();
        const stores = [await openStore(url), await openStore(url)];
        try {
          const sensor = await stores[0]!.addSensor({ name: 's', addresses: ['192.0.2.0/24'] });
          const writers = [await begin(stores[0]!, sensor.id), await begin(stores[1]!, sensor.id)];
          for (const w of writers) await traffic(w);
          const results = await Promise.allSettled(
            writers.map((w) => w.commit(summary(T0, T0 + HOUR), { sha256: nextHash(), bytes: 1 })),
          );
          expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
          const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
          expect(rejected.reason).toMatchObject({ code: StoreErrorCode.CONCURRENT_INGEST });
          for (const w of writers) await w.rollback();
          expect((await stores[1]!.listIngests()).length).toBe(1);
          expect(await visiblePackets(stores[1]!)).toBe(2);
        } finally {
          for (const s of stores) await s.close();
          await done();
        }
      },
    );
  });
}

// A DuckDB file has one store (one process) at a time, so its race is two writers of one store.
describe('concurrent commits on DuckDB (one store, two writers)', () => {
  it('commit() of overlapping writers of one store at the same instant lets exactly one through', async () => {
    const store = await openStore(':memory:');
    try {
      const sensor = await store.addSensor({ name: 's', addresses: ['192.0.2.0/24'] });
      const writers = [await begin(store, sensor.id), await begin(store, sensor.id)];
      for (const w of writers) await traffic(w);
      const results = await Promise.allSettled(
        writers.map((w) => w.commit(summary(T0, T0 + HOUR), { sha256: nextHash(), bytes: 1 })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const w of writers) await w.rollback();
      expect(await visiblePackets(store)).toBe(2);
    } finally {
      await store.close();
    }
  });
});

suite('DuckDB', async () => ({ url: ':memory:', done: async () => undefined }), { skip: false, twoStores: false });
const chUrl = process.env['CLICKHOUSE_URL'];
suite(
  'ClickHouse',
  async () => {
    const db = clickHouseTestDb(chUrl!, 'commits');
    return { url: db.storeUrl, done: () => db.drop() };
  },
  { skip: chUrl === undefined || chUrl === '', twoStores: true },
);
