/**
 * @module
 * The analytics, checked against hand-counted figures of
 * `testdata/fixture.ts` on every store: always on in-memory DuckDB, and on
 * ClickHouse when `CLICKHOUSE_URL` is set (a fresh database, dropped after).
 * The same assertions on both prove the SQL is portable.
 */

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { openStore, type AnalyticsStore } from '../store/index.js';
import { clickHouseTestDb } from '../store/testdata/clickhouse-test-db.js';
import { breakdown } from './breakdown.js';
import { dailySeries, sensorOverview } from './daily-series.js';
import { StatsInputError } from './errors.js';
import { exportPeriod } from './export-period.js';
import { parsePeriod } from '../util/period.js';
import { periodSummary } from './period-summary.js';
import { rankingTable, rankingTables } from './ranking-table.js';
import { loadFixture, TIME_ZONE, TRAFFIC } from './testdata/fixture.js';
import { rateInterval, type DayCounts } from './rate-interval.js';
import { rateChangeTest } from './change-test.js';
import { formatLocalDate, parseLocalDate } from '../util/tz.js';
import type { Dimension, StatsFilter } from './types.js';

const Q1 = parsePeriod('FY2010Q1', { timeZone: TIME_ZONE });
/** FY2010Q1 divisors (see the fixture): alpha 819 (IPv4 728, IPv6 91), beta 80.75. */
const AD = 899.75;
/** FY2009Q4: alpha 810, beta 90. */
const AD_PREV = 900;
const DIGITS = 10;
const MAY_1 = parseLocalDate('2010-05-01');
const MAY_11 = parseLocalDate('2010-05-11');
const TCP = 6;

function near(actual: number | null | undefined, expected: number): void {
  expect(actual).not.toBeNull();
  expect(actual).toBeCloseTo(expected, DIGITS);
}

