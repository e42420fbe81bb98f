import { describe, expect, it } from 'vitest';
import { TimeZoneError } from './tz.js';
import { lastMonths, parsePeriod, PeriodError, periodDays, previousPeriod, type Period } from './period.js';

const TOKYO = { timeZone: 'Asia/Tokyo' };
/** Epoch seconds of an ISO instant; `Date.parse` is the independent oracle here. */
const at = (iso: string): number => Date.parse(iso) / 1000;
const tokyo = (text: string): Period => parsePeriod(text, TOKYO);
/** First and last local dates of a period. */
const span = (p: Period): [string, string] => {
  const days = periodDays(p);
  return [days[0]?.date ?? '', days[days.length - 1]?.date ?? ''];
};

describe('parsePeriod()', () => {
  it('parsePeriod() reads a month with JST boundaries', () => {
    const p = tokyo('2007-07');
    expect(p).toMatchObject({ kind: 'month', label: '2007-07', days: 31, timeZone: 'Asia/Tokyo' });
    expect(p.startSec).toBe(at('2007-06-30T15:00:00Z'));
    expect(p.endSec).toBe(at('2007-07-31T15:00:00Z'));
    // 2007-07-01 is 13,695 days after 1970-01-01 (37 years, 9 of them leap, + 181 days).
    expect(p.startDay).toBe(37 * 365 + 9 + 181);
    expect(p.endDay - p.startDay).toBe(31);
  });

  it('parsePeriod() reads a calendar quarter as three months (2010Q2 = April–June)', () => {
    const p = tokyo('2010Q2');
    expect(p).toMatchObject({ kind: 'quarter', label: '2010Q2', days: 30 + 31 + 30 });
    expect(span(p)).toEqual(['2010-04-01', '2010-06-30']);
    expect(p.startSec).toBe(at('2010-03-31T15:00:00Z'));
    expect(p.endSec).toBe(at('2010-06-30T15:00:00Z'));
    expect(span(tokyo('2010Q1'))).toEqual(['2010-01-01', '2010-03-31']);
    expect(span(tokyo('2010Q4'))).toEqual(['2010-10-01', '2010-12-31']);
  });

  it('parsePeriod() reads Japanese fiscal quarters starting in April', () => {
    const q1 = tokyo('FY2010Q1');
    expect(q1).toMatchObject({ kind: 'fiscal-quarter', label: 'FY2010Q1', days: 91 });
    expect(q1.startSec).toBe(at('2010-03-31T15:00:00Z')); // 2010-04-01 00:00 JST
    expect(q1.endSec).toBe(at('2010-06-30T15:00:00Z'));
    expect(span(tokyo('FY2010Q3'))).toEqual(['2010-10-01', '2010-12-31']);
    const q4 = tokyo('FY2010Q4');
    expect(span(q4)).toEqual(['2011-01-01', '2011-03-31']);
    expect(q4.days).toBe(31 + 28 + 31);
    expect(q4.startSec).toBe(at('2010-12-31T15:00:00Z'));
  });

  it('parsePeriod() reads a single day and an inclusive range', () => {
    const d = tokyo('2010-06-01');
    expect(d).toMatchObject({ kind: 'day', label: '2010-06-01', days: 1 });
    expect(d.endSec - d.startSec).toBe(86_400);
    const r = tokyo('2010-04-01..2010-06-30');
    expect(r).toMatchObject({ kind: 'range', label: '2010-04-01..2010-06-30', days: 91 });
    expect([r.startDay, r.endDay]).toEqual([tokyo('FY2010Q1').startDay, tokyo('FY2010Q1').endDay]);
    expect(tokyo('2010-06-01..2010-06-01').days).toBe(1);
  });

  it('parsePeriod() counts leap February days', () => {
    expect(tokyo('2008-02').days).toBe(29);
    expect(tokyo('2010-02').days).toBe(28);
    expect(tokyo('2000-02').days).toBe(29);
    expect(tokyo('2100-02').days).toBe(28);
    expect(tokyo('2008Q1').days).toBe(91);
    expect(tokyo('FY2011Q4').days).toBe(91); // January–March 2012
    expect(tokyo('2008-02-28..2008-03-01').days).toBe(3);
    expect(tokyo('2008-02-29').label).toBe('2008-02-29');
  });

  it('parsePeriod() normalises case and surrounding blanks in the label', () => {
    expect(tokyo(' fy2010q1 ').label).toBe('FY2010Q1');
    expect(tokyo('2010q2').label).toBe('2010Q2');
  });

  it('parsePeriod() keeps calendar days but exact instants in a DST zone', () => {
    const march = parsePeriod('2010-03', { timeZone: 'Europe/Berlin' });
    expect(march.days).toBe(31);
    expect(march.startSec).toBe(at('2010-02-28T23:00:00Z'));
    expect(march.endSec).toBe(at('2010-03-31T22:00:00Z'));
    expect(march.endSec - march.startSec).toBe(31 * 86_400 - 3600);
    const october = parsePeriod('2010-10', { timeZone: 'Europe/Berlin' });
    expect(october.endSec - october.startSec).toBe(31 * 86_400 + 3600);
    const newfoundland = parsePeriod('2010Q2', { timeZone: 'America/St_Johns' });
    expect(newfoundland.startSec).toBe(at('2010-04-01T02:30:00Z'));
  });

  it('parsePeriod() rejects year 0000 in every form: the period before it has no year', () => {
    for (const text of ['0000-01', '0000Q1', 'FY0000Q1', '0000-01-01', '0000-01-01..0000-02-01']) {
      expect(() => tokyo(text), text).toThrowError(/year 0000 is before 1: there is no period before it/);
    }
    expect(tokyo('0001-02').label).toBe('0001-02');
  });

  it('parsePeriod() rejects other text with a PeriodError naming it', () => {
    const bad = [
      'July 2007',
      '2007-7',
      '2010Q5',
      '2010Q0',
      'FY2010',
      'FY10Q1',
      '2010-04-01..',
      '2010-04-01...2010-04-02',
      '',
    ];
    for (const text of bad) {
      expect(() => tokyo(text)).toThrowError(PeriodError);
      expect(() => tokyo(text)).toThrowError(`Cannot parse period ${JSON.stringify(text)}`);
    }
    expect(() => tokyo('2010-13')).toThrowError(/"2010-13": month 13 is not 1\.\.12/);
    expect(() => tokyo('2010-02-29')).toThrowError(/"2010-02-29": 2010-02-29: day 29 is not in 2010-02/);
    expect(() => tokyo('2010-04-01..2010-04-31')).toThrowError(/2010-04-31: day 31/);
    expect(() => tokyo('2010-06-30..2010-04-01')).toThrowError(/end date is before the start date/);
    try {
      tokyo('Q2');
    } catch (error) {
      expect(error).toMatchObject({ code: 'TEITEN_INVALID_PERIOD', text: 'Q2' });
      expect(error).toBeInstanceOf(SyntaxError);
    }
    expect(() => tokyo(7 as unknown as string)).toThrowError(TypeError);
  });

  it('parsePeriod() rejects an unknown time zone', () => {
    expect(() => parsePeriod('2010-06', { timeZone: 'Asia/Edo' })).toThrowError(TimeZoneError);
  });
});

