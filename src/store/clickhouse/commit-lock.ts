/**
 * @module
 * `withCommitLock()`: mutual exclusion between processes over one ClickHouse
 * database, for the few statements of an ingest's commit (duplicate and
 * overlap checks, then the `ingests` row).
 *
 * Why a table per lock: ClickHouse has no transactions and no compare-and-set
 * on rows, so "insert a claim row, read the claims back, lowest id wins"
 * cannot be made safe: a process whose read-back ran before another's insert
 * sees only itself and wins, while the other, if its id is lower, wins too.
 * `CREATE TABLE` of an existing name is refused by the server (code 57),
 * atomically, also for simultaneous creates (checked on 18.16 with six at
 * once: one succeeded). So the lock is a table named after the lock; creating
 * it acquires, dropping it releases. The holder (`host:pid:random`) and the
 * time are the columns' DEFAULT expressions, so they exist from the moment the
 * table does and are read from `system.columns`.
 *
 * A holder that died (SIGKILL, power loss) leaves its table behind. It is
 * broken when the holder is a process of this host that no longer exists, or
 * when it is older than `STALE_AFTER_SEC` (the guarded statements take
 * milliseconds; a minute is far beyond any live holder). Breaking renames the
 * table to a unique name first (one process wins the rename) and checks it
 * still named the stale holder, renaming it back otherwise.
 *
 * On a cluster (`lock.cluster`) every one of these statements runs on every
 * node through the distributed DDL queue (`lock-ddl.ts`), so the lock is one
 * for the whole cluster: processes committing through different nodes
 * exclude each other as processes on one server do.
 */

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { StoreLockedError, StoreQueryError } from '../errors.js';
import type { ClickHouseDriver } from './driver.js';
import { runLockDdl } from './lock-ddl.js';

/** ClickHouse error codes: TABLE_ALREADY_EXISTS, UNKNOWN_TABLE. */
const TABLE_ALREADY_EXISTS = 57;
const UNKNOWN_TABLE = 60;
const LOCK_PREFIX = 'teiten_lock_';
const NAME_PATTERN = /^[a-z0-9_]+$/;
/** A lock held this long belongs to a dead or stuck process. */
export const STALE_AFTER_SEC = 60;
/** How long to wait for a live holder before giving up. */
const WAIT_LIMIT_MS = 5 * 60_000;
const POLL_MS = 25;
/** A node that applies the distributed DDL queue at all applies a lock statement within this. */
const APPLY_LIMIT_MS = 20_000;
const MS_PER_SECOND = 1000;
const RANDOM_BYTES = 6;

interface Holder {
  holder: string;
  acquiredSec: number;
}

/** A lock of the driver's database: its name, and the cluster it holds across (none: this server only). */
export interface LockScope {
  name: string;
  cluster?: string | undefined;
}

interface LockTable {
  /** Qualified with the database: statements ON CLUSTER run on each node in its default database. */
  table: string;
  /** The table's name alone, as `system.columns` lists it. */
  bare: string;
  cluster: string | undefined;
}

/** Runs `fn` while holding the lock `lock.name` of the driver's database. */
export async function withCommitLock<T>(driver: ClickHouseDriver, lock: LockScope, fn: () => Promise<T>): Promise<T> {
  const { name } = lock;
  if (!NAME_PATTERN.test(name)) throw new RangeError(`Cannot lock ${JSON.stringify(name)}: lock names are [a-z0-9_]+`);
  const bare = `${LOCK_PREFIX}${name}`;
  const target: LockTable = { table: `${driver.target.database}.${bare}`, bare, cluster: lock.cluster };
  const me = `${hostname()}:${process.pid}:${randomBytes(RANDOM_BYTES).toString('hex')}`;
  const started = Date.now();
  let created: Created;
  while ((created = await tryCreate(driver, target, me)) === 'refused') {
    const holder = await readHolder(driver, bare);
    if (holder !== undefined && isStale(holder)) await breakLock(driver, target, holder);
    else if (Date.now() - started > WAIT_LIMIT_MS) {
      throw new StoreLockedError(`${driver.target.url}/${driver.target.database}`, {
        holder: `the commit of another teiten process (${holder?.holder ?? 'unknown'})`,
        holderPid: pidOf(holder?.holder),
        waitedSec: Math.round((Date.now() - started) / MS_PER_SECOND),
        hint: `drop table ${bare}${lock.cluster === undefined ? '' : ` on cluster ${lock.cluster}`} if that process is gone`,
      });
    } else await sleep(POLL_MS + Math.random() * POLL_MS);
  }
  try {
    return await fn();
  } finally {
    // Only our own table: a lock broken as stale may belong to another process by now. A
    // node yet to apply our create (lagging, or its DDL worker stopped) shows none: the
    // drop queued now follows the create on every node.
    const holder = await readHolder(driver, bare).catch(() => undefined);
    if (holder?.holder === me || (holder === undefined && created === 'elsewhere'))
      await runLockDdl(driver, dropStatement(target)).catch(() => undefined);
  }
}

