/**
 * @module
 * Dates and period names in both languages: 2010年6月1日 / 1 June 2010,
 * 平成22年6月1日 with the Japanese era, chart axis dates 6/1 / 1 Jun, and
 * period names as the reports print them: the quarterly report's
 * "平成22年度第1四半期" with its span "平成22年4月～6月" (the seed writes
 * "平成 22 年 4 月から 6 月までの第 1 四半期"), the monthly report's "2007年7月"
 * and six-month span "2007年2月～2007年7月"; in English "FY2010 Q1" and
 * "April–June 2010".
 *
 * The era table is written out here rather than read from ICU's Japanese
 * calendar so that output does not change with the Node build.
 */

import type { Period } from '../util/period.js';
import { civilFromDay, dayFromCivil, formatLocalDate, parseLocalDate, type CivilDate } from '../util/tz.js';
import type { Language, PeriodInfo } from './document.js';
import { MONTH_NAMES_EN } from '../util/month-names.js';

/** `western`: 2010年; `japanese`: 平成22年 (Japanese text only; English always uses western years). */
export type YearStyle = 'western' | 'japanese';

export interface DateStyleOptions {
  years?: YearStyle;
}

interface Era {
  name: string;
  /** First day of the era as a day number. */
  startDay: number;
  startYear: number;
}

/** Eras newest first; a date belongs to the first era that started on or before it. */
const ERAS: readonly Era[] = [
  { name: '令和', startDay: dayFromCivil(2019, 5, 1), startYear: 2019 },
  { name: '平成', startDay: dayFromCivil(1989, 1, 8), startYear: 1989 },
  { name: '昭和', startDay: dayFromCivil(1926, 12, 25), startYear: 1926 },
];

const EN_MONTH_ABBREVIATION_LENGTH = 3;
const FISCAL_YEAR_START_MONTH = 4;
const MONTH_PATTERN = /^(\d{4})-(\d{2})$/;
/** The seed's range mark between months: 2007年2月～2007年7月. */
const JA_RANGE = '～';
const EN_RANGE = '–';

function monthName(month: number): string {
  return MONTH_NAMES_EN[month - 1] ?? String(month);
}

/** Era name and year of a day; year 1 is printed 元年 by `formatEraYear`. */
export function japaneseEra(dayNumber: number): { name: string; year: number } {
  const era = ERAS.find((e) => e.startDay <= dayNumber);
  if (era === undefined)
    throw new RangeError(`Cannot name the Japanese era of ${formatLocalDate(dayNumber)}: before 昭和`);
  return { name: era.name, year: civilFromDay(dayNumber).year - era.startYear + 1 };
}

function eraYearText(dayNumber: number): string {
  const { name, year } = japaneseEra(dayNumber);
  return `${name}${year === 1 ? '元' : year}`;
}

/** "2010年" or "平成22年" for the year of `dayNumber`. */
function jaYear(dayNumber: number, years: YearStyle | undefined): string {
  return years === 'japanese' ? `${eraYearText(dayNumber)}年` : `${civilFromDay(dayNumber).year}年`;
}

/** 2010年6月1日 / 平成22年6月1日 / 1 June 2010 for a `YYYY-MM-DD` date. */
export function formatDate(date: string, lang: Language, options: DateStyleOptions = {}): string {
  const day = parseLocalDate(date);
  const { year, month, day: dom } = civilFromDay(day);
  if (lang === 'ja') return `${jaYear(day, options.years)}${month}月${dom}日`;
  return `${dom} ${monthName(month)} ${year}`;
}

/** 2007年7月 / July 2007 for a `YYYY-MM` month. */
export function formatMonth(month: string, lang: Language, options: DateStyleOptions = {}): string {
  const civil = parseMonth(month);
  const first = dayFromCivil(civil.year, civil.month, 1);
  if (lang === 'ja') return `${jaYear(first, options.years)}${civil.month}月`;
  return `${monthName(civil.month)} ${civil.year}`;
}

/** Chart axis date: 6/1 (ja) / 1 Jun (en). */
export function formatAxisDate(date: string, lang: Language): string {
  const { month, day } = civilFromDay(parseLocalDate(date));
  return lang === 'ja' ? `${month}/${day}` : `${day} ${monthName(month).slice(0, EN_MONTH_ABBREVIATION_LENGTH)}`;
}

/** Chart axis month: 2007年7月 (ja) / Jul 2007 (en). */
export function formatAxisMonth(month: string, lang: Language): string {
  const civil = parseMonth(month);
  return lang === 'ja'
    ? `${civil.year}年${civil.month}月`
    : `${monthName(civil.month).slice(0, EN_MONTH_ABBREVIATION_LENGTH)} ${civil.year}`;
}

