/**
 * @module
 * `StoredPackets`: what the store already holds for a sensor, for the
 * overlap rule of `duplicate-filter.ts`. At the start of an ingest it reads
 * the time span (`first_sec`..`last_sec`) of every committed ingest of the
 * sensor and splits the time line into segments, each with the ingests that
 * cover it. A packet outside every segment cannot duplicate a stored one and
 * costs one comparison. Inside, the stored raw packets of a window of time
 * from its minute on are loaded once into an exact key table, and whether an
 * overlapped ingest still has its raw packets is asked once per ingest.
 *
 * Windows, not minutes: one query per minute made the check cost a round
 * trip per minute of overlap (on ClickHouse 19.6 s for a re-framed copy of an
 * 85,000-packet day-long capture that ingests in 4.2 s). A window starts at
 * one minute and grows (at most 16× per load) toward `WINDOW_ROWS` stored
 * packets, shrinking again where they are denser, and never reaches past the
 * time the earlier ingests cover. So the overlapped range is read in one
 * pass of a few queries, holding at most about `WINDOW_ROWS` keys per window.
 */

import type { AnalyticsStore, SqlQuery } from '../store/index.js';
import type { TzClock } from '../util/tz.js';
import { segmentIndexOf } from '../util/segments.js';
import type { OverlappedIngest } from './errors.js';
import { PACKET_KEY_WORDS, packetKeyOfRow, STORED_KEY_COLUMNS, type StoredPacketRow } from './packet-identity.js';
import { WordKeyTable } from '../util/word-key-table.js';

/** Windows of stored packets start at whole minutes and span at least one. */
export const CHUNK_SECONDS = 60;
/** Stored packets a window aims to hold. */
export const WINDOW_ROWS = 1 << 18;
/** Most a window's span grows from one load to the next. */
const MAX_GROWTH = 16;

/** Keys of every stored packet of the sensor in `[from, to)` (whole seconds). */
export interface LoadedWindow {
  readonly from: number;
  readonly to: number;
  readonly table: WordKeyTable;
}

/** An earlier ingest of the sensor and, once asked, whether its raw packets are all still stored. */
export interface CoveringIngest extends OverlappedIngest {
  /** Packets it counted, which its raw rows must number to be complete. */
  readonly packetsCounted: number;
  retained: boolean | undefined;
  /**
   * First and last of its raw packets to the nanosecond, once read
   * (`exactSpans`): `first_sec`/`last_sec` are whole seconds, and a capture
   * that starts later in the second another one ended in need not read it back.
   */
  span?: { firstSec: number; firstNsec: number; lastSec: number; lastNsec: number };
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
  /** Seconds the next window spans (adapted after each load). */
  private span = CHUNK_SECONDS;
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
    const rows = this.rowsOf(ingest);
    const [row] = await this.store.query<{ n: number }>({
      sql: `SELECT COUNT(*) AS n ${rows.sql}`,
      params: rows.params,
    });
    ingest.retained = (row?.n ?? 0) === ingest.packetsCounted;
    return ingest.retained;
  }

  /** Reads the exact spans of the retained ingests in `covering` that lack one (two small queries each, once per ingest). */
  async exactSpans(covering: readonly CoveringIngest[]): Promise<void> {
    for (const ingest of covering) {
      if (ingest.span !== undefined || ingest.retained !== true) continue;
      const rows = this.rowsOf(ingest);
      const edge = async (order: 'ASC' | 'DESC'): Promise<{ ts_sec: number; ts_nsec: number } | undefined> => {
        const sql = `SELECT ts_sec, ts_nsec ${rows.sql} ORDER BY ts_sec ${order}, ts_nsec ${order} LIMIT 1`;
        return (await this.store.query<{ ts_sec: number; ts_nsec: number }>({ sql, params: rows.params }))[0];
      };
      const first = await edge('ASC');
      const last = await edge('DESC');
      if (first === undefined || last === undefined) continue;
      ingest.span = {
        firstSec: Number(first.ts_sec),
        firstNsec: Number(first.ts_nsec),
        lastSec: Number(last.ts_sec),
        lastNsec: Number(last.ts_nsec),
      };
    }
  }

  /** `FROM packets WHERE …`: the raw packets `ingest` stored, its days and seconds given so the store can skip the rest. */
  private rowsOf(ingest: CoveringIngest): SqlQuery {
    return {
      sql: `FROM packets WHERE sensor_id = ? AND ingest_id = ? AND local_day >= ? AND local_day <= ?
        AND ts_sec >= ? AND ts_sec <= ?`,
      params: [
        this.sensorId,
        ingest.id,
        this.clock.localDay(ingest.firstSec),
        this.clock.localDay(ingest.lastSec),
        ingest.firstSec,
        ingest.lastSec,
      ],
    };
  }

  /**
   * Keys of every stored packet of the sensor in a window from the minute of
   * `sec` (which an earlier ingest covers) on: see the module comment.
   */
  async loadWindow(sec: number): Promise<LoadedWindow> {
    const from = Math.floor(sec / CHUNK_SECONDS) * CHUNK_SECONDS;
    const to = Math.max(from + CHUNK_SECONDS, Math.min(from + this.span, this.coveredUntil(sec)));
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
    const span = to - from;
    const wanted = rows.length === 0 ? span * MAX_GROWTH : (span * WINDOW_ROWS) / rows.length;
    this.span = Math.max(CHUNK_SECONDS, Math.ceil(Math.min(wanted, span * MAX_GROWTH) / CHUNK_SECONDS) * CHUNK_SECONDS);
    return { from, to, table };
  }

  /** End of the run of adjacent covered segments holding `sec`. */
  private coveredUntil(sec: number): number {
    let k = segmentIndexOf(this.starts, this.ends, sec, this.last);
    if (k < 0) return sec + 1;
    while (k + 1 < this.starts.length && this.starts[k + 1] === this.ends[k]) k++;
    return this.ends[k]!;
  }
}
