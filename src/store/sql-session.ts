/**
 * @module
 * The seam between the shared store logic (`sql-store.ts`, the sensor
 * registry, the ingest writer) and a database backend. A backend supplies a
 * `SqlSession`: run portable SQL with `?` parameters, insert column blocks,
 * delete, allocate ids, and open an `IngestSink` that makes one capture's rows
 * visible all at once.
 */

import type { ListValues } from './list-column.js';
import type { TableDef } from './schema.js';
import type { SqlQuery, StoreKind } from './store.js';

/**
 * Rows of one table as columns, in `table.columns` order, values already
 * validated: numbers in a `Float64Array` (exact for every integer type of the
 * schema), text in a string array, a list column's items flat in `ListValues`.
 */
export interface ColumnBlock {
  readonly table: TableDef;
  readonly columns: readonly (ArrayLike<unknown> | ListValues)[];
  readonly rowCount: number;
}

export type IdKind = 'sensor' | 'ingest';

/** A table's retention as the server would enforce it: rows expire `days` after the time `ttlTime` gives. */
export interface TtlRule {
  readonly table: TableDef;
  /** A ClickHouse Date or DateTime expression over the table's columns. */
  readonly ttlTime: string;
  readonly days: number;
}

export interface SqlSession {
  readonly kind: StoreKind;
  /** Creates the tables and views of `schema.ts` when missing. */
  createSchema(): Promise<void>;
  /** Rows as plain objects; 64-bit integers as numbers. */
  all<T>(query: SqlQuery): Promise<T[]>;
  run(query: SqlQuery): Promise<void>;
  insert(block: ColumnBlock): Promise<void>;
  /** Deletes matching rows and returns when they are gone (ClickHouse waits for the mutation). */
  deleteWhere(table: TableDef, where: SqlQuery): Promise<void>;
  /**
   * Drops a table of an older schema if it exists: on a cluster from every
   * node, with the `_local` table behind it, so no node keeps serving it.
   */
  dropTable(name: string): Promise<void>;
  /** Drops a view if it exists (on a cluster from every node), for `createSchema` to make it anew. */
  dropView(name: string): Promise<void>;
  /** DuckDB: one transaction on its own connection; ClickHouse: runs `fn` as is. */
  transaction<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  nextId(kind: IdKind): Promise<number>;
  /**
   * Runs `fn` holding the lock `name` (`[a-z0-9_]+`) of this store: no other
   * process or session of the store holds the same lock meanwhile. DuckDB
   * (one process per file): a queue per name in this process; ClickHouse: a
   * lock table (`clickhouse/commit-lock.ts`), on a cluster on every node.
   */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Sets `rules` as the tables' TTLs when the server expires rows itself
   * (ClickHouse 19.6 and later) and returns true; returns false when it
   * cannot (DuckDB, ClickHouse 18.16). `null` only asks.
   */
  expiresRows(rules: readonly TtlRule[] | null): Promise<boolean>;
  /** A sink for the rows of ingest `ingestId` (from `nextId('ingest')`). */
  openIngest(ingestId: number): Promise<IngestSink>;
  close(): Promise<void>;
}

/** One capture's rows on their way in. */
export interface IngestSink {
  /** Rows the writer collects per table before calling `append`. */
  readonly blockRows: number;
  /** Writes `block`'s rows; once it resolves, the block is not read again (the writer reuses its arrays). */
  append(block: ColumnBlock): Promise<void>;
  /** Writes the `ingests` row last; from then on the rows are visible. */
  commit(ingestRow: ColumnBlock): Promise<void>;
  /** Discards everything appended; idempotent. */
  rollback(): Promise<void>;
}
