/**
 * @module
 * DuckDB's `memory_limit` for a store opened with `memoryLimitBytes` (an
 * ingest's share of its memory budget), and the floor DuckDB needs above it.
 *
 * Once a table's last segments are on disk (after any checkpoint), DuckDB
 * 1.5 starts the next append to it, even of one row, with a fresh in-memory
 * segment of a whole block (256 KiB) per column segment: data and validity,
 * and for a list column its items' data and validity too. Replaying the WAL
 * at open does the same. A one-packet ingest therefore holds ~47 MiB of such
 * blocks, nearly all untouched pages, so they cost no RSS but count against
 * the limit: with the 48 MiB share DuckDB kept writing them to its temporary
 * directory and reading them back (1,300 writes in one call), each replayed
 * ingest of the WAL adding to it, and a one-packet ingest slowed from 0.6 to
 * 0.9 s over nine calls (docs/benchmark-log.md, start-up).
 *
 * So the store opens with the share plus that floor, for every table of the
 * schema. The floor only pays for near-empty blocks while an ingest's rows
 * are few: once the rows an ingest has appended could fill the share, the
 * limit drops to the share, as before, and returns to it plus the floor when
 * the ingest commits or rolls back.
 */

import type { ColumnDef } from '../schema.js';
import { TABLES } from '../schema.js';
import type { ColumnBlock, IngestSink } from '../sql-session.js';
import type { ListValues } from '../list-column.js';

/** DuckDB's block size, which every teiten store file has (DuckDB's default). */
const BLOCK_BYTES = 256 * 1024;
/** DuckDB's bytes per value of any column type here: 8 for the widest number, a 16-byte string header. */
const VALUE_BYTES = 16;
const LIST_ITEM_BYTES = 8;
const KIB = 1024;

/** Column segments DuckDB appends to for `column`: data and validity, and a list's items' data and validity. */
function segments(column: ColumnDef): number {
  return column.list === true ? 4 : 2;
}

/** Bytes of the near-empty blocks DuckDB holds while appending a row to every table of the schema. */
const APPEND_FLOOR_BYTES = TABLES.reduce(
  (sum, table) => sum + table.columns.reduce((s, c) => s + segments(c) * BLOCK_BYTES, 0),
  0,
);

/** The limit for a store whose share is `shareBytes` while no ingest's rows could fill it. */
export function roomyLimitBytes(shareBytes: number): number {
  return shareBytes + APPEND_FLOOR_BYTES;
}

/** DuckDB's `memory_limit` value for `bytes` (whole KiB, at least 1). */
export function memoryLimitSetting(bytes: number): string {
  return `${Math.max(1, Math.floor(bytes / KIB))}KiB`;
}

/** An upper bound on what `block`'s rows take in DuckDB's column segments. */
function blockBytes(block: ColumnBlock): number {
  let bytes = 0;
  block.table.columns.forEach((column, c) => {
    bytes += block.rowCount * VALUE_BYTES;
    if (column.list === true) bytes += (block.columns[c] as ListValues).values.length * LIST_ITEM_BYTES;
  });
  return bytes;
}

/**
 * The limit of one database instance, opened with `roomyLimitBytes`:
 * `shareBytes` while the rows of any of its ingests could fill it. `set`
 * applies a limit to the instance.
 */
export class MemoryLimit {
  readonly shareBytes: number;
  private readonly set: (setting: string) => Promise<void>;
  /** Ingests whose rows could fill the share (a collector may run several). */
  private large = 0;

  constructor(shareBytes: number, set: (setting: string) => Promise<void>) {
    this.shareBytes = shareBytes;
    this.set = set;
  }

  /**
   * `sink`, lowering the limit to the share once its rows could fill it.
   * `onFinish` is called once the sink is committed or rolled back and the
   * limit restored (the store's close waits for it, so the restore never
   * meets a closed connection).
   */
  watch(sink: IngestSink, onFinish: () => void): IngestSink {
    let appended = 0;
    let lowered = false;
    const finish = async (): Promise<void> => {
      try {
        if (lowered) {
          lowered = false;
          if (--this.large === 0) await this.set(memoryLimitSetting(roomyLimitBytes(this.shareBytes)));
        }
      } finally {
        onFinish();
      }
    };
    return {
      blockRows: sink.blockRows,
      append: async (block) => {
        if (!lowered) {
          appended += blockBytes(block);
          if (appended >= this.shareBytes) {
            lowered = true;
            if (this.large++ === 0) await this.set(memoryLimitSetting(this.shareBytes));
          }
        }
        await sink.append(block);
      },
      commit: async (ingestRow) => {
        await sink.commit(ingestRow);
        await finish();
      },
      rollback: async () => {
        await sink.rollback();
        await finish();
      },
    };
  }
}