describe('previousPeriod()', () => {
  it('previousPeriod() steps months across a year and into a leap February', () => {
    expect(previousPeriod(tokyo('2007-07')).label).toBe('2007-06');
    expect(previousPeriod(tokyo('2007-01')).label).toBe('2006-12');
    const feb = previousPeriod(tokyo('2008-03'));
    expect(feb).toMatchObject({ kind: 'month', label: '2008-02', days: 29 });
  });

  it('previousPeriod() steps calendar quarters', () => {
    const p = previousPeriod(tokyo('2010Q1'));
    expect(p).toMatchObject({ kind: 'quarter', label: '2009Q4', days: 92 });
    expect(previousPeriod(tokyo('2010Q2')).label).toBe('2010Q1');
  });

  it('previousPeriod() of FY2010Q1 is FY2009Q4, January–March 2010', () => {
    const p = previousPeriod(tokyo('FY2010Q1'));
    expect(p).toMatchObject({ kind: 'fiscal-quarter', label: 'FY2009Q4', days: 90 });
    expect(span(p)).toEqual(['2010-01-01', '2010-03-31']);
    expect(p.endSec).toBe(tokyo('FY2010Q1').startSec);
    expect(p.startSec).toBe(at('2009-12-31T15:00:00Z'));
    expect(previousPeriod(p).label).toBe('FY2009Q3');
    expect(previousPeriod(tokyo('FY2010Q4')).label).toBe('FY2010Q3');
  });

  it('previousPeriod() of a day or range is the equally long span just before', () => {
    expect(previousPeriod(tokyo('2010-06-01'))).toMatchObject({ kind: 'day', label: '2010-05-31' });
    expect(previousPeriod(tokyo('2008-03-01')).label).toBe('2008-02-29');
    const range = previousPeriod(tokyo('2010-04-01..2010-06-30'));
    // 91 days back from April 1: March 31 + February 28 + January 31 = 90, plus December 31.
    expect(range).toMatchObject({ kind: 'range', label: '2009-12-31..2010-03-31', days: 91 });
  });

  it('previousPeriod() keeps the time zone', () => {
    const p = previousPeriod(parsePeriod('2010-11', { timeZone: 'Europe/Berlin' }));
    expect(p.timeZone).toBe('Europe/Berlin');
    expect(p.endSec - p.startSec).toBe(31 * 86_400 + 3600);
  });
});

