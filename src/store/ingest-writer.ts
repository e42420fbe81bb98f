/**
 * @module
 * The `IngestWriter` both stores hand out: it checks and buffers rows per
 * table as columns, passes full blocks to the backend's `IngestSink`, and on
 * commit writes the `ingests` row last.
 *
 * The commit's checks and the `ingests` row run under the store's lock for
 * the sensor (`SqlSession.exclusive`): the same capture committed by two
 * processes at once is stored once (the second finds the first's row and is
 * refused as a duplicate), and an ingest of the sensor committed while this
 * one ran that overlaps it in time (so this one's duplicate check never saw
 * its packets) refuses this commit with `ConcurrentIngestError`. The rows
 * themselves are written before the lock is taken, so it is held for a few
 * statements only. Calls run one at a time in call order
 * even if the caller does not await each one, so a backend never sees two
 * blocks at once.
 */

import type { TzClock } from '../util/tz.js';
import type { EnrichedBatch } from '../classify/index.js';
import { ColumnBuffer } from './column-buffer.js';
import { ConcurrentIngestError, DuplicateIngestError, WriterClosedError } from './errors.js';
import { checkIngestContent } from './ingest-content.js';
import { addPacketRows } from './packet-rows.js';
import { SourceKeyAssignments, type RunQuery } from './ipv6-sources.js';
import { DETECTION_TABLES, INGESTS, PACKETS, SOURCE_DAY, TRAFFIC_HOUR } from './schema.js';
import { isIpv6SourceKey } from './source-key.js';
import { sourceListRows } from './source-lists.js';
import type { DetectionColumns, DetectionTable } from './detection-rows.js';
import type { IngestSink } from './sql-session.js';
import type {
  AnalyticsStore,
  IngestContent,
  IngestMeta,
  IngestRecord,
  IngestSummary,
  IngestWriter,
  RowColumns,
  SourceKeyColumns,
  SourceRow,
  TrafficRow,
} from './store.js';

export interface WriterContext {
  ingestId: number;
  meta: Omit<Required<IngestMeta>, 'seenIngestIds'>;
  /** Ingests of the sensor the caller's overlap check saw (`IngestMeta.seenIngestIds`). */
  seenIngestIds: ReadonlySet<number>;
  /** The committed ingests of the sensor. */
  listIngests: () => Promise<IngestRecord[]>;
  /** Runs `fn` under the sensor's commit lock. */
  exclusive: <T>(fn: () => Promise<T>) => Promise<T>;
  keepsRawPackets: boolean;
  /** Rows per table collected before a write; default the sink's own. */
  blockRows: number | undefined;
  clock: TzClock;
  startedSec: number;
  now: () => number;
  /** The committed ingest holding the capture with this hash, if any. */
  findDuplicate: (sha256: string) => Promise<IngestRecord | undefined>;
  /** Reads committed rows (the `ipv6_sources` lookups). */
  run: RunQuery;
}

type State = 'open' | 'committed' | 'rolled back' | 'failed';

export class SqlIngestWriter implements IngestWriter {
  readonly ingestId: number;
  readonly keepsRawPackets: boolean;
  private readonly sink: IngestSink;
  private readonly ctx: WriterContext;
  private readonly traffic = new ColumnBuffer(TRAFFIC_HOUR);
  private readonly sources = new ColumnBuffer(SOURCE_DAY);
  private readonly packets = new ColumnBuffer(PACKETS);
  /** Detection tables' buffers, made on first use (most tables get a few rows). */
  private readonly detection = new Map<DetectionTable, ColumnBuffer>();
  private readonly keys = new SourceKeyAssignments();
  private readonly fixed: Readonly<Record<string, unknown>>;
  private rawPackets = 0;
  private state: State = 'open';
  /** The error that made the writer 'failed' (later calls name it). */
  private failure: unknown = undefined;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(sink: IngestSink, ctx: WriterContext) {
    this.sink = sink;
    this.ctx = ctx;
    this.ingestId = ctx.ingestId;
    this.keepsRawPackets = ctx.keepsRawPackets;
    this.fixed = { ingest_id: ctx.ingestId, sensor_id: ctx.meta.sensorId };
  }

