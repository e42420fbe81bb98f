/**
 * @module
 * Reporting periods: a month (`2007-07`, the monthly report), a calendar
 * quarter (`2010Q2`), a Japanese fiscal quarter (`FY2010Q1` = April–June 2010,
 * the quarterly report), a day (`2010-06-01`) or an inclusive date range
 * (`2010-04-01..2010-06-30`). A period is a run of whole local days in one
 * time zone, with the exact instants of its first and last boundaries so the
 * store can select `startSec <= ts < endSec` even across DST switches.
 */

import { civilFromDay, dayFromCivil, formatLocalDate, LocalDateError, parseLocalDate, startOfLocalDay } from './tz.js';

export type PeriodKind = 'month' | 'quarter' | 'fiscal-quarter' | 'day' | 'range';

export interface Period {
  readonly kind: PeriodKind;
  /** Canonical text: `2007-07`, `2010Q2`, `FY2010Q1`, `2010-06-01`, `2010-04-01..2010-06-30`. */
  readonly label: string;
  /** First local day (days since 1970-01-01). */
  readonly startDay: number;
  /** Local day after the last one (exclusive). */
  readonly endDay: number;
  /** Calendar days in the period (`endDay - startDay`), not elapsed time / 86400. */
  readonly days: number;
  readonly timeZone: string;
  /** Epoch seconds of the start of `startDay` in `timeZone`. */
  readonly startSec: number;
  /** Epoch seconds of the start of `endDay` in `timeZone` (exclusive). */
  readonly endSec: number;
}

/** One local day of a period with its exact boundaries. */
export interface PeriodDay {
  /** Days since 1970-01-01. */
  readonly day: number;
  /** `YYYY-MM-DD`. */
  readonly date: string;
  readonly startSec: number;
  /** Exclusive; `endSec - startSec` is 82,800 or 90,000 on DST switch days. */
  readonly endSec: number;
}

export interface ParsePeriodOptions {
  /** IANA zone whose local days make up the period, e.g. `Asia/Tokyo`. */
  timeZone: string;
}

/** Period text that is not one of the accepted forms or names no real dates. */
export class PeriodError extends SyntaxError {
  override readonly name = 'PeriodError';
  readonly code = 'TEITEN_INVALID_PERIOD';
  readonly text: string;

  constructor(text: string, detail: string, options?: { cause?: unknown }) {
    super(`Cannot parse period ${JSON.stringify(text)}: ${detail}`, options);
    this.text = text;
  }
}

const MONTHS_PER_YEAR = 12;
const MONTHS_PER_QUARTER = 3;
/** The Japanese fiscal year FYn runs from April of n to March of n + 1. */
const FISCAL_YEAR_START_MONTH = 4;
const MAX_YEAR = 9999;
/** The first year a period may start in (the period before it is still labelled). */
const MIN_YEAR = 1;
const EXPECTED_FORMS = 'expected YYYY-MM, YYYYQn, FYYYYYQn, YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD';
const MONTH_PATTERN = /^(\d{4})-(\d{2})$/;
const QUARTER_PATTERN = /^(\d{4})Q([1-4])$/i;
const FISCAL_QUARTER_PATTERN = /^FY(\d{4})Q([1-4])$/i;
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const RANGE_PATTERN = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/;

/**
 * Parses period text in `options.timeZone`. Leading and trailing blanks are
 * ignored and `q`/`fy` may be lower case; anything else throws `PeriodError`
 * naming the text (an unknown zone throws `TimeZoneError`).
 */
export function parsePeriod(text: string, options: ParsePeriodOptions): Period {
  if (typeof text !== 'string') throw new TypeError(`Cannot parse period ${String(text)}: not a string`);
  const trimmed = text.trim();
  const { timeZone } = options;
  // Every statistic compares with the period before, which must have a year too.
  const year = /^(?:FY)?(\d{4})/i.exec(trimmed)?.[1];
  if (year !== undefined && Number(year) < MIN_YEAR) {
    throw new PeriodError(text, `year ${year} is before ${MIN_YEAR}: there is no period before it to compare with`);
  }
  let match = MONTH_PATTERN.exec(trimmed);
  if (match !== null) {
    const month = Number(match[2]);
    if (month < 1 || month > MONTHS_PER_YEAR) throw new PeriodError(text, `month ${month} is not 1..12`);
    return monthSpan('month', monthIndex(Number(match[1]), month), timeZone);
  }
  match = QUARTER_PATTERN.exec(trimmed);
  if (match !== null) {
    const first = monthIndex(Number(match[1]), 1) + (Number(match[2]) - 1) * MONTHS_PER_QUARTER;
    return monthSpan('quarter', first, timeZone);
  }
  match = FISCAL_QUARTER_PATTERN.exec(trimmed);
  if (match !== null) {
    const first = monthIndex(Number(match[1]), FISCAL_YEAR_START_MONTH) + (Number(match[2]) - 1) * MONTHS_PER_QUARTER;
    return monthSpan('fiscal-quarter', first, timeZone);
  }
  if (DAY_PATTERN.test(trimmed)) {
    const day = parseDate(text, trimmed);
    return makePeriod('day', day, day + 1, timeZone);
  }
  match = RANGE_PATTERN.exec(trimmed);
  if (match !== null) {
    const first = parseDate(text, match[1] as string);
    const last = parseDate(text, match[2] as string);
    if (last < first) throw new PeriodError(text, 'the end date is before the start date');
    return makePeriod('range', first, last + 1, timeZone);
  }
  throw new PeriodError(text, EXPECTED_FORMS);
}

