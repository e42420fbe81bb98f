/**
 * @module
 * `storeSegments()`: group commit. The segments of one sensor waiting in the
 * queue go through the engine as one ingest (one store open, one detection
 * state, one duplicate/overlap check and one commit instead of one each),
 * and each is acknowledged only after that commit and its own row are
 * durable (`group-journal.ts` covers a crash between the two).
 *
 * Each segment keeps its identity and its own answer: one already recorded
 * answers `duplicate`; one whose body or metadata is wrong gets its own
 * refusal before the group is formed; one the group cannot hold (not an
 * uncompressed pcap with the group's header, bytes the store already holds,
 * a second upload of a segment in the same group) is stored alone after it.
 * Should the group's ingest fail, every segment is stored alone, so a
 * segment that breaks the engine fails by itself and the others commit.
 */

import { ingestCapture } from '../ingest/index.js';
import type { SegmentAnswer } from '../sensor/index.js';
import { ConcurrentIngestError, type AnalyticsStore, type Sensor } from '../store/index.js';
import { groupRows, type GroupJournal, type PendingRow } from './group-journal.js';
import { onLiveSegment } from './operating-time.js';
import {
  checkRecords,
  pendingRow,
  segmentAnswer,
  storeSegment,
  type SegmentIntakeOptions,
  type UploadedSegment,
} from './segment-intake.js';
import { concatenatedPcap, pcapHeaderOf } from './segment-stream.js';

export interface QueuedSegment extends UploadedSegment {
  options: SegmentIntakeOptions;
}

export type SegmentOutcome = { ok: true; answer: SegmentAnswer } | { ok: false; error: unknown };

/** Stores `segments` of `sensor` (in sequence order); one outcome per segment, in the order given. */
export async function storeSegments(
  store: AnalyticsStore,
  sensor: Sensor,
  segments: readonly QueuedSegment[],
  journal: GroupJournal,
): Promise<SegmentOutcome[]> {
  const outcomes = new Map<QueuedSegment, SegmentOutcome>();
  const settle = async (segment: QueuedSegment, run: () => Promise<SegmentAnswer>): Promise<void> => {
    try {
      outcomes.set(segment, { ok: true, answer: await run() });
    } catch (error) {
      outcomes.set(segment, { ok: false, error });
    }
  };
  const alone: QueuedSegment[] = [];
  const byHeader = new Map<string, QueuedSegment[]>();
  const ids = new Set<string>();
  for (const segment of [...segments].sort((a, b) => a.meta.sequence - b.meta.sequence)) {
    const { meta } = segment;
    if (ids.has(meta.segmentId)) {
      alone.push(segment); // after its twin: then recorded as a duplicate of it
      continue;
    }
    ids.add(meta.segmentId);
    try {
      const place = await placeOf(store, sensor, segment);
      if (place.kind === 'answered') outcomes.set(segment, { ok: true, answer: place.answer });
      else if (place.kind === 'alone') alone.push(segment);
      else byHeader.set(place.header, [...(byHeader.get(place.header) ?? []), segment]);
    } catch (error) {
      outcomes.set(segment, { ok: false, error });
    }
  }
  for (const group of byHeader.values()) {
    if (group.length === 1) alone.unshift(group[0]!);
    else await storeGroup(store, sensor, group, journal, settle);
  }
  for (const segment of alone) await settle(segment, () => storeSegment(store, sensor, segment, segment.options));
  return segments.map((s) => outcomes.get(s)!);
}

type Place = { kind: 'answered'; answer: SegmentAnswer } | { kind: 'alone' } | { kind: 'group'; header: string };

/** Whether the segment is recorded already, must be stored alone, or can join the group of its pcap header; refuses a bad one. */
async function placeOf(store: AnalyticsStore, sensor: Sensor, segment: QueuedSegment): Promise<Place> {
  const { meta, file, options } = segment;
  const known = await store.network.findSegment(sensor.id, meta.segmentId, meta.sequence);
  if (known !== undefined)
    return {
      kind: 'answered',
      answer: segmentAnswer(meta, {
        status: 'duplicate',
        packets: known.packetsRead,
        clockOffsetMs: options.clockOffsetMs,
      }),
    };
  const records = await checkRecords(file, meta);
  const header = records === 0 ? undefined : await pcapHeaderOf(file);
  if (header === undefined) return { kind: 'alone' };
  const stored =
    (await store.network.findSegment(sensor.id, meta.segmentId)) ??
    (await store.findIngestByHash(sensor.id, meta.segmentId));
  return stored === undefined ? { kind: 'group', header } : { kind: 'alone' };
}

async function storeGroup(
  store: AnalyticsStore,
  sensor: Sensor,
  group: readonly QueuedSegment[],
  journal: GroupJournal,
  settle: (segment: QueuedSegment, run: () => Promise<SegmentAnswer>) => Promise<void>,
): Promise<void> {
  let current = sensor;
  for (const { meta } of group) {
    if (meta.mode === 'live')
      current = await onLiveSegment(store, current, { firstUs: meta.firstPacketUs, lastUs: meta.lastPacketUs });
  }
  const rows: PendingRow[] = group.map((s) =>
    pendingRow(store, sensor, s.meta, { nowMs: s.options.nowMs, bytes: s.options.bytes }),
  );
  const intent = await journal.begin(sensor.id, rows);
  const { geo, detection } = group[0]!.options;
  let stored: Awaited<ReturnType<typeof ingestCapture>>;
  try {
    stored = await ingestCapture(store, sensor.name, concatenatedPcap(group.map((s) => s.file)), {
      geo,
      detection,
      fileName: intent.fileName,
    });
  } catch (error) {
    await journal.end(intent);
    // Another ingest of the sensor committed meanwhile: every segment is sent again.
    if (error instanceof ConcurrentIngestError) {
      for (const segment of group) await settle(segment, () => Promise.reject(error));
      return;
    }
    for (const segment of group) await settle(segment, () => storeSegment(store, sensor, segment, segment.options));
    return;
  }
  for (const row of groupRows(rows, stored.record)) await store.network.addSegment(row);
  await journal.end(intent);
  for (const segment of group) {
    await settle(segment, () =>
      Promise.resolve(
        segmentAnswer(segment.meta, {
          status: 'stored',
          packets: segment.meta.packets,
          clockOffsetMs: segment.options.clockOffsetMs,
        }),
      ),
    );
  }
}
