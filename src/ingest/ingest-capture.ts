/**
 * @module
 * `ingestCapture()`: one capture into the store for one sensor, in a single
 * streaming pass: read (hashing the bytes on the way) → decode → enrich →
 * match to the sensor → drop duplicates → roll up by hour and source-day →
 * commit. Memory holds one batch and the rollups (rows, not packets), which
 * go to the writer as days close or at the memory budget (`capture-pass.ts`).
 *
 * All or nothing: the writer's rows become visible only at commit, and any
 * failure rolls the capture back and says which file and where. The capture's
 * SHA-256 is its identity: the same capture twice for a sensor is refused
 * with `DuplicateIngestError`. The hash is known only at the end of the pass,
 * where the store checks it; a file as large as an earlier capture of the
 * sensor is hashed first, so re-running over old files refuses them at disk
 * speed instead of decoding them.
 */

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import type { GeoDbDescription, GeoResolver } from '../classify/index.js';
import {
  ConcurrentIngestError,
  DuplicateIngestError,
  SensorNotFoundError,
  type AnalyticsStore,
  type IngestMeta,
  type IngestRecord,
  type Sensor,
} from '../store/index.js';
import { TzClock } from '../util/tz.js';
import { CapturePass } from './capture-pass.js';
import type { DetectionSetup } from './detect-setup.js';
import { openDetection, type DetectionSummary } from './detection-pass.js';
import { DuplicateFilter } from './duplicate-filter.js';
import { IngestFailedError, NotTheSensorsCaptureError, OverlapUncheckedError } from './errors.js';
import { openEnrichedSource } from '../pipeline/index.js';
import { DEFAULT_MEMORY_BUDGET, processDataBytes, tableMemoryShare } from './memory-budget.js';
import { ObservedTime } from './observed-time.js';
import { StoredPackets } from './stored-packets.js';

const MS_PER_SECOND = 1000;
const HASH_READ_BYTES = 1 << 20;

export interface IngestProgress {
  fileName: string;
  /** Bytes of the file read so far, and its size when known. */
  bytesRead: number;
  totalBytes: number | undefined;
  packets: number;
  /** Reading the capture, or writing out and committing what it gave (called once when that starts). */
  phase: 'read' | 'commit';
}

export interface IngestOptions {
  /** GeoIP/ASN databases for country and ASN; `null` stores 0 (no lookup). */
  geo: GeoResolver | null;
  /** Name stored with the ingest and used in messages; default the path (`stream` for a Readable). */
  fileName?: string;
  /** Count packets inside an earlier ingest whose raw packets are gone instead of refusing (see `duplicate-filter.ts`). */
  allowOverlap?: boolean;
  /** Called as the capture is read (after each chunk of about 1 MiB). */
  onProgress?: (progress: IngestProgress) => void;
  /** Window for copies of a packet inside the capture (default 65,536 packets to the sensor). */
  recentPackets?: number;
  /** Packets per decoded batch. */
  batchPackets?: number;
  /** Decode a capture file on a worker thread, overlapping the rollups: default for files from 64 MiB (`THREAD_MIN_BYTES`); streams decode on this thread. */
  decodeThread?: boolean;
  /** Detection (signatures, backscatter, scanners): default the bundled rules; null turns it off. */
  detection?: DetectionSetup | null;
  /** Count every complete record of a capture cut inside a record, recording where (`record.truncatedAt`), instead of refusing it. */
  keepTruncated?: boolean;
  /**
   * Refuse (nothing stored) a capture with no packets, or whose packets mostly
   * go to other addresses than the sensor's or fall outside its operating
   * time: what a wrong `--sensor` or mistyped sensor addresses or dates look
   * like (`NotTheSensorsCaptureError`).
   * Default false; the CLI sets it unless `--allow-empty`.
   */
  refuseForeign?: boolean;
  /**
   * Bytes for the process's data (default 384 MiB): the tables get what the
   * store's share and the data held before the ingest leave (`memory-budget.ts`);
   * open the store with `memoryLimitBytes: storeMemoryShare(budget)` for its share.
   */
  memoryBudget?: number;
}

