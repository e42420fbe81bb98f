import { describe, expect, test } from 'vitest';
import { parsePeriod } from '../util/period.js';
import { parseAddressBlock } from './address-block.js';
import { addressDays } from './address-days.js';
import type { SensorInterval } from './store.js';

const HOUR = 3600;
const tokyo = parsePeriod('2010-06-01..2010-06-03', { timeZone: 'Asia/Tokyo' });
/** 2010-06-01 00:00 JST. */
const T0 = tokyo.startSec;
const addresses = [parseAddressBlock('192.0.2.0/24'), parseAddressBlock('2001:db8::/64')];

function down(from: number, to: number): SensorInterval {
  return { kind: 'down', fromSec: from, toSec: to, note: '' };
}

describe('addressDays()', () => {
  test('addressDays() counts a sensor without intervals as always observed', () => {
    const result = addressDays({ addresses, intervals: [] }, tokyo);
    expect(result.days.map((d) => [d.date, d.fraction, d.addressDays])).toEqual([
      ['2010-06-01', 1, 257],
      ['2010-06-02', 1, 257],
      ['2010-06-03', 1, 257],
    ]);
    expect(result).toMatchObject({ total: 771, totalV4: 768, totalV6: 3 });
  });

  test('addressDays() takes 6 h of downtime as 0.75 of that day', () => {
    const result = addressDays(
      { addresses, intervals: [down(T0 + 86_400 + 6 * HOUR, T0 + 86_400 + 12 * HOUR)] },
      tokyo,
    );
    expect(result.days.map((d) => d.fraction)).toEqual([1, 0.75, 1]);
    expect(result.days[1]).toMatchObject({ addressDaysV4: 192, addressDaysV6: 0.75, addressDays: 192.75 });
  });

  test('addressDays() merges overlapping downtimes and splits one across midnight', () => {
    const intervals = [
      down(T0, T0 + 6 * HOUR),
      down(T0 + 3 * HOUR, T0 + 9 * HOUR),
      down(T0 + 18 * HOUR, T0 + 30 * HOUR),
    ];
    expect(addressDays({ addresses, intervals }, tokyo).days.map((d) => d.fraction)).toEqual([9 / 24, 0.75, 1]);
  });

  test('addressDays() observes only inside operating intervals, minus downtime', () => {
    const intervals: SensorInterval[] = [
      { kind: 'operating', fromSec: T0 + 12 * HOUR, toSec: T0 + 48 * HOUR, note: '' },
      down(T0 + 40 * HOUR, T0 + 60 * HOUR),
    ];
    expect(addressDays({ addresses, intervals }, tokyo).days.map((d) => d.fraction)).toEqual([0.5, 16 / 24, 0]);
  });

  test('addressDays() divides by the real length of a 23-hour DST day', () => {
    const ny = parsePeriod('2010-03-14', { timeZone: 'America/New_York' });
    expect(ny.endSec - ny.startSec).toBe(23 * HOUR);
    const result = addressDays(
      { addresses: [addresses[0]!], intervals: [down(ny.startSec, ny.startSec + 6 * HOUR)] },
      ny,
    );
    expect(result.days[0]!.fraction).toBe(17 / 23);
    expect(result.total).toBe((256 * 17) / 23);
  });
});
