/**
 * @module
 * `ClickHouseSession`: the `SqlSession` over one ClickHouse database.
 *
 * ClickHouse has no transactions, so:
 * - `transaction(fn)` runs `fn` directly; the shared code orders its writes
 *   so that readers never see a half-done change (a sensor's row after its
 *   addresses, an ingest's row after its data);
 * - ingests are atomic through the committed-row views (`schema.ts`);
 * - deletes are mutations, awaited until applied.
 *
 * On a cluster (`?cluster=NAME`) the schema, deletes and commits go
 * through `cluster-ops.ts`, and every statement carries `CLUSTER_SETTINGS`.
 *
 * Ids: sensors take max(id) + 1 over every table that names them (a failed
 * add leaves no id behind to collide with); ingests take
 * `milliseconds × 1024 + random(1024)`, unique without a round trip even when
 * several processes ingest at once, ordered by start time, and below 2^53
 * until the year 2248.
 */

import { randomInt } from 'node:crypto';
import type { TableDef } from '../schema.js';
import { SENSOR_ADDRESSES, SENSOR_INTERVALS, SENSORS } from '../schema.js';
import type { ColumnBlock, IdKind, IngestSink, SqlSession, TtlRule } from '../sql-session.js';
import type { SqlQuery } from '../store.js';
import { StoreOpenError, StoreQueryError } from '../errors.js';
import { clickHouseDdl } from './ddl.js';
import { withCommitLock } from './commit-lock.js';
import { ClickHouseDriver, type ClickHouseTarget } from './driver.js';
import { ClickHouseIngestSink } from './ingest-sink.js';
import {
  awaitIngestReplicated,
  createClusterSchema,
  deleteOnCluster,
  discardOnCluster,
  dropOnCluster,
} from './cluster-ops.js';
import { LOCAL_SUFFIX } from './cluster-ddl.js';
import { ClusterTopology } from './cluster-topology.js';
import { supportsTtl, ttlStatements } from './retention-ttl.js';

const INGEST_ID_RANDOM = 1024;
/** The database that always exists, used to create ours. */
const BOOTSTRAP_DATABASE = 'default';
/**
 * Every statement on a cluster: a shard's reads and writes go to its first
 * live replica (read-your-writes while it lives); a Distributed insert
 * returns once the shards hold its rows; a subquery over a Distributed
 * table runs once, on this node (GLOBAL); no shard may be skipped; ON
 * CLUSTER statements wait for a dead node at most this long.
 */
export const CLUSTER_SETTINGS = {
  load_balancing: 'in_order',
  insert_distributed_sync: 1,
  distributed_product_mode: 'global',
  skip_unavailable_shards: 0,
  distributed_ddl_task_timeout: 30,
} as const;

export class ClickHouseSession implements SqlSession {
  readonly kind = 'clickhouse' as const;
  private readonly driver: ClickHouseDriver;
  private topology: Promise<ClusterTopology> | undefined;

  constructor(target: ClickHouseTarget) {
    this.driver = new ClickHouseDriver(target, target.cluster === undefined ? {} : { settings: CLUSTER_SETTINGS });
  }

  /** The cluster's layout, read once; undefined for a single server. */
  private cluster(): Promise<ClusterTopology> | undefined {
    const name = this.driver.target.cluster;
    if (name === undefined) return undefined;
    this.topology ??= ClusterTopology.load(this.driver, name).catch((error: unknown) => {
      this.topology = undefined;
      throw error;
    });
    return this.topology;
  }