function dropStatement(
  lock: LockTable,
  table = lock.table,
): { sql: string; params: unknown[]; cluster: string | undefined } {
  return { sql: `DROP TABLE IF EXISTS ${table}{on}`, params: [], cluster: lock.cluster };
}

/** `created`: held, and this node has the table; `elsewhere`: held, reported by other nodes only; `refused`: not held. */
type Created = 'created' | 'elsewhere' | 'refused';

async function tryCreate(driver: ClickHouseDriver, lock: LockTable, me: string): Promise<Created> {
  const { code, appliedHere } = await runLockDdl(driver, {
    sql: `CREATE TABLE ${lock.table}{on} (holder String DEFAULT ?, acquired_sec String DEFAULT ?) ENGINE = Memory`,
    params: [me, String(Math.floor(Date.now() / MS_PER_SECOND))],
    cluster: lock.cluster,
  });
  if (code === TABLE_ALREADY_EXISTS) return 'refused';
  if (code !== 0) throw lockError(lock, code);
  return appliedHere ? 'created' : 'elsewhere';
}

/**
 * Waits until this node has table `bare` (applied from the distributed DDL
 * queue). 18.16's DDL worker can stop for good (an `ALTER … ON CLUSTER` of
 * replicated tables racing between replicas: "Unexpected ZooKeeper error:
 * Node exists … /executed" in the server log); then this node applies
 * nothing more until restarted, and the wait ends with an error saying so.
 */
async function untilHere(driver: ClickHouseDriver, bare: string): Promise<void> {
  const deadline = Date.now() + APPLY_LIMIT_MS;
  while ((await readHolder(driver, bare)) === undefined) {
    if (Date.now() > deadline) throw lockError({ bare }, 0);
    await sleep(POLL_MS);
  }
}

function lockError(lock: { bare: string }, code: number): StoreQueryError {
  const why =
    code === 0
      ? `this node did not apply the distributed DDL queue within ${APPLY_LIMIT_MS / MS_PER_SECOND} s (is its DDL worker stopped? restart the node)`
      : `ClickHouse error ${code}`;
  return new StoreQueryError(`lock ${lock.bare}`, [], { cause: new Error(`Cannot take the lock: ${why}`) });
}

/** The holder of `table`, or undefined when it does not exist (released meanwhile). */
async function readHolder(driver: ClickHouseDriver, table: string): Promise<Holder | undefined> {
  const rows = await driver.all<{ name: string; value: string }>({
    sql: 'SELECT name, default_expression AS value FROM system.columns WHERE database = currentDatabase() AND table = ? ORDER BY name',
    params: [table],
  });
  const of = (column: string): string | undefined => {
    const raw = rows.find((r) => r.name === column)?.value;
    return raw === undefined ? undefined : raw.replace(/^'|'$/g, '');
  };
  const holder = of('holder');
  const acquired = of('acquired_sec');
  if (holder === undefined || acquired === undefined) return undefined;
  return { holder, acquiredSec: Number(acquired) };
}

function isStale(h: Holder): boolean {
  if (!(Date.now() / MS_PER_SECOND - h.acquiredSec < STALE_AFTER_SEC)) return true;
  const [host] = h.holder.split(':');
  const pid = pidOf(h.holder);
  if (host !== hostname() || pid === undefined || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as { code?: unknown }).code === 'ESRCH';
  }
}

function pidOf(holder: string | undefined): number | undefined {
  const pid = Number(holder?.split(':')[1]);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

async function breakLock(driver: ClickHouseDriver, lock: LockTable, stale: Holder): Promise<void> {
  const bareAside = `${lock.bare}_stale_${randomBytes(RANDOM_BYTES).toString('hex')}`;
  const aside = `${driver.target.database}.${bareAside}`;
  const renamed = await runLockDdl(driver, {
    sql: `RENAME TABLE ${lock.table} TO ${aside}{on}`,
    params: [],
    cluster: lock.cluster,
  });
  // Another process broke or released it first.
  if (renamed.code === UNKNOWN_TABLE) return;
  if (renamed.code !== 0) throw lockError(lock, renamed.code);
  if (!renamed.appliedHere) await untilHere(driver, bareAside);
  const taken = await readHolder(driver, bareAside);
  if (taken !== undefined && taken.holder !== stale.holder) {
    // A live holder took the lock between our read and the rename: give it back.
    await runLockDdl(driver, {
      sql: `RENAME TABLE ${aside} TO ${lock.table}{on}`,
      params: [],
      cluster: lock.cluster,
    }).catch(() => undefined);
    return;
  }
  await runLockDdl(driver, dropStatement(lock, aside));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
