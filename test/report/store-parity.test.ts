/**
 * Both store backends give the same report: the quarterly and monthly
 * documents of the report fixture, composed from in-memory DuckDB and from
 * a fresh ClickHouse database, render to the same JSON bytes (the source's
 * store name aside). Runs when `CLICKHOUSE_URL` is set (a fresh database,
 * dropped after), as the store and analytics contract suites do.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePeriod } from '../../src/analyse/index.js';
import { composeReport } from '../../src/report/compose/index.js';
import { renderJson } from '../../src/report/index.js';
import { openStore, type AnalyticsStore } from '../../src/store/index.js';
import { clickHouseTestDb } from '../../src/store/testdata/clickhouse-test-db.js';
import { detectionsFixture } from './detections-fixture.js';
import { loadReportFixture, TIME_ZONE } from './report-fixture.js';

const clickHouseUrl = process.env['CLICKHOUSE_URL'];

describe.skipIf(clickHouseUrl === undefined)('composeReport() on DuckDB and ClickHouse', () => {
  const clickHouse = clickHouseTestDb(clickHouseUrl ?? 'http://127.0.0.1:8123', 'report');
  let duck: AnalyticsStore;
  let house: AnalyticsStore;

  beforeAll(async () => {
    [duck, house] = await Promise.all([
      openStore(':memory:', { timeZone: TIME_ZONE }),
      openStore(clickHouse.storeUrl, { timeZone: TIME_ZONE }),
    ]);
    await Promise.all([loadReportFixture(duck), loadReportFixture(house)]);
  });

  afterAll(async () => {
    await duck?.close();
    await house?.close();
    await clickHouse.drop();
  });

  for (const period of ['FY2010Q1', '2010-06']) {
    it(`composeReport() of ${period} renders the same JSON from both stores`, async () => {
      const compose = async (store: AnalyticsStore): Promise<string> => {
        const doc = await composeReport(store, parsePeriod(period, { timeZone: TIME_ZONE }), {
          lang: 'ja',
          database: 'fixture',
          detections: detectionsFixture(),
        });
        doc.meta.source.store = 'any';
        return renderJson(doc);
      };
      const [a, b] = await Promise.all([compose(duck), compose(house)]);
      expect(b).toBe(a);
    });
  }
});

if (clickHouseUrl === undefined) {
  describe('composeReport() on DuckDB and ClickHouse', () => {
    it.skip('needs CLICKHOUSE_URL (e.g. http://127.0.0.1:8123) to compare the report from both stores', () =>
      undefined);
  });
}
