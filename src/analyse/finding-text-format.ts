/**
 * @module
 * How numbers and dates read in finding sentences, the same in both
 * languages where the reports agree: values per day per address and
 * percentages with one decimal and thousands separators ("12,161.8",
 * "37,011.3"), ranks and dates in each language's own form. Digits and
 * rounding (half away from zero, no ICU) are `util/number-text.ts`'s, the
 * same as the report's.
 */

import { MONTH_NAMES_EN } from '../util/month-names.js';
import { formatNumber } from '../util/number-text.js';
import { civilFromDay } from '../util/tz.js';

const DECIMALS = 1;
/** Below this a level gets `SMALL_LEVEL_DECIMALS`: 0.095 and up round to "0.1" at one decimal. */
const SMALL_LEVEL = 0.095;
const SMALL_LEVEL_DECIMALS = 2;
const ASCII_END = /[\x21-\x7e]$/;

/** `|value|` with one decimal (or `decimals`) and comma groups: 37011.25 → "37,011.3". The sign is the sentence's job. */
export function formatDecimal(value: number, decimals = DECIMALS): string {
  if (!Number.isFinite(value)) throw new RangeError(`Cannot format ${value} in a finding: not finite`);
  return formatNumber(Math.abs(value), decimals);
}

/**
 * A value per day per address: one decimal as the reports print them, but
 * two below 0.1 (0.05 is not "0.1", and a ratio against it would not add up).
 */
export function formatLevel(value: number): string {
  if (value !== 0 && Math.abs(value) < SMALL_LEVEL) return formatDecimal(value, SMALL_LEVEL_DECIMALS);
  return formatDecimal(value);
}

/** A percentage change with its sign: "+467.7", "-15.3", "0.0" when it rounds to zero. */
export function formatSignedDecimal(value: number): string {
  const text = formatDecimal(value);
  if (Number(text.replace(/,/g, '')) === 0) return text;
  return `${value < 0 ? '-' : '+'}${text}`;
}

/** An integer with comma groups: 1234 → "1,234". */
export function formatInteger(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`Cannot format ${value} as an integer in a finding`);
  return formatNumber(value);
}

/** English ordinal: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 155th. */
export function ordinalEn(value: number): string {
  const tens = value % 100;
  const ones = value % 10;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ones === 1 ? 'st' : ones === 2 ? 'nd' : ones === 3 ? 'rd' : 'th';
  return `${formatInteger(value)}${suffix}`;
}

/** Month and day of a local day number without the year, "6月1日"; a report covers at most a quarter. */
export function dateJa(day: number): string {
  const { month, date } = monthAndDate(day);
  return `${month}月${date}日`;
}

/** "1 June". */
export function dateEn(day: number): string {
  const { month, date } = monthAndDate(day);
  return `${date} ${MONTH_NAMES_EN[month - 1] as string}`;
}

/**
 * `text` then a Japanese particle or word: half-width text such as "9415/TCP"
 * is set off by a space ("9415/TCP は"), Japanese text is not ("日本は").
 */
export function joinJa(text: string, next: string): string {
  return ASCII_END.test(text) ? `${text} ${next}` : `${text}${next}`;
}

function monthAndDate(day: number): { month: number; date: number } {
  if (!Number.isSafeInteger(day)) throw new RangeError(`Cannot format day ${day} in a finding: not an integer`);
  const civil = civilFromDay(day);
  return { month: civil.month, date: civil.day };
}

/** What ranking findings compare with: the previous quarter, month or (other periods) period. */
export type Comparison = 'quarter' | 'month' | 'period';

export interface FindingTextContext {
  comparison: Comparison;
}
