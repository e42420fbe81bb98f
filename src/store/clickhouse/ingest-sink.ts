/**
 * @module
 * One capture's rows into ClickHouse. Blocks are inserted as they fill, each
 * row tagged with the ingest id; they stay invisible (the views keep only
 * ingests listed in `ingests`) until `commit` inserts the `ingests` row, a
 * single-row insert that is atomic on the server. `rollback` deletes the
 * tagged rows; if that fails too (server gone), the rows stay invisible and
 * only take space, so a failed ingest never changes any statistic.
 *
 * On a cluster (`ClusterHooks`), the commit first waits until every replica
 * holds all appended rows; and once the `ingests` row was sent, a failure
 * keeps the rows: the row may have landed on a replica that answered too
 * late, and rows kept for an uncommitted ingest are merely invisible.
 */

import { INGEST_TABLES, type TableDef } from '../schema.js';
import type { ColumnBlock, IngestSink } from '../sql-session.js';
import type { SqlQuery } from '../store.js';
import type { ClickHouseDriver } from './driver.js';

/** Rows per insert: large inserts make few parts, which MergeTree prefers. */
export const CLICKHOUSE_BLOCK_ROWS = 50_000;

export interface IngestSinkHooks {
  /** Deletes the rolled-back rows (on a cluster without waiting for nodes that are down). */
  discard(table: TableDef, where: SqlQuery): Promise<void>;
  /** Cluster only: resolves once every replica holds these rows (count per table name). */
  awaitReplicated?(rows: ReadonlyMap<string, number>): Promise<void>;
}

export class ClickHouseIngestSink implements IngestSink {
  readonly blockRows = CLICKHOUSE_BLOCK_ROWS;
  private readonly driver: ClickHouseDriver;
  private readonly ingestId: number;
  private readonly hooks: IngestSinkHooks;
  private readonly rows = new Map<string, number>();
  private open = true;

  constructor(driver: ClickHouseDriver, ingestId: number, hooks: IngestSinkHooks) {
    this.driver = driver;
    this.ingestId = ingestId;
    this.hooks = hooks;
  }

  async append(block: ColumnBlock): Promise<void> {
    this.rows.set(block.table.name, (this.rows.get(block.table.name) ?? 0) + block.rowCount);
    await this.driver.insert(block);
  }

  async commit(ingestRow: ColumnBlock): Promise<void> {
    if (this.hooks.awaitReplicated !== undefined) {
      await this.hooks.awaitReplicated(this.rows);
      this.open = false;
    }
    await this.driver.insert(ingestRow);
    this.open = false;
  }

  async rollback(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    for (const table of INGEST_TABLES) {
      if (!this.rows.has(table.name)) continue;
      try {
        await this.hooks.discard(table, { sql: 'ingest_id = ?', params: [this.ingestId] });
      } catch {
        // Best effort: the rows are invisible without their ingests row (module comment).
      }
    }
  }
}
