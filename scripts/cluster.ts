/**
 * @module
 * `npm run cluster:up` / `cluster:down` / `cluster:status`: a local
 * ClickHouse cluster (2 shards × 2 replicas plus one ZooKeeper, from
 * Debian's clickhouse-server and zookeeper packages) for tests and demos.
 * `up` ends by printing the `--store` URL. Options (env):
 * TEITEN_CLUSTER_DIR (`.cluster`), TEITEN_CLUSTER_PORT_BASE (19100).
 */

import { clusterDown, clusterRunning, clusterUp } from './cluster/local-cluster.js';
import { clusterStoreUrl, layoutFromEnv } from './cluster/layout.js';

const layout = layoutFromEnv();
const command = process.argv[2];

if (command === 'up') {
  const started = Date.now();
  await clusterUp(layout);
  const nodes = layout.nodes.map((n) => `${n.name} :${n.httpPort}`).join(', ');
  console.error(
    `cluster ${layout.name} up in ${((Date.now() - started) / 1000).toFixed(1)} s: ZooKeeper :${layout.zooKeeperPort}, ${nodes}`,
  );
  console.log(clusterStoreUrl(layout));
} else if (command === 'down') {
  await clusterDown(layout);
  console.error(`cluster ${layout.name} stopped`);
} else if (command === 'status') {
  const running = clusterRunning(layout);
  console.log(running ? clusterStoreUrl(layout) : 'not running');
  process.exitCode = running ? 0 : 1;
} else {
  console.error('usage: cluster.js up | down | status');
  process.exitCode = 2;
}
