/**
 * @module
 * `ClusterTopology`: what a clustered store needs to know about its cluster,
 * read from the node it talks to: every replica's address (`system.clusters`),
 * replicas per shard, and whether ZooKeeper is configured (then the `_local`
 * tables are ReplicatedMergeTree). `remote()` over every replica's address,
 * each listed as its own shard, reads one table on every node at once: how
 * the store waits for mutations everywhere and checks that each replica
 * holds an ingest's rows before committing it.
 */

import { StoreOpenError, StoreQueryError } from '../errors.js';
import type { SqlQuery } from '../store.js';
import type { ClickHouseDriver } from './driver.js';

/** ClickHouse's error codes: ALL_CONNECTION_TRIES_FAILED, and the network errors under it. */
export const ALL_CONNECTION_TRIES_FAILED = 279;
const ADDRESS_IN_MESSAGE = /\(([0-9A-Za-z.:[\]-]+:\d+)\)/g;

export interface ClusterReplica {
  shard: number;
  replica: number;
  /** `host:port` of the native (TCP) protocol, as `remote()` takes it (the resolved address). */
  address: string;
  /** The same with the host as configured, which error messages may show instead. */
  named: string;
}

interface Credentials {
  username: string;
  password: string;
}

function remote(addresses: string, database: string, table: string, credentials: Credentials): SqlQuery {
  return {
    sql: 'remote(?, ?, ?, ?, ?)',
    params: [addresses, database, table, credentials.username, credentials.password],
  };
}

export class ClusterTopology {
  readonly name: string;
  readonly replicas: readonly ClusterReplica[];
  readonly replicated: boolean;

  private constructor(name: string, replicas: ClusterReplica[], replicated: boolean) {
    this.name = name;
    this.replicas = replicas;
    this.replicated = replicated;
  }

  static async load(driver: ClickHouseDriver, name: string): Promise<ClusterTopology> {
    const rows = await driver.all<{ shard: number; replica: number; host: string; name: string; port: number }>({
      sql: `SELECT shard_num AS shard, replica_num AS replica, host_address AS host, host_name AS name, port
        FROM system.clusters WHERE cluster = ? ORDER BY shard_num, replica_num`,
      params: [name],
    });
    if (rows.length === 0) {
      throw new StoreOpenError(
        `${driver.target.url}/${driver.target.database}`,
        `the server has no cluster named ${name} in its remote_servers`,
      );
    }
    const hostPort = (host: string, port: number): string => `${host.includes(':') ? `[${host}]` : host}:${port}`;
    const replicas = rows.map((r) => ({
      shard: r.shard,
      replica: r.replica,
      address: hostPort(r.host, r.port),
      named: hostPort(r.name, r.port),
    }));
    return new ClusterTopology(name, replicas, await hasZooKeeper(driver));
  }

  get shards(): number {
    return new Set(this.replicas.map((r) => r.shard)).size;
  }

  /** Copies of each row: every replica of its shard holds one. */
  get copies(): number {
    return Math.max(...[...groupBy(this.replicas).values()].map((g) => g.length));
  }

  /** `remote(…)` reading `database.table` once on every replica of every shard. */
  everyReplica(database: string, table: string, credentials: Credentials): SqlQuery {
    return remote(this.replicas.map((r) => r.address).join(','), database, table, credentials);
  }

  /** `remote(…)` reading `database.table` on `replica` alone. */
  onReplica(replica: ClusterReplica, database: string, table: string, credentials: Credentials): SqlQuery {
    return remote(replica.address, database, table, credentials);
  }

  /**
   * A connection failure as an error naming the shards whose every replica
   * failed (ClickHouse lists each address it tried); other errors as they are.
   */
  explain(error: unknown): unknown {
    if (!(error instanceof StoreQueryError) || error.dbCode !== ALL_CONNECTION_TRIES_FAILED) return error;
    const message = error.cause instanceof Error ? error.cause.message : String(error.cause);
    const failed = new Set([...message.matchAll(ADDRESS_IN_MESSAGE)].map((m) => m[1]));
    const down = [...groupBy(this.replicas).entries()].filter(([, rs]) =>
      rs.every((r) => failed.has(r.address) || failed.has(r.named)),
    );
    if (down.length === 0) return error;
    const named = down.map(
      ([shard, rs]) => `shard ${shard} of cluster ${this.name} (${rs.map((r) => r.named).join(', ')})`,
    );
    const cause = new Error(`${named.join(' and ')} unreachable, so no complete answer exists: ${message}`, {
      cause: error.cause,
    });
    return new StoreQueryError(error.sql, error.params, { cause, dbCode: ALL_CONNECTION_TRIES_FAILED });
  }
}

function groupBy(replicas: readonly ClusterReplica[]): Map<number, ClusterReplica[]> {
  const shards = new Map<number, ClusterReplica[]>();
  for (const r of replicas) shards.set(r.shard, [...(shards.get(r.shard) ?? []), r]);
  return shards;
}

/** `system.zookeeper` can be read only when the server has ZooKeeper configured. */
async function hasZooKeeper(driver: ClickHouseDriver): Promise<boolean> {
  try {
    await driver.all({ sql: "SELECT count() AS n FROM system.zookeeper WHERE path = '/'", params: [] });
    return true;
  } catch (error) {
    if (error instanceof StoreQueryError && error.dbCode !== undefined) return false;
    throw error;
  }
}