  appendTraffic(rows: readonly TrafficRow[]): Promise<void> {
    return this.collect(this.traffic, () => {
      for (const row of rows) this.traffic.addObject(row, this.fixed);
    });
  }

  appendSources(rows: readonly SourceRow[]): Promise<void> {
    // Read now, keyed once earlier calls are done (keys may need the store).
    const copies = rows.map((row) => ({ ...row }));
    return this.serial(async () => {
      const keys = await this.keys.sourceKeysOf(
        copies.map((row) => row.src),
        this.ctx.run,
      );
      const keyed = copies.map((row, i) => ({ ...row, src: keys[i]! }));
      for (const row of sourceListRows(keyed)) this.sources.addObject(row, this.fixed);
      await this.flushIfFull(this.sources);
    });
  }

  sourceKeys(addresses: readonly string[]): Promise<number[]> {
    const copy = [...addresses];
    return this.serial(() => this.keys.sourceKeysOf(copy, this.ctx.run));
  }

  appendTrafficColumns(rows: RowColumns<TrafficRow>): Promise<void> {
    return this.collect(this.traffic, () => this.traffic.addColumns(rows, this.fixed));
  }

  appendSourceColumns(rows: SourceKeyColumns): Promise<void> {
    return this.collect(this.sources, () => {
      const { src } = rows.columns;
      for (let i = 0; i < rows.rowCount; i++) {
        const key = src[i]!;
        if (isIpv6SourceKey(key) && !this.keys.byKey.has(key)) {
          throw new RangeError(`Cannot write source_day row ${i}: source key ${key} was not given by sourceKeys()`);
        }
      }
      this.sources.addColumns(rows, this.fixed);
    });
  }

  appendPackets(enriched: EnrichedBatch, sensorOf: Int32Array): Promise<number> {
    let added = 0;
    return this.collect(this.packets, () => {
      if (!this.keepsRawPackets) return;
      const { ingestId, clock, meta } = this.ctx;
      added = addPacketRows(this.packets, { enriched, sensorOf, sensorId: meta.sensorId, ingestId, clock });
      this.rawPackets += added;
    }).then(() => added);
  }

  appendDetection<T extends DetectionTable>(table: T, rows: DetectionColumns<T>): Promise<void> {
    let buffer = this.detection.get(table);
    if (buffer === undefined) {
      if (!Object.hasOwn(DETECTION_TABLES, table))
        return Promise.reject(new TypeError(`Cannot append to ${String(table)}: not a detection table`));
      this.detection.set(table, (buffer = new ColumnBuffer(DETECTION_TABLES[table])));
    }
    const target = buffer;
    return this.collect(target, () => target.addColumns(rows, this.fixed));
  }

  commit(summary: IngestSummary, content?: IngestContent): Promise<IngestRecord> {
    return this.serial(async () => {
      const { ingestId, startedSec } = this.ctx;
      const meta =
        content === undefined
          ? this.ctx.meta
          : { ...this.ctx.meta, ...checkIngestContent(this.ctx.meta.fileName, content) };
      if (meta.sha256 === '') {
        throw new TypeError(
          `Cannot commit ingest of ${meta.fileName}: its sha256 was given neither to beginIngest nor to commit`,
        );
      }
      const truncatedAt = checkTruncatedAt(meta.fileName, content?.truncatedAt);
      // Checked before the last rows go in: a duplicate found now costs no more writes.
      await this.refuseConflicts(meta, summary);
      const dictionary = this.keys.takeNewRows();
      if (dictionary !== null) await this.sink.append(dictionary);
      for (const buffer of [this.traffic, this.sources, this.packets, ...this.detection.values()]) {
        if (buffer.rowCount > 0) await this.sink.append(buffer.take());
      }
      const record: IngestRecord = {
        ...meta,
        ...pickSummary(summary),
        id: ingestId,
        rawPackets: this.rawPackets,
        startedSec,
        ingestedSec: Math.floor(this.ctx.now()),
        truncatedAt,
      };
      const row = new ColumnBuffer(INGESTS);
      row.addObject(record);
      await this.ctx.exclusive(async () => {
        // Again under the lock: the checks and the row are one step for every other committer.
        await this.refuseConflicts(meta, summary);
        await this.sink.commit(row.take());
      });
      this.state = 'committed';
      return record;
    });
  }

