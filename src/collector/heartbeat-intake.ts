/**
 * @module
 * `storeHeartbeat()`: one authenticated heartbeat: its spool losses (each
 * stored once, however often the agent reports it; a live agent's losses
 * are downtime), the operating-time
 * update it implies (`operating-time.ts`), then the heartbeat itself, so a
 * crash in between only repeats an idempotent step on the next heartbeat.
 */

import type { Heartbeat, HeartbeatAnswer } from '../sensor/index.js';
import type { AnalyticsStore, Sensor, SpoolLossRow } from '../store/index.js';
import { TzClock } from '../util/tz.js';
import { onHeartbeat, onSpoolLosses } from './operating-time.js';

const US_PER_SEC = 1_000_000;

export async function storeHeartbeat(
  store: AnalyticsStore,
  sensor: Sensor,
  beat: { heartbeat: Heartbeat; nowMs: number; clockOffsetMs: number; downtimeAfterSec: number },
): Promise<HeartbeatAnswer> {
  const { heartbeat: hb, nowMs } = beat;
  const clock = new TzClock(store.settings.timeZone);
  const losses: SpoolLossRow[] = hb.losses.map((l) => ({
    sensorId: sensor.id,
    ...l,
    fromUs: l.fromUs,
    toUs: l.toUs,
    localDay: clock.localDay(Math.floor(l.fromUs / US_PER_SEC)),
    reportedMs: nowMs,
  }));
  const fresh = await store.network.addLosses(losses);
  if (hb.capture !== 'replay') await onSpoolLosses(store, sensor, fresh);
  const previous = await store.network.lastHeartbeat(sensor.id);
  await onHeartbeat(store, sensor, {
    capture: hb.capture,
    reason: hb.reason ?? '',
    sentUs: hb.sentUs,
    previous,
    downtimeAfterSec: beat.downtimeAfterSec,
  });
  await store.network.addHeartbeat({
    sensorId: sensor.id,
    receivedMs: nowMs,
    sentUs: hb.sentUs,
    capture: hb.capture,
    reason: hb.reason ?? '',
    spoolSegments: hb.spool.segments,
    spoolBytes: hb.spool.bytes,
    lastSequence: hb.lastSequence,
    clockOffsetMs: Math.round(beat.clockOffsetMs),
  });
  return { status: 'ok', clockOffsetMs: beat.clockOffsetMs };
}
