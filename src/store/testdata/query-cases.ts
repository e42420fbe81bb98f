/**
 * @module
 * Contract cases for `query()`: parameters, errors and the portable
 * aggregations the analytics rely on (run by `store.case.test.ts`).
 */

import { expect, test } from 'vitest';
import { serviceKey } from '../../classify/service-key.js';
import { IpProto } from '../../decode/batch.js';
import { StoreErrorCode, StoreQueryError } from '../errors.js';
import { ephemeralSportClass } from '../sport-class.js';
import type { SuiteContext } from './registry-cases.js';
import { DAY1, ingestScenario, setUpScenario } from './scenario.js';

const TCP_445 = serviceKey(IpProto.TCP, 445);

export function queryCases(ctx: SuiteContext): void {
  test('query() binds every kind of parameter as a value, never as SQL', async () => {
    const text = "it's a \\ 'quote'\n\ttab 日本 -- not a comment ? /* nor this */";
    const rows = await ctx.store().query({
      sql: 'SELECT ? AS s, ? AS neg, ? AS big, ? AS f, ? AS b, ? AS one, ? AS nothing, 10 -? AS diff, \'?\' AS q',
      params: [text, -5, 2 ** 40 + 1, 0.1, 2n ** 50n, true, null, -3],
    });
    expect(rows).toEqual([{ s: text, neg: -5, big: 2 ** 40 + 1, f: 0.1, b: 2 ** 50, one: 1, nothing: null, diff: 13, q: '?' }]);
  });

  test('query() wraps failures in StoreQueryError with the SQL and parameters', async () => {
    const store = ctx.store();
    const bad = { sql: 'SELECT nosuch FROM traffic_hour WHERE local_day = ?', params: [1] };
    const error = await store.query(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreQueryError);
    expect(error).toMatchObject({ code: StoreErrorCode.QUERY, sql: bad.sql, params: bad.params });
    await expect(store.query({ sql: 'SELECT ? AS a, ? AS b', params: [1] })).rejects.toThrow(/2 placeholders but 1 parameters/);
    await expect(store.query({ sql: 'SELECT ? AS a', params: [undefined] })).rejects.toMatchObject({ code: StoreErrorCode.QUERY });
    await expect(store.query({ sql: 'SELECT ? AS a', params: [Number.NaN] })).rejects.toMatchObject({ code: StoreErrorCode.QUERY });
  });

  test('query() gives the same sums, distinct counts and groups as the rows written', async () => {
    const store = ctx.store();
    const s = await setUpScenario(store);
    await ingestScenario(store, s);
    const byService = await store.query({
      sql: `SELECT service, SUM(packets) AS packets, SUM(bytes) AS bytes FROM traffic_hour
        WHERE sensor_id = ? AND local_day BETWEEN ? AND ? GROUP BY service ORDER BY packets DESC, service`,
      params: [s.tokyo.id, DAY1, DAY1 + 1],
    });
    const expected = new Map<number, { packets: number; bytes: number }>();
    for (const r of s.observed.traffic) {
      const e = expected.get(r.service) ?? { packets: 0, bytes: 0 };
      e.packets += r.packets;
      e.bytes += r.bytes;
      expected.set(r.service, e);
    }
    expect(byService).toEqual(
      [...expected].map(([service, v]) => ({ service, ...v })).sort((a, b) => b.packets - a.packets || a.service - b.service),
    );
    expect(byService[0]).toMatchObject({ service: TCP_445, packets: 5 });

    const distinct = await store.query({
      sql: `SELECT local_day, COUNT(DISTINCT src) AS sources, SUM(packets) AS packets FROM source_day
        WHERE service IN (?, ?) GROUP BY local_day ORDER BY local_day`,
      params: [TCP_445, serviceKey(IpProto.TCP, 23)],
    });
    expect(distinct).toEqual([
      { local_day: DAY1, sources: 2, packets: 4 },
      { local_day: DAY1 + 1, sources: 2, packets: 2 },
    ]);

    const sport = await store.query({
      sql: 'SELECT sport_class, SUM(packets) AS packets FROM traffic_hour GROUP BY sport_class ORDER BY packets DESC, sport_class',
      params: [],
    });
    expect(sport[0]).toEqual({ sport_class: ephemeralSportClass(IpProto.TCP), packets: 5 });
    expect(sport).toContainEqual({ sport_class: serviceKey(IpProto.TCP, 80), packets: 2 });
    expect(sport).toContainEqual({ sport_class: serviceKey(IpProto.TCP, 666), packets: 1 });
    expect(sport).toContainEqual({ sport_class: ephemeralSportClass(IpProto.UDP), packets: 1 });

    const empty = await store.query({
      sql: 'SELECT COALESCE(SUM(packets), 0) AS packets, COUNT(DISTINCT service) AS services FROM traffic_hour WHERE local_day = ?',
      params: [DAY1 + 7],
    });
    expect(empty).toEqual([{ packets: 0, services: 0 }]);

    const ratio = await store.query({
      sql: 'SELECT SUM(packets) / ? AS per_address FROM traffic_hour WHERE ip_version = ? AND sensor_id IN (SELECT id FROM sensors WHERE name = ?)',
      params: [256, 4, 'tokyo-1'],
    });
    expect(ratio).toEqual([{ per_address: 10 / 256 }]);
  });
}
