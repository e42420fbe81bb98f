/**
 * @module
 * The period a page or answer shows when the request names none: the
 * fiscal quarter (the quarterly report's period) holding the last packet
 * the store has counted, in the store's zone; before any ingest, the
 * fiscal quarter of today. Looked up at most once a minute: ingests move it
 * rarely, and every request would otherwise list the ingests.
 */

import type { Period } from '../analyse/index.js';
import type { AnalyticsStore } from '../store/index.js';
import { civilFromDay, TzClock } from '../util/tz.js';
import { periodParam } from './params.js';

const CACHE_MS = 60_000;
const MS_PER_SECOND = 1000;
/** The Japanese fiscal year starts in April. */
const FISCAL_START_MONTH = 4;
const MONTHS_PER_QUARTER = 3;
const MONTHS_PER_YEAR = 12;

/** `FYyyyyQn` of a local day. */
export function fiscalQuarterOf(day: number): string {
  const { year, month } = civilFromDay(day);
  const fiscalYear = month >= FISCAL_START_MONTH ? year : year - 1;
  const quarter =
    Math.floor(((month - FISCAL_START_MONTH + MONTHS_PER_YEAR) % MONTHS_PER_YEAR) / MONTHS_PER_QUARTER) + 1;
  return `FY${fiscalYear}Q${quarter}`;
}

/** A `latestPeriod()` bound to `store`, cached for a minute. */
export function latestPeriodOf(store: AnalyticsStore, now: () => number = Date.now): () => Promise<Period> {
  let cached: { at: number; period: Period } | null = null;
  return async () => {
    if (cached !== null && now() - cached.at < CACHE_MS) return cached.period;
    const ingests = await store.listIngests();
    const lastSec = ingests.reduce((max, i) => (i.packetsCounted > 0 ? Math.max(max, i.lastSec) : max), -Infinity);
    const timeZone = store.settings.timeZone;
    const clock = new TzClock(timeZone);
    const day = clock.localDay(Number.isFinite(lastSec) ? lastSec : now() / MS_PER_SECOND);
    const period = periodParam(fiscalQuarterOf(day), timeZone);
    cached = { at: now(), period };
    return period;
  };
}
