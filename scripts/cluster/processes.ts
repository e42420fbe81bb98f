/**
 * @module
 * Starting and stopping the local cluster's processes. Each runs detached
 * with its output in its own directory; the PIDs are kept in `state.json`
 * and a process is stopped only if `/proc/PID/cmdline` still names its own
 * configuration file (a PID reused by another program is left alone).
 */

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { ClusterLayout, ClusterNode } from './layout.js';

const ZOOKEEPER_CLASSPATH = '/usr/share/java/zookeeper.jar';
const ZOOKEEPER_MAIN = 'org.apache.zookeeper.server.ZooKeeperServerMain';
const ZOOKEEPER_HEAP = '-Xmx256m';
const POLL_MS = 100;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
const PING_TIMEOUT_MS = 1000;

export interface ClusterState {
  zooKeeper: number;
  nodes: Record<string, number>;
}

export function statePath(layout: ClusterLayout): string {
  return join(layout.dir, 'state.json');
}

export function readState(layout: ClusterLayout): ClusterState | undefined {
  const path = statePath(layout);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as ClusterState) : undefined;
}

export function writeState(layout: ClusterLayout, state: ClusterState): void {
  writeFileSync(statePath(layout), `${JSON.stringify(state, null, 2)}\n`);
}

function spawnDetached(command: string, args: string[], logFile: string): number {
  mkdirSync(join(logFile, '..'), { recursive: true });
  const out = openSync(logFile, 'a');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', out, out] });
  child.unref();
  if (child.pid === undefined) throw new Error(`Cannot start ${command}: no process id`);
  return child.pid;
}

export function zooCfgPath(layout: ClusterLayout): string {
  return join(layout.dir, 'zookeeper', 'zoo.cfg');
}

export function configPath(node: ClusterNode): string {
  return join(node.dir, 'config.xml');
}

export function startZooKeeper(layout: ClusterLayout): number {
  const cfg = zooCfgPath(layout);
  return spawnDetached(
    'java',
    [ZOOKEEPER_HEAP, '-cp', ZOOKEEPER_CLASSPATH, ZOOKEEPER_MAIN, cfg],
    join(layout.dir, 'zookeeper', 'zookeeper.log'),
  );
}

export function startNode(node: ClusterNode): number {
  return spawnDetached('clickhouse-server', [`--config-file=${configPath(node)}`], join(node.dir, 'stdout.log'));
}

/** True while `pid` runs a command line that mentions `marker` (its configuration file). */
export function isOurs(pid: number, marker: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after STOP_TIMEOUT_MS; returns once the process is gone. */
export async function stopProcess(pid: number, marker: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!isOurs(pid, marker)) return;
  process.kill(pid, signal);
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isOurs(pid, marker)) {
    if (Date.now() > deadline) process.kill(pid, 'SIGKILL');
    await sleep(POLL_MS);
  }
}

export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs = START_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what} did not answer within ${timeoutMs / 1000} s`);
    await sleep(POLL_MS);
  }
}

export async function pingClickHouse(node: ClusterNode): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${node.httpPort}/ping`);
    return response.ok;
  } catch {
    return false;
  }
}

/** ZooKeeper's `ruok` four-letter command answers `imok` once it serves. */
export function pingZooKeeper(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('ruok'));
    // A server still starting may accept and never answer.
    socket.setTimeout(PING_TIMEOUT_MS, () => socket.destroy());
    let answer = '';
    socket.on('data', (d) => {
      answer += String(d);
    });
    socket.on('close', () => resolve(answer === 'imok'));
    socket.on('error', () => resolve(false));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
