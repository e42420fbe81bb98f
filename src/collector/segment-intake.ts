/**
 * @module
 * `storeSegment()`: one authenticated capture segment into the store as its
 * own ingest (a group of one, or a segment `group-intake.ts` cannot group).
 * Idempotent on (sensor, segment id, sequence): a segment already recorded
 * answers `duplicate`. Its records are counted first and must match the
 * metadata; an empty segment (header only) is recorded without an ingest,
 * since it only proves coverage and its bytes equal every other empty
 * segment's. Bytes another segment of the sensor already delivered (under
 * another sequence number) are recorded but counted under that segment only.
 * A non-empty one goes through the engine (`ingestCapture`), whose commit
 * stores the segment id as the capture's SHA-256 in the same transaction as
 * its rows: if the collector dies after that commit and before the segment
 * row, the re-sent segment is found by that hash and recorded, never counted
 * twice. The answer is given only after both are durable.
 */

import type { GeoResolver } from '../classify/index.js';
import { readCapture } from '../capture/index.js';
import { ingestCapture, type DetectionSetup } from '../ingest/index.js';
import type { SegmentAnswer, SegmentMeta } from '../sensor/index.js';
import { DuplicateIngestError, type AnalyticsStore, type IngestRecord, type Sensor } from '../store/index.js';
import { TzClock } from '../util/tz.js';
import { CollectorError, CollectorErrorCode } from './errors.js';
import type { PendingRow } from './group-journal.js';
import { onLiveSegment } from './operating-time.js';

const US_PER_SEC = 1_000_000;
const UNKNOWN = -1;

export interface SegmentIntakeOptions {
  geo: GeoResolver | null;
  detection: DetectionSetup | null;
  nowMs: number;
  clockOffsetMs: number;
  bytes: number;
}

export interface UploadedSegment {
  meta: SegmentMeta;
  /** The body, in the collector's `incoming/`. */
  file: string;
}

export async function storeSegment(
  store: AnalyticsStore,
  sensor: Sensor,
  segment: UploadedSegment,
  options: SegmentIntakeOptions,
): Promise<SegmentAnswer> {
  const { meta, file } = segment;
  const answer = (status: SegmentAnswer['status'], packets: number): SegmentAnswer =>
    segmentAnswer(meta, { status, packets, clockOffsetMs: options.clockOffsetMs });
  const known = await store.network.findSegment(sensor.id, meta.segmentId, meta.sequence);
  if (known !== undefined) return answer('duplicate', known.packetsRead);
  const records = await checkRecords(file, meta);
  let current = sensor;
  if (meta.mode === 'live')
    current = await onLiveSegment(store, sensor, { firstUs: meta.firstPacketUs, lastUs: meta.lastPacketUs });
  let ingest: { id: number; packetsRead: number; packetsCounted: number } = {
    id: 0,
    packetsRead: 0,
    packetsCounted: 0,
  };
  let status: SegmentAnswer['status'] = 'stored';
  // Bytes another segment already delivered are counted under that segment only.
  if (records > 0 && (await store.network.findSegment(sensor.id, meta.segmentId)) !== undefined) status = 'duplicate';
  else if (records > 0) {
    const found = await ingestOnce(store, current, { file, meta, options });
    if (found.earlier) status = 'duplicate';
    else ingest = found.record;
  }
  await store.network.addSegment({
    ...pendingRow(store, sensor, meta, { nowMs: options.nowMs, bytes: options.bytes }),
    ingestId: ingest.id,
    packetsRead: ingest.packetsRead,
    packetsCounted: ingest.packetsCounted,
  });
  return answer(status, ingest.packetsRead);
}

export function segmentAnswer(
  meta: SegmentMeta,
  answer: Pick<SegmentAnswer, 'status' | 'packets' | 'clockOffsetMs'>,
): SegmentAnswer {
  return { ...answer, segmentId: meta.segmentId, sequence: meta.sequence };
}

/** The segment's row but for what its ingest gives. */
export function pendingRow(
  store: AnalyticsStore,
  sensor: Sensor,
  meta: SegmentMeta,
  received: { nowMs: number; bytes: number },
): PendingRow {
  return {
    sensorId: sensor.id,
    sequence: meta.sequence,
    segmentId: meta.segmentId,
    localDay: new TzClock(store.settings.timeZone).localDay(Math.floor(meta.firstPacketUs / US_PER_SEC)),
    firstUs: meta.firstPacketUs,
    lastUs: meta.lastPacketUs,
    packets: meta.packets,
    kernelReceived: meta.kernelReceived ?? UNKNOWN,
    kernelDropped: meta.kernelDropped ?? UNKNOWN,
    agentDropped: meta.agentDropped,
    mode: meta.mode,
    bytes: received.bytes,
    receivedMs: received.nowMs,
  };
}

/**
 * The segment's ingest: a new one, or the one already holding these bytes
 * (`earlier`: committed before a crash, or the same bytes under another
 * sequence number, which are not counted again).
 */
async function ingestOnce(
  store: AnalyticsStore,
  sensor: Sensor,
  input: { file: string; meta: SegmentMeta; options: SegmentIntakeOptions },
): Promise<{ record: IngestRecord; earlier: boolean }> {
  const { meta, options } = input;
  try {
    const result = await ingestCapture(store, sensor.name, input.file, {
      geo: options.geo,
      detection: options.detection,
      fileName: `segment ${meta.sequence} ${meta.segmentId}`,
    });
    return { record: result.record, earlier: false };
  } catch (error) {
    if (!(error instanceof DuplicateIngestError)) throw error;
    const record = await store.findIngestByHash(sensor.id, error.sha256);
    if (record === undefined) throw error;
    const other = (await store.network.segments(sensor.id)).find((s) => s.ingestId === record.id);
    return { record, earlier: other !== undefined };
  }
}

/** The segment's record count, refused unless it is a readable capture holding as many records as its metadata says. */
export async function checkRecords(file: string, meta: SegmentMeta): Promise<number> {
  let records: number;
  try {
    records = (await readCapture(file, { onRecord: () => true })).records;
  } catch (error) {
    throw new CollectorError(CollectorErrorCode.INVALID, `body: not a readable capture: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (records !== meta.packets) {
    throw new CollectorError(
      CollectorErrorCode.INVALID,
      `packets: the metadata says ${meta.packets}, the capture holds ${records} records`,
    );
  }
  return records;
}
