/**
 * @module
 * Time zone arithmetic on epoch seconds with nothing but `Intl`: UTC offsets,
 * local day and hour numbers, exact local day boundaries and `YYYY-MM-DD`
 * dates. Reports count "per day" in the observatory's local time (Asia/Tokyo
 * for the seed reports), so every day boundary must be right in any zone,
 * including days of 23, 25 or (Pacific/Apia, 2011-12-30) 0 hours.
 *
 * Day numbers are days since 1970-01-01 of a calendar date (proleptic
 * Gregorian), with no zone attached; the zone comes in when a day is turned
 * into instants (`startOfLocalDay`).
 */

export const SECONDS_PER_DAY = 86_400;
const SECONDS_PER_HOUR = 3_600;
/**
 * TzClock caches one offset per UTC quarter hour: zones in use since the 1970s
 * switch on such instants. Slots that still hold a switch (America/St_Johns
 * switched at 00:01 local until 2011) are detected and resolved to the second.
 */
const SLOT_SECONDS = 900;
/** About 3.7 years of quarter hours; past this the cache starts afresh. */
const MAX_CACHED_SLOTS = 1 << 17;
/** `Date` accepts ±8.64e15 ms; one day of margin keeps the probes around a day inside. */
const MAX_EPOCH_SECONDS = 8.64e12 - SECONDS_PER_DAY;
/** Days from 0000-03-01 to 1970-01-01 in the era arithmetic below. */
const EPOCH_DAY_SHIFT = 719_468;
const DAYS_PER_ERA = 146_097;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MAX_YEAR = 9999;

/** A time zone name that `Intl` does not know (or not a string at all). */
export class TimeZoneError extends RangeError {
  override readonly name = 'TimeZoneError';
  readonly code = 'TEITEN_INVALID_TIME_ZONE';
  readonly timeZone: string;

  constructor(timeZone: string, options?: { cause?: unknown }) {
    super(`Cannot use time zone ${JSON.stringify(timeZone)}: not an IANA time zone name`, options);
    this.timeZone = timeZone;
  }
}

/** Text that is not a valid `YYYY-MM-DD` calendar date. */
export class LocalDateError extends SyntaxError {
  override readonly name = 'LocalDateError';
  readonly code = 'TEITEN_INVALID_DATE';
  readonly text: string;
  /** The problem without the text, e.g. `day 30 is not in 2010-02`. */
  readonly detail: string;

  constructor(text: string, detail: string) {
    super(`Cannot parse date ${JSON.stringify(text)}: ${detail}`);
    this.text = text;
    this.detail = detail;
  }
}

export interface CivilDate {
  year: number;
  /** 1..12 */
  month: number;
  /** 1..31 */
  day: number;
}

