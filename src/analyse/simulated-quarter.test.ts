/**
 * Cross-check against an independent account: the simulator's bundled
 * quarterly scenario (FY2009Q4 + FY2010Q1, 12 sensors, two with downtime)
 * written as captures, ingested by the real pipeline, and the statistics
 * compared with the simulator's truth tables (packets per day, sensor,
 * service and country; exact distinct sources per day). Two programs that
 * share no counting code must agree to the packet.
 */

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCountryDb } from '../classify/index.js';
import { ingestCapture } from '../ingest/index.js';
import { readTruth, simulateScenario, type Truth } from '../simulate/index.js';
import { openStore, type AnalyticsStore } from '../store/index.js';
import { breakdown } from './breakdown.js';
import { parsePeriod, type Period } from './period.js';
import { periodSummary } from './period-summary.js';

const SCALE = 0.02;
const TIME_ZONE = 'Asia/Tokyo';
const SECONDS_PER_DAY = 86_400;

let store: AnalyticsStore;
let truth: Truth;

beforeAll(async () => {
  const result = await simulateScenario('quarterly-2010q1fy', { outDir: mkdtempSync(join(tmpdir(), 'teiten-sim-')), scale: SCALE });
  truth = readTruth(result.truthPath);
  store = await openStore(':memory:', { timeZone: TIME_ZONE });
  const geo = { country: openCountryDb(), asn: null };
  for (const sensor of truth.sensors) {
    const added = await store.addSensor({ name: sensor.name, label: sensor.label, addresses: sensor.addresses });
    for (const down of sensor.downtime) await store.addDowntime(added.id, { from: down.from, to: down.to });
    const file = result.files.find((f) => f.sensor === sensor.name)!;
    await ingestCapture(store, sensor.name, file.path, { geo });
  }
}, 120_000);

afterAll(async () => {
  await store.close();
});

/** Truth rows of the days of `period` (truth days are local dates). */
function inPeriod(period: Period): (day: number) => boolean {
  const first = period.startDay;
  const start = truth.days.findIndex((d) => parsePeriod(d, { timeZone: TIME_ZONE }).startDay === first);
  return (day) => day >= start && day < start + period.days;
}

/** Σ over sensors of addresses × observed days, from the truth's downtime (JST has no DST). */
function addressDaysOf(period: Period, sensors = truth.sensors): number {
  let total = 0;
  for (const s of sensors) {
    let down = 0;
    for (const d of s.downtime) down += Math.max(0, Math.min(d.toSec, period.endSec) - Math.max(d.fromSec, period.startSec));
    total += s.addressCount * (period.days - down / SECONDS_PER_DAY);
  }
  return total;
}

/** Days of `period` on which `sensor` observed for some time. */
function observedDaysOf(period: Period, sensor: Truth['sensors'][number]): number {
  let days = 0;
  for (let start = period.startSec; start < period.endSec; start += SECONDS_PER_DAY) {
    const down = sensor.downtime.reduce((n, d) => n + Math.max(0, Math.min(d.toSec, start + SECONDS_PER_DAY) - Math.max(d.fromSec, start)), 0);
    if (down < SECONDS_PER_DAY) days += 1;
  }
  return days;
}

function sumBy<R extends readonly number[]>(rows: readonly R[], keep: (row: R) => boolean, key: (row: R) => string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const row of rows) {
    if (!keep(row)) continue;
    sums.set(key(row), (sums.get(key(row)) ?? 0) + row[row.length - 1]!);
  }
  return sums;
}

describe('statistics of a simulated quarter', () => {
  for (const label of ['FY2010Q1', 'FY2009Q4']) {
    it(`periodSummary() matches the simulator's truth for ${label}`, async () => {
      const period = parsePeriod(label, { timeZone: TIME_ZONE });
      const within = inPeriod(period);
      const packets = truth.traffic.rows.filter((r) => within(r[0])).reduce((n, r) => n + r[6], 0);
      const sourceDays = truth.sources.day.filter((r) => within(r[0])).reduce((n, r) => n + r[1], 0);
      const s = await periodSummary(store, { period });
      expect(s.current.packets).toBe(packets);
      expect(s.current.addressDays).toBeCloseTo(addressDaysOf(period), 9);
      expect(s.current.perDayPerAddress).toBeCloseTo(packets / addressDaysOf(period), 12);
      expect(s.current.observedDays).toBe(period.days);
      expect(s.current.sourcesPerDay).toBeCloseTo(sourceDays / period.days, 12);
    });
  }

  it('breakdown() by service, country and sensor matches the truth tables of FY2010Q1', async () => {
    const period = parsePeriod('FY2010Q1', { timeZone: TIME_ZONE });
    const within = inPeriod(period);
    const rows = truth.traffic.rows;
    const expected = {
      service: sumBy(rows, (r) => within(r[0]), (r) => truth.services[r[3]]!),
      country: sumBy(rows, (r) => within(r[0]), (r) => truth.countries[r[5]]!),
      sensor: sumBy(rows, (r) => within(r[0]), (r) => truth.sensors[r[1]]!.name),
    };
    for (const by of ['service', 'country', 'sensor'] as const) {
      const b = await breakdown(store, { period, by });
      expect(new Map(b.items.filter((i) => i.packets > 0).map((i) => [i.key, i.packets])), by).toEqual(expected[by]);
    }
    const services = await breakdown(store, { period, by: 'service' });
    const serviceDays = sumBy(truth.sources.dayService, (r) => within(r[0]), (r) => truth.services[r[1]]!);
    for (const item of services.items.slice(0, 10)) {
      expect(item.sourcesPerDay, item.key).toBeCloseTo(serviceDays.get(item.key)! / period.days, 12);
    }
    const sensors = await breakdown(store, { period, by: 'sensor' });
    const sensorDays = sumBy(truth.sources.daySensor, (r) => within(r[0]), (r) => truth.sensors[r[1]]!.name);
    for (const item of sensors.items) {
      const sensor = truth.sensors.find((s) => s.name === item.key)!;
      expect(item.addressDays, item.key).toBeCloseTo(addressDaysOf(period, [sensor]), 9);
      // Sources per day divide by the days observed at all: s10 is down all of 2010-05-24 (and half the 25th, which counts).
      expect(item.sourcesPerDay, item.key).toBeCloseTo(sensorDays.get(item.key)! / observedDaysOf(period, sensor), 12);
    }
  });
});