describe('periodDays()', () => {
  it('periodDays() lists each local date with its boundaries', () => {
    const days = periodDays(tokyo('2010-04-01..2010-04-03'));
    expect(days).toEqual([
      { day: 14_700, date: '2010-04-01', startSec: at('2010-03-31T15:00:00Z'), endSec: at('2010-04-01T15:00:00Z') },
      { day: 14_701, date: '2010-04-02', startSec: at('2010-04-01T15:00:00Z'), endSec: at('2010-04-02T15:00:00Z') },
      { day: 14_702, date: '2010-04-03', startSec: at('2010-04-02T15:00:00Z'), endSec: at('2010-04-03T15:00:00Z') },
    ]);
    expect(
      periodDays(tokyo('2008-02'))
        .map((d) => d.date)
        .at(-1),
    ).toBe('2008-02-29');
  });

  it('periodDays() shows the 23 h and 25 h days of Europe/Berlin', () => {
    const hours = (text: string): number[] =>
      periodDays(parsePeriod(text, { timeZone: 'Europe/Berlin' })).map((d) => (d.endSec - d.startSec) / 3600);
    expect(hours('2010-03-27..2010-03-29')).toEqual([24, 23, 24]);
    expect(hours('2010-10-30..2010-11-01')).toEqual([24, 25, 24]);
    const year = periodDays(parsePeriod('2010-01-01..2010-12-31', { timeZone: 'Europe/Berlin' }));
    expect(year).toHaveLength(365);
    expect(year.filter((d) => d.endSec - d.startSec !== 86_400).map((d) => d.date)).toEqual([
      '2010-03-28',
      '2010-10-31',
    ]);
  });
});

describe('lastMonths()', () => {
  it('lastMonths() gives the six months ending with the report month, oldest first', () => {
    const months = lastMonths(tokyo('2007-07'), 6);
    expect(months.map((m) => m.label)).toEqual(['2007-02', '2007-03', '2007-04', '2007-05', '2007-06', '2007-07']);
    expect(months.map((m) => m.days)).toEqual([28, 31, 30, 31, 30, 31]);
    expect(months.every((m) => m.kind === 'month' && m.timeZone === 'Asia/Tokyo')).toBe(true);
  });

  it('lastMonths() crosses a year and ends with the last month of a quarter', () => {
    expect(lastMonths(tokyo('2010-02'), 3).map((m) => m.label)).toEqual(['2009-12', '2010-01', '2010-02']);
    expect(lastMonths(tokyo('FY2010Q4'), 3).map((m) => m.label)).toEqual(['2011-01', '2011-02', '2011-03']);
    expect(lastMonths(tokyo('2010-06-15'), 1).map((m) => m.label)).toEqual(['2010-06']);
  });

  it('lastMonths() rejects a count that is not a positive integer', () => {
    expect(() => lastMonths(tokyo('2007-07'), 0)).toThrowError(RangeError);
    expect(() => lastMonths(tokyo('2007-07'), 2.5)).toThrowError(RangeError);
  });
});