function parseMonth(text: string): CivilDate {
  const match = MONTH_PATTERN.exec(text);
  const month = Number(match?.[2]);
  if (match === null || month < 1 || month > 12)
    throw new SyntaxError(`Cannot parse month "${text}": expected YYYY-MM`);
  return { year: Number(match[1]), month, day: 1 };
}

type PeriodShape = Pick<Period, 'kind' | 'startDay' | 'endDay'>;

/**
 * The period's name: 平成22年度第1四半期 / 2010年度第1四半期 / FY2010 Q1,
 * 2010年第2四半期 / Q2 2010, 2007年7月 / July 2007; a day or a range is named
 * by its span.
 */
export function formatPeriodTitle(period: PeriodShape, lang: Language, options: DateStyleOptions = {}): string {
  const first = civilFromDay(period.startDay);
  switch (period.kind) {
    case 'fiscal-quarter': {
      const fiscalYear = first.month >= FISCAL_YEAR_START_MONTH ? first.year : first.year - 1;
      const quarter = Math.floor(((first.month - FISCAL_YEAR_START_MONTH + 12) % 12) / 3) + 1;
      if (lang === 'en') return `FY${fiscalYear} Q${quarter}`;
      // A fiscal year takes the era in force on its first day (1 April).
      const yearText = jaYear(dayFromCivil(fiscalYear, FISCAL_YEAR_START_MONTH, 1), options.years);
      return `${yearText.slice(0, -1)}年度第${quarter}四半期`;
    }
    case 'quarter': {
      const quarter = Math.floor((first.month - 1) / 3) + 1;
      return lang === 'en'
        ? `Q${quarter} ${first.year}`
        : `${jaYear(period.startDay, options.years)}第${quarter}四半期`;
    }
    case 'month':
      return lang === 'en'
        ? `${monthName(first.month)} ${first.year}`
        : `${jaYear(period.startDay, options.years)}${first.month}月`;
    case 'day':
    case 'range':
      return formatPeriodSpan(period, lang, options);
  }
}

/**
 * The dates a period covers: whole months as 平成22年4月～6月 / April–June 2010
 * (2006年11月～2007年4月 / November 2006 – April 2007 across years), other
 * spans by day: 2010年4月1日～6月30日 / 1 April – 30 June 2010.
 */
export function formatPeriodSpan(period: PeriodShape, lang: Language, options: DateStyleOptions = {}): string {
  const lastDay = period.endDay - 1;
  if (lastDay < period.startDay) throw new RangeError(`Cannot name an empty period ending before it starts`);
  const a = civilFromDay(period.startDay);
  const b = civilFromDay(lastDay);
  const wholeMonths = a.day === 1 && civilFromDay(period.endDay).day === 1;
  const sameYear = a.year === b.year;
  if (wholeMonths) {
    if (a.year === b.year && a.month === b.month) return formatPeriodTitle({ ...period, kind: 'month' }, lang, options);
    if (lang === 'ja') {
      const end = sameYear ? `${b.month}月` : `${jaYear(lastDay, options.years)}${b.month}月`;
      return `${jaYear(period.startDay, options.years)}${a.month}月${JA_RANGE}${end}`;
    }
    return sameYear
      ? `${monthName(a.month)}${EN_RANGE}${monthName(b.month)} ${a.year}`
      : `${monthName(a.month)} ${a.year} ${EN_RANGE} ${monthName(b.month)} ${b.year}`;
  }
  const startText = formatLocalDate(period.startDay);
  const endText = formatLocalDate(lastDay);
  if (period.startDay === lastDay) return formatDate(startText, lang, options);
  if (lang === 'ja') {
    const end = sameYear ? `${b.month}月${b.day}日` : formatDate(endText, lang, options);
    return `${formatDate(startText, lang, options)}${JA_RANGE}${end}`;
  }
  const start = sameYear ? `${a.day} ${monthName(a.month)}` : formatDate(startText, lang);
  return `${start} ${EN_RANGE} ${formatDate(endText, lang)}`;
}

/** The document's `PeriodInfo` for `period`. */
export function periodInfo(period: Period, lang: Language, options: DateStyleOptions = {}): PeriodInfo {
  return {
    label: period.label,
    title: formatPeriodTitle(period, lang, options),
    start: formatLocalDate(period.startDay),
    end: formatLocalDate(period.endDay - 1),
    timeZone: period.timeZone,
  };
}
