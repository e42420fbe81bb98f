/**
 * @module
 * `SpoolLock`: one agent per spool directory. Two agents sharing a spool
 * would give two segments one sequence number. The lock is a `lock` file
 * created exclusively with the holder's pid; a lock whose process is gone (a
 * crash, SIGKILL) is taken over.
 */
import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { AgentError, AgentErrorCode } from './errors.js';

const LOCK_FILE = 'lock';
/** Locks this process holds (a pid check alone cannot tell them from a crashed run's). */
const HELD = new Set<string>();

export class SpoolLock {
  readonly #path: string;

  private constructor(path: string) {
    this.#path = path;
  }

  static async acquire(dir: string): Promise<SpoolLock> {
    const path = join(dir, LOCK_FILE);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open(path, 'wx', 0o600);
        await handle.writeFile(`${process.pid}\n`);
        await handle.close();
        HELD.add(path);
        return new SpoolLock(path);
      } catch (error: unknown) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new AgentError(AgentErrorCode.SPOOL, `Cannot lock the spool ${dir}: ${(error as Error).message}`, {
            cause: error,
          });
        }
      }
      const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      const ours = holder === process.pid && HELD.has(path);
      if (ours || (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder))) {
        throw new AgentError(AgentErrorCode.SPOOL, `Cannot use the spool ${dir}: agent process ${holder} holds it`);
      }
      await unlink(path).catch(() => undefined);
    }
    throw new AgentError(AgentErrorCode.SPOOL, `Cannot lock the spool ${dir}: another agent keeps taking the lock`);
  }

  async release(): Promise<void> {
    HELD.delete(this.#path);
    await unlink(this.#path).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error: unknown) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
