/**
 * @module
 * `sensorStatus()`: what `teiten sensors status` shows for one sensor, from
 * the collector's records: the last heartbeat (capture state, spool depth,
 * clock offset, age), delivery lag, segments and packets received, losses by
 * cause — kernel drops (pcap statistics), agent drops, spool drops the agent
 * reported, and sequence gaps (numbers never received nor reported lost) —
 * and per local day the operating time from the sensor's intervals (the
 * same `observedSegments` every per-day-per-address figure uses) beside the
 * day's segments and losses. Pure: the caller loads the records.
 */

import {
  observedSegments,
  type HeartbeatRow,
  type SegmentRow,
  type Sensor,
  type SensorKeyRow,
  type SpoolLossRow,
} from '../store/index.js';
import { formatLocalDate, startOfLocalDay, TzClock } from '../util/tz.js';

const US_PER_SEC = 1_000_000;
const MS_PER_SEC = 1000;
/** Most days listed per sensor (the latest). */
export const STATUS_DAYS = 62;

export interface DayStatus {
  date: string;
  /** Seconds of the day the sensor observed (operating, outside downtimes), up to now. */
  operatingSec: number;
  segments: number;
  packets: number;
  kernelDropped: number;
  agentDropped: number;
  spoolDroppedSegments: number;
  spoolDroppedPackets: number;
  sequenceGaps: number;
}

export interface SensorStatus {
  sensor: string;
  /** `active`, `revoked` or `not enrolled`. */
  credentials: 'active' | 'revoked' | 'not enrolled';
  lastHeartbeat: {
    receivedAt: string;
    ageSec: number;
    capture: string;
    reason: string;
    spoolSegments: number;
    spoolBytes: number;
    lastSequence: number;
    clockOffsetMs: number;
  } | null;
  /** Seconds from the newest packet received to now; null before any segment. */
  lagSec: number | null;
  segments: { received: number; empty: number; live: number; replay: number; bytes: number };
  packets: { received: number; counted: number };
  losses: {
    kernelDropped: number;
    /** Segments without pcap statistics (replay) are not in the kernel figures. */
    kernelReceived: number;
    agentDropped: number;
    spoolDroppedSegments: number;
    spoolDroppedPackets: number;
    sequenceGaps: number;
    /** The missing sequence numbers as ranges `[first, last]` (at most 20). */
    gapRanges: [number, number][];
  };
  days: DayStatus[];
}

export interface StatusInput {
  sensor: Sensor;
  keys: readonly SensorKeyRow[];
  segments: readonly SegmentRow[];
  losses: readonly SpoolLossRow[];
  lastHeartbeat: HeartbeatRow | undefined;
  timeZone: string;
  nowMs: number;
}

const MAX_GAP_RANGES = 20;

function emptyDay(day: number): DayStatus {
  return {
    date: formatLocalDate(day),
    operatingSec: 0,
    segments: 0,
    packets: 0,
    kernelDropped: 0,
    agentDropped: 0,
    spoolDroppedSegments: 0,
    spoolDroppedPackets: 0,
    sequenceGaps: 0,
  };
}

/** Missing sequence numbers below the highest one received or reported lost, with the day each is attributed to (the next received segment's). */
function sequenceGaps(
  segments: readonly SegmentRow[],
  losses: readonly SpoolLossRow[],
): { sequence: number; day: number }[] {
  const received = new Map<number, number>();
  for (const s of segments) received.set(s.sequence, s.localDay);
  const lost = (seq: number): boolean => losses.some((l) => seq >= l.firstSequence && seq <= l.lastSequence);
  const top = Math.max(-1, ...received.keys(), ...losses.map((l) => l.lastSequence));
  const gaps: { sequence: number; day: number }[] = [];
  let nextDay = 0;
  for (let seq = top; seq >= 0; seq--) {
    const day = received.get(seq);
    if (day !== undefined) nextDay = day;
    else if (!lost(seq)) gaps.push({ sequence: seq, day: nextDay });
  }
  return gaps.reverse();
}

function ranges(values: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const v of values) {
    const last = out[out.length - 1];
    if (last !== undefined && v === last[1] + 1) last[1] = v;
    else out.push([v, v]);
  }
  return out.slice(0, MAX_GAP_RANGES);
}

