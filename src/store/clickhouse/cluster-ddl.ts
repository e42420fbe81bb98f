/**
 * @module
 * The schema on a ClickHouse cluster (`?cluster=NAME`), created ON CLUSTER:
 * each table of `schema.ts` as `NAME_local` on every node (ReplicatedMergeTree
 * when the cluster has ZooKeeper, MergeTree otherwise) behind a Distributed
 * table of the table's own name, so every query and insert of the shared
 * code runs unchanged. The views read the Distributed tables; their filter
 * on committed ingests is a `GLOBAL IN`, the `ingests` subquery read once
 * on the node that runs the query (a plain IN over two Distributed tables
 * is refused by 18.16's `distributed_product_mode = 'deny'`).
 *
 * Sharding: tables of sources, victims and scanners are sharded by that
 * address, so one source's rows of a table meet on one shard; the others by
 * `rand()`. Exact distinct counts do not depend on it: a Distributed query
 * merges exact `uniqExact` states, and a query over a view reads its rows
 * from every shard before grouping them.
 *
 * Block deduplication is off (`replicated_deduplication_window = 0`): two
 * identical blocks are two writes here (the same meta value set twice), and
 * a capture is counted once by the commit marker, not by block hashes.
 */

import { TABLES, viewSql, type TableDef } from '../schema.js';
import { clickHouseColumnsSql, CLICKHOUSE_VIEWS } from './ddl.js';

export const LOCAL_SUFFIX = '_local';

/** Sharding expressions by table; tables not listed spread rows by `rand()`. */
const SHARDING_KEYS: Readonly<Record<string, string>> = {
  source_list_day_rows: 'src',
  packet_rows: 'cityHash64(src)',
  signature_source_day_rows: 'cityHash64(src)',
  signature_match_rows: 'src',
  backscatter_victim_day_rows: 'cityHash64(victim)',
  backscatter_evidence_rows: 'victim',
  scanner_piece_rows: 'src',
  scanner_probe_rows: 'src',
};
const DEFAULT_SHARDING_KEY = 'rand()';
const COMMITTED_FILTER = / IN \(SELECT id FROM ingests\)/g;

export interface ClusterDdlOptions {
  cluster: string;
  database: string;
  /** ReplicatedMergeTree (needs ZooKeeper) or plain MergeTree `_local` tables. */
  replicated: boolean;
}

function localEngine(table: TableDef, options: ClusterDdlOptions): string {
  const order = `ORDER BY (${table.orderBy.join(', ')})`;
  if (!options.replicated) return `ENGINE = MergeTree() ${order}`;
  const path = `/clickhouse/tables/{shard}/${options.database}/${table.name}${LOCAL_SUFFIX}`;
  return `ENGINE = ReplicatedMergeTree('${path}', '{replica}') ${order} SETTINGS replicated_deduplication_window = 0`;
}

/** The statements that create the schema on every node, in order (the database must exist on every node). */
export function clusterDdl(options: ClusterDdlOptions): string[] {
  const { cluster, database } = options;
  const on = `ON CLUSTER ${cluster}`;
  const statements: string[] = [];
  for (const table of TABLES) {
    const local = `${database}.${table.name}${LOCAL_SUFFIX}`;
    statements.push(
      `CREATE TABLE IF NOT EXISTS ${local} ${on} (\n  ${clickHouseColumnsSql(table).join(',\n  ')}\n) ${localEngine(table, options)}`,
    );
    const key = SHARDING_KEYS[table.name] ?? DEFAULT_SHARDING_KEY;
    statements.push(
      `CREATE TABLE IF NOT EXISTS ${database}.${table.name} ${on} AS ${local} ` +
        `ENGINE = Distributed(${cluster}, ${database}, ${table.name}${LOCAL_SUFFIX}, ${key})`,
    );
  }
  for (const table of TABLES) {
    if (table.view === undefined) continue;
    let qualified = viewSql(table, CLICKHOUSE_VIEWS);
    // Names qualified: each node runs the DDL in its default database.
    const shown = [table, ...(table.viewAlso === undefined ? [] : [table.viewAlso.table])];
    for (const { name } of shown) {
      const from = ` FROM ${name}`;
      if (!qualified.includes(from)) throw new TypeError(`The view of ${table.name} does not read ${name}`);
      qualified = qualified.replaceAll(from, ` FROM ${database}.${name}`);
    }
    if (qualified.match(COMMITTED_FILTER)?.length !== shown.length) {
      throw new TypeError(`The view of ${table.name} does not read each table "… IN (SELECT id FROM ingests)"`);
    }
    qualified = qualified.replace(COMMITTED_FILTER, ` GLOBAL IN (SELECT id FROM ${database}.ingests)`);
    statements.push(`CREATE VIEW IF NOT EXISTS ${database}.${table.view} ${on} AS ${qualified}`);
  }
  return statements;
}

/** Every table and view name the cluster schema creates, to tell whether a node has it all. */
export function clusterSchemaNames(): string[] {
  return TABLES.flatMap((t) => [t.name, `${t.name}${LOCAL_SUFFIX}`, ...(t.view === undefined ? [] : [t.view])]);
}
