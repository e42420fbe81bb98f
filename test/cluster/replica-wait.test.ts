/**
 * The waits a clustered store's deletes stand on (`replica-wait.ts`), on
 * the local cluster (`CLICKHOUSE_CLUSTER_URL`), with one replica held back
 * by `SYSTEM STOP FETCHES` / `STOP REPLICATION QUEUES`: a wait must not
 * return while that replica lacks the rows or the mutation, and must
 * return once it is let go.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layoutFromEnv } from '../../scripts/cluster/layout.js';
import { ClusterTopology } from '../../src/store/clickhouse/cluster-topology.js';
import { ClickHouseDriver, parseClickHouseUrl } from '../../src/store/clickhouse/driver.js';
import { awaitNewestMutation, awaitReplicasAgree } from '../../src/store/clickhouse/replica-wait.js';

const CLUSTER_URL = process.env['CLICKHOUSE_CLUSTER_URL'] || undefined;
if (CLUSTER_URL === undefined)
  console.log('cluster replica waits: skipped, CLICKHOUSE_CLUSTER_URL is not set (npm run cluster:up prints it)');

const HELD_MS = 1_500;

describe.runIf(CLUSTER_URL !== undefined)('waiting for every replica of a cluster', () => {
  const layout = layoutFromEnv();
  const database = `teiten_cluster_wait_${process.pid}_${Date.now()}`;
  const on = `ON CLUSTER ${layout.name}`;
  const table = 'held_local';
  let driver: ClickHouseDriver;
  let topology: ClusterTopology;

  const onNode = async (name: string, sql: string): Promise<string> => {
    const node = layout.nodes.find((n) => n.name === name)!;
    const response = await fetch(`http://127.0.0.1:${node.httpPort}/`, { method: 'POST', body: sql });
    const text = await response.text();
    if (!response.ok) throw new Error(`node ${name}: ${text}`);
    return text.trim();
  };
  /** Settles to 'returned' or to 'waiting' if `promise` has not resolved within HELD_MS. */
  const within = (promise: Promise<void>): Promise<string> =>
    Promise.race([
      promise.then(() => 'returned'),
      new Promise<string>((resolve) => setTimeout(() => resolve('waiting'), HELD_MS)),
    ]);

  beforeAll(async () => {
    await onNode('s1r1', `CREATE DATABASE ${database} ${on}`);
    await onNode(
      's1r1',
      `CREATE TABLE ${database}.${table} ${on} (x UInt32) ENGINE = ReplicatedMergeTree(` +
        `'/clickhouse/tables/{shard}/${database}/${table}', '{replica}') ORDER BY x`,
    );
    const url = new URL(CLUSTER_URL!);
    url.pathname = `/${database}`;
    driver = new ClickHouseDriver(parseClickHouseUrl(url.toString()));
    topology = await ClusterTopology.load(driver, layout.name);
  }, 60_000);

  afterAll(async () => {
    await onNode('s1r2', `SYSTEM START FETCHES ${database}.${table}`).catch(() => undefined);
    await onNode('s1r2', `SYSTEM START REPLICATION QUEUES ${database}.${table}`).catch(() => undefined);
    await driver?.close();
    await onNode('s1r1', `DROP DATABASE IF EXISTS ${database} ${on}`).catch(() => undefined);
  });

  it('awaitReplicasAgree() waits while a replica has not fetched a part, and returns once it has', async () => {
    await onNode('s1r2', `SYSTEM STOP FETCHES ${database}.${table}`);
    await onNode('s1r1', `INSERT INTO ${database}.${table} VALUES (1), (2), (3)`);
    const wait = awaitReplicasAgree(driver, topology, table, 30_000);
    expect(await within(wait)).toBe('waiting');
    expect(await onNode('s1r2', `SELECT count() FROM ${database}.${table}`)).toBe('0');
    await onNode('s1r2', `SYSTEM START FETCHES ${database}.${table}`);
    await wait;
    expect(await onNode('s1r2', `SELECT count() FROM ${database}.${table}`)).toBe('3');
  }, 60_000);

  it('awaitNewestMutation() waits for the replica that has not applied the delete, then every replica lacks the rows', async () => {
    await onNode('s1r2', `SYSTEM STOP REPLICATION QUEUES ${database}.${table}`);
    await onNode('s1r1', `ALTER TABLE ${database}.${table} ${on} DELETE WHERE x = 2`);
    const wait = awaitNewestMutation(driver, topology, table, 30_000);
    expect(await within(wait)).toBe('waiting');
    expect(await onNode('s1r2', `SELECT count() FROM ${database}.${table}`)).toBe('3');
    await onNode('s1r2', `SYSTEM START REPLICATION QUEUES ${database}.${table}`);
    await wait;
    for (const node of layout.nodes.filter((n) => n.shard === 1)) {
      expect(await onNode(node.name, `SELECT groupArray(x) FROM (SELECT x FROM ${database}.${table} ORDER BY x)`)).toBe(
        '[1,3]',
      );
    }
  }, 60_000);
});
