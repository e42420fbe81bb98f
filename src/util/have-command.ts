/**
 * @module
 * Whether a program is on the PATH: the reference tools (tshark, tcpdump,
 * tracestats) are optional on a developer's machine, and the tests and
 * benchmarks that compare with them skip, saying why, when one is missing.
 */

import { spawnSync } from 'node:child_process';

/** True when `name` resolves to a command (POSIX `command -v`; no shell metacharacters expected). */
export function haveCommand(name: string): boolean {
  if (!/^[\w.+-]+$/.test(name)) throw new TypeError(`Cannot look up command '${name}': not a plain program name`);
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}
