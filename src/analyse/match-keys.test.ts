import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type AnalyticsStore } from '../store/index.js';
import { storeTargets } from '../store/testdata/clickhouse-test-db.js';
import { matchKeys } from './queries.js';

const BACKENDS = storeTargets(process.env['CLICKHOUSE_URL'], 'match_keys');

/** Every (country, service) pair of countries 1–3 and services 10, 20, 30, as rows of a derived table both stores read. */
const GRID = [1, 2, 3]
  .flatMap((country) => [10, 20, 30].map((service) => `SELECT ${country} AS country, ${service} AS service`))
  .join(' UNION ALL ');

describe.each(BACKENDS)('matchKeys() on %s', (_kind, makeBackend) => {
  const backend = makeBackend();
  let store: AnalyticsStore;

  beforeAll(async () => {
    store = await openStore(backend.target);
  });

  afterAll(async () => {
    await store?.close();
    await backend.drop();
  });

  const matched = async (columns: Parameters<typeof matchKeys>[0], keys: number[][]): Promise<string[]> => {
    const where = matchKeys(columns, keys);
    const rows = await store.query<{ country: number; service: number }>({
      sql: `SELECT country, service FROM (${GRID}) AS grid WHERE ${where.sql} ORDER BY country, service`,
      params: where.params,
    });
    return rows.map((r) => `${Number(r.country)}/${Number(r.service)}`);
  };

  it('matches exactly the pairs of two columns, not the cross product of their values', async () => {
    expect(
      await matched(
        ['country', 'service'],
        [
          [1, 10],
          [3, 20],
          [2, 30],
        ],
      ),
    ).toEqual(['1/10', '2/30', '3/20']);
  });

  it('matches one column by its values, and nothing for no keys', async () => {
    expect(await matched(['service'], [[20]])).toEqual(['1/20', '2/20', '3/20']);
    expect(await matched(['country', 'service'], [])).toEqual([]);
  });
});
