/**
 * @module
 * Scenario times to epoch seconds in the scenario's zone (see the rules in
 * `scenario-schema.ts`): a date is local midnight, and as an `end` the next
 * local midnight; a time without a zone is local wall-clock time.
 */

import { parseLocalDate, startOfLocalDay, tzOffsetSeconds } from '../util/tz.js';
import { TIME_PATTERN } from './scenario-schema.js';

const SECONDS_PER_HOUR = 3600;
const SECONDS_PER_MINUTE = 60;
const MAX_HOUR = 23;
const MAX_MINUTE = 59;

/** Epoch seconds of `text`; `end` makes a bare date mean the end of that day. Throws `SyntaxError` with the reason. */
export function parseScenarioTime(text: string, timeZone: string, options: { end?: boolean } = {}): number {
  const m = TIME_PATTERN.exec(text);
  if (m === null) throw new SyntaxError(`"${text}" is not a date or time`);
  const day = parseLocalDate(m[1]!);
  if (m[2] === undefined) return startOfLocalDay(options.end === true ? day + 1 : day, timeZone);
  const hour = Number(m[2]);
  const minute = Number(m[3]);
  const second = m[4] === undefined ? 0 : Number(m[4]);
  if (hour > MAX_HOUR || minute > MAX_MINUTE || second > MAX_MINUTE)
    throw new SyntaxError(`"${text}" has an impossible time of day`);
  const clock = hour * SECONDS_PER_HOUR + minute * SECONDS_PER_MINUTE + second;
  const zone = m[5];
  const wall = day * 86_400 + clock;
  if (zone === 'Z') return wall;
  if (zone !== undefined) {
    const sign = zone.startsWith('-') ? -1 : 1;
    return wall - sign * (Number(zone.slice(1, 3)) * SECONDS_PER_HOUR + Number(zone.slice(4, 6)) * SECONDS_PER_MINUTE);
  }
  // Local wall-clock time: the offset in force a few hours later settles DST edges well enough.
  return wall - tzOffsetSeconds(wall - tzOffsetSeconds(wall, timeZone), timeZone);
}

/** ISO 8601 text of epoch seconds with the zone's offset (`2010-06-01T00:00:00+09:00`). */
export function formatInstant(sec: number, timeZone: string): string {
  const offset = tzOffsetSeconds(sec, timeZone);
  const local = new Date((sec + offset) * 1000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / SECONDS_PER_HOUR)).padStart(2, '0');
  const mm = String(Math.floor((abs % SECONDS_PER_HOUR) / SECONDS_PER_MINUTE)).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}
