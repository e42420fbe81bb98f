import { describe, expect, it } from 'vitest';
import { rankingOf, roundTo } from './ranking-table.js';
import type { Breakdown, BreakdownItem } from './types.js';

const label = {
  service: null,
  country: null,
  countryJa: null,
  countryEn: null,
  sensor: null,
  sensorLabel: null,
  sourcePort: null,
};
const ref = {
  label: 'P',
  kind: 'month' as const,
  timeZone: 'UTC',
  firstDate: '2010-06-01',
  lastDate: '2010-06-30',
  days: 30,
};
const filter = { sensors: null, ipVersion: null, packetClasses: null, service: null, country: null };

function item(key: string, packets: number, perDay: number | null): BreakdownItem {
  return {
    key,
    label: { ...label, service: key },
    packets,
    addressDays: 10,
    perDayPerAddress: perDay,
    sources: null,
    sourcesPerDay: null,
    sharePct: null,
  };
}
function breakdown(items: BreakdownItem[]): Breakdown {
  return { by: 'service', period: ref, filter, packets: 0, addressDays: 10, observedDays: 30, items };
}

describe('ranking-table', () => {
  it('roundTo() rounds half away from zero on the decimal the float stands for', () => {
    expect(roundTo(1.005, 2)).toBe(1.01);
    expect(roundTo(-1.005, 2)).toBe(-1.01);
    expect(roundTo(148.3249999, 2)).toBe(148.32);
    expect(roundTo(-0.004, 2)).toBe(0);
    expect(Object.is(roundTo(-0.004, 2), -0)).toBe(false);
    expect(roundTo(37011.25, 1)).toBe(37011.3);
    expect(roundTo(2.675, 2)).toBe(2.68);
    expect(roundTo(0.125, 2)).toBe(0.13);
    expect(roundTo(-2.5, 0)).toBe(-3);
    expect(roundTo(1 / 3, 2)).toBe(0.33);
  });

  it('rankingOf() treats a null value (no address-days) as 0 and keeps labels of vanished items', () => {
    const t = rankingOf(
      breakdown([item('445/TCP', 10, 1)]),
      breakdown([item('135/TCP', 5, 0.5), item('445/TCP', 0, null)]),
      { top: 1, movers: 1 },
    );
    expect(t.rows.map((r) => [r.key, r.rank, r.previousRank, r.increaseRank, r.decreaseRank, r.label.service])).toEqual(
      [
        ['445/TCP', 1, null, 1, null, '445/TCP'],
        ['135/TCP', null, 1, null, 1, '135/TCP'],
      ],
    );
    expect(t.rows[1]).toMatchObject({
      packets: 0,
      previousPackets: 5,
      rounded: { current: 0, previous: 0.5, changeAbs: -0.5, changePct: -100 },
    });
    expect(t.shares).toEqual([
      {
        key: '445/TCP',
        current: 1,
        previous: 0,
        currentPct: 100,
        previousPct: 0,
        other: false,
        label: { ...label, service: '445/TCP' },
      },
      { key: 'other', current: 0, previous: 0.5, currentPct: 0, previousPct: 100, other: true, label: null },
    ]);
  });
});