export interface IngestResult {
  /** The committed ingest: counts, time range of counted packets, hash, GeoIP databases. */
  record: IngestRecord;
  /** `record.packetsExcluded` split: packets to other addresses (or not IP), and to the sensor outside its observed time. */
  excludedOther: number;
  excludedNotObserving: number;
  /** `record.duplicates` split by where the first copy was. */
  duplicatesInCapture: number;
  duplicatesOfStored: number;
  /** Packets counted unchecked inside an earlier ingest without raw packets (`allowOverlap`). */
  overlapUnchecked: number;
  /** Rollup rows written. */
  trafficRows: number;
  sourceRows: number;
  /** Times rollup rows went to the writer before the end: a new day began, or the memory budget was reached. */
  dayFlushes: number;
  budgetFlushes: number;
  /** Most bytes the rollup and detection tables held. */
  peakTableBytes: number;
  elapsedSec: number;
  /** What detection found; null when it was off. */
  detection: DetectionSummary | null;
}

/** Ingests one capture (path, `-` for stdin, or a Readable) for the sensor named `sensorName`. */
export async function ingestCapture(
  store: AnalyticsStore,
  sensorName: string,
  input: string | Readable,
  options: IngestOptions,
): Promise<IngestResult> {
  const started = performance.now();
  const sensor = await store.findSensor(sensorName);
  if (sensor === undefined) throw new SensorNotFoundError(sensorName);
  const fileName = options.fileName ?? (typeof input === 'string' ? input : 'stream');
  await refuseKnownCapture(store, { sensor, input, fileName });
  const clock = new TzClock(store.settings.timeZone);
  const detection = await openDetection(options.detection, { sensor, geo: options.geo, clock });
  const stored = await StoredPackets.open(store, { sensorId: sensor.id, clock });
  const source = await openEnrichedSource(input, {
    name: fileName,
    geo: options.geo,
    capacity: options.batchPackets,
    thread: options.decodeThread,
    keepTruncated: options.keepTruncated,
    rules: detection?.rules,
  });
  const writer = await store
    .beginIngest({
      sensorId: sensor.id,
      fileName,
      sha256: '',
      bytes: source.totalBytes ?? 0,
      ...geoMeta(options.geo),
      seenIngestIds: stored.ingestIds,
    })
    .catch((error: unknown) => {
      source.close();
      throw error;
    });
  const duplicates = new DuplicateFilter({
    stored,
    fileName,
    allowOverlap: options.allowOverlap === true,
    ...(options.recentPackets === undefined ? {} : { recentPackets: options.recentPackets }),
  });
  const pass = new CapturePass({
    sensor,
    writer,
    clock,
    observed: new ObservedTime(sensor.intervals),
    duplicates,
    detection,
    memoryBudget: tableMemoryShare(options.memoryBudget ?? DEFAULT_MEMORY_BUDGET, processDataBytes()),
  });
  let offset = 0;
  try {
    await source.run({
      onBatch: (enriched, matches) => pass.onBatch(enriched, matches),
      onProgress: (p) => {
        offset = p.sourceBytes;
        options.onProgress?.({
          fileName,
          bytesRead: source.bytesRead,
          totalBytes: source.totalBytes,
          packets: p.packets,
          phase: 'read',
        });
      },
    });
    offset = source.bytesRead;
    if (options.refuseForeign === true) refuseForeign(pass, { sensor, fileName });
    options.onProgress?.({
      fileName,
      bytesRead: source.bytesRead,
      totalBytes: source.totalBytes,
      packets: pass.packetsRead,
      phase: 'commit',
    });
    await pass.flush();
    const found = detection === undefined ? null : await detection.write(writer);
    const record = await writer.commit(pass.summary(duplicates.duplicates), {
      sha256: source.digest(),
      bytes: source.bytesRead,
      truncatedAt: source.truncation?.offset ?? 0,
    });
    return {
      record,
      excludedOther: pass.excludedOther,
      excludedNotObserving: pass.excludedNotObserving,
      duplicatesInCapture: duplicates.inCapture,
      duplicatesOfStored: duplicates.ofStored,
      overlapUnchecked: duplicates.unchecked,
      trafficRows: pass.trafficRows,
      sourceRows: pass.sourceRows,
      dayFlushes: pass.dayFlushes,
      budgetFlushes: pass.budgetFlushes,
      peakTableBytes: pass.peakBytes,
      detection: found,
      elapsedSec: (performance.now() - started) / MS_PER_SECOND,
    };
  } catch (error) {
    await writer.rollback();
    if (
      error instanceof DuplicateIngestError ||
      error instanceof ConcurrentIngestError ||
      error instanceof OverlapUncheckedError ||
      error instanceof NotTheSensorsCaptureError
    )
      throw error;
    throw new IngestFailedError(fileName, { offset, totalBytes: source.totalBytes, cause: error });
  } finally {
    source.close();
  }
}