export function sensorStatus(input: StatusInput): SensorStatus {
  const { sensor, segments, losses, nowMs } = input;
  const clock = new TzClock(input.timeZone);
  const nowSec = Math.floor(nowMs / MS_PER_SEC);
  const days = new Map<number, DayStatus>();
  const dayOf = (day: number): DayStatus => {
    let d = days.get(day);
    if (d === undefined) days.set(day, (d = emptyDay(day)));
    return d;
  };
  let kernelDropped = 0;
  let kernelReceived = 0;
  let agentDropped = 0;
  let newestUs = -1;
  for (const s of segments) {
    const d = dayOf(s.localDay);
    d.segments++;
    d.packets += s.packetsRead;
    if (s.kernelDropped >= 0) {
      d.kernelDropped += s.kernelDropped;
      kernelDropped += s.kernelDropped;
    }
    if (s.kernelReceived >= 0) kernelReceived += s.kernelReceived;
    d.agentDropped += s.agentDropped;
    agentDropped += s.agentDropped;
    if (s.packets > 0) newestUs = Math.max(newestUs, s.lastUs);
  }
  for (const l of losses) {
    const d = dayOf(l.localDay);
    d.spoolDroppedSegments += l.segments;
    d.spoolDroppedPackets += l.packets;
  }
  const gaps = sequenceGaps(segments, losses);
  for (const g of gaps) dayOf(g.day).sequenceGaps++;
  // Every day from the first declared or live operating time to today; other days only with activity (replays).
  const since = sensor.intervals
    .filter((i) => i.kind === 'operating' && i.fromSec > 0)
    .map((i) => clock.localDay(i.fromSec));
  const today = clock.localDay(nowSec);
  if (since.length > 0)
    for (let day = Math.max(Math.min(...since), today - STATUS_DAYS); day <= today; day++) dayOf(day);
  const listed = [...days.keys()].sort((a, b) => a - b).slice(-STATUS_DAYS);
  for (const day of listed) {
    const start = startOfLocalDay(day, input.timeZone);
    const end = Math.min(startOfLocalDay(day + 1, input.timeZone), Math.max(start, nowSec));
    dayOf(day).operatingSec = observedSegments(sensor.intervals, start, end).reduce((sum, [a, b]) => sum + (b - a), 0);
  }
  const hb = input.lastHeartbeat;
  const keys = input.keys;
  return {
    sensor: sensor.name,
    credentials: keys.length === 0 ? 'not enrolled' : keys.some((k) => k.revokedMs === 0) ? 'active' : 'revoked',
    lastHeartbeat:
      hb === undefined
        ? null
        : {
            receivedAt: new Date(hb.receivedMs).toISOString(),
            ageSec: Math.round((nowMs - hb.receivedMs) / MS_PER_SEC),
            capture: hb.capture,
            reason: hb.reason,
            spoolSegments: hb.spoolSegments,
            spoolBytes: hb.spoolBytes,
            lastSequence: hb.lastSequence,
            clockOffsetMs: hb.clockOffsetMs,
          },
    lagSec: newestUs < 0 ? null : Math.round(nowSec - newestUs / US_PER_SEC),
    segments: {
      received: segments.length,
      empty: segments.filter((s) => s.packets === 0).length,
      live: segments.filter((s) => s.mode === 'live').length,
      replay: segments.filter((s) => s.mode === 'replay').length,
      bytes: segments.reduce((sum, s) => sum + s.bytes, 0),
    },
    packets: {
      received: segments.reduce((sum, s) => sum + s.packetsRead, 0),
      counted: segments.reduce((sum, s) => sum + s.packetsCounted, 0),
    },
    losses: {
      kernelDropped,
      kernelReceived,
      agentDropped,
      spoolDroppedSegments: losses.reduce((sum, l) => sum + l.segments, 0),
      spoolDroppedPackets: losses.reduce((sum, l) => sum + l.packets, 0),
      sequenceGaps: gaps.length,
      gapRanges: ranges(gaps.map((g) => g.sequence)),
    },
    days: listed.map((day) => dayOf(day)),
  };
}
