import { describe, expect, it } from 'vitest';
import { lastMonths, parsePeriod } from '../util/period.js';
import {
  formatAxisDate,
  formatAxisMonth,
  formatDate,
  formatMonth,
  formatPeriodSpan,
  formatPeriodTitle,
  japaneseEra,
  periodInfo,
} from './format-date.js';
import { dayFromCivil } from '../util/tz.js';

const TZ = { timeZone: 'Asia/Tokyo' };

describe('dates', () => {
  it('formatDate() writes 2010年6月1日 / 1 June 2010 and the era on request', () => {
    expect(formatDate('2010-06-01', 'ja')).toBe('2010年6月1日');
    expect(formatDate('2010-06-01', 'en')).toBe('1 June 2010');
    expect(formatDate('2010-07-30', 'ja', { years: 'japanese' })).toBe('平成22年7月30日');
    expect(formatDate('2019-05-01', 'ja', { years: 'japanese' })).toBe('令和元年5月1日');
    expect(formatDate('2019-04-30', 'ja', { years: 'japanese' })).toBe('平成31年4月30日');
    expect(() => formatDate('2010-02-30', 'ja')).toThrow(/2010-02-30/);
  });

  it('japaneseEra() switches on the first day of each era', () => {
    expect(japaneseEra(dayFromCivil(1989, 1, 7))).toEqual({ name: '昭和', year: 64 });
    expect(japaneseEra(dayFromCivil(1989, 1, 8))).toEqual({ name: '平成', year: 1 });
    expect(() => japaneseEra(dayFromCivil(1900, 1, 1))).toThrow(RangeError);
  });

  it('formatMonth() and the axis formats are short', () => {
    expect(formatMonth('2007-07', 'ja')).toBe('2007年7月');
    expect(formatMonth('2007-07', 'en')).toBe('July 2007');
    expect(formatAxisDate('2010-06-01', 'ja')).toBe('6/1');
    expect(formatAxisDate('2010-06-01', 'en')).toBe('1 Jun');
    expect(formatAxisMonth('2007-02', 'en')).toBe('Feb 2007');
    expect(() => formatMonth('2007-13', 'ja')).toThrow(SyntaxError);
  });
});

describe('periods', () => {
  it('formatPeriodTitle() names the fiscal quarter as the quarterly report does', () => {
    const q = parsePeriod('FY2010Q1', TZ);
    expect(formatPeriodTitle(q, 'ja', { years: 'japanese' })).toBe('平成22年度第1四半期');
    expect(formatPeriodTitle(q, 'ja')).toBe('2010年度第1四半期');
    expect(formatPeriodTitle(q, 'en')).toBe('FY2010 Q1');
    expect(formatPeriodTitle(parsePeriod('FY2009Q4', TZ), 'ja', { years: 'japanese' })).toBe('平成21年度第4四半期');
    expect(formatPeriodTitle(parsePeriod('2010Q2', TZ), 'en')).toBe('Q2 2010');
    expect(formatPeriodTitle(parsePeriod('2007-07', TZ), 'ja')).toBe('2007年7月');
  });

  it('formatPeriodSpan() writes 平成22年4月～6月 / April–June 2010', () => {
    const q = parsePeriod('FY2010Q1', TZ);
    expect(formatPeriodSpan(q, 'ja', { years: 'japanese' })).toBe('平成22年4月～6月');
    expect(formatPeriodSpan(q, 'en')).toBe('April–June 2010');
    expect(formatPeriodSpan(parsePeriod('FY2009Q4', TZ), 'ja')).toBe('2010年1月～3月');
    expect(formatPeriodSpan(parsePeriod('2006-11-01..2007-04-30', TZ), 'ja')).toBe('2006年11月～2007年4月');
    expect(formatPeriodSpan(parsePeriod('2006-11-01..2007-04-30', TZ), 'en')).toBe('November 2006 – April 2007');
    expect(formatPeriodSpan(parsePeriod('2010-04-03..2010-06-30', TZ), 'ja')).toBe('2010年4月3日～6月30日');
    expect(formatPeriodSpan(parsePeriod('2010-04-03..2010-06-30', TZ), 'en')).toBe('3 April – 30 June 2010');
    expect(formatPeriodSpan(parsePeriod('2010-06-01', TZ), 'en')).toBe('1 June 2010');
  });

  it('formatPeriodSpan() names the monthly report six-month span', () => {
    const months = lastMonths(parsePeriod('2007-07', TZ), 6);
    const span = { kind: 'range' as const, startDay: months[0]!.startDay, endDay: months[5]!.endDay };
    expect(formatPeriodSpan(span, 'ja')).toBe('2007年2月～7月');
    expect(formatPeriodSpan(span, 'en')).toBe('February–July 2007');
  });

  it('periodInfo() gives the inclusive dates of the period', () => {
    expect(periodInfo(parsePeriod('FY2010Q1', TZ), 'ja', { years: 'japanese' })).toEqual({
      label: 'FY2010Q1',
      title: '平成22年度第1四半期',
      start: '2010-04-01',
      end: '2010-06-30',
      timeZone: 'Asia/Tokyo',
    });
  });
});
