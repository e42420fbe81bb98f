/**
 * @module
 * DuckDB DDL for the tables of `schema.ts`, the committed-row views and the
 * id sequences. Every statement is idempotent (`IF NOT EXISTS`).
 */

import { TABLES, viewSql, type ColumnType } from '../schema.js';

const DUCKDB_TYPES: Readonly<Record<ColumnType, string>> = {
  u8: 'UTINYINT',
  u16: 'USMALLINT',
  u32: 'UINTEGER',
  u64: 'UBIGINT',
  i32: 'INTEGER',
  i64: 'BIGINT',
  f64: 'DOUBLE',
  text: 'VARCHAR',
};

/** Sequence that numbers sensors and ingests (never reused, even after a rollback). */
export const DUCKDB_SEQUENCES = { sensor: 'sensor_ids', ingest: 'ingest_ids' } as const;

/** The statements that create the whole schema, in order. */
export function duckDbDdl(): string[] {
  const statements = Object.values(DUCKDB_SEQUENCES).map((name) => `CREATE SEQUENCE IF NOT EXISTS ${name} START 1`);
  for (const table of TABLES) {
    const columns = table.columns.map((c) => `"${c.name}" ${DUCKDB_TYPES[c.type]} NOT NULL`);
    if (table.unique) columns.push(`UNIQUE (${table.unique.map((c) => `"${c}"`).join(', ')})`);
    statements.push(`CREATE TABLE IF NOT EXISTS ${table.name} (\n  ${columns.join(',\n  ')}\n)`);
  }
  for (const table of TABLES) {
    if (table.view !== undefined) statements.push(`CREATE VIEW IF NOT EXISTS ${table.view} AS ${viewSql(table)}`);
  }
  return statements;
}

