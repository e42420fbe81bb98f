/**
 * @module
 * ClickHouse DDL for the tables of `schema.ts` and the committed-row views,
 * in syntax ClickHouse 18.16 accepts: plain MergeTree sorted by the columns
 * period queries filter on (sensor, local day, service), no Nullable, no
 * LowCardinality. Every statement is idempotent (`IF NOT EXISTS`).
 */

import { TABLES, viewSql, type ColumnType } from '../schema.js';

const CLICKHOUSE_TYPES: Readonly<Record<ColumnType, string>> = {
  u8: 'UInt8',
  u16: 'UInt16',
  u32: 'UInt32',
  u64: 'UInt64',
  i32: 'Int32',
  i64: 'Int64',
  f64: 'Float64',
  text: 'String',
};

/** The statements that create the whole schema, in order (the database must exist). */
export function clickHouseDdl(): string[] {
  const statements: string[] = [];
  for (const table of TABLES) {
    const columns = table.columns.map((c) => `\`${c.name}\` ${CLICKHOUSE_TYPES[c.type]}`);
    statements.push(
      `CREATE TABLE IF NOT EXISTS ${table.name} (\n  ${columns.join(',\n  ')}\n) ` +
        `ENGINE = MergeTree() ORDER BY (${table.orderBy.join(', ')})`,
    );
  }
  for (const table of TABLES) {
    if (table.view !== undefined) statements.push(`CREATE VIEW IF NOT EXISTS ${table.view} AS ${viewSql(table)}`);
  }
  return statements;
}
