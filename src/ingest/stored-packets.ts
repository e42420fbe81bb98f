/**
 * @module
 * `StoredPackets`: what the store already holds for a sensor, for the
 * overlap rule of `duplicate-filter.ts`. At the start of an ingest it reads
 * the time span (`first_sec`..`last_sec`) of every committed ingest of the
 * sensor and splits the time line into segments, each with the ingests that
 * cover it. A packet outside every segment cannot duplicate a stored one and
 * costs one comparison. Inside, the stored raw packets of its minute are
 * loaded once (one query per minute) into an exact key table, and whether an
 * overlapped ingest still has its raw packets is asked once per ingest.
 */

import type { AnalyticsStore } from '../store/index.js';
import type { TzClock } from '../util/tz.js';
import { segmentIndexOf } from '../util/segments.js';
import type { OverlappedIngest } from './errors.js';
import { PACKET_KEY_WORDS, packetKeyOfRow, STORED_KEY_COLUMNS, type StoredPacketRow } from './packet-identity.js';
import { WordKeyTable } from './word-key-table.js';

/** Stored packets are loaded and compared a minute at a time. */
export const CHUNK_SECONDS = 60;

/** An earlier ingest of the sensor and, once asked, whether its raw packets are all still stored. */
export interface CoveringIngest extends OverlappedIngest {
  /** Packets it counted, which its raw rows must number to be complete. */
  readonly packetsCounted: number;
  retained: boolean | undefined;
}

export class StoredPackets {
  private readonly store: AnalyticsStore;
  private readonly sensorId: number;
  private readonly clock: TzClock;
  /** Segment k is `[starts[k], ends[k])` in whole seconds, covered by `covering[k]` (sorted, disjoint). */
  private readonly starts: Float64Array;
  private readonly ends: Float64Array;
  private readonly covering: readonly (readonly CoveringIngest[])[];
  private last = 0;
  private readonly key = new Uint32Array(PACKET_KEY_WORDS);
  /** Every ingest this check compares against: the store's commit refuses if another one committed meanwhile overlaps. */
  readonly ingestIds: readonly number[];

  private constructor(store: AnalyticsStore, sensorId: number, clock: TzClock, ingests: readonly CoveringIngest[]) {
    this.ingestIds = ingests.map((x) => x.id);
    this.store = store;
    this.sensorId = sensorId;
    this.clock = clock;
    const bounds = [...new Set(ingests.flatMap((x) => [x.firstSec, x.lastSec + 1]))].sort((a, b) => a - b);
    const starts: number[] = [];
    const ends: number[] = [];
    const covering: CoveringIngest[][] = [];
    for (let k = 0; k + 1 < bounds.length; k++) {
      const from = bounds[k]!;
      const to = bounds[k + 1]!;
      const over = ingests.filter((x) => x.firstSec <= from && x.lastSec + 1 >= to);
      if (over.length === 0) continue;
      starts.push(from);
      ends.push(to);
      covering.push(over);
    }
    this.starts = Float64Array.from(starts);
    this.ends = Float64Array.from(ends);
    this.covering = covering;
  }

  /** The committed ingests of `sensorId` that counted packets, as segments of time. */
  static async open(store: AnalyticsStore, options: { sensorId: number; clock: TzClock }): Promise<StoredPackets> {
    const ingests = (await store.listIngests(options.sensorId))
      .filter((r) => r.packetsCounted > 0)
      .map((r): CoveringIngest => ({
        id: r.id,
        fileName: r.fileName,
        firstSec: r.firstSec,
        lastSec: r.lastSec,
        packetsCounted: r.packetsCounted,
        retained: r.rawPackets === r.packetsCounted ? undefined : false,
      }));
    return new StoredPackets(store, options.sensorId, options.clock, ingests);
  }

  /** True when no earlier ingest counted a packet: nothing can overlap. */
  get empty(): boolean {
    return this.starts.length === 0;
  }

  /** Earlier ingests covering whole second `sec`, or undefined; time-ordered calls cost a comparison. */
  coveringAt(sec: number): readonly CoveringIngest[] | undefined {
    const found = segmentIndexOf(this.starts, this.ends, sec, this.last);
    if (found < 0) return undefined;
    this.last = found;
    return this.covering[found];
  }

  /**
   * Whether every raw packet `ingest` counted is still stored (retention on
   * when it was ingested, not pruned since). Asked once per ingest.
   */
  async retained(ingest: CoveringIngest): Promise<boolean> {
    if (ingest.retained !== undefined) return ingest.retained;
    const [row] = await this.store.query<{ n: number }>({
      sql: `SELECT COUNT(*) AS n FROM packets WHERE sensor_id = ? AND ingest_id = ? AND local_day >= ? AND local_day <= ?
        AND ts_sec >= ? AND ts_sec <= ?`,
      params: [
        this.sensorId, ingest.id, this.clock.localDay(ingest.firstSec), this.clock.localDay(ingest.lastSec),
        ingest.firstSec, ingest.lastSec,
      ],
    });
    ingest.retained = (row?.n ?? 0) === ingest.packetsCounted;
    return ingest.retained;
  }

  /** Keys of every stored packet of the sensor in chunk `chunk` (`[chunk, chunk + 1) × CHUNK_SECONDS`). */
  async loadChunk(chunk: number): Promise<WordKeyTable> {
    const from = chunk * CHUNK_SECONDS;
    const to = from + CHUNK_SECONDS;
    const rows = await this.store.query<StoredPacketRow>({
      sql: `SELECT ${STORED_KEY_COLUMNS} FROM packets WHERE sensor_id = ? AND local_day >= ? AND local_day <= ?
        AND ts_sec >= ? AND ts_sec < ?`,
      params: [this.sensorId, this.clock.localDay(from), this.clock.localDay(to - 1), from, to],
    });
    const table = new WordKeyTable(PACKET_KEY_WORDS, rows.length);
    for (const row of rows) {
      packetKeyOfRow(row, this.key);
      table.insert(this.key);
    }
    return table;
  }
}
