/**
 * The same ingests into DuckDB and ClickHouse give identical rollups, ingest
 * records and duplicate counts. Needs a ClickHouse server (`CLICKHOUSE_URL`,
 * e.g. http://127.0.0.1:8123); without one the case is reported as skipped.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GeoResolver } from '../classify/geoip.js';
import { TcpFlag } from '../decode/batch.js';
import { openStore, type AnalyticsStore } from '../store/index.js';
import { clickHouseTestDb } from '../store/testdata/clickhouse-test-db.js';
import { ingestCapture, type IngestResult } from './ingest-capture.js';
import {
  at,
  pcapOf,
  pcapngOf,
  sourceRows,
  tempDir,
  testGeo,
  trafficRows,
  writeTemp,
  type TestFrame,
} from './testdata/captures.js';
import { FRAMES, TIME_ZONE, TOKYO } from './testdata/scenario.js';

const url = process.env['CLICKHOUSE_URL'];
const REAL_CAPTURE = join(import.meta.dirname, '../../../shared/captures/amp.TCP.reflection.SYNACK.pcap');

/** SYNs across a local day boundary, and a second capture overlapping half of them. */
function probes(from: number, to: number): TestFrame[] {
  return Array.from({ length: to - from }, (_, j) => {
    const k = from + j;
    return {
      sec: at('2010-06-01T14:59:00Z') + 7 * k,
      spec: {
        ip: { version: 4 as const, src: `61.0.${k % 3}.9`, dst: `192.0.2.${k}`, id: k },
        l4: { kind: 'tcp' as const, srcPort: 1024 + k, dstPort: [22, 23, 445][k % 3]!, flags: TcpFlag.SYN },
      },
    };
  });
}

async function ingestAll(store: AnalyticsStore, files: readonly string[], geo: GeoResolver): Promise<IngestResult[]> {
  await store.addSensor({ ...TOKYO, addresses: [...TOKYO.addresses, '10.10.10.10'] });
  const results: IngestResult[] = [];
  for (const file of files) results.push(await ingestCapture(store, 'tokyo', file, { geo }));
  return results;
}

/** What must agree: everything but ids and wall-clock times. */
function comparable(r: IngestResult): Record<string, unknown> {
  const { id: _id, startedSec: _s, ingestedSec: _i, ...record } = r.record;
  return { record, dupIn: r.duplicatesInCapture, dupStored: r.duplicatesOfStored, rows: [r.trafficRows, r.sourceRows] };
}

if (url === undefined || url === '') {
  describe('ingest parity: DuckDB and ClickHouse', () => {
    it.skip('needs CLICKHOUSE_URL (e.g. http://127.0.0.1:8123) to compare ingests into a real ClickHouse server', () =>
      undefined);
  });
} else {
  describe('ingest parity: DuckDB and ClickHouse', () => {
    const clickHouse = clickHouseTestDb(url, 'ingest_parity');
    const stores: AnalyticsStore[] = [];
    const results: IngestResult[][] = [];

    beforeAll(async () => {
      const dir = tempDir();
      const { geo } = await testGeo(dir);
      const files = [
        writeTemp(dir, 'scenario.pcap', pcapOf(FRAMES)),
        writeTemp(dir, 'first.pcap', pcapOf(probes(0, 40))),
        writeTemp(dir, 'overlap.pcapng', pcapngOf(probes(20, 60))),
        ...(existsSync(REAL_CAPTURE) ? [REAL_CAPTURE] : []),
      ];
      for (const target of [':memory:', clickHouse.storeUrl]) {
        const store = await openStore(target, { timeZone: TIME_ZONE, ingestBlockRows: 7 });
        stores.push(store);
        results.push(await ingestAll(store, files, geo));
      }
    }, 120_000);

    afterAll(async () => {
      for (const store of stores) await store.close();
      await clickHouse.drop();
    });

    it('ingestCapture() gives identical traffic_hour and source_day rows on both stores', async () => {
      const [duck, click] = stores;
      const duckTraffic = await trafficRows(duck!);
      expect(duckTraffic.length).toBeGreaterThan(10);
      expect(await trafficRows(click!)).toEqual(duckTraffic);
      expect(await sourceRows(click!)).toEqual(await sourceRows(duck!));
    });

    it('ingestCapture() records the same ingests and duplicates on both stores', () => {
      const [duck, click] = results.map((list) => list.map(comparable));
      expect(click).toEqual(duck);
      expect(duck![2]).toMatchObject({ dupStored: 20, record: { packetsCounted: 20 } });
    });
  });
}