/** Day number (days since 1970-01-01) of a proleptic Gregorian date; no validation. */
export function dayFromCivil(year: number, month: number, day: number): number {
  // H. Hinnant's days_from_civil: years start in March so the leap day is last.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const marchMonth = (month + 9) % 12;
  const dayOfYear = Math.floor((153 * marchMonth + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * DAYS_PER_ERA + dayOfEra - EPOCH_DAY_SHIFT;
}

/** Calendar date of a day number (inverse of `dayFromCivil`). */
export function civilFromDay(dayNumber: number): CivilDate {
  const z = dayNumber + EPOCH_DAY_SHIFT;
  const era = Math.floor(z / DAYS_PER_ERA);
  const dayOfEra = z - era * DAYS_PER_ERA;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const marchMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * marchMonth + 2) / 5) + 1;
  const month = marchMonth < 10 ? marchMonth + 3 : marchMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

/** `YYYY-MM-DD` of a day number; years 0000..9999 only. */
export function formatLocalDate(dayNumber: number): string {
  if (!Number.isSafeInteger(dayNumber)) {
    throw new RangeError(`Cannot format day number ${dayNumber}: not an integer`);
  }
  const { year, month, day } = civilFromDay(dayNumber);
  if (year < 0 || year > MAX_YEAR) {
    throw new RangeError(`Cannot format day number ${dayNumber}: year ${year} is outside 0..9999`);
  }
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/** Day number of a strict `YYYY-MM-DD` date; throws `LocalDateError` naming the text. */
export function parseLocalDate(text: string): number {
  const match = DATE_PATTERN.exec(text);
  if (match === null) throw new LocalDateError(text, 'expected YYYY-MM-DD');
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12) throw new LocalDateError(text, `month ${month} is not 1..12`);
  const nextMonth = month === 12 ? dayFromCivil(year + 1, 1, 1) : dayFromCivil(year, month + 1, 1);
  const first = dayFromCivil(year, month, 1);
  if (day < 1 || day > nextMonth - first) {
    throw new LocalDateError(text, `day ${day} is not in ${match[1]}-${match[2]}`);
  }
  return first + day - 1;
}

const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone name; creating it is what validates the name. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = FORMATTERS.get(timeZone);
  if (formatter !== undefined) return formatter;
  // Without this check `undefined` would silently mean the host's zone.
  if (typeof timeZone !== 'string' || timeZone === '') throw new TimeZoneError(String(timeZone));
  try {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch (cause) {
    throw new TimeZoneError(timeZone, { cause });
  }
  FORMATTERS.set(timeZone, formatter);
  return formatter;
}

/** Throws `TimeZoneError` unless `timeZone` is a zone name `Intl` accepts. */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

function checkEpoch(epochSec: number): void {
  if (!Number.isFinite(epochSec) || Math.abs(epochSec) > MAX_EPOCH_SECONDS) {
    throw new RangeError(`Cannot convert epoch seconds ${epochSec}: not a finite time in range`);
  }
}

/**
 * Offset of `timeZone` from UTC in seconds (east positive, DST included) at
 * `epochSec`; fractions of a second are dropped. Calls `Intl` every time: in a
 * loop over packets use `TzClock`.
 */
export function tzOffsetSeconds(epochSec: number, timeZone: string): number {
  checkEpoch(epochSec);
  const whole = Math.floor(epochSec);
  let year = 0;
  let month = 0;
  let day = 0;
  let clock = 0;
  let beforeCommonEra = false;
  for (const part of formatterFor(timeZone).formatToParts(whole * 1000)) {
    const type = part.type;
    if (type === 'era') beforeCommonEra = part.value === 'BC';
    else if (type === 'year') year = Number(part.value);
    else if (type === 'month') month = Number(part.value);
    else if (type === 'day') day = Number(part.value);
    else if (type === 'hour') clock += Number(part.value) * SECONDS_PER_HOUR;
    else if (type === 'minute') clock += Number(part.value) * 60;
    else if (type === 'second') clock += Number(part.value);
  }
  // en-US numbers BC years 1, 2, … for astronomical years 0, −1, …
  if (beforeCommonEra) year = 1 - year;
  const localSec = dayFromCivil(year, month, day) * SECONDS_PER_DAY + clock;
  return localSec - whole;
}

/**
 * First instant (epoch seconds) whose local date in `timeZone` is `dayNumber`
 * or later: local midnight, or the end of the gap when midnight is skipped
 * (America/Sao_Paulo began DST at 00:00). Where clocks fall back across
 * midnight the first occurrence counts. `[start(d), start(d + 1))` is day d.
 */
export function startOfLocalDay(dayNumber: number, timeZone: string): number {
  if (!Number.isSafeInteger(dayNumber)) {
    throw new RangeError(`Cannot find the start of day number ${dayNumber}: not an integer`);
  }
  const wall = dayNumber * SECONDS_PER_DAY;
  checkEpoch(wall);
  // The offsets in force a day either side are the only candidates for midnight.
  const before = tzOffsetSeconds(wall - SECONDS_PER_DAY, timeZone);
  const after = tzOffsetSeconds(wall + SECONDS_PER_DAY, timeZone);
  let best = Number.POSITIVE_INFINITY;
  if (tzOffsetSeconds(wall - before, timeZone) === before) best = wall - before;
  if (after !== before && tzOffsetSeconds(wall - after, timeZone) === after) {
    best = Math.min(best, wall - after);
  }
  if (best !== Number.POSITIVE_INFINITY) return best;
  // Midnight falls in a gap: find the switch, the first second at or past midnight.
  let lo = wall - Math.max(before, after);
  let hi = wall - Math.min(before, after);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (mid + tzOffsetSeconds(mid, timeZone) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** A slot that holds an offset switch: `before` until `at`, then `after`. */
interface SlotSwitch {
  at: number;
  before: number;
  after: number;
}

/**
 * Local day and hour numbers for many instants in one zone. Offsets are
 * cached per UTC quarter hour, and the last slot is kept in two fields, so
 * time-ordered packets cost one division and a comparison each; `Intl` runs
 * twice per new slot (about 200 times per day of traffic).
 */
export class TzClock {
  readonly timeZone: string;
  /** Slot → offset, or NaN for a slot that holds a switch (see `switches`). */
  private readonly slots = new Map<number, number>();
  private readonly switches = new Map<number, SlotSwitch>();
  private lastSlot = Number.NaN;
  private lastOffset = 0;

  constructor(timeZone: string) {
    formatterFor(timeZone);
    this.timeZone = timeZone;
  }

  /** Same result as `tzOffsetSeconds(epochSec, this.timeZone)`, from the cache. */
  offsetSeconds(epochSec: number): number {
    const slot = Math.floor(epochSec / SLOT_SECONDS);
    if (slot === this.lastSlot) return this.lastOffset;
    let offset = this.slots.get(slot);
    if (offset === undefined) offset = this.fillSlot(slot);
    if (Number.isNaN(offset)) {
      const change = this.switches.get(slot) as SlotSwitch;
      return Math.floor(epochSec) >= change.at ? change.after : change.before;
    }
    this.lastSlot = slot;
    this.lastOffset = offset;
    return offset;
  }

  /** Days since 1970-01-01 of the local date at `epochSec`. */
  localDay(epochSec: number): number {
    return Math.floor((epochSec + this.offsetSeconds(epochSec)) / SECONDS_PER_DAY);
  }

  /** Hours since local 1970-01-01 00:00 at `epochSec`. */
  localHour(epochSec: number): number {
    return Math.floor((epochSec + this.offsetSeconds(epochSec)) / SECONDS_PER_HOUR);
  }

  private fillSlot(slot: number): number {
    if (this.slots.size >= MAX_CACHED_SLOTS) {
      this.slots.clear();
      this.switches.clear();
    }
    const start = slot * SLOT_SECONDS;
    const last = start + SLOT_SECONDS - 1;
    const first = tzOffsetSeconds(start, this.timeZone);
    const end = tzOffsetSeconds(last, this.timeZone);
    if (first === end) {
      this.slots.set(slot, first);
      return first;
    }
    let lo = start;
    let hi = last;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (tzOffsetSeconds(mid, this.timeZone) === first) lo = mid;
      else hi = mid;
    }
    this.switches.set(slot, { at: hi, before: first, after: end });
    this.slots.set(slot, Number.NaN);
    return Number.NaN;
  }
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}
