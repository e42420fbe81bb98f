import { describe, expect, it } from 'vitest';
import {
  civilFromDay,
  dayFromCivil,
  formatLocalDate,
  LocalDateError,
  parseLocalDate,
  startOfLocalDay,
  TimeZoneError,
  TzClock,
  tzOffsetSeconds,
} from './tz.js';

const HOUR = 3600;
/** Epoch seconds of an ISO instant; `Date.parse` is the independent oracle here. */
const at = (iso: string): number => Date.parse(iso) / 1000;
const day = (date: string): number => parseLocalDate(date);
const dayLength = (date: string, zone: string): number =>
  (startOfLocalDay(day(date) + 1, zone) - startOfLocalDay(day(date), zone)) / HOUR;

describe('tzOffsetSeconds()', () => {
  it('tzOffsetSeconds() gives +9 h for Asia/Tokyo all year', () => {
    expect(tzOffsetSeconds(at('2010-01-15T00:00:00Z'), 'Asia/Tokyo')).toBe(9 * HOUR);
    expect(tzOffsetSeconds(at('2010-07-15T00:00:00Z'), 'Asia/Tokyo')).toBe(9 * HOUR);
  });

  it('tzOffsetSeconds() gives 0 for UTC', () => {
    expect(tzOffsetSeconds(0, 'UTC')).toBe(0);
    expect(tzOffsetSeconds(at('2010-07-15T12:34:56Z'), 'UTC')).toBe(0);
  });

  it('tzOffsetSeconds() switches Europe/Berlin at 01:00 UTC on the last Sundays of March and October', () => {
    const spring = at('2010-03-28T01:00:00Z');
    expect(tzOffsetSeconds(spring - 1, 'Europe/Berlin')).toBe(1 * HOUR);
    expect(tzOffsetSeconds(spring, 'Europe/Berlin')).toBe(2 * HOUR);
    const autumn = at('2010-10-31T01:00:00Z');
    expect(tzOffsetSeconds(autumn - 1, 'Europe/Berlin')).toBe(2 * HOUR);
    expect(tzOffsetSeconds(autumn, 'Europe/Berlin')).toBe(1 * HOUR);
  });

  it('tzOffsetSeconds() handles half- and quarter-hour zones', () => {
    expect(tzOffsetSeconds(at('2010-06-01T00:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * HOUR);
    expect(tzOffsetSeconds(at('2010-06-01T00:00:00Z'), 'Asia/Kathmandu')).toBe(5.75 * HOUR);
    expect(tzOffsetSeconds(at('2010-01-01T00:00:00Z'), 'America/St_Johns')).toBe(-3.5 * HOUR);
    expect(tzOffsetSeconds(at('2010-07-01T00:00:00Z'), 'America/St_Johns')).toBe(-2.5 * HOUR);
  });

  it('tzOffsetSeconds() drops fractions of a second', () => {
    const spring = at('2010-03-28T01:00:00Z');
    expect(tzOffsetSeconds(spring - 0.000001, 'Europe/Berlin')).toBe(1 * HOUR);
    expect(tzOffsetSeconds(spring + 0.999999, 'Europe/Berlin')).toBe(2 * HOUR);
  });

  it('tzOffsetSeconds() keeps second-precision historical offsets (Africa/Monrovia −0:44:30)', () => {
    expect(tzOffsetSeconds(at('1972-01-07T00:44:29Z'), 'Africa/Monrovia')).toBe(-(44 * 60 + 30));
    expect(tzOffsetSeconds(at('1972-01-07T00:44:30Z'), 'Africa/Monrovia')).toBe(0);
  });

  it('tzOffsetSeconds() rejects an unknown zone with a TimeZoneError naming it', () => {
    expect(() => tzOffsetSeconds(0, 'Mars/Olympus_Mons')).toThrowError(TimeZoneError);
    expect(() => tzOffsetSeconds(0, 'Mars/Olympus_Mons')).toThrowError(/"Mars\/Olympus_Mons"/);
    expect(() => tzOffsetSeconds(0, '')).toThrowError(RangeError);
    expect(() => tzOffsetSeconds(0, undefined as unknown as string)).toThrowError(TimeZoneError);
    try {
      tzOffsetSeconds(0, 'Nowhere/Town');
    } catch (error) {
      expect(error).toMatchObject({ code: 'TEITEN_INVALID_TIME_ZONE', timeZone: 'Nowhere/Town' });
    }
  });

  it('tzOffsetSeconds() rejects non-finite and out-of-range instants', () => {
    expect(() => tzOffsetSeconds(Number.NaN, 'UTC')).toThrowError(RangeError);
    expect(() => tzOffsetSeconds(1e13, 'UTC')).toThrowError(RangeError);
  });
});

describe('startOfLocalDay()', () => {
  it('startOfLocalDay() puts 2010-04-01 00:00 JST at 2010-03-31T15:00:00Z', () => {
    expect(startOfLocalDay(day('2010-04-01'), 'Asia/Tokyo')).toBe(at('2010-03-31T15:00:00Z'));
    expect(startOfLocalDay(day('2010-04-01'), 'UTC')).toBe(at('2010-04-01T00:00:00Z'));
  });

  it('startOfLocalDay() gives Europe/Berlin a 23 h day in March and a 25 h day in October', () => {
    expect(startOfLocalDay(day('2010-03-28'), 'Europe/Berlin')).toBe(at('2010-03-27T23:00:00Z'));
    expect(startOfLocalDay(day('2010-03-29'), 'Europe/Berlin')).toBe(at('2010-03-28T22:00:00Z'));
    expect(dayLength('2010-03-27', 'Europe/Berlin')).toBe(24);
    expect(dayLength('2010-03-28', 'Europe/Berlin')).toBe(23);
    expect(dayLength('2010-10-31', 'Europe/Berlin')).toBe(25);
    expect(dayLength('2010-11-01', 'Europe/Berlin')).toBe(24);
  });

  it('startOfLocalDay() handles +5:30, +5:45 and −3:30/−2:30 zones', () => {
    expect(startOfLocalDay(day('2010-04-01'), 'Asia/Kolkata')).toBe(at('2010-03-31T18:30:00Z'));
    expect(startOfLocalDay(day('2010-04-01'), 'Asia/Kathmandu')).toBe(at('2010-03-31T18:15:00Z'));
    expect(startOfLocalDay(day('2010-01-01'), 'America/St_Johns')).toBe(at('2010-01-01T03:30:00Z'));
    expect(startOfLocalDay(day('2010-07-01'), 'America/St_Johns')).toBe(at('2010-07-01T02:30:00Z'));
  });

  it('startOfLocalDay() starts a day at the end of the gap when midnight is skipped', () => {
    // Brazil began DST at 00:00 on 2010-10-17: clocks went from 00:00 to 01:00 (−02:00).
    expect(startOfLocalDay(day('2010-10-17'), 'America/Sao_Paulo')).toBe(at('2010-10-17T03:00:00Z'));
    expect(dayLength('2010-10-16', 'America/Sao_Paulo')).toBe(24);
    expect(dayLength('2010-10-17', 'America/Sao_Paulo')).toBe(23);
    // DST ended at 00:00 on 2011-02-20: clocks went back to 23:00 on the 19th.
    expect(startOfLocalDay(day('2011-02-20'), 'America/Sao_Paulo')).toBe(at('2011-02-20T03:00:00Z'));
    expect(dayLength('2011-02-19', 'America/Sao_Paulo')).toBe(25);
  });

  it('startOfLocalDay() takes the first midnight when clocks fall back across it', () => {
    // St. John's fell back at 00:01 NDT on 2010-11-07 to 23:01 NST on the 6th.
    expect(startOfLocalDay(day('2010-11-07'), 'America/St_Johns')).toBe(at('2010-11-07T02:30:00Z'));
    expect(dayLength('2010-11-06', 'America/St_Johns')).toBe(24);
    expect(dayLength('2010-11-07', 'America/St_Johns')).toBe(25);
  });

  it('startOfLocalDay() gives a skipped date (Pacific/Apia 2011-12-30) zero length', () => {
    expect(startOfLocalDay(day('2011-12-30'), 'Pacific/Apia')).toBe(at('2011-12-30T10:00:00Z'));
    expect(dayLength('2011-12-30', 'Pacific/Apia')).toBe(0);
    expect(dayLength('2011-12-31', 'Pacific/Apia')).toBe(24);
  });

  it('startOfLocalDay() rejects non-integer day numbers and unknown zones', () => {
    expect(() => startOfLocalDay(1.5, 'UTC')).toThrowError(RangeError);
    expect(() => startOfLocalDay(0, 'Asia/Tokio')).toThrowError(/"Asia\/Tokio"/);
  });
});

describe('TzClock', () => {
  it('TzClock.localDay() and localHour() count from the local epoch', () => {
    const tokyo = new TzClock('Asia/Tokyo');
    const t = at('2010-03-31T15:00:00Z'); // 2010-04-01 00:00 JST
    expect(tokyo.localDay(t)).toBe(day('2010-04-01'));
    expect(tokyo.localDay(t - 1)).toBe(day('2010-03-31'));
    expect(tokyo.localHour(t)).toBe(day('2010-04-01') * 24);
    expect(tokyo.localHour(t - 0.5)).toBe(day('2010-04-01') * 24 - 1);
    const kathmandu = new TzClock('Asia/Kathmandu');
    const midnight = at('2009-12-31T18:15:00Z'); // 2010-01-01 00:00 NPT
    expect(kathmandu.localDay(midnight)).toBe(day('2010-01-01'));
    expect(kathmandu.localDay(midnight - 1)).toBe(day('2009-12-31'));
    // 2010-01-01T00:00Z is 05:45 local: hour 5 of the day.
    expect(kathmandu.localHour(at('2010-01-01T00:00:00Z'))).toBe(day('2010-01-01') * 24 + 5);
    expect(new TzClock('UTC').localHour(3600 * 10 + 3599)).toBe(10);
  });

  it('TzClock agrees with tzOffsetSeconds() on a dense sweep over a Europe/Berlin DST year', () => {
    const clock = new TzClock('Europe/Berlin');
    const start = at('2010-01-01T00:00:00Z');
    const end = at('2011-01-01T00:00:00Z');
    // 599 s is prime to 900, so the sweep hits every offset within the quarter hours.
    let mismatches = 0;
    let checked = 0;
    for (let t = start + 0.25; t < end; t += 599) {
      const expected = tzOffsetSeconds(t, 'Europe/Berlin');
      if (clock.offsetSeconds(t) !== expected) mismatches += 1;
      if (clock.localDay(t) !== Math.floor((t + expected) / 86_400)) mismatches += 1;
      if (clock.localHour(t) !== Math.floor((t + expected) / HOUR)) mismatches += 1;
      checked += 1;
    }
    expect(checked).toBeGreaterThan(52_000);
    expect(mismatches).toBe(0);
  });

  it('TzClock matches second by second around both Europe/Berlin switches, in any order', () => {
    const clock = new TzClock('Europe/Berlin');
    for (const iso of ['2010-10-31T01:00:00Z', '2010-03-28T01:00:00Z']) {
      const edge = at(iso);
      for (let t = edge + 1200; t >= edge - 1200; t -= 1) {
        expect(clock.offsetSeconds(t)).toBe(tzOffsetSeconds(t, 'Europe/Berlin'));
      }
    }
  });

  it('TzClock resolves switches that are not on a quarter hour (America/St_Johns 00:01)', () => {
    const clock = new TzClock('America/St_Johns');
    const spring = at('2010-03-14T03:31:00Z');
    expect(clock.offsetSeconds(spring - 1)).toBe(-3.5 * HOUR);
    expect(clock.offsetSeconds(spring)).toBe(-2.5 * HOUR);
    for (let t = spring - 1800; t < spring + 1800; t += 7) {
      expect(clock.offsetSeconds(t)).toBe(tzOffsetSeconds(t, 'America/St_Johns'));
    }
    const monrovia = new TzClock('Africa/Monrovia');
    const change = at('1972-01-07T00:44:30Z');
    expect(monrovia.offsetSeconds(change - 1)).toBe(-(44 * 60 + 30));
    expect(monrovia.offsetSeconds(change)).toBe(0);
    expect(monrovia.localDay(change - 1)).toBe(day('1972-01-06'));
    expect(monrovia.localDay(change)).toBe(day('1972-01-07'));
  });

  it('TzClock rejects an unknown zone when constructed', () => {
    expect(() => new TzClock('Europe/Atlantis')).toThrowError(/"Europe\/Atlantis"/);
  });
});

describe('calendar dates', () => {
  it('formatLocalDate() and parseLocalDate() round-trip known day numbers', () => {
    const known: [number, string][] = [
      [0, '1970-01-01'],
      [-1, '1969-12-31'],
      [14_610, '2010-01-01'],
      [11_016, '2000-02-29'],
      [11_017, '2000-03-01'],
      [-719_528, '0000-01-01'],
      [2_932_896, '9999-12-31'],
    ];
    for (const [n, text] of known) {
      expect(formatLocalDate(n)).toBe(text);
      expect(parseLocalDate(text)).toBe(n);
    }
  });

  it('dayFromCivil() and civilFromDay() agree with Date.UTC over 1900–2100', () => {
    const first = dayFromCivil(1900, 1, 1);
    expect(first).toBe(Date.UTC(1900, 0, 1) / 86_400_000);
    const mismatches: number[] = [];
    for (let n = first; n <= dayFromCivil(2100, 12, 31); n += 1) {
      const date = new Date(n * 86_400_000);
      const civil = civilFromDay(n);
      const same =
        civil.year === date.getUTCFullYear() &&
        civil.month === date.getUTCMonth() + 1 &&
        civil.day === date.getUTCDate() &&
        dayFromCivil(civil.year, civil.month, civil.day) === n;
      if (!same) mismatches.push(n);
    }
    expect(mismatches).toEqual([]);
  });

  it('parseLocalDate() rejects malformed text and impossible dates naming the text', () => {
    for (const bad of ['2010-2-01', '2010-02-1', '10-02-01', '2010/02/01', ' 2010-02-01', '2010-00-10', '2010-13-01']) {
      expect(() => parseLocalDate(bad)).toThrowError(LocalDateError);
    }
    expect(() => parseLocalDate('2010-02-29')).toThrowError(/"2010-02-29".*day 29/);
    expect(() => parseLocalDate('1900-02-29')).toThrowError(LocalDateError);
    expect(parseLocalDate('2008-02-29')).toBe(parseLocalDate('2008-03-01') - 1);
    expect(() => parseLocalDate('2010-04-31')).toThrowError(SyntaxError);
  });

  it('formatLocalDate() rejects fractions and years past 9999', () => {
    expect(() => formatLocalDate(0.5)).toThrowError(RangeError);
    expect(() => formatLocalDate(2_932_897)).toThrowError(/year 10000/);
    expect(() => formatLocalDate(-719_529)).toThrowError(RangeError);
  });
});
