/**
 * @module
 * Packets and distinct sources per minute of the last `minutes` before
 * `untilSec` (the dashboard's live chart), over all sensors, from the raw
 * packets the store keeps (`packets`; kept for the raw retention period, so
 * a store with retention 0 has no live series). Every minute of the window
 * is listed, quiet ones with 0.
 */
import type { AnalyticsStore } from '../store/index.js';
import { StatsInputError } from './errors.js';

const SECONDS_PER_MINUTE = 60;
/** A day of minutes at most. */
export const MAX_LIVE_MINUTES = 1440;

export interface LiveMinute {
  /** Start of the minute, ISO 8601 UTC. */
  minute: string;
  packets: number;
  sources: number;
}

export async function liveMinutes(
  store: AnalyticsStore,
  options: { untilSec: number; minutes: number },
): Promise<LiveMinute[]> {
  const { minutes } = options;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_LIVE_MINUTES) {
    throw new StatsInputError('minutes', minutes, `must be a whole number from 1 to ${MAX_LIVE_MINUTES}`);
  }
  const last = Math.floor(options.untilSec / SECONDS_PER_MINUTE);
  const first = last - minutes + 1;
  const rows = await store.query<{ m: number; packets: number; sources: number }>({
    sql: `SELECT FLOOR(ts_sec / ${SECONDS_PER_MINUTE}) AS m, COUNT(*) AS packets, COUNT(DISTINCT src) AS sources FROM packets
      WHERE ts_sec >= ? AND ts_sec < ? GROUP BY FLOOR(ts_sec / ${SECONDS_PER_MINUTE})`,
    params: [first * SECONDS_PER_MINUTE, (last + 1) * SECONDS_PER_MINUTE],
  });
  const byMinute = new Map(rows.map((r) => [Number(r.m), r]));
  return Array.from({ length: minutes }, (_, k) => {
    const m = first + k;
    const row = byMinute.get(m);
    return {
      minute: new Date(m * SECONDS_PER_MINUTE * 1000).toISOString().replace('.000Z', 'Z'),
      packets: Number(row?.packets ?? 0),
      sources: Number(row?.sources ?? 0),
    };
  });
}
