/**
 * @module
 * Operating time from live evidence, written as the store's sensor intervals
 * (`addOperating`/`addDowntime`), so every per-day-per-address figure and the
 * ingest's observed-time filter use it:
 *
 * - The first live heartbeat (capture `running`) or live segment opens an
 *   operating interval `[t, open)`. If the sensor had no operating interval
 *   but already holds data (it counted as always operating), `[0, t)` is
 *   declared operating first, so earlier figures do not change.
 * - A heartbeat that says capture stopped or the interface is down opens a
 *   downtime `[last running heartbeat, open)` with that reason; the watchdog
 *   opens one with reason "no heartbeat" when no heartbeat came for longer
 *   than the limit; a running heartbeat after a gap longer than the limit
 *   records the gap. The next running heartbeat closes an open downtime.
 * - A live segment proves capture ran over its packets' span: that span is
 *   cut out of any collector downtime (spooled segments delivered after a
 *   collector or network outage), so no delivered packet is excluded.
 * - Segments a live agent dropped from its full spool were captured but
 *   never counted: their time range is a downtime ("spool loss"), so the
 *   per-address divisor leaves out the time whose packets are missing.
 * - Replay heartbeats and segments make no claim.
 *
 * Rows are written only when the state changes (a few per outage, not one
 * per heartbeat). Times are the agent's clock (packet times are too), which
 * authentication keeps within ±5 min of the collector's.
 */

import type { CaptureState } from '../sensor/index.js';
import {
  OPEN_END_SEC,
  type AnalyticsStore,
  type HeartbeatRow,
  type Sensor,
  type SensorInterval,
  type SpoolLossRow,
} from '../store/index.js';

export const NOTE_PREFIX = 'collector: ';
export const NOTES = {
  live: `${NOTE_PREFIX}live capture`,
  before: `${NOTE_PREFIX}before automatic operating time (counted as always operating)`,
  noHeartbeat: `${NOTE_PREFIX}no heartbeat`,
  stopped: `${NOTE_PREFIX}capture stopped`,
  interfaceDown: `${NOTE_PREFIX}interface down`,
  spoolLoss: `${NOTE_PREFIX}spool loss`,
} as const;

const US_PER_SEC = 1_000_000;

const isAuto = (i: SensorInterval): boolean => i.note.startsWith(NOTE_PREFIX);
const openDown = (sensor: Sensor): SensorInterval | undefined =>
  sensor.intervals.find((i) => i.kind === 'down' && i.toSec >= OPEN_END_SEC && isAuto(i));

function downNote(capture: CaptureState, reason: string): string {
  const base = capture === 'interface-down' ? NOTES.interfaceDown : NOTES.stopped;
  return reason === '' ? base : `${base}: ${reason}`.slice(0, 500);
}

/**
 * Adds a collector downtime over `[from, to)` less the spans of live segments
 * already received there (their packets are counted, so that time was observed).
 */
async function addDowntime(
  store: AnalyticsStore,
  sensor: Sensor,
  down: { from: number; to: number; note: string },
): Promise<void> {
  const spans = await store.network.liveSpans(
    sensor.id,
    down.from * US_PER_SEC,
    Math.min(down.to, OPEN_END_SEC) * US_PER_SEC,
  );
  let cursor = down.from;
  for (const span of spans) {
    const a = Math.floor(span.firstUs / US_PER_SEC);
    const b = Math.floor(span.lastUs / US_PER_SEC) + 1;
    if (a > cursor) await store.addDowntime(sensor.id, { from: cursor, to: Math.min(a, down.to), note: down.note });
    cursor = Math.max(cursor, b);
    if (cursor >= down.to) return;
  }
  if (cursor < down.to) await store.addDowntime(sensor.id, { from: cursor, to: down.to, note: down.note });
}

/** Makes sure live operating time is open from `fromSec` on (first evidence, or evidence before the first). */
async function ensureOperatingFrom(store: AnalyticsStore, sensor: Sensor, fromSec: number): Promise<void> {
  const live = sensor.intervals.filter((i) => i.kind === 'operating' && i.note === NOTES.live);
  if (live.some((i) => i.fromSec <= fromSec && i.toSec > fromSec)) return;
  if (live.length === 0) {
    const declared = sensor.intervals.some((i) => i.kind === 'operating');
    if (!declared && fromSec > 0 && (await store.listIngests(sensor.id)).length > 0) {
      await store.addOperating(sensor.id, { from: 0, to: fromSec, note: NOTES.before });
    }
    await store.addOperating(sensor.id, { from: fromSec, note: NOTES.live });
    return;
  }
  const next = Math.min(...live.map((i) => i.fromSec).filter((s) => s > fromSec), OPEN_END_SEC);
  await store.addOperating(sensor.id, { from: fromSec, to: next, note: NOTES.live });
}

