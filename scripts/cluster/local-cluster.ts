/**
 * @module
 * `clusterUp` / `clusterDown` of the local test cluster (`layout.ts`):
 * a fresh directory with the generated configuration, ZooKeeper first,
 * then every clickhouse-server at once; down stops them by PID.
 */

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serverConfigXml, usersXml, ZK_SESSION_TIMEOUT_MS, ZK_TICK_MS, zooCfg } from './config-files.js';
import type { ClusterLayout, ClusterNode } from './layout.js';
import {
  configPath,
  isOurs,
  pingClickHouse,
  pingZooKeeper,
  readState,
  sleep,
  startNode,
  startZooKeeper,
  stopProcess,
  waitFor,
  writeState,
  zooCfgPath,
} from './processes.js';

/** Pause after start-up before the cluster is handed out (see `clusterUp`). */
const SETTLE_MS = 5000;
/** How long the nodes may take to work through the DDL queue after a restart. */
const DDL_CATCH_UP_SEC = 120;

/** True when every process of the state file still runs. */
export function clusterRunning(layout: ClusterLayout): boolean {
  const state = readState(layout);
  if (state === undefined || !isOurs(state.zooKeeper, zooCfgPath(layout))) return false;
  return layout.nodes.every((n) => {
    const pid = state.nodes[n.name];
    return pid !== undefined && isOurs(pid, configPath(n));
  });
}

export async function clusterUp(layout: ClusterLayout): Promise<void> {
  if (clusterRunning(layout)) return;
  await clusterDown(layout);
  rmSync(layout.dir, { recursive: true, force: true });
  mkdirSync(join(layout.dir, 'zookeeper', 'data'), { recursive: true });
  writeFileSync(zooCfgPath(layout), zooCfg(layout));
  for (const node of layout.nodes) {
    for (const sub of ['data', 'tmp', 'user_files', 'format_schemas'])
      mkdirSync(join(node.dir, sub), { recursive: true });
    writeFileSync(configPath(node), serverConfigXml(layout, node));
    writeFileSync(join(node.dir, 'users.xml'), usersXml());
  }
  const state = { zooKeeper: startZooKeeper(layout), nodes: {} as Record<string, number> };
  writeState(layout, state);
  await waitFor(`ZooKeeper on port ${layout.zooKeeperPort}`, () => pingZooKeeper(layout.zooKeeperPort));
  for (const node of layout.nodes) state.nodes[node.name] = startNode(node);
  writeState(layout, state);
  await Promise.all(
    layout.nodes.map((n) => waitFor(`clickhouse-server ${n.name} on port ${n.httpPort}`, () => pingClickHouse(n))),
  );
  // 18.16 can crash on distributed DDL sent before its ZooKeeper session is up: wait for every node's,
  // then a little more (on a loaded machine the first DDL of fresh servers still crashed one without it).
  await Promise.all(
    layout.nodes.map((n) =>
      waitFor(`the ZooKeeper session of ${n.name}`, () =>
        answers(n, "SELECT count() FROM system.zookeeper WHERE path = '/'", /^\d+$/),
      ),
    ),
  );
  await sleep(SETTLE_MS);
}

export async function clusterDown(layout: ClusterLayout): Promise<void> {
  const state = readState(layout);
  if (state === undefined) return;
  await Promise.all(
    layout.nodes.map(async (n) => {
      const pid = state.nodes[n.name];
      if (pid !== undefined) await stopProcess(pid, configPath(n));
    }),
  );
  await stopProcess(state.zooKeeper, zooCfgPath(layout));
}

function nodeNamed(layout: ClusterLayout, name: string): ClusterNode {
  const node = layout.nodes.find((n) => n.name === name);
  if (node === undefined)
    throw new RangeError(`Cannot find node ${name}: the cluster has ${layout.nodes.map((n) => n.name).join(', ')}`);
  return node;
}

/** When each node killed by this process died: its ZooKeeper session outlives it by up to a session timeout. */
const killedAt = new Map<string, number>();

/** Stops one node (SIGKILL: as a crash; SIGTERM: a clean stop), for the fault tests. */
export async function stopNode(layout: ClusterLayout, name: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  const node = nodeNamed(layout, name);
  const pid = readState(layout)?.nodes[name];
  if (pid !== undefined) await stopProcess(pid, configPath(node), signal);
  if (signal === 'SIGKILL') killedAt.set(name, Date.now());
}

/** Starts a stopped node again with its data, and waits until it answers and its replicated tables take writes. */
export async function restartNode(layout: ClusterLayout, name: string): Promise<void> {
  const node = nodeNamed(layout, name);
  const state = readState(layout);
  if (state === undefined) throw new Error(`Cannot restart ${name}: no cluster state in ${layout.dir}`);
  const pid = state.nodes[name];
  if (pid === undefined || !isOurs(pid, configPath(node))) {
    // A killed node's session (and its replicas' is_active nodes) lives on until ZooKeeper expires it. Started
    // before that, 18.16 cannot activate its replicas ("appears to be already active"), reports them writable all
    // the same, retries every 10 s, and under load has crashed (SIGSEGV in tryFinalizeMutations) when it succeeds.
    const expired = (killedAt.get(name) ?? 0) + ZK_SESSION_TIMEOUT_MS + ZK_TICK_MS;
    if (Date.now() < expired) await sleep(expired - Date.now());
    killedAt.delete(name);
    state.nodes[name] = startNode(node);
    writeState(layout, state);
  }
  await waitFor(`clickhouse-server ${name} on port ${node.httpPort}`, () => pingClickHouse(node));
  // Replicated tables are read-only until the node's ZooKeeper session is up again.
  await waitFor(`the replicated tables of ${name}`, () =>
    answers(node, 'SELECT count() FROM system.replicas WHERE is_readonly', /^0$/),
  );
}

/**
 * Returns once every node has run a no-op ON CLUSTER statement: a node that
 * was down catches up on the DDL it missed in queue order, so afterwards
 * none is still working through a backlog the next statement would wait on.
 */
export async function awaitDdlQueue(layout: ClusterLayout): Promise<void> {
  const node = layout.nodes[0]!;
  const response = await fetch(`http://127.0.0.1:${node.httpPort}/?distributed_ddl_task_timeout=${DDL_CATCH_UP_SEC}`, {
    method: 'POST',
    body: `DROP DATABASE IF EXISTS teiten_ddl_probe ON CLUSTER ${layout.name}`,
  });
  if (!response.ok) throw new Error(`the nodes did not catch up on distributed DDL: ${await response.text()}`);
}

/** True when `sql` on `node` succeeds with an answer matching `expected`. */
async function answers(node: ClusterNode, sql: string, expected: RegExp): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${node.httpPort}/`, { method: 'POST', body: sql });
    return response.ok && expected.test((await response.text()).trim());
  } catch {
    return false;
  }
}