  /** Throws when the sensor holds this capture, or an unseen ingest overlapping it in time committed meanwhile. */
  private async refuseConflicts(meta: { sha256: string; fileName: string }, summary: IngestSummary): Promise<void> {
    const duplicate = await this.ctx.findDuplicate(meta.sha256);
    if (duplicate !== undefined) throw new DuplicateIngestError(meta.sha256, duplicate, meta.fileName);
    if (summary.packetsCounted === 0) return;
    const first = Math.floor(summary.firstSec);
    const last = Math.floor(summary.lastSec);
    const seen = this.ctx.seenIngestIds;
    const other = (await this.ctx.listIngests()).find(
      (r) =>
        r.id !== this.ingestId && !seen.has(r.id) && r.packetsCounted > 0 && r.firstSec <= last && first <= r.lastSec,
    );
    if (other !== undefined) throw new ConcurrentIngestError(meta.fileName, other);
  }

  async rollback(): Promise<void> {
    await this.tail.catch(() => undefined);
    if (this.state === 'committed' || this.state === 'rolled back') return;
    this.state = 'rolled back';
    await this.sink.rollback();
  }

  /**
   * Reads the caller's rows now (a decoder may refill its batch as soon as
   * this returns), then queues the flush of a full buffer behind earlier calls.
   */
  private collect(buffer: ColumnBuffer, add: () => void): Promise<void> {
    try {
      if (this.state !== 'open') throw new WriterClosedError(this.ingestId, this.state, this.failure);
      add();
    } catch (error) {
      this.fail(error);
      return Promise.reject(error);
    }
    return this.serial(() => this.flushIfFull(buffer));
  }

  /** Runs `fn` after every earlier call; a failure closes the writer for everything but rollback. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(async () => {
      if (this.state !== 'open') throw new WriterClosedError(this.ingestId, this.state, this.failure);
      try {
        return await fn();
      } catch (error) {
        this.fail(error);
        throw error;
      }
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  private fail(error: unknown): void {
    if (this.state !== 'open') return;
    this.state = 'failed';
    this.failure = error;
  }

  private async flushIfFull(buffer: ColumnBuffer): Promise<void> {
    if (buffer.rowCount < (this.ctx.blockRows ?? this.sink.blockRows)) return;
    const block = buffer.take();
    await this.sink.append(block);
    buffer.recycle(block);
  }
}

function checkTruncatedAt(fileName: string, offset: number | undefined): number {
  if (offset === undefined) return 0;
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new RangeError(`Cannot commit ingest of ${fileName}: truncatedAt must be a byte offset >= 0, got ${offset}`);
  }
  return offset;
}

function pickSummary(s: IngestSummary): IngestSummary {
  return {
    packetsRead: s.packetsRead,
    packetsCounted: s.packetsCounted,
    packetsExcluded: s.packetsExcluded,
    packetsMalformed: s.packetsMalformed,
    duplicates: s.duplicates,
    // Whole seconds: a caller may pass a packet's fractional timestamp.
    firstSec: Math.floor(s.firstSec),
    lastSec: Math.floor(s.lastSec),
  };
}

/**
 * Begins an ingest, runs `fn` with its writer, and commits the summary `fn`
 * returns; on any failure rolls back (nothing of the capture stays) and rethrows.
 */
export async function withIngest(
  store: AnalyticsStore,
  options: { meta: IngestMeta; write: (writer: IngestWriter) => Promise<IngestSummary> },
): Promise<IngestRecord> {
  const writer = await store.beginIngest(options.meta);
  try {
    return await writer.commit(await options.write(writer));
  } catch (error) {
    await writer.rollback();
    throw error;
  }
}