/** Updates the intervals for a heartbeat, given the sensor's previous one (before this is stored). */
export async function onHeartbeat(
  store: AnalyticsStore,
  sensor: Sensor,
  beat: {
    capture: CaptureState;
    reason: string;
    sentUs: number;
    previous: HeartbeatRow | undefined;
    downtimeAfterSec: number;
  },
): Promise<void> {
  if (beat.capture === 'replay') return;
  const t = Math.floor(beat.sentUs / US_PER_SEC);
  // The intervals as they are now, under the sensor's lock (the watchdog may have just opened a downtime).
  const open = openDown(await reload(store, sensor));
  const prev = beat.previous?.capture === 'running' ? Math.floor(beat.previous.sentUs / US_PER_SEC) : undefined;
  if (beat.capture === 'running') {
    if (open !== undefined) {
      // The watchdog's "no heartbeat" gets its length, as a gap found by this heartbeat would.
      const note = open.note === NOTES.noHeartbeat ? `${NOTES.noHeartbeat} for ${t - open.fromSec} s` : open.note;
      await store.network.replaceInterval(sensor.id, open, t > open.fromSec ? [{ ...open, toSec: t, note }] : []);
    } else if (prev !== undefined && t - prev > beat.downtimeAfterSec) {
      await addDowntime(store, sensor, { from: prev, to: t, note: `${NOTES.noHeartbeat} for ${t - prev} s` });
    }
    await ensureOperatingFrom(store, await reload(store, sensor), t);
    return;
  }
  if (open !== undefined) return;
  await addDowntime(store, sensor, {
    from: Math.min(prev ?? t, t),
    to: OPEN_END_SEC,
    note: downNote(beat.capture, beat.reason),
  });
}

/** Opens a "no heartbeat" downtime when the last heartbeat was running and is older than the limit. */
export async function onSilence(store: AnalyticsStore, sensor: Sensor, last: HeartbeatRow): Promise<boolean> {
  if (last.capture !== 'running' || openDown(await reload(store, sensor)) !== undefined) return false;
  await addDowntime(store, sensor, {
    from: Math.floor(last.sentUs / US_PER_SEC),
    to: OPEN_END_SEC,
    note: NOTES.noHeartbeat,
  });
  return true;
}

/** Before a live segment is ingested: its span is operating time, cut out of any collector downtime. */
export async function onLiveSegment(
  store: AnalyticsStore,
  stale: Sensor,
  span: { firstUs: number; lastUs: number },
): Promise<Sensor> {
  const sensor = await reload(store, stale);
  const from = Math.floor(span.firstUs / US_PER_SEC);
  const to = Math.floor(span.lastUs / US_PER_SEC) + 1;
  for (const down of sensor.intervals) {
    if (down.kind !== 'down' || !isAuto(down) || down.toSec <= from || down.fromSec >= to) continue;
    const parts: SensorInterval[] = [];
    if (down.fromSec < from) parts.push({ ...down, toSec: from });
    if (down.toSec > to) parts.push({ ...down, fromSec: to });
    await store.network.replaceInterval(sensor.id, down, parts);
  }
  await ensureOperatingFrom(store, await reload(store, sensor), from);
  return reload(store, sensor);
}

async function reload(store: AnalyticsStore, sensor: Sensor): Promise<Sensor> {
  return { ...sensor, intervals: await store.sensorIntervals(sensor.id) };
}

/** Spool losses a live agent reported (each once): their time ranges are downtime. */
export async function onSpoolLosses(
  store: AnalyticsStore,
  sensor: Sensor,
  losses: readonly SpoolLossRow[],
): Promise<void> {
  for (const loss of losses) {
    await addDowntime(store, sensor, {
      from: Math.floor(loss.fromUs / US_PER_SEC),
      to: Math.floor(loss.toUs / US_PER_SEC) + 1,
      note: `${NOTES.spoolLoss}: sequences ${loss.firstSequence}-${loss.lastSequence}, ${loss.segments} segments, ${loss.packets} packets`,
    });
  }
}
