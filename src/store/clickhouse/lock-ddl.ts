/**
 * @module
 * `runLockDdl()`: a statement of the commit lock (`commit-lock.ts`: create,
 * rename or drop a lock table) on one server, or on every node of a cluster.
 *
 * On a cluster the statement goes `ON CLUSTER` through ZooKeeper's
 * distributed DDL queue. The queue is one sequence that every node executes
 * in the same order, so the same statement meets the same tables everywhere
 * and gets the same outcome on every node: of two `CREATE TABLE` of one lock
 * name sent through different nodes at once, the one queued first succeeds
 * on every node and the other fails with TABLE_ALREADY_EXISTS on every node
 * (checked on 18.16 with six creators through four nodes, 15 rounds: one
 * winner each, every node naming the same holder). That makes the lock
 * cluster-wide, which a lock table of one node (or a claim row read back
 * without compare-and-set) cannot be.
 *
 * The caller waits `LOCK_DDL_WAIT_SEC` for every node; a node that is down
 * makes the server answer TIMEOUT_EXCEEDED, naming the queued task. The
 * outcome is then read from the task's `finished` entries in ZooKeeper
 * (`system.zookeeper`): any node's status is every node's, by the ordering
 * above. The node that is down runs the statement when it returns, in order.
 */

import { StoreQueryError } from '../errors.js';
import type { SqlQuery } from '../store.js';
import type { ClickHouseDriver } from './driver.js';

/** ClickHouse's TIMEOUT_EXCEEDED: a distributed DDL task some node has not finished in time. */
const TIMEOUT_EXCEEDED = 159;
/** How long a lock statement waits for every node before its outcome is read from ZooKeeper instead. */
const LOCK_DDL_WAIT_SEC = 2;
const TASK_IN_MESSAGE = /Watching task (\/\S+) is executing longer/;
const POLL_MS = 25;
/** A node that is up finishes a queued lock statement in well under this. */
const TASK_LIMIT_MS = 60_000;

export interface LockDdlResult {
  /** 0 when the statement succeeded, else the ClickHouse error code it failed with (the same on every node). */
  code: number;
  /** False when the outcome came from another node's report: this node may not have applied it yet. */
  appliedHere: boolean;
}

/**
 * Runs `statement`, whose `{on}` marks where `ON CLUSTER name` goes, on this
 * server (`cluster` undefined) or on every node of `cluster`. Errors with a
 * server code come back as the code; others (connection) are thrown.
 */
export async function runLockDdl(
  driver: ClickHouseDriver,
  statement: SqlQuery & { cluster?: string | undefined },
): Promise<LockDdlResult> {
  const on = statement.cluster === undefined ? '' : ` ON CLUSTER ${statement.cluster}`;
  const query = { sql: statement.sql.replace('{on}', on), params: statement.params };
  try {
    await driver.run(query, statement.cluster === undefined ? {} : { distributed_ddl_task_timeout: LOCK_DDL_WAIT_SEC });
    return { code: 0, appliedHere: true };
  } catch (error) {
    if (!(error instanceof StoreQueryError) || error.dbCode === undefined) throw error;
    const task = error.dbCode === TIMEOUT_EXCEEDED ? TASK_IN_MESSAGE.exec(errorMessage(error)) : null;
    if (task === null) return { code: error.dbCode, appliedHere: true };
    return { code: await taskStatus(driver, task[1]!, error), appliedHere: false };
  }
}

/** The error code of the distributed DDL task at `path` as the first node to finish it reported it. */
async function taskStatus(driver: ClickHouseDriver, path: string, timedOut: StoreQueryError): Promise<number> {
  const deadline = Date.now() + TASK_LIMIT_MS;
  for (;;) {
    const [row] = await driver.all<{ value: string }>({
      sql: 'SELECT value FROM system.zookeeper WHERE path = ? ORDER BY name LIMIT 1',
      params: [`${path}/finished`],
    });
    // An execution status: the code, a newline, the message.
    if (row !== undefined) return Number(row.value.split('\n')[0]);
    if (Date.now() > deadline) throw timedOut;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function errorMessage(error: StoreQueryError): string {
  return error.cause instanceof Error ? error.cause.message : String(error.cause);
}
