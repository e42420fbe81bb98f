/**
 * @module
 * A network namespace joined to the host by a veth pair, for live-capture
 * tests and benchmarks: the sensor's interface inside the namespace, the
 * sender's on the host, a /30 per process from RFC 6598 shared space so the
 * host's own networks are left alone. Needs root, `ip` and `tcpdump`.
 */
import { spawnSync } from 'node:child_process';
import { haveCommand } from '../../util/have-command.js';

export interface VethPair {
  ns: string;
  hostIf: string;
  sensorIf: string;
  hostAddr: string;
  sensorAddr: string;
  /** Why the pair cannot be made here, or undefined when it can. */
  skipReason(): string | undefined;
  /** Makes the namespace and the pair; throws naming the step that failed. */
  up(): void;
  /** Removes both, whatever state they are in. */
  down(): void;
}

const sh = (args: readonly string[]): boolean => spawnSync(args[0]!, args.slice(1), { stdio: 'ignore' }).status === 0;

/** The pair of this process; `tag` (two letters) keeps a test's and a benchmark's names apart. */
export function vethPair(tag: string): VethPair {
  const ns = `teiten-${tag}-${process.pid}`;
  const hostIf = `${tag}${process.pid % 100000}a`;
  const sensorIf = `${tag}${process.pid % 100000}b`;
  const subnet = `100.${64 + (process.pid % 60)}.${(process.pid >> 6) % 250}`;
  const hostAddr = `${subnet}.1`;
  const sensorAddr = `${subnet}.2`;
  return {
    ns, hostIf, sensorIf, hostAddr, sensorAddr,
    skipReason() {
      if (process.getuid?.() !== 0) return 'not running as root';
      if (!haveCommand('ip') || !haveCommand('tcpdump')) return 'ip or tcpdump is not installed';
      if (spawnSync('ip', ['-4', 'addr'], { encoding: 'utf8' }).stdout.includes(`inet ${subnet}.`)) return `the host already uses ${subnet}.0/30`;
      return undefined;
    },
    up() {
      const steps = [
        ['ip', 'netns', 'add', ns],
        ['ip', 'link', 'add', hostIf, 'type', 'veth', 'peer', 'name', sensorIf],
        ['ip', 'link', 'set', sensorIf, 'netns', ns],
        ['ip', 'addr', 'add', `${hostAddr}/30`, 'dev', hostIf],
        ['ip', 'link', 'set', hostIf, 'up'],
        ['ip', 'netns', 'exec', ns, 'ip', 'addr', 'add', `${sensorAddr}/30`, 'dev', sensorIf],
        ['ip', 'netns', 'exec', ns, 'ip', 'link', 'set', sensorIf, 'up'],
        ['ip', 'netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up'],
      ];
      for (const step of steps) if (!sh(step)) throw new Error(`Cannot set up the namespace: ${step.join(' ')} failed`);
    },
    down() {
      sh(['ip', 'netns', 'del', ns]);
      sh(['ip', 'link', 'del', hostIf]);
    },
  };
}
