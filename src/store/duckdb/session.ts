/**
 * @module
 * `DuckDbSession`: the `SqlSession` over one DuckDB connection. Statements on
 * a connection run one at a time (a queue), transactions get a connection of
 * their own so queries from elsewhere never run inside them, and an ingest
 * gets its own connection and transaction (`ingest-sink.ts`).
 */

import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { ColumnBlock, IdKind, IngestSink, SqlSession } from '../sql-session.js';
import type { TableDef } from '../schema.js';
import type { SqlQuery } from '../store.js';
import { duckDbDdl, DUCKDB_SEQUENCES } from './ddl.js';
import { appendBlock, duckDbAll, duckDbRun } from './driver.js';
import { DuckDbIngestSink } from './ingest-sink.js';
import { StoreQueryError } from '../errors.js';

/** Tails of the `exclusive` queues, per database instance and lock name. */
const LOCKS = new WeakMap<DuckDBInstance, Map<string, Promise<unknown>>>();

export class DuckDbSession implements SqlSession {
  readonly kind = 'duckdb' as const;
  private readonly instance: DuckDBInstance;
  private readonly connection: DuckDBConnection;
  /** True for the session of a transaction: nested transactions join it. */
  private readonly inTransaction: boolean;
  private tail: Promise<unknown> = Promise.resolve();

  private closed = false;

  constructor(instance: DuckDBInstance, connection: DuckDBConnection, inTransaction = false) {
    this.instance = instance;
    this.connection = connection;
    this.inTransaction = inTransaction;
  }

  async createSchema(): Promise<void> {
    for (const sql of duckDbDdl()) await this.run({ sql, params: [] });
  }

  all<T>(query: SqlQuery): Promise<T[]> {
    return this.serial(() => duckDbAll<T>(this.connection, query));
  }

  run(query: SqlQuery): Promise<void> {
    return this.serial(() => duckDbRun(this.connection, query));
  }

  insert(block: ColumnBlock): Promise<void> {
    return this.serial(async () => {
      if (block.rowCount === 0) return;
      const appender = await this.connection.createAppender(block.table.name);
      try {
        appendBlock(appender, block);
      } catch (cause) {
        throw new StoreQueryError(`APPEND ${block.table.name}`, [], { cause });
      } finally {
        appender.closeSync();
      }
    });
  }

  deleteWhere(table: TableDef, where: SqlQuery): Promise<void> {
    return this.run({ sql: `DELETE FROM ${table.name} WHERE ${where.sql}`, params: where.params });
  }

  async transaction<T>(fn: (session: SqlSession) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    const connection = await this.instance.connect();
    const tx = new DuckDbSession(this.instance, connection, true);
    try {
      await tx.run({ sql: 'BEGIN TRANSACTION', params: [] });
      try {
        const result = await fn(tx);
        await tx.run({ sql: 'COMMIT', params: [] });
        return result;
      } catch (error) {
        await tx.run({ sql: 'ROLLBACK', params: [] }).catch(() => undefined);
        throw error;
      }
    } finally {
      connection.closeSync();
    }
  }

  async nextId(kind: IdKind): Promise<number> {
    const [row] = await this.all<{ id: number }>({
      sql: `SELECT nextval('${DUCKDB_SEQUENCES[kind]}') AS id`,
      params: [],
    });
    return row!.id;
  }

  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T> {
    // Other processes cannot open the file while this one has it (`index.ts`): a queue in this process suffices.
    let locks = LOCKS.get(this.instance);
    if (locks === undefined) LOCKS.set(this.instance, (locks = new Map()));
    const queue = locks;
    const run = (queue.get(name) ?? Promise.resolve()).then(fn);
    const tail = run.catch(() => undefined);
    queue.set(name, tail);
    void tail.then(() => {
      if (queue.get(name) === tail) queue.delete(name);
    });
    return run;
  }

  /** DuckDB has no TTLs: `teiten retention` removes old rows. */
  async expiresRows(): Promise<boolean> {
    return false;
  }

  async openIngest(_ingestId: number): Promise<IngestSink> {
    return DuckDbIngestSink.open(this.instance);
  }

  async close(): Promise<void> {
    // Closing twice is harmless, as it was before the PRAGMA below needed an open connection.
    if (this.closed) return;
    this.closed = true;
    await this.tail.catch(() => undefined);
    // A checkpoint on every close cost a one-segment ingest ~50–100 ms of its
    // ~0.5 s; the WAL is durable, is replayed by the next open, and DuckDB
    // still checkpoints once it passes `wal_autocheckpoint` (16 MiB).
    if (!this.inTransaction) await this.connection.run('PRAGMA disable_checkpoint_on_shutdown');
    this.connection.closeSync();
    if (!this.inTransaction) this.instance.closeSync();
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn);
    this.tail = run.catch(() => undefined);
    return run;
  }
}
