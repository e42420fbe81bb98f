/**
 * @module
 * The local test cluster as data: one ZooKeeper and SHARDS × REPLICAS
 * clickhouse-server processes on loopback ports, each with its own
 * directory under the cluster directory (`.cluster/` by default). Ports
 * start at `TEITEN_CLUSTER_PORT_BASE` (19100), away from the packaged
 * server's 8123/9000/9009.
 */

import { join, resolve } from 'node:path';

export const CLUSTER_NAME = 'teiten_local';
export const SHARDS = 2;
export const REPLICAS = 2;
export const DEFAULT_PORT_BASE = 19_100;
/** Offsets from the port base: ZooKeeper, then one block of ten per port kind, indexed by node. */
const HTTP_OFFSET = 10;
const TCP_OFFSET = 20;
const INTERSERVER_OFFSET = 30;
const MAX_NODES = 10;

export interface ClusterNode {
  /** 1-based, as in the `{shard}` macro. */
  readonly shard: number;
  readonly replica: number;
  /** `s1r1` …: the `{replica}` macro and the node's directory name. */
  readonly name: string;
  readonly httpPort: number;
  readonly tcpPort: number;
  readonly interserverPort: number;
  readonly dir: string;
}

export interface ClusterLayout {
  readonly dir: string;
  readonly name: string;
  readonly zooKeeperPort: number;
  readonly nodes: readonly ClusterNode[];
}

export function clusterLayout(
  dir: string,
  options: { portBase?: number | undefined; shards?: number | undefined; replicas?: number | undefined } = {},
): ClusterLayout {
  const base = options.portBase ?? DEFAULT_PORT_BASE;
  const shards = options.shards ?? SHARDS;
  const replicas = options.replicas ?? REPLICAS;
  if (shards * replicas > MAX_NODES)
    throw new RangeError(`Cannot lay out ${shards} × ${replicas} nodes: at most ${MAX_NODES}`);
  const nodes: ClusterNode[] = [];
  for (let shard = 1; shard <= shards; shard++) {
    for (let replica = 1; replica <= replicas; replica++) {
      const index = nodes.length;
      const name = `s${shard}r${replica}`;
      nodes.push({
        shard,
        replica,
        name,
        httpPort: base + HTTP_OFFSET + index,
        tcpPort: base + TCP_OFFSET + index,
        interserverPort: base + INTERSERVER_OFFSET + index,
        dir: join(dir, name),
      });
    }
  }
  return { dir, name: CLUSTER_NAME, zooKeeperPort: base, nodes };
}

/** The `--store` URL for database `database` through `node` (the first by default). */
export function clusterStoreUrl(layout: ClusterLayout, database = 'teiten', node = layout.nodes[0]!): string {
  return `clickhouse://127.0.0.1:${node.httpPort}/${database}?cluster=${layout.name}`;
}

/**
 * The layout `npm run cluster:up` uses: TEITEN_CLUSTER_DIR (`.cluster`),
 * TEITEN_CLUSTER_PORT_BASE (19100), TEITEN_CLUSTER_SHARDS (2) and TEITEN_CLUSTER_REPLICAS (2).
 */
export function layoutFromEnv(env: NodeJS.ProcessEnv = process.env): ClusterLayout {
  const number = (name: string): number | undefined => (env[name] === undefined ? undefined : Number(env[name]));
  return clusterLayout(resolve(env['TEITEN_CLUSTER_DIR'] ?? '.cluster'), {
    portBase: number('TEITEN_CLUSTER_PORT_BASE'),
    shards: number('TEITEN_CLUSTER_SHARDS'),
    replicas: number('TEITEN_CLUSTER_REPLICAS'),
  });
}