/**
 * The period of the same kind just before `period`: the previous month,
 * quarter or fiscal quarter (FY2010Q1 → FY2009Q4), the previous day, or for a
 * range the equally long range ending the day before it starts.
 */
export function previousPeriod(period: Period): Period {
  switch (period.kind) {
    case 'month':
      return monthSpan('month', monthOfDay(period.startDay) - 1, period.timeZone);
    case 'quarter':
    case 'fiscal-quarter':
      return monthSpan(period.kind, monthOfDay(period.startDay) - MONTHS_PER_QUARTER, period.timeZone);
    case 'day':
    case 'range':
      return makePeriod(period.kind, period.startDay - period.days, period.startDay, period.timeZone);
  }
}

/** Every local day of `period`, in order, with its exact boundaries. */
export function periodDays(period: Period): PeriodDay[] {
  const result: PeriodDay[] = [];
  let startSec = period.startSec;
  for (let day = period.startDay; day < period.endDay; day += 1) {
    const endSec = day + 1 === period.endDay ? period.endSec : startOfLocalDay(day + 1, period.timeZone);
    result.push({ day, date: formatLocalDate(day), startSec, endSec });
    startSec = endSec;
  }
  return result;
}

/**
 * The `count` months ending with the month that holds the last day of
 * `period`, oldest first (the monthly report's six-month statistics).
 */
export function lastMonths(period: Period, count: number): Period[] {
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new RangeError(`Cannot list the last ${count} months: count must be a positive integer`);
  }
  const last = monthOfDay(period.endDay - 1);
  const result: Period[] = [];
  for (let index = last - count + 1; index <= last; index += 1) {
    result.push(monthSpan('month', index, period.timeZone));
  }
  return result;
}

/** Months since year 0 January: one integer makes month and quarter steps plain subtraction. */
function monthIndex(year: number, month: number): number {
  return year * MONTHS_PER_YEAR + (month - 1);
}

function monthOfDay(day: number): number {
  const { year, month } = civilFromDay(day);
  return monthIndex(year, month);
}

function firstDayOfMonth(index: number): number {
  const year = Math.floor(index / MONTHS_PER_YEAR);
  return dayFromCivil(year, index - year * MONTHS_PER_YEAR + 1, 1);
}

function monthSpan(kind: 'month' | 'quarter' | 'fiscal-quarter', first: number, timeZone: string): Period {
  const length = kind === 'month' ? 1 : MONTHS_PER_QUARTER;
  return makePeriod(kind, firstDayOfMonth(first), firstDayOfMonth(first + length), timeZone);
}

function makePeriod(kind: PeriodKind, startDay: number, endDay: number, timeZone: string): Period {
  const startSec = startOfLocalDay(startDay, timeZone);
  const endSec = startOfLocalDay(endDay, timeZone);
  return {
    kind,
    label: labelOf(kind, startDay, endDay),
    startDay,
    endDay,
    days: endDay - startDay,
    timeZone,
    startSec,
    endSec,
  };
}

function labelOf(kind: PeriodKind, startDay: number, endDay: number): string {
  const { year, month } = civilFromDay(startDay);
  switch (kind) {
    case 'month':
      return `${year4(year)}-${String(month).padStart(2, '0')}`;
    case 'quarter':
      return `${year4(year)}Q${Math.ceil(month / MONTHS_PER_QUARTER)}`;
    case 'fiscal-quarter': {
      const fiscalMonth = monthIndex(year, month) - monthIndex(0, FISCAL_YEAR_START_MONTH);
      const fiscalYear = Math.floor(fiscalMonth / MONTHS_PER_YEAR);
      const quarter = Math.floor((fiscalMonth - fiscalYear * MONTHS_PER_YEAR) / MONTHS_PER_QUARTER) + 1;
      return `FY${year4(fiscalYear)}Q${quarter}`;
    }
    case 'day':
      return formatLocalDate(startDay);
    case 'range':
      return `${formatLocalDate(startDay)}..${formatLocalDate(endDay - 1)}`;
  }
}

function year4(year: number): string {
  if (year < 0 || year > MAX_YEAR) {
    throw new RangeError(`Cannot label a period in year ${year}: outside 0..9999`);
  }
  return String(year).padStart(4, '0');
}

function parseDate(text: string, date: string): number {
  try {
    return parseLocalDate(date);
  } catch (cause) {
    if (cause instanceof LocalDateError) throw new PeriodError(text, `${date}: ${cause.detail}`, { cause });
    throw cause;
  }
}