/** Destinations named when a capture is refused as not the sensor's. */
const TOP_OTHER_DESTINATIONS = 5;

function refuseForeign(pass: CapturePass, target: { sensor: Sensor; fileName: string }): void {
  const { packetsRead: read, packetsCounted: counted, excludedOther: other, excludedNotObserving: notObserving } = pass;
  // Duplicates of stored packets are the sensor's: a capture sent twice is refused or counted as such elsewhere.
  if (read > 0 && (other + notObserving) * 2 <= read) return;
  const top = pass.otherDestinations
    .top(TOP_OTHER_DESTINATIONS)
    .map((d) => `${d.destination} (${d.packets.toLocaleString('en')})`)
    .join(', ');
  throw new NotTheSensorsCaptureError(target.fileName, {
    sensor: target.sensor.name,
    addresses: target.sensor.addresses.map((a) => a.cidr).join(', '),
    read,
    counted,
    other,
    notObserving,
    top,
  });
}

/** What `IngestMeta` records about the GeoIP databases used. */
export function geoMeta(geo: GeoResolver | null): Pick<IngestMeta, 'geoipDb' | 'geoipBuildSec' | 'asnDb'> {
  const country = geo?.country?.description;
  const asn = geo?.asn?.description;
  return {
    geoipDb: country === undefined ? '' : describeDb(country),
    geoipBuildSec: country === undefined ? 0 : Math.floor(country.buildEpoch.getTime() / MS_PER_SECOND),
    asnDb: asn === undefined ? '' : describeDb(asn),
  };
}

function describeDb(db: GeoDbDescription): string {
  return `${basename(db.path)} (${db.description})`;
}

/**
 * Refuses a file the sensor already holds before decoding it, when an earlier
 * capture has exactly its size (the only case where it can be the same):
 * hashing is several times faster than an ingest that would be refused at its
 * end. Other files are hashed in the ingest's own pass.
 */
async function refuseKnownCapture(
  store: AnalyticsStore,
  target: { sensor: Sensor; input: string | Readable; fileName: string },
): Promise<void> {
  const { sensor, input, fileName } = target;
  if (typeof input !== 'string' || input === '-') return;
  const size = await stat(input).then(
    (s) => s.size,
    () => undefined,
  );
  if (size === undefined) return; // opening the source reports the missing file
  const sameSize = (await store.listIngests(sensor.id)).some((r) => r.bytes === size);
  if (!sameSize) return;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(input, { highWaterMark: HASH_READ_BYTES })) hash.update(chunk as Buffer);
  const sha256 = hash.digest('hex');
  const existing = await store.findIngestByHash(sensor.id, sha256);
  if (existing !== undefined) throw new DuplicateIngestError(sha256, existing, fileName);
}
