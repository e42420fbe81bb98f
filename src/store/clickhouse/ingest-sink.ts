/**
 * @module
 * One capture's rows into ClickHouse. Blocks are inserted as they fill, each
 * row tagged with the ingest id; they stay invisible (the views keep only
 * ingests listed in `ingests`) until `commit` inserts the `ingests` row, a
 * single-row insert that is atomic on the server. `rollback` deletes the
 * tagged rows; if that fails too (server gone), the rows stay invisible and
 * only take space, so a failed ingest never changes any statistic.
 */

import { INGEST_TABLES } from '../schema.js';
import type { ColumnBlock, IngestSink } from '../sql-session.js';
import type { ClickHouseDriver } from './driver.js';

/** Rows per insert: large inserts make few parts, which MergeTree prefers. */
export const CLICKHOUSE_BLOCK_ROWS = 50_000;

export class ClickHouseIngestSink implements IngestSink {
  readonly blockRows = CLICKHOUSE_BLOCK_ROWS;
  private readonly driver: ClickHouseDriver;
  private readonly ingestId: number;
  private readonly touched = new Set<string>();
  private open = true;

  constructor(driver: ClickHouseDriver, ingestId: number) {
    this.driver = driver;
    this.ingestId = ingestId;
  }

  async append(block: ColumnBlock): Promise<void> {
    this.touched.add(block.table.name);
    await this.driver.insert(block);
  }

  async commit(ingestRow: ColumnBlock): Promise<void> {
    await this.driver.insert(ingestRow);
    this.open = false;
  }

  async rollback(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    for (const table of INGEST_TABLES) {
      if (!this.touched.has(table.name)) continue;
      try {
        await this.driver.deleteWhere(table.name, { sql: 'ingest_id = ?', params: [this.ingestId] });
      } catch {
        // Best effort: the rows are invisible without their ingests row (module comment).
      }
    }
  }
}
