/**
 * `sensorStatus()` over hand-made records with known answers: losses by
 * cause, sequence gaps (missing numbers not reported lost), and operating
 * seconds per local day from the sensor's intervals.
 */

import { describe, expect, it } from 'vitest';
import { OPEN_END_SEC, type SegmentRow, type Sensor, type SpoolLossRow } from '../store/index.js';
import { sensorStatus } from './sensor-status.js';

const DAY0 = 20_463; // 2026-01-10 in days since 1970-01-01
const T0 = Date.parse('2026-01-10T03:00:00Z') / 1000; // 12:00 in Tokyo
const TOKYO_DAY1_START = Date.parse('2026-01-10T15:00:00Z') / 1000;

function segment(sequence: number, overrides: Partial<SegmentRow> = {}): SegmentRow {
  return {
    sensorId: 1,
    sequence,
    segmentId: sequence.toString(16).padStart(64, '0'),
    localDay: DAY0,
    firstUs: (T0 + 60 * sequence) * 1e6,
    lastUs: (T0 + 60 * sequence + 59) * 1e6,
    packets: 10,
    kernelReceived: 12,
    kernelDropped: 2,
    agentDropped: 1,
    mode: 'live',
    ingestId: 100 + sequence,
    packetsRead: 10,
    packetsCounted: 9,
    bytes: 1000,
    receivedMs: 0,
    ...overrides,
  };
}

const sensor: Sensor = {
  id: 1,
  name: 'live1',
  label: '',
  timeZone: 'Asia/Tokyo',
  createdSec: T0,
  addresses: [],
  intervals: [
    { kind: 'operating', fromSec: T0, toSec: OPEN_END_SEC, note: 'collector: live capture' },
    { kind: 'down', fromSec: T0 + 3600, toSec: T0 + 7200, note: 'collector: no heartbeat for 3600 s' },
  ],
};

describe('sensorStatus()', () => {
  it('sums losses by cause and finds sequence gaps not reported as spool losses', () => {
    const segments = [
      segment(0),
      segment(1),
      segment(4),
      segment(7, { localDay: DAY0 + 1 }),
      segment(8, {
        localDay: DAY0 + 1,
        packets: 0,
        packetsRead: 0,
        packetsCounted: 0,
        ingestId: 0,
        kernelReceived: -1,
        kernelDropped: -1,
        mode: 'replay',
      }),
    ];
    const losses: SpoolLossRow[] = [
      {
        sensorId: 1,
        firstSequence: 2,
        lastSequence: 3,
        segments: 2,
        packets: 25,
        fromUs: (T0 + 120) * 1e6,
        toUs: (T0 + 239) * 1e6,
        localDay: DAY0,
        reportedMs: 0,
      },
    ];
    const status = sensorStatus({
      sensor,
      keys: [{ sensorId: 1, keyHash: 'k', enrolledMs: 0, revokedMs: 0 }],
      segments,
      losses,
      lastHeartbeat: undefined,
      timeZone: 'Asia/Tokyo',
      nowMs: (TOKYO_DAY1_START + 6 * 3600) * 1000,
    });
    expect(status.credentials).toBe('active');
    expect(status.segments).toEqual({ received: 5, empty: 1, live: 4, replay: 1, bytes: 5000 });
    expect(status.packets).toEqual({ received: 40, counted: 36 });
    expect(status.losses).toEqual({
      kernelDropped: 8,
      kernelReceived: 48,
      agentDropped: 5,
      spoolDroppedSegments: 2,
      spoolDroppedPackets: 25,
      sequenceGaps: 2,
      gapRanges: [[5, 6]],
    });
    // Gaps 5 and 6 are attributed to the day of segment 7, the next one received.
    expect(status.days.map((d) => [d.date, d.segments, d.sequenceGaps, d.spoolDroppedPackets])).toEqual([
      ['2026-01-10', 3, 0, 25],
      ['2026-01-11', 2, 2, 0],
    ]);
    expect(status.lagSec).toBe(TOKYO_DAY1_START + 6 * 3600 - (T0 + 60 * 7 + 59));
  });

  it('gives operating seconds per local day from the intervals, today up to now', () => {
    const status = sensorStatus({
      sensor,
      keys: [],
      segments: [],
      losses: [],
      lastHeartbeat: undefined,
      timeZone: 'Asia/Tokyo',
      nowMs: (TOKYO_DAY1_START + 6 * 3600) * 1000,
    });
    expect(status.credentials).toBe('not enrolled');
    expect(status.days.map((d) => [d.date, d.operatingSec])).toEqual([
      ['2026-01-10', 12 * 3600 - 3600],
      ['2026-01-11', 6 * 3600],
    ]);
  });
});
