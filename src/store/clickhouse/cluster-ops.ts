/**
 * @module
 * The statements a clustered store runs differently from a single server:
 * creating the schema ON CLUSTER (skipped when the node already has every
 * table, so opening a store does not wait on distributed DDL), deletes as
 * mutations of the `_local` tables ON CLUSTER awaited on every replica, and
 * the commit check that every replica holds all of an ingest's rows.
 *
 * Why the check rather than `insert_quorum`: 18.16 never mutates the last
 * part written with a quorum until the next quorum insert lands, so deletes
 * (a rolled-back ingest, a meta value set again) would wait forever. The
 * check gives what the quorum would: once an ingest is committed, any
 * replica a query lands on holds all of its rows.
 */

import { TABLES, type TableDef } from '../schema.js';
import type { SqlQuery } from '../store.js';
import { clusterDdl, clusterSchemaNames, LOCAL_SUFFIX } from './cluster-ddl.js';
import type { ClusterTopology } from './cluster-topology.js';
import type { ClickHouseDriver } from './driver.js';
import { awaitNewestMutation, awaitReplicasAgree, pollUntil } from './replica-wait.js';

const MUTATION_TIMEOUT_MS = 120_000;
/** How long replicas may take to fetch an ingest's parts before its commit is refused. */
export const REPLICATION_TIMEOUT_MS = 30_000;

/** Creates the database and schema on every node unless this node already has all of it. */
export async function createClusterSchema(driver: ClickHouseDriver, topology: ClusterTopology): Promise<void> {
  const { database } = driver.target;
  const names = clusterSchemaNames();
  const [row] = await driver.all<{ n: number }>({
    sql: `SELECT count() AS n FROM system.tables WHERE database = ? AND name IN (${names.map(() => '?').join(', ')})`,
    params: [database, ...names],
  });
  if ((row?.n ?? 0) === names.length) return;
  await driver.run({ sql: `CREATE DATABASE IF NOT EXISTS ${database} ON CLUSTER ${topology.name}`, params: [] });
  for (const sql of clusterDdl({ cluster: topology.name, database, replicated: topology.replicated })) {
    await driver.run({ sql, params: [] });
  }
}

/** `DROP TABLE IF EXISTS … ON CLUSTER` (a table or a view), returning once every node has run it. */
export async function dropOnCluster(driver: ClickHouseDriver, topology: ClusterTopology, name: string): Promise<void> {
  await driver.run({
    sql: `DROP TABLE IF EXISTS ${driver.target.database}.${name} ON CLUSTER ${topology.name}`,
    params: [],
  });
}

const TABLE_NAMES = new Set(TABLES.map((t) => t.name));
const FROM_TABLE = /\bFROM\s+(\w+)/g;

/**
 * `sql` with each `FROM table` of the schema named with its database: every
 * node runs an ON CLUSTER statement in its own default database. The name
 * is the Distributed table's, so a condition on other rows (retention's
 * threshold chains) sees every shard's rows.
 */
function qualifyTables(sql: string, database: string): string {
  return sql.replace(FROM_TABLE, (whole, name: string) => (TABLE_NAMES.has(name) ? `FROM ${database}.${name}` : whole));
}

/** The schema tables `sql` reads (`FROM table`). */
function tablesRead(sql: string): string[] {
  return [...sql.matchAll(FROM_TABLE)].map((m) => m[1]!).filter((name) => TABLE_NAMES.has(name));
}

/**
 * `ALTER TABLE t_local ON CLUSTER … DELETE`, returning once every replica
 * has applied it. A table the condition reads is first on every replica:
 * each replica runs the mutation itself, and must delete the same rows.
 */
export async function deleteOnCluster(
  driver: ClickHouseDriver,
  topology: ClusterTopology,
  table: TableDef,
  where: SqlQuery,
): Promise<void> {
  const { database } = driver.target;
  for (const read of tablesRead(where.sql)) {
    await awaitReplicasAgree(driver, topology, `${read}${LOCAL_SUFFIX}`, REPLICATION_TIMEOUT_MS);
  }
  const local = `${table.name}${LOCAL_SUFFIX}`;
  await driver.run({
    sql: `ALTER TABLE ${database}.${local} ON CLUSTER ${topology.name} DELETE WHERE ${qualifyTables(where.sql, database)}`,
    params: where.params,
  });
  await awaitNewestMutation(driver, topology, local, MUTATION_TIMEOUT_MS);
}

/**
 * Queues the delete on every node and returns at once (no wait for a node
 * that is down, which runs it when it returns): for the rows of an ingest
 * that never committed, invisible already.
 */
export async function discardOnCluster(
  driver: ClickHouseDriver,
  topology: ClusterTopology,
  table: TableDef,
  where: SqlQuery,
): Promise<void> {
  const local = `${driver.target.database}.${table.name}${LOCAL_SUFFIX}`;
  await driver.run(
    { sql: `ALTER TABLE ${local} ON CLUSTER ${topology.name} DELETE WHERE ${where.sql}`, params: where.params },
    {
      distributed_ddl_task_timeout: 0,
    },
  );
}

/**
 * Waits until every replica holds all `rows` of ingest `ingestId` per table
 * (each row is on every replica of its shard, so the copies over all
 * replicas add up to rows × copies), or throws naming what is missing.
 */
export async function awaitIngestReplicated(
  driver: ClickHouseDriver,
  topology: ClusterTopology,
  ingest: { ingestId: number; rows: ReadonlyMap<string, number> },
): Promise<void> {
  const tables = [...ingest.rows.keys()];
  if (tables.length === 0) return;
  const parts = tables.map((t) => topology.everyReplica(driver.target.database, `${t}${LOCAL_SUFFIX}`, driver.target));
  const query: SqlQuery = {
    sql: parts.map((p) => `SELECT ? AS t, count() AS n FROM ${p.sql} WHERE ingest_id = ?`).join(' UNION ALL '),
    params: parts.flatMap((p, i) => [tables[i], ...p.params, ingest.ingestId]),
  };
  let missing = '';
  await pollUntil(
    query,
    () => `the rows of ingest ${ingest.ingestId} did not reach every replica (${missing})`,
    REPLICATION_TIMEOUT_MS,
    async () => {
      const counts = await driver.all<{ t: string; n: number }>(query);
      const short = counts.filter((c) => c.n !== (ingest.rows.get(c.t) ?? 0) * topology.copies);
      missing = short
        .map((c) => `${c.t}: ${c.n} of ${(ingest.rows.get(c.t) ?? 0) * topology.copies} row copies`)
        .join(', ');
      return short.length === 0;
    },
  );
}