  /** Runs a statement, on a cluster turning "all connection tries failed" into an error naming the shard that is down. */
  private async explained<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      const topology = await this.cluster()?.catch(() => undefined);
      throw topology === undefined ? error : topology.explain(error);
    }
  }

  async createSchema(): Promise<void> {
    const bootstrap = new ClickHouseDriver(this.driver.target, { database: BOOTSTRAP_DATABASE });
    try {
      // The name was checked against [A-Za-z_][A-Za-z0-9_]* when the URL was parsed.
      await bootstrap.run({ sql: `CREATE DATABASE IF NOT EXISTS ${this.driver.target.database}`, params: [] });
    } catch (error) {
      // No server error code: the request never reached ClickHouse (refused, DNS, TLS).
      if (error instanceof StoreQueryError && error.dbCode === undefined) {
        const { url, database } = this.driver.target;
        throw new StoreOpenError(`${url}/${database}`, `no ClickHouse answers: ${errorText(error.cause)}`, {
          cause: error,
        });
      }
      throw error;
    } finally {
      await bootstrap.close();
    }
    const cluster = this.cluster();
    if (cluster !== undefined) return createClusterSchema(this.driver, await cluster);
    for (const sql of clickHouseDdl()) await this.driver.run({ sql, params: [] });
  }

  all<T>(query: SqlQuery): Promise<T[]> {
    return this.explained(() => this.driver.all<T>(query));
  }

  run(query: SqlQuery): Promise<void> {
    return this.explained(() => this.driver.run(query));
  }

  insert(block: ColumnBlock): Promise<void> {
    return this.explained(() => this.driver.insert(block));
  }

  async deleteWhere(table: TableDef, where: SqlQuery): Promise<void> {
    const cluster = this.cluster();
    if (cluster === undefined) return this.driver.deleteWhere(table.name, where);
    const topology = await cluster;
    return this.explained(() => deleteOnCluster(this.driver, topology, table, where));
  }

  async dropTable(name: string): Promise<void> {
    const cluster = this.cluster();
    if (cluster === undefined) return this.run({ sql: `DROP TABLE IF EXISTS ${name}`, params: [] });
    const topology = await cluster;
    // The Distributed table first: with its `_local` tables gone, it would fail every read.
    for (const table of [name, `${name}${LOCAL_SUFFIX}`])
      await this.explained(() => dropOnCluster(this.driver, topology, table));
  }

  async dropView(name: string): Promise<void> {
    const cluster = this.cluster();
    if (cluster === undefined) return this.run({ sql: `DROP TABLE IF EXISTS ${name}`, params: [] });
    const topology = await cluster;
    return this.explained(() => dropOnCluster(this.driver, topology, name));
  }

  transaction<T>(fn: (session: SqlSession) => Promise<T>): Promise<T> {
    return fn(this);
  }

  async nextId(kind: IdKind): Promise<number> {
    if (kind === 'ingest') return Date.now() * INGEST_ID_RANDOM + randomInt(INGEST_ID_RANDOM);
    const [row] = await this.driver.all<{ id: number }>({
      sql: `SELECT max(id) + 1 AS id FROM (
        SELECT toInt64(id) AS id FROM ${SENSORS.name}
        UNION ALL SELECT toInt64(sensor_id) AS id FROM ${SENSOR_ADDRESSES.name}
        UNION ALL SELECT toInt64(sensor_id) AS id FROM ${SENSOR_INTERVALS.name})`,
      params: [],
    });
    return Math.max(1, row?.id ?? 1);
  }

  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T> {
    return withCommitLock(this.driver, { name, cluster: this.driver.target.cluster }, fn);
  }

  async expiresRows(rules: readonly TtlRule[] | null): Promise<boolean> {
    const [row] = await this.all<{ version: string }>({ sql: 'SELECT version() AS version', params: [] });
    if (!supportsTtl(row?.version ?? '')) return false;
    const { database, cluster } = this.driver.target;
    const statements = ttlStatements(rules ?? [], cluster === undefined ? { database } : { database, cluster });
    for (const sql of statements) await this.run({ sql, params: [] });
    return true;
  }

  async openIngest(ingestId: number): Promise<IngestSink> {
    const cluster = this.cluster();
    if (cluster === undefined) {
      return new ClickHouseIngestSink(this.driver, ingestId, {
        discard: (table, where) => this.driver.deleteWhere(table.name, where),
      });
    }
    const topology = await cluster;
    return new ClickHouseIngestSink(this.driver, ingestId, {
      discard: (table, where) => discardOnCluster(this.driver, topology, table, where),
      awaitReplicated: (rows) => this.explained(() => awaitIngestReplicated(this.driver, topology, { ingestId, rows })),
    });
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}

function errorText(cause: unknown): string {
  return cause instanceof Error ? cause.message || cause.name : String(cause);
}