export function runAnalyseSuite(
  name: string,
  open: () => Promise<{ store: AnalyticsStore; dispose: () => Promise<void> }>,
): void {
  describe(`analytics on ${name}`, () => {
    let store: AnalyticsStore;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      ({ store, dispose } = await open());
      await loadFixture(store);
    });
    afterAll(async () => {
      await store.close();
      await dispose();
    });

    test('periodSummary() divides by observed address-days and averages daily distinct sources', async () => {
      const s = await periodSummary(store, { period: Q1 });
      expect(s.period).toEqual({
        label: 'FY2010Q1',
        kind: 'fiscal-quarter',
        timeZone: TIME_ZONE,
        firstDate: '2010-04-01',
        lastDate: '2010-06-30',
        days: 91,
      });
      expect(s.previousPeriod).toMatchObject({
        label: 'FY2009Q4',
        firstDate: '2010-01-01',
        lastDate: '2010-03-31',
        days: 90,
      });
      // 2010-07-01 (1000 packets) is outside; 2010-03-31 23h counts in FY2009Q4, 2010-04-01 0h in FY2010Q1.
      expect(s.current).toMatchObject({ packets: 1884, bytes: 1884 * 60, observedDays: 91, sources: 10 });
      near(s.current.addressDays, AD);
      near(s.current.perDayPerAddress, 1884 / AD);
      near(s.current.sourcesPerDay, 12 / 91);
      expect(s.previous).toMatchObject({ packets: 1273, observedDays: 90, sources: 5 });
      near(s.previous.perDayPerAddress, 1273 / AD_PREV);
      near(s.previous.sourcesPerDay, 7 / 90);
      near(s.change.perDayPerAddress.abs, 1884 / AD - 1273 / AD_PREV);
      near(s.change.perDayPerAddress.pct, ((1884 / AD - 1273 / AD_PREV) / (1273 / AD_PREV)) * 100);
      expect(s.change.packets).toEqual({ abs: 611, pct: (611 / 1273) * 100 });
      expect(s.sensors.map((x) => [x.name, x.addressCount, x.addressDays, x.previousAddressDays])).toEqual([
        ['alpha', 9, 819, 810],
        ['beta', 1, 80.75, 90],
      ]);
      expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    });

    test('periodSummary() shrinks the divisor and the observed days to a sensor with downtime', async () => {
      const s = await periodSummary(store, { period: Q1, filter: { sensors: ['beta'] } });
      expect(s.filter.sensors).toEqual(['beta']);
      expect(s.current).toMatchObject({ packets: 190, addressDays: 80.75, observedDays: 81, sources: 3 });
      near(s.current.perDayPerAddress, 190 / 80.75);
      near(s.current.sourcesPerDay, 4 / 81);
      expect(s.previous).toMatchObject({ packets: 90, addressDays: 90, perDayPerAddress: 1 });
    });

    test('periodSummary() applies IP version, service, country and packet class filters', async () => {
      const v4 = await periodSummary(store, { period: Q1, filter: { ipVersion: 4 } });
      expect(v4.current).toMatchObject({ packets: 1875, addressDays: 808.75, sources: 9 });
      near(v4.current.sourcesPerDay, 11 / 91);
      const v6 = await periodSummary(store, { period: Q1, filter: { ipVersion: 6 } });
      expect(v6.current).toMatchObject({ packets: 9, addressDays: 91, sources: 1 });
      expect(v6.sensors.map((x) => x.addressCount)).toEqual([1, 0]);
      const smb = await periodSummary(store, { period: Q1, filter: { service: '445/tcp' } });
      expect(smb.filter.service).toBe('445/TCP');
      expect(smb.current).toMatchObject({ packets: 1015, sources: 3 });
      near(smb.current.sourcesPerDay, 5 / 91);
      const jp = await periodSummary(store, { period: Q1, filter: { country: 'jp' } });
      expect(jp.current).toMatchObject({ packets: 500, sources: 2 });
      // Source sets carry no packet class: packets yes, sources not available.
      const resp = await periodSummary(store, { period: Q1, filter: { packetClasses: ['response'] } });
      expect(resp.current).toMatchObject({ packets: 200, sources: null, sourcesPerDay: null });
      expect(resp.change.sourcesPerDay).toEqual({ abs: null, pct: null });
    });

    test('periodSummary() rejects an unknown sensor or a malformed filter with StatsInputError', async () => {
      await expect(periodSummary(store, { period: Q1, filter: { sensors: ['nosuch'] } })).rejects.toMatchObject({
        code: 'TEITEN_ANALYSE_INPUT',
        field: 'sensors',
        value: 'nosuch',
      });
      await expect(periodSummary(store, { period: Q1, filter: { service: '445/XYZ' } })).rejects.toBeInstanceOf(
        StatsInputError,
      );
      await expect(periodSummary(store, { period: Q1, filter: { country: 'CHN' } })).rejects.toMatchObject({
        field: 'country',
      });
      const odd = { packetClasses: ['toString'] } as unknown as StatsFilter;
      await expect(periodSummary(store, { period: Q1, filter: odd })).rejects.toMatchObject({ field: 'packetClasses' });
      await expect(breakdown(store, { period: Q1, by: 'toString' as Dimension })).rejects.toMatchObject({
        field: 'by',
      });
    });

    test('breakdown() by service keys ICMP by type and gives value, sources and share per item', async () => {
      const b = await breakdown(store, { period: Q1, by: 'service' });
      expect(b.items.map((i) => [i.key, i.packets])).toEqual([
        ['445/TCP', 1015],
        ['11/ICMP', 300],
        ['33000/UDP', 200],
        ['8/ICMP', 100],
        ['1433/TCP', 90],
        ['23/TCP', 90],
        ['9415/TCP', 80],
        ['128/ICMPv6', 9],
      ]);
      const smb = b.items[0]!;
      expect(smb).toMatchObject({
        sources: 3,
        addressDays: AD,
        label: { service: '445/TCP', country: null, sensor: null },
      });
      near(smb.perDayPerAddress, 1015 / AD);
      near(smb.sourcesPerDay, 5 / 91);
      near(smb.sharePct, (1015 / 1884) * 100);
      expect(b.items.find((i) => i.key === '9415/TCP')).toMatchObject({ sources: 2 });
    });

    test('breakdown() by country and by country × service names countries in Japanese and English', async () => {
      const c = await breakdown(store, { period: Q1, by: 'country' });
      expect(c.items.map((i) => [i.key, i.packets, i.sources])).toEqual([
        ['CN', 1165, 4],
        ['JP', 500, 2],
        ['US', 219, 4],
      ]);
      expect(c.items[2]!.label).toMatchObject({ country: 'US', countryJa: '米国', countryEn: 'United States' });
      near(c.items[0]!.sourcesPerDay, 6 / 91);
      const cs = await breakdown(store, { period: Q1, by: 'country-service' });
      expect(cs.items.slice(0, 3).map((i) => [i.key, i.packets])).toEqual([
        ['CN 445/TCP', 1015],
        ['JP 11/ICMP', 300],
        ['JP 33000/UDP', 200],
      ]);
      expect(cs.items[0]!.label).toMatchObject({ country: 'CN', countryJa: '中国', service: '445/TCP' });
      expect(cs.items.reduce((n, i) => n + i.packets, 0)).toBe(1884);
    });

    test('breakdown() by sensor divides each sensor by its own address-days (a /29 block, downtime)', async () => {
      const b = await breakdown(store, { period: Q1, by: 'sensor' });
      const [alpha, beta] = b.items;
      expect(alpha).toMatchObject({
        key: 'alpha',
        packets: 1694,
        addressDays: 819,
        sources: 8,
        label: { sensor: 'alpha', sensorLabel: 'Alpha /29' },
      });
      near(alpha!.perDayPerAddress, 1694 / 819);
      near(alpha!.sourcesPerDay, 9 / 91);
      expect(beta).toMatchObject({ key: 'beta', packets: 190, addressDays: 80.75, sources: 3 });
      near(beta!.sourcesPerDay, 4 / 81);
    });

    test('breakdown() by source port class for one service has packets but no source sets', async () => {
      const b = await breakdown(store, { period: Q1, by: 'sport-class', filter: { service: '9415/TCP' } });
      expect(b.items.map((i) => [i.key, i.packets, i.sharePct, i.sources])).toEqual([
        ['eph/TCP', 60, 75, null],
        ['1000/TCP', 20, 25, null],
      ]);
      const cb = await breakdown(store, { period: Q1, by: 'country-sport-class', filter: { service: '9415/TCP' } });
      expect(cb.items.map((i) => [i.key, i.sharePct])).toEqual([
        ['CN eph/TCP', 75],
        ['US 1000/TCP', 25],
      ]);
    });

    test('rankingTable() ranks against the previous fiscal quarter with ties by key and movers', async () => {
      const t = await rankingTable(store, { period: Q1, by: 'service', top: 5, movers: 5 });
      expect(t.previousPeriod.label).toBe('FY2009Q4');
      const brief = (rows: typeof t.rows): unknown[] =>
        rows.map((r) => [r.key, r.rank, r.previousRank, r.increaseRank, r.decreaseRank]);
      expect(brief(t.rows)).toEqual([
        ['445/TCP', 1, 1, 2, null],
        ['11/ICMP', 2, 5, 1, null],
        ['33000/UDP', 3, null, 3, null],
        ['8/ICMP', 4, 2, null, 1],
        // 90 packets each: the tie is broken by key, '1433/TCP' < '23/TCP'.
        ['1433/TCP', 5, null, 4, null],
        ['23/TCP', 6, 4, 6, null],
        ['9415/TCP', 7, null, 5, null],
        ['128/ICMPv6', 8, null, 7, null],
        ['135/TCP', null, 3, null, 2],
      ]);
      expect(brief(t.table)).toEqual([
        ['445/TCP', 1, 1, 2, null],
        ['11/ICMP', 2, 5, 1, null],
        ['33000/UDP', 3, null, 3, null],
        ['8/ICMP', 4, 2, null, 1],
        ['1433/TCP', 5, null, 4, null],
        ['9415/TCP', 7, null, 5, null],
        ['135/TCP', null, 3, null, 2],
      ]);
      const smb = t.rows[0]!;
      near(smb.current, 1015 / AD);
      near(smb.previous, 790 / AD_PREV);
      near(smb.changeAbs, 1015 / AD - 790 / AD_PREV);
      // rankItems compares values cut to 12 significant digits, so the percentage agrees to about 1e-9.
      expect(smb.changePct).toBeCloseTo(((1015 / AD - 790 / AD_PREV) / (790 / AD_PREV)) * 100, 8);
      // 1.128091… → 1.13, 0.877… → 0.88, +0.250313… → 0.25, +28.5 %.
      expect(smb.rounded).toEqual({ current: 1.13, previous: 0.88, changeAbs: 0.25, changePct: 28.5 });
      expect(t.rows.find((r) => r.key === '8/ICMP')!.rounded).toEqual({
        current: 0.11,
        previous: 0.33,
        changeAbs: -0.22,
        changePct: -66.7,
      });
      expect(t.rows.find((r) => r.key === '135/TCP')).toMatchObject({
        packets: 0,
        previousPackets: 150,
        sharePct: null,
        changePct: -100,
      });
      expect(t.shares.map((s) => s.key)).toEqual(['445/TCP', '11/ICMP', '33000/UDP', '8/ICMP', '1433/TCP', 'other']);
      const other = t.shares[5]!;
      expect(other).toMatchObject({ other: true, label: null });
      near(other.current, 179 / AD);
      near(other.previous, 180 / AD_PREV);
      near(other.currentPct!, (179 / 1884) * 100);
      expect(JSON.parse(JSON.stringify(t))).toEqual(t);
    });

    test('rankingTable() and periodSummary() give intervals and change tests of the hand-counted day counts', async () => {
      // Day exposures: alpha 9 every day; beta 1, but 0 on May 1–10 (down) and 0.75 on May 11.
      const q1 = Array.from({ length: Q1.days }, (_, i) => Q1.startDay + i);
      const betaDay = (day: number): number => (day < MAY_1 ? 1 : day < MAY_11 ? 0 : day === MAY_11 ? 0.75 : 1);
      const days = (
        span: readonly number[],
        counts: Record<string, number>,
        exposure: (day: number) => number,
      ): DayCounts => ({
        counts: span.map((day) => counts[formatLocalDate(day)] ?? 0),
        exposures: span.map(exposure),
      });
      const q4 = Array.from({ length: 90 }, (_, i) => Q1.startDay - 90 + i);
      const smbNow = days(
        q1,
        { '2010-04-01': 510, '2010-04-11': 5, '2010-04-20': 100, '2010-05-15': 400 },
        (d) => 9 + betaDay(d),
      );
      const smbBefore = days(q4, { '2010-03-31': 700, '2010-03-01': 90 }, () => 10);
      const t = await rankingTable(store, { period: Q1, by: 'service', top: 5, movers: 5 });
      const u = t.uncertainty!;
      expect(u.compared).toBe(t.rows.length);
      expect(u.rows.map((r) => r.key)).toEqual(t.rows.map((r) => r.key));
      const smb = u.rows[0]!;
      const expected = rateInterval(smbNow)!;
      expect(expected.rate).toBeCloseTo(1015 / AD, 12);
      expect(smb.current!.low).toBeCloseTo(expected.low, 9);
      expect(smb.current!.high).toBeCloseTo(expected.high, 9);
      expect(smb.current!.dispersion).toBeCloseTo(expected.dispersion, 9);
      expect(smb.previous!.high).toBeCloseTo(rateInterval(smbBefore)!.high, 9);
      expect(smb.change!.pValue).toBeCloseTo(rateChangeTest(smbNow, smbBefore)!.pValue, 9);
      // Four busy days in a quarter: far from Poisson, and no claim a change survives.
      expect(smb.current!.dispersion).toBeGreaterThan(100);
      expect(smb.change!.direction).toBe('none');

      const beta = (await rankingTable(store, { period: Q1, by: 'sensor' })).uncertainty!.rows.find(
        (r) => r.key === 'beta',
      )!;
      const betaNow = days(q1, { '2010-04-01': 10, '2010-04-20': 100, '2010-05-11': 80 }, betaDay);
      expect(beta.current!.days).toBe(81);
      expect(beta.current!.high).toBeCloseTo(rateInterval(betaNow)!.high, 9);

      const s = await periodSummary(store, { period: Q1 });
      const totals: Record<string, number> = {};
      for (const row of TRAFFIC)
        if (row[1] >= '2010-04-01' && row[1] <= '2010-06-30') totals[row[1]] = (totals[row[1]] ?? 0) + row[8];
      const total = rateInterval(days(q1, totals, (d) => 9 + betaDay(d)))!;
      expect(total.rate).toBeCloseTo(s.current.perDayPerAddress!, 12);
      expect(s.uncertainty.current!.low).toBeCloseTo(total.low, 9);
      expect(s.uncertainty.current!.high).toBeCloseTo(total.high, 9);
      expect(s.uncertainty.change!.qValue).toBe(s.uncertainty.change!.pValue);
      expect(JSON.parse(JSON.stringify(t))).toEqual(t);
      expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    });

    test('rankingTable() by country ranks risers and fallers', async () => {
      const t = await rankingTable(store, { period: Q1, by: 'country', sources: true });
      expect(
        t.rows.map((r) => [r.key, r.rank, r.previousRank, r.increaseRank, r.decreaseRank, r.label.countryJa]),
      ).toEqual([
        ['CN', 1, 1, 2, null, '中国'],
        ['JP', 2, 3, 1, null, '日本'],
        ['US', 3, 2, null, 1, '米国'],
      ]);
      near(t.rows[1]!.previousSourcesPerDay!, 1 / 90);
      near(t.rows[0]!.sourcesPerDay!, 6 / 91);
    });

    test('rankingTables() sums service and country from the country × service rows, same as alone', async () => {
      const [service, country, both, sensor] = await rankingTables(store, {
        period: Q1,
        by: ['service', 'country', 'country-service', 'sensor'],
      });
      expect(service).toEqual(await rankingTable(store, { period: Q1, by: 'service' }));
      expect(country).toEqual(await rankingTable(store, { period: Q1, by: 'country' }));
      expect(both!.rows.reduce((n, r) => n + r.packets, 0)).toBe(1884);
      // Each sensor per its own addresses: beta 190 / 80.75 = 2.35 outranks alpha 1694 / 819 = 2.07.
      expect(sensor!.rows.map((r) => [r.key, r.packets, r.previousPackets])).toEqual([
        ['beta', 190, 90],
        ['alpha', 1694, 1183],
      ]);
      expect(service!.rows[0]!.sourcesPerDay).toBeNull();
    });

    test('dailySeries() gives per-day packets, divisors and sources of chosen items', async () => {
      const s = await dailySeries(store, { period: Q1, by: 'service', keys: ['445/TCP'] });
      expect(s.dates).toHaveLength(91);
      const [smb] = s.items;
      const at = (date: string): number => s.dates.indexOf(date);
      expect(smb!.packets.reduce((a, b) => a + b, 0)).toBe(1015);
      expect([
        smb!.packets[at('2010-04-01')],
        smb!.sources[at('2010-04-01')],
        smb!.addressDays[at('2010-04-01')],
      ]).toEqual([510, 2, 10]);
      expect(smb!.perDayPerAddress[at('2010-04-01')]).toBe(51);
      expect(smb!.addressDays[at('2010-05-05')]).toBe(9);
      expect(smb!.addressDays[at('2010-05-11')]).toBe(9.75);
      const beta = (await dailySeries(store, { period: Q1, by: 'sensor', keys: ['beta'] })).items[0]!;
      expect(beta.perDayPerAddress[at('2010-05-05')]).toBeNull();
      expect(beta.perDayPerAddress[at('2010-05-11')]).toBeCloseTo(80 / 0.75, DIGITS);
      const top = await dailySeries(store, { period: Q1, by: 'country', top: 2 });
      expect(top.items.map((i) => i.key)).toEqual(['CN', 'JP']);
      const total = await dailySeries(store, { period: Q1 });
      expect(total.items.map((i) => i.key)).toEqual(['total']);
      expect(total.items[0]!.sources.reduce((a, b) => a! + b!, 0)).toBe(12);
      await expect(dailySeries(store, { period: Q1, by: 'country-service', keys: ['445/TCP'] })).rejects.toMatchObject({
        field: 'keys',
      });
    });

    test('exportPeriod() writes the same CSV rows from every store, ordered and summed per key', async () => {
      const out = join(mkdtempSync(join(tmpdir(), 'teiten-analyse-')), 'traffic.csv');
      const period = parsePeriod('2010-04-01..2010-04-11', { timeZone: TIME_ZONE });
      const result = await exportPeriod(store, { period, table: 'traffic', format: 'csv', out });
      expect(result).toMatchObject({ rows: 5, period: { label: '2010-04-01..2010-04-11', days: 11 } });
      expect(readFileSync(out, 'utf8').split('\r\n')).toEqual([
        'sensor,date,hour,ip_version,service,service_key,source_port,country,flag_class,packet_class,packets,bytes',
        `alpha,2010-04-01,0,4,445/TCP,${TCP * 2 ** 17 + 445},eph/TCP,CN,SYN,probe,500,30000`,
        `beta,2010-04-01,1,4,445/TCP,${TCP * 2 ** 17 + 445},eph/TCP,CN,SYN,probe,10,600`,
        `alpha,2010-04-10,3,4,8/ICMP,${2 ** 17 + 8},8/ICMP,US,NONE,probe,100,6000`,
        `alpha,2010-04-11,3,4,23/TCP,${TCP * 2 ** 17 + 23},eph/TCP,CN,SYN,probe,90,5400`,
        `alpha,2010-04-11,4,4,445/TCP,${TCP * 2 ** 17 + 445},eph/TCP,CN,SYN,probe,5,300`,
        '',
      ]);
    });

    test('sensorOverview() covers the last six months per sensor', async () => {
      const s = await sensorOverview(store, { period: Q1 });
      expect(s.period).toMatchObject({ firstDate: '2010-01-01', lastDate: '2010-06-30', days: 181 });
      expect(s.items.map((i) => [i.key, i.packets.reduce((a, b) => a + b, 0)])).toEqual([
        ['alpha', 1694 + 1183],
        ['beta', 190 + 90],
      ]);
      expect(s.items[0]!.packets[s.dates.indexOf('2010-01-05')]).toBe(300);
      expect(s.items[0]!.perDayPerAddress[s.dates.indexOf('2010-01-05')]).toBe(300 / 9);
    });
  });
}

runAnalyseSuite('duckdb :memory:', async () => ({
  store: await openStore(':memory:', { timeZone: TIME_ZONE }),
  dispose: async () => undefined,
}));

const clickHouseUrl = process.env['CLICKHOUSE_URL'];
if (clickHouseUrl !== undefined && clickHouseUrl !== '') {
  runAnalyseSuite(`clickhouse ${clickHouseUrl}`, async () => {
    const db = clickHouseTestDb(clickHouseUrl, 'analyse');
    return { store: await openStore(db.storeUrl, { timeZone: TIME_ZONE }), dispose: db.drop };
  });
} else {
  describe('analytics on clickhouse', () => {
    it.skip('needs CLICKHOUSE_URL (e.g. http://127.0.0.1:8123) to run the same assertions on a real server', () =>
      undefined);
  });
}
