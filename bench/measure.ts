/**
 * @module
 * Runs a command under GNU time so every contender (teiten and the reference
 * tools) is measured the same way: wall seconds, CPU seconds (user and
 * system, all threads) and peak RSS of the process.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Measured {
  seconds: number;
  /** User and system CPU of the process and its threads: steadier than wall time on a shared machine. */
  cpuSeconds: number;
  maxRssKiB: number;
  stdout: string;
  stderr: string;
}

const GNU_TIME = '/usr/bin/time';
const MARK = 'TEITEN_BENCH';

export function measure(command: string, args: readonly string[]): Measured {
  if (!existsSync(GNU_TIME)) throw new Error(`Cannot benchmark: ${GNU_TIME} (Debian package 'time') is missing`);
  const result = spawnSync(GNU_TIME, ['-f', `${MARK} %e %M %U %S`, command, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (result.status !== 0) {
    throw new Error(`Benchmark command failed (${result.status}): ${command} ${args.join(' ')}\n${result.stderr}`);
  }
  const line = result.stderr
    .split('\n')
    .reverse()
    .find((l) => l.startsWith(MARK));
  if (line === undefined) throw new Error(`GNU time printed no measurement for ${command}`);
  const [, seconds, rss, user, system] = line.split(' ');
  return {
    seconds: Number(seconds),
    cpuSeconds: Number(user) + Number(system),
    maxRssKiB: Number(rss),
    stdout: result.stdout,
    stderr: result.stderr.replace(line, ''),
  };
}

/** Best (fastest) of `runs` measurements; the machine is shared, so the minimum is the stable figure. */
export function best(runs: number, command: string, args: readonly string[]): Measured {
  let winner: Measured | undefined;
  for (let k = 0; k < runs; k++) {
    const m = measure(command, args);
    if (winner === undefined || m.seconds < winner.seconds) winner = m;
  }
  return winner!;
}
