/**
 * @module
 * ClickHouse DDL for the tables of `schema.ts` and the committed-row views,
 * in syntax ClickHouse 18.16 accepts: plain MergeTree sorted by the columns
 * period queries filter on (sensor, local day, service), no Nullable, no
 * LowCardinality. Every statement is idempotent (`IF NOT EXISTS`).
 */

import { TABLES, viewSql, type ColumnDef, type ColumnType, type TableDef, type ViewDialect } from '../schema.js';

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

/** ClickHouse's type of a column: a list column is an Array of its item type. */
function clickHouseType(column: ColumnDef): string {
  return column.list === true ? `Array(${CLICKHOUSE_TYPES[column.type]})` : CLICKHOUSE_TYPES[column.type];
}

/**
 * `ARRAY JOIN` reads its arrays in step; an array joined under its own name
 * is written without the alias (the name then means the item in the query).
 */
export const CLICKHOUSE_VIEWS: ViewDialect = {
  item: (_list, as) => as,
  join: (lists) => ` ARRAY JOIN ${lists.map(([list, as]) => (list === as ? list : `${list} AS ${as}`)).join(', ')}`,
  cast: (expr, column) => `CAST(${expr} AS ${clickHouseType(column)})`,
};

/** The column definitions of a CREATE TABLE, in schema order. */
export function clickHouseColumnsSql(table: TableDef): string[] {
  return table.columns.map((c) => `\`${c.name}\` ${clickHouseType(c)}`);
}

/** The statements that create the whole schema, in order (the database must exist). */
export function clickHouseDdl(): string[] {
  const statements: string[] = [];
  for (const table of TABLES) {
    statements.push(
      `CREATE TABLE IF NOT EXISTS ${table.name} (\n  ${clickHouseColumnsSql(table).join(',\n  ')}\n) ` +
        `ENGINE = MergeTree() ORDER BY (${table.orderBy.join(', ')})`,
    );
  }
  for (const table of TABLES) {
    if (table.view !== undefined)
      statements.push(`CREATE VIEW IF NOT EXISTS ${table.view} AS ${viewSql(table, CLICKHOUSE_VIEWS)}`);
  }
  return statements;
}
