/**
 * @module
 * Waiting for a clustered store's replicas, which apply what ZooKeeper
 * holds in their own time. An `ALTER … DELETE ON CLUSTER` returns once each
 * shard has queued its mutation in ZooKeeper, but a replica lists it in
 * `system.mutations` only when it has loaded its queue (18.16 does that on a
 * watch, later under load): "nothing pending" read right after the ALTER
 * may mean "not loaded yet". So the wait asks ZooKeeper for the shard's
 * newest mutation and waits until every replica has applied that one.
 *
 * A mutation whose condition reads another table (retention's threshold
 * chains read the kept seconds) runs on each replica against whatever
 * replica of each shard its subquery lands on: the rows it reads must be on
 * every replica first, or replicas delete different rows.
 */

import { StoreQueryError } from '../errors.js';
import type { SqlQuery } from '../store.js';
import type { ClusterTopology } from './cluster-topology.js';
import type { ClickHouseDriver } from './driver.js';

const POLL_MS = 100;

/** Waits until every replica has applied the newest mutation of table `local` and has none pending. */
export async function awaitNewestMutation(
  driver: ClickHouseDriver,
  topology: ClusterTopology,
  local: string,
  timeoutMs: number,
): Promise<void> {
  const { database } = driver.target;
  const newest = topology.replicated ? await newestMutations(driver, topology, local) : undefined;
  const query = unionOverReplicas(driver, topology, 'system', 'mutations', (i, from) => ({
    sql: `SELECT ? AS i, countIf(is_done = 0) AS pending, countIf(is_done = 1 AND mutation_id = ?) AS applied
      FROM ${from.sql} WHERE database = ? AND table = ?`,
    params: [i, newest?.[i] ?? '', ...from.params, database, local],
  }));
  let waiting = '';
  await pollUntil(
    query,
    () => `the delete on ${local} was not applied on every replica (${waiting})`,
    timeoutMs,
    async () => {
      const rows = await driver.all<{ i: number; pending: number; applied: number }>(query);
      const behind = rows.filter((r) => r.pending > 0 || (newest !== undefined && r.applied === 0));
      waiting = behind.map((r) => `${topology.replicas[r.i]!.address} not done`).join(', ');
      return behind.length === 0;
    },
  );
}

/**
 * Waits until the replicas of each shard hold the same number of rows of
 * table `local` (nothing else writes it meanwhile: a replica short of rows
 * has not fetched every part yet).
 */
export async function awaitReplicasAgree(
  driver: ClickHouseDriver,
  topology: ClusterTopology,
  local: string,
  timeoutMs: number,
): Promise<void> {
  if (!topology.replicated) return;
  const query = unionOverReplicas(driver, topology, driver.target.database, local, (i, from) => ({
    sql: `SELECT ? AS i, count() AS n FROM ${from.sql}`,
    params: [i, ...from.params],
  }));
  let differ = '';
  await pollUntil(
    query,
    () => `the replicas of ${local} do not hold the same rows (${differ})`,
    timeoutMs,
    async () => {
      const rows = await driver.all<{ i: number; n: number }>(query);
      const byShard = new Map<number, Set<number>>();
      for (const r of rows) {
        const shard = topology.replicas[r.i]!.shard;
        byShard.set(shard, (byShard.get(shard) ?? new Set()).add(Number(r.n)));
      }
      const split = [...byShard].filter(([, counts]) => counts.size > 1);
      differ = split.map(([shard, counts]) => `shard ${shard}: ${[...counts].join(' / ')} rows`).join(', ');
      return split.length === 0;
    },
  );
}

export async function pollUntil(
  query: SqlQuery,
  failure: string | (() => string),
  timeoutMs: number,
  done: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) {
      const why = typeof failure === 'string' ? failure : failure();
      throw new StoreQueryError(query.sql, query.params, { cause: new Error(`${why} within ${timeoutMs} ms`) });
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The newest mutation id of `local` in ZooKeeper, by replica index (each replica reads its shard's). */
async function newestMutations(driver: ClickHouseDriver, topology: ClusterTopology, local: string): Promise<string[]> {
  const paths = await driver.all<{ i: number; path: string }>(
    unionOverReplicas(driver, topology, 'system', 'replicas', (i, from) => ({
      sql: `SELECT ? AS i, zookeeper_path AS path FROM ${from.sql} WHERE database = ? AND table = ?`,
      params: [i, ...from.params, driver.target.database, local],
    })),
  );
  const newest: string[] = [];
  const byPath = new Map<string, string>();
  for (const { i, path } of paths) {
    if (!byPath.has(path)) {
      const [row] = await driver.all<{ id: string }>({
        sql: 'SELECT max(name) AS id FROM system.zookeeper WHERE path = ?',
        params: [`${path}/mutations`],
      });
      byPath.set(path, row?.id ?? '');
    }
    newest[i] = byPath.get(path)!;
  }
  return newest;
}

/** One SELECT per replica, reading `database.table` of that replica alone (`from`), tagged with its index, as one query. */
function unionOverReplicas(
  driver: ClickHouseDriver,
  topology: ClusterTopology,
  database: string,
  table: string,
  select: (i: number, from: SqlQuery) => SqlQuery,
): SqlQuery {
  const parts = topology.replicas.map((replica, i) =>
    select(i, topology.onReplica(replica, database, table, driver.target)),
  );
  return { sql: parts.map((p) => p.sql).join(' UNION ALL '), params: parts.flatMap((p) => p.params) };
}
