/**
 * @module
 * `DuckDbSession`: the `SqlSession` over one DuckDB connection. Statements on
 * a connection run one at a time (a queue), transactions get a connection of
 * their own so queries from elsewhere never run inside them, and an ingest
 * gets its own connection and transaction (`ingest-sink.ts`).
 */

import { statSync } from 'node:fs';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { ColumnBlock, IdKind, IngestSink, SqlSession } from '../sql-session.js';
import type { TableDef } from '../schema.js';
import type { SqlQuery } from '../store.js';
import { duckDbDdl, DUCKDB_SEQUENCES } from './ddl.js';
import { appendBlock, duckDbAll, duckDbRun } from './driver.js';
import { DuckDbIngestSink } from './ingest-sink.js';
import { MemoryLimit } from './memory-limit.js';
import { StoreQueryError } from '../errors.js';

/**
 * WAL size from which closing checkpoints. The next open replays the whole
 * WAL, ~1 ms of CPU per KiB here, and a checkpoint of a small change costs
 * ~50 ms: never checkpointing made every open slower by ~3 ms per earlier
 * small ingest (until DuckDB's own 16 MiB threshold), always checkpointing
 * cost each ingest ~50 ms. The sum is least near √(2 × 50 ms × 3 KiB ÷
 * 1 ms/KiB) ≈ 18 KiB and flat around it; 32 KiB (about nine one-packet
 * ingests) checkpoints less often for larger segments at ~10 ms per ingest.
 */
const CHECKPOINT_WAL_BYTES = 32 * 1024;

/**
 * Work on a database instance's other connections (transactions, ingest
 * sinks): closing the instance under one of them frees memory a DuckDB
 * thread is still using (seen as glibc heap corruption in a collector test),
 * so the owner's `close()` waits for them.
 */
class Activity {
  private active = 0;
  private idle: Array<() => void> = [];

  begin(): () => void {
    this.active++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      if (--this.active === 0) for (const wake of this.idle.splice(0)) wake();
    };
  }

  settled(): Promise<void> {
    return this.active === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
  }
}

/** Tails of the `exclusive` queues, per database instance and lock name. */
const LOCKS = new WeakMap<DuckDBInstance, Map<string, Promise<unknown>>>();

export class DuckDbSession implements SqlSession {
  readonly kind = 'duckdb' as const;
  private readonly instance: DuckDBInstance;
  private readonly connection: DuckDBConnection;
  /** True for the session of a transaction: nested transactions join it. */
  private readonly inTransaction: boolean;
  private tail: Promise<unknown> = Promise.resolve();

  /** The database file's write-ahead log (none for `:memory:` and transactions' sessions). */
  private readonly walPath: string | undefined;
  private readonly activity: Activity;
  /** The instance's `memory_limit` while ingests run, when the store was opened with a share (`memory-limit.ts`). */
  private readonly memoryLimit: MemoryLimit | undefined;
  private closed = false;
  private readonly onClosed: () => void;

  constructor(
    instance: DuckDBInstance,
    connection: DuckDBConnection,
    options: {
      inTransaction?: boolean;
      walPath?: string;
      activity?: Activity;
      memoryShareBytes?: number;
      /** Called once the instance is closed (the owner's session only). */
      onClosed?: () => void;
    } = {},
  ) {
    this.activity = options.activity ?? new Activity();
    this.instance = instance;
    this.connection = connection;
    this.inTransaction = options.inTransaction ?? false;
    this.walPath = options.walPath;
    this.onClosed = options.onClosed ?? (() => undefined);
    const share = options.memoryShareBytes;
    this.memoryLimit =
      share === undefined
        ? undefined
        : new MemoryLimit(share, (setting) => this.run({ sql: `SET memory_limit = '${setting}'`, params: [] }));
  }

  async createSchema(): Promise<void> {
    // One script: each statement run alone is a trip to DuckDB's threads and
    // back, and while the main thread loads GeoIP and the rules as the store
    // opens (`cli/store-target.ts`), each of the 35 trips waited for it.
    await this.run({ sql: duckDbDdl().join(';\n'), params: [] });
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

  dropTable(name: string): Promise<void> {
    return this.run({ sql: `DROP TABLE IF EXISTS ${name}`, params: [] });
  }

  dropView(name: string): Promise<void> {
    return this.run({ sql: `DROP VIEW IF EXISTS ${name}`, params: [] });
  }

  async transaction<T>(fn: (session: SqlSession) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    const ended = this.activity.begin();
    let connection: DuckDBConnection;
    try {
      connection = await this.instance.connect();
    } catch (error) {
      ended();
      throw error;
    }
    const tx = new DuckDbSession(this.instance, connection, { inTransaction: true, activity: this.activity });
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
      ended();
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
    const ended = this.activity.begin();
    try {
      if (this.memoryLimit === undefined) return await DuckDbIngestSink.open(this.instance, ended);
      return this.memoryLimit.watch(await DuckDbIngestSink.open(this.instance), ended);
    } catch (error) {
      ended();
      throw error;
    }
  }

  async close(): Promise<void> {
    // Closing twice is harmless, as it was before the PRAGMA below needed an open connection.
    if (this.closed) return;
    this.closed = true;
    await this.tail.catch(() => undefined);
    if (this.inTransaction) {
      this.connection.closeSync();
      return;
    }
    try {
      await this.activity.settled();
      if (this.walBytes() >= CHECKPOINT_WAL_BYTES) await this.checkpoint();
      // Closing would otherwise checkpoint every time (see CHECKPOINT_WAL_BYTES).
      await this.connection.run('PRAGMA disable_checkpoint_on_shutdown');
    } finally {
      this.connection.closeSync();
      this.instance.closeSync();
      this.onClosed();
    }
  }

  private walBytes(): number {
    return this.walPath === undefined ? 0 : (statSync(this.walPath, { throwIfNoEntry: false })?.size ?? 0);
  }

  private async checkpoint(): Promise<void> {
    try {
      await this.connection.run('CHECKPOINT');
    } catch {
      // Another connection's open transaction makes DuckDB refuse; the WAL
      // is durable and the next close checkpoints it instead.
    }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn);
    this.tail = run.catch(() => undefined);
    return run;
  }
}
