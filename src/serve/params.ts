/**
 * @module
 * Query and path parameters checked once, at the edge, into typed values:
 * a period (bounded in length), a row count (bounded), a service in URL
 * form (`445-TCP`, also `445/TCP`), a country code, an address. Every
 * refusal is a `ParameterError` naming the parameter, answered with a 400.
 */

import { isIP } from 'node:net';
import { parsePeriod, PeriodError, type Period } from '../analyse/index.js';
import { formatServiceKey, parseServiceKey } from '../classify/index.js';
import { ParameterError } from './errors.js';

/** Longest period a request may ask for: about a year, so one query never scans the whole store. */
export const MAX_PERIOD_DAYS = 400;
/** Most ranked rows a request may ask for. */
export const MAX_TOP = 100;
export const DEFAULT_TOP = 10;
/** Most movers (increase and decrease ranks) a request may ask for. */
export const MAX_MOVERS = 20;
export const DEFAULT_MOVERS = 5;
/**
 * Most items of a ranking's `rows` one answer holds (the default page is
 * `DEFAULT_PAGE_ROWS`, 1,000): a quarter's country × port ranking has some
 * 60,000, 35 MB of JSON, too much to send twenty clients at once; 2,000
 * rows are about 1.2 MB (150 kB gzipped).
 */
export const MAX_PAGE_ROWS = 2000;
/** Largest `offset` accepted: far beyond any table, small enough to stay a safe integer. */
export const MAX_OFFSET = 1_000_000_000;
const COUNTRY_CODE = /^[A-Za-z]{2}$/;

/** `text` as a period in `timeZone`, refused when malformed or longer than `MAX_PERIOD_DAYS`. */
export function periodParam(text: string, timeZone: string): Period {
  let period: Period;
  try {
    period = parsePeriod(text, { timeZone });
  } catch (error) {
    if (error instanceof PeriodError) throw new ParameterError('period', error.message, { cause: error });
    throw error;
  }
  if (period.days > MAX_PERIOD_DAYS) {
    throw new ParameterError('period', `${period.label} spans ${period.days} days, more than ${MAX_PERIOD_DAYS}`);
  }
  return period;
}

/** A whole number in `min..max`, or `fallback` when absent. */
export function countParam(
  name: string,
  value: unknown,
  range: { min: number; max: number; fallback: number },
): number {
  if (value === undefined || value === '') return range.fallback;
  const text = String(value);
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < range.min || n > range.max) {
    throw new ParameterError(
      name,
      `expected a whole number from ${range.min} to ${range.max}, got ${JSON.stringify(text)}`,
    );
  }
  return n;
}

/** `445-TCP`, `445/tcp`, `8-ICMP` → the canonical service text (`445/TCP`), refused when it names no service. */
export function serviceParam(text: string): string {
  const slashed = text.replace(/-(?=[A-Za-z0-9]+$)/, '/');
  try {
    return formatServiceKey(parseServiceKey(slashed));
  } catch (error) {
    throw new ParameterError('service', `${JSON.stringify(text)} is no service (e.g. 445-TCP, 53-UDP, 8-ICMP)`, {
      cause: error,
    });
  }
}

/** The URL form of a service: `445/TCP` → `445-TCP` (a slash would split the path). */
export function serviceSlug(service: string): string {
  return service.replace('/', '-');
}

/** An ISO 3166 alpha-2 code in upper case (`ZZ` = unknown). */
export function countryParam(text: string): string {
  if (!COUNTRY_CODE.test(text))
    throw new ParameterError('cc', `${JSON.stringify(text)} is not a two-letter country code`);
  return text.toUpperCase();
}

/** An IPv4 or IPv6 address, as given (trimmed); refused when it is neither. */
export function addressParam(text: string): string {
  const trimmed = text.trim();
  if (isIP(trimmed) === 0)
    throw new ParameterError('address', `${JSON.stringify(text)} is not an IPv4 or IPv6 address`);
  return trimmed;
}
