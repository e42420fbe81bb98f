/**
 * @module
 * `clusterUp` / `clusterDown` of the local test cluster (`layout.ts`):
 * a fresh directory with the generated configuration, ZooKeeper first,
 * then every clickhouse-server at once; down stops them by PID.
 */

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serverConfigXml, usersXml, zooCfg } from './config-files.js';
import type { ClusterLayout } from './layout.js';
import {
  configPath, isOurs, pingClickHouse, pingZooKeeper, readState, startNode, startZooKeeper, stopProcess, waitFor,
  writeState, zooCfgPath,
} from './processes.js';

/** True when every process of the state file still runs. */
export function clusterRunning(layout: ClusterLayout): boolean {
  const state = readState(layout);
  if (state === undefined || !isOurs(state.zooKeeper, zooCfgPath(layout))) return false;
  return layout.nodes.every((n) => { const pid = state.nodes[n.name]; return pid !== undefined && isOurs(pid, configPath(n)); });
}

export async function clusterUp(layout: ClusterLayout): Promise<void> {
  if (clusterRunning(layout)) return;
  await clusterDown(layout);
  rmSync(layout.dir, { recursive: true, force: true });
  mkdirSync(join(layout.dir, 'zookeeper', 'data'), { recursive: true });
  writeFileSync(zooCfgPath(layout), zooCfg(layout));
  for (const node of layout.nodes) {
    for (const sub of ['data', 'tmp', 'user_files', 'format_schemas']) mkdirSync(join(node.dir, sub), { recursive: true });
    writeFileSync(configPath(node), serverConfigXml(layout, node));
    writeFileSync(join(node.dir, 'users.xml'), usersXml());
  }
  const state = { zooKeeper: startZooKeeper(layout), nodes: {} as Record<string, number> };
  writeState(layout, state);
  await waitFor(`ZooKeeper on port ${layout.zooKeeperPort}`, () => pingZooKeeper(layout.zooKeeperPort));
  for (const node of layout.nodes) state.nodes[node.name] = startNode(node);
  writeState(layout, state);
  await Promise.all(layout.nodes.map((n) => waitFor(`clickhouse-server ${n.name} on port ${n.httpPort}`, () => pingClickHouse(n))));
}

export async function clusterDown(layout: ClusterLayout): Promise<void> {
  const state = readState(layout);
  if (state === undefined) return;
  await Promise.all(layout.nodes.map(async (n) => {
    const pid = state.nodes[n.name];
    if (pid !== undefined) await stopProcess(pid, configPath(n));
  }));
  await stopProcess(state.zooKeeper, zooCfgPath(layout));
}
