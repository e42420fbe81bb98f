/**
 * @module
 * A store as a migration test needs it, on DuckDB or ClickHouse: statements
 * run on it without migrating, and rows inserted into a table of an older
 * schema, so the test can rebuild that schema's tables and then let
 * `openStore` upgrade them.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@clickhouse/client';
import { it } from 'vitest';
import { openStore, type AnalyticsStore } from '../index.js';
import { tableExists } from '../table-exists.js';
import { clickHouseTestDb } from './clickhouse-test-db.js';

export interface OldSchemaBackend {
  kind: 'duckdb' | 'clickhouse';
  /** What `openStore` opens. */
  target: string;
  /** Runs a statement with no result. */
  run(sql: string): Promise<void>;
  /** Inserts rows (objects keyed by column name) into the old table. */
  insertOld(rows: Record<string, unknown>[]): Promise<void>;
}

/** An old table's name and columns (comma-separated, as in its DDL). */
export interface OldTable {
  name: string;
  columns: string;
}

/** An older schema as a test rebuilds it over a store of today's. */
export interface OldSchema {
  version: number;
  /** Today's views and tables it did not have, dropped first. */
  views: readonly string[];
  tables: readonly string[];
  /** Its table's DDL per backend, then its view. */
  ddl: Readonly<Record<OldSchemaBackend['kind'], string>>;
  view: string;
}

/**
 * Turns the store at `backend` back into `schema`: drops today's views and
 * tables, creates the old ones, inserts `rows` into the old table and
 * records the old version, for the next `openStore` to upgrade.
 */
export async function rewindTo(
  backend: OldSchemaBackend,
  schema: OldSchema,
  rows: Record<string, unknown>[],
): Promise<void> {
  // A ClickHouse view is dropped as a table.
  const dropView = backend.kind === 'duckdb' ? 'DROP VIEW' : 'DROP TABLE';
  const statements = [
    ...schema.views.map((v) => `${dropView} ${v}`),
    ...schema.tables.map((t) => `DROP TABLE ${t}`),
    schema.ddl[backend.kind],
    schema.view,
  ];
  for (const sql of statements) await backend.run(sql);
  await backend.insertOld(rows);
  const store = await openStore(backend.target, { migrate: false });
  try {
    await store.setMeta('schema_version', String(schema.version));
  } finally {
    await store.close();
  }
}

/** Whether `store` holds table `name` (what the migrations ask, `tableExists`). */
export function storeHasTable(store: AnalyticsStore, name: string): Promise<boolean> {
  return tableExists({ kind: store.kind, all: (query) => store.query(query) }, name);
}

/** Rows per `INSERT … VALUES` on DuckDB. */
const INSERT_ROWS = 200;

/** Calls `test` with a fresh DuckDB store file, removed after. */
export async function withDuckDbBackend(
  prefix: string,
  old: OldTable,
  test: (backend: OldSchemaBackend) => Promise<void>,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), `teiten-${prefix}-`));
  const path = join(dir, 'old.duckdb');
  const run = async (sql: string, params: unknown[] = []): Promise<void> => {
    const store = await openStore(path, { migrate: false });
    try {
      await store.query({ sql, params });
    } finally {
      await store.close();
    }
  };
  const columns = old.columns.split(/\s*,\s*/);
  try {
    await test({
      kind: 'duckdb',
      target: path,
      run: (sql) => run(sql),
      insertOld: async (rows) => {
        for (let at = 0; at < rows.length; at += INSERT_ROWS) {
          const chunk = rows.slice(at, at + INSERT_ROWS);
          const values = chunk.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ');
          await run(
            `INSERT INTO ${old.name} (${old.columns}) VALUES ${values}`,
            chunk.flatMap((r) => columns.map((c) => r[c])),
          );
        }
      },
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Calls `test` with a fresh database on the ClickHouse server at `url`, dropped after. */
export async function withClickHouseBackend(
  url: string,
  prefix: string,
  old: OldTable,
  test: (backend: OldSchemaBackend) => Promise<void>,
): Promise<void> {
  const db = clickHouseTestDb(url, prefix);
  const client = createClient({ url, database: db.database });
  try {
    await test({
      kind: 'clickhouse',
      target: db.storeUrl,
      run: async (query) => void (await client.command({ query })),
      insertOld: async (values) => void (await client.insert({ table: old.name, values, format: 'JSONEachRow' })),
    });
  } finally {
    await client.close();
    await db.drop();
  }
}

/**
 * Registers `check` as a test on a DuckDB store and, with `CLICKHOUSE_URL`,
 * on a ClickHouse one; `title(store)` names it ("… of a DuckDB store …").
 */
export function itOnOldSchemaStores(
  title: (store: 'DuckDB' | 'ClickHouse') => string,
  prefix: string,
  old: OldTable,
  check: (backend: OldSchemaBackend) => Promise<void>,
): void {
  it(title('DuckDB'), async () => {
    await withDuckDbBackend(prefix, old, check);
  }, 60_000);
  const url = process.env['CLICKHOUSE_URL'];
  it.skipIf(url === undefined || url === '')(
    `${title('ClickHouse')} (needs CLICKHOUSE_URL)`,
    async () => {
      await withClickHouseBackend(url!, prefix, old, check);
    },
    60_000,
  );
}
