/**
 * @module
 * DuckDB DDL for the tables of `schema.ts`, the committed-row views and the
 * id sequences. Every statement is idempotent (`IF NOT EXISTS`).
 */

import { TABLES, viewSql, type ColumnDef, type ColumnType, type ViewDialect } from '../schema.js';

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

/** DuckDB's type of a column: a list column is a LIST of its item type. */
function duckDbType(column: ColumnDef): string {
  return column.list === true ? `${DUCKDB_TYPES[column.type]}[]` : DUCKDB_TYPES[column.type];
}

/** `UNNEST` in the select list; two in one select list read their lists in step. */
const DIALECT: ViewDialect = {
  item: (list, as) => `UNNEST(${list}) AS ${as}`,
  join: () => '',
  cast: (expr, column) => `CAST(${expr} AS ${duckDbType(column)})`,
};

/** Sequence that numbers sensors and ingests (never reused, even after a rollback). */
export const DUCKDB_SEQUENCES = { sensor: 'sensor_ids', ingest: 'ingest_ids' } as const;

/** The statements that create the whole schema, in order. */
export function duckDbDdl(): string[] {
  const statements = Object.values(DUCKDB_SEQUENCES).map((name) => `CREATE SEQUENCE IF NOT EXISTS ${name} START 1`);
  for (const table of TABLES) {
    const columns = table.columns.map((c) => `"${c.name}" ${duckDbType(c)} NOT NULL`);
    if (table.unique) columns.push(`UNIQUE (${table.unique.map((c) => `"${c}"`).join(', ')})`);
    statements.push(`CREATE TABLE IF NOT EXISTS ${table.name} (\n  ${columns.join(',\n  ')}\n)`);
  }
  for (const table of TABLES) {
    if (table.view !== undefined)
      statements.push(`CREATE VIEW IF NOT EXISTS ${table.view} AS ${viewSql(table, DIALECT)}`);
  }
  return statements;
}
