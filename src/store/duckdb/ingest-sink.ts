/**
 * @module
 * One capture's rows into DuckDB: a connection of its own, one transaction,
 * one Appender per table. `commit` flushes the appenders, appends the
 * `ingests` row and commits; anything failing before that rolls the whole
 * transaction back, so a failure mid-file leaves nothing of the file. DuckDB
 * also enforces UNIQUE (sensor_id, sha256) at commit, which catches two
 * processes ingesting the same capture at once.
 */

import type { DuckDBAppender, DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { StoreQueryError } from '../errors.js';
import type { ColumnBlock, IngestSink } from '../sql-session.js';
import { appendBlock, DUCKDB_CHUNK_ROWS, duckDbRun } from './driver.js';

export class DuckDbIngestSink implements IngestSink {
  readonly blockRows = DUCKDB_CHUNK_ROWS;
  private readonly connection: DuckDBConnection;
  private readonly appenders = new Map<string, DuckDBAppender>();
  private open = true;
  private readonly onFinish: () => void;

  private constructor(connection: DuckDBConnection, onFinish: () => void) {
    this.connection = connection;
    this.onFinish = onFinish;
  }

  /** Begins the transaction; `onFinish` is called once it is committed or rolled back and its connection closed. */
  static async open(instance: DuckDBInstance, onFinish: () => void = () => undefined): Promise<DuckDbIngestSink> {
    const connection = await instance.connect();
    try {
      await duckDbRun(connection, { sql: 'BEGIN TRANSACTION', params: [] });
    } catch (error) {
      connection.closeSync();
      throw error;
    }
    return new DuckDbIngestSink(connection, onFinish);
  }

  async append(block: ColumnBlock): Promise<void> {
    const name = block.table.name;
    let appender = this.appenders.get(name);
    try {
      if (appender === undefined) {
        appender = await this.connection.createAppender(name);
        this.appenders.set(name, appender);
      }
      appendBlock(appender, block);
      // An appender buffers ~200k rows before it hands them to the
      // transaction, in memory the budget does not see: nine tables' worth
      // was ~100 MiB of a streamed ingest's RSS.
      appender.flushSync();
    } catch (cause) {
      throw new StoreQueryError(`APPEND ${name}`, [], { cause });
    }
  }

  async commit(ingestRow: ColumnBlock): Promise<void> {
    try {
      this.closeAppenders();
    } catch (cause) {
      throw new StoreQueryError('APPEND (flush)', [], { cause });
    }
    await this.append(ingestRow);
    try {
      this.closeAppenders();
    } catch (cause) {
      throw new StoreQueryError(`APPEND ${ingestRow.table.name}`, [], { cause });
    }
    await duckDbRun(this.connection, { sql: 'COMMIT', params: [] });
    this.finish();
  }

  async rollback(): Promise<void> {
    if (!this.open) return;
    for (const appender of this.appenders.values()) appender.clear();
    try {
      this.closeAppenders();
    } catch {
      // The rows are discarded by the rollback below in any case.
    }
    await duckDbRun(this.connection, { sql: 'ROLLBACK', params: [] }).catch(() => undefined);
    this.finish();
  }

  private closeAppenders(): void {
    const appenders = [...this.appenders.values()];
    this.appenders.clear();
    for (const appender of appenders) appender.closeSync();
  }

  private finish(): void {
    this.open = false;
    this.connection.closeSync();
    this.onFinish();
  }
}
