/**
 * @module
 * Contract cases for settings and the sensor registry (run by `store.case.test.ts`).
 */

import { expect, test } from 'vitest';
import { parsePeriod } from '../../util/period.js';
import { addressDays } from '../address-days.js';
import { StoreErrorCode } from '../errors.js';
import { OPEN_END_SEC, SCHEMA_VERSION } from '../schema.js';
import type { AnalyticsStore } from '../store.js';
import { DAY1_START, ingestScenario, OSAKA, setUpScenario, TIME_ZONE, TOKYO, type StoreTarget } from './scenario.js';

export interface SuiteContext {
  store(): AnalyticsStore;
  target(): StoreTarget;
  /** The stores' clock in epoch seconds; tests may move it. */
  clock: { now: number };
}

export function registryCases(ctx: SuiteContext): void {
  test('migrate() is idempotent and keeps the settings fixed at creation', async () => {
    const store = ctx.store();
    const first = store.settings;
    expect(first).toMatchObject({ schemaVersion: SCHEMA_VERSION, timeZone: TIME_ZONE, rawRetentionDays: 30 });
    expect(await store.migrate()).toEqual(first);
    expect(await store.getMeta('schema_version')).toBe(String(SCHEMA_VERSION));
    await store.setMeta('note', "it's \\ fine");
    await store.setMeta('note', 'second');
    expect(await store.getMeta('note')).toBe('second');
    expect(await store.query({ sql: 'SELECT COUNT(*) AS n FROM traffic_hour', params: [] })).toEqual([{ n: 0 }]);
  });

  test('migrate() refuses to reopen a store in another time zone', async ({ skip }) => {
    if (!ctx.target().persistent) skip('in-memory store cannot be reopened');
    // As another process would: a DuckDB file is not opened twice in one process.
    await ctx.store().close();
    const again = ctx.target().open({ timeZone: 'UTC' });
    await expect(again).rejects.toMatchObject({ code: StoreErrorCode.CONFIG });
    const reopened = await ctx.target().open({ rawRetentionDays: 0 });
    expect(reopened.settings).toMatchObject({ timeZone: TIME_ZONE, rawRetentionDays: 0 });
    await reopened.close();
  });

  test('addSensor() stores canonical blocks, address counts and the default zone', async () => {
    const store = ctx.store();
    const sensor = await store.addSensor({ ...TOKYO, addresses: [' 192.0.2.0/24', '2001:DB8:1:0::/64', '203.0.113.9'] });
    expect(sensor.addresses.map((a) => [a.cidr, a.addressCount])).toEqual([
      ['192.0.2.0/24', 256], ['203.0.113.9/32', 1], ['2001:db8:1::/64', 1],
    ]);
    expect(sensor.timeZone).toBe(TIME_ZONE);
    expect(await store.listSensors()).toEqual([sensor]);
    expect(await store.findSensor('tokyo-1')).toEqual(sensor);
    expect(await store.findSensor('nope')).toBeUndefined();
  });

  test('addSensor() refuses a taken name, an overlapping block and a malformed definition', async () => {
    const store = ctx.store();
    await store.addSensor(TOKYO);
    await expect(store.addSensor(TOKYO)).rejects.toMatchObject({ code: StoreErrorCode.SENSOR_CONFLICT });
    await expect(store.addSensor({ name: 'other', addresses: ['192.0.2.128/25'] })).rejects.toMatchObject({
      code: StoreErrorCode.SENSOR_CONFLICT,
    });
    await expect(store.addSensor({ name: 'v6', addresses: ['2001:db8:1:0:8000::/80'] })).rejects.toMatchObject({
      code: StoreErrorCode.SENSOR_CONFLICT,
    });
    await expect(store.addSensor({ name: 'Bad Name', addresses: ['10.0.0.1'] })).rejects.toMatchObject({
      code: StoreErrorCode.INVALID_SENSOR, field: 'name',
    });
    await expect(store.addSensor({ name: 'x', addresses: ['10.0.0.1', '10.0.0.300'] })).rejects.toMatchObject({
      field: 'addresses[1]',
    });
    expect((await store.listSensors()).map((s) => s.name)).toEqual(['tokyo-1']);
  });

  test('removeSensor() refuses a sensor with data unless withData, which deletes it all', async () => {
    const store = ctx.store();
    const s = await setUpScenario(store);
    await store.removeSensor(s.osaka.id);
    expect((await store.listSensors()).map((x) => x.name)).toEqual(['tokyo-1']);
    await expect(store.removeSensor(9999)).rejects.toMatchObject({ code: StoreErrorCode.SENSOR_NOT_FOUND });
    await ingestScenario(store, s);
    await expect(store.removeSensor(s.tokyo.id)).rejects.toMatchObject({ code: StoreErrorCode.SENSOR_IN_USE, ingests: 1 });
    await store.removeSensor(s.tokyo.id, { withData: true });
    expect(await store.listSensors()).toEqual([]);
    for (const table of ['traffic_hour_rows', 'source_list_day_rows', 'packet_rows', 'ingests', 'sensor_addresses']) {
      expect(await store.query({ sql: `SELECT COUNT(*) AS n FROM ${table}`, params: [] })).toEqual([{ n: 0 }]);
    }
    const again = await store.addSensor(OSAKA);
    expect(again.id).not.toBe(s.osaka.id);
  });

  test('addDowntime() is stored and divides address-days (6 h down → 0.75 of a day)', async () => {
    const store = ctx.store();
    const sensor = await store.addSensor(TOKYO);
    const down = await store.addDowntime(sensor.id, { from: '2010-06-01T06:00+09:00', to: '2010-06-01T12:00+09:00', note: 'power' });
    expect(down).toEqual({ kind: 'down', fromSec: DAY1_START + 6 * 3600, toSec: DAY1_START + 12 * 3600, note: 'power' });
    await store.addOperating(sensor.id, { from: DAY1_START });
    const intervals = await store.sensorIntervals(sensor.id);
    expect(intervals).toEqual([{ kind: 'operating', fromSec: DAY1_START, toSec: OPEN_END_SEC, note: '' }, down]);
    const stored = (await store.findSensor('tokyo-1'))!;
    const result = addressDays(stored, parsePeriod('2010-05-31..2010-06-02', { timeZone: TIME_ZONE }));
    expect(result.days.map((d) => d.fraction)).toEqual([0, 0.75, 1]);
    expect(result.totalV4).toBe(256 * 1.75);
    expect(result.totalV6).toBe(1.75);
    await expect(store.addDowntime(sensor.id, { from: 10, to: 5 })).rejects.toMatchObject({ field: 'downtime.to' });
    await expect(store.addDowntime(777, { from: 1, to: 5 })).rejects.toMatchObject({ code: StoreErrorCode.SENSOR_NOT_FOUND });
  });
}
