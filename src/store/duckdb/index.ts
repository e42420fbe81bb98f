/**
 * @module
 * The DuckDB store: a database file (created when missing) or `:memory:`,
 * no server and no set-up. One store per file per process: DuckDB locks the
 * file for the process that opened it, so while an ingest runs no other
 * process can open it, not even to read, and `open-files.ts` holds a second
 * open in the same process back in the same way. Opening therefore retries for
 * `lockWaitSec` (the CLI's `--wait SECONDS`) and then fails with
 * `StoreLockedError`, naming the holder's pid, rather than with DuckDB's
 * I/O error. (Reading the last committed state from another process is not
 * possible with DuckDB's single-process file lock.)
 */

import { existsSync } from 'node:fs';
import type { DuckDBInstance } from '@duckdb/node-api';
import { StoreLockedError, StoreOpenError } from '../errors.js';
import { SqlStore } from '../sql-store.js';
import type { AnalyticsStore, StoreOptions } from '../store.js';
import { memoryLimitSetting, roomyLimitBytes } from './memory-limit.js';
import { claimFile, type FileClaim } from './open-files.js';
import { DuckDbSession } from './session.js';
import { DuckDBInstance as Instance } from './node-api.js';

export const DUCKDB_MEMORY = ':memory:';
const URL_PREFIX = 'duckdb:';
/** DuckDB's message when another process holds the file, and the holder's pid in it. */
const LOCK_MESSAGE = /Could not set lock on file/i;
const LOCK_PID = /\(PID (\d+)\)/;
const LOCK_RETRY_MS = 200;
const MS_PER_SECOND = 1000;

/** `duckdb:/path/file.db`, `duckdb::memory:`, a plain path or `:memory:` → what DuckDB opens. */
export function duckDbPath(target: string): string {
  const path = target.startsWith(URL_PREFIX) ? target.slice(URL_PREFIX.length).replace(/^\/\/(?=\/)/, '') : target;
  if (path === '') throw new StoreOpenError(target, 'no database path given');
  return path;
}

/** True when the DuckDB file `target` names exists (`:memory:` always does). */
export function duckDbStoreExists(target: string): boolean {
  const path = duckDbPath(target);
  return path === DUCKDB_MEMORY || existsSync(path);
}

/** Opens (without migrating) the DuckDB store at `target`. */
export async function openDuckDbStore(target: string, options: StoreOptions = {}): Promise<AnalyticsStore> {
  const path = duckDbPath(target);
  const { instance, release } = await createInstance(target, path, options);
  let session: DuckDbSession;
  try {
    session = new DuckDbSession(instance, await instance.connect(), {
      walPath: path === DUCKDB_MEMORY ? undefined : `${path}.wal`,
      onClosed: release,
      ...(options.memoryLimitBytes === undefined ? {} : { memoryShareBytes: options.memoryLimitBytes }),
    });
  } catch (error) {
    instance.closeSync();
    release();
    throw error;
  }
  try {
    return new SqlStore(session, options);
  } catch (error) {
    await session.close();
    throw error;
  }
}

/**
 * Opens the file, waiting while another process holds its lock or this
 * process has it open (`open-files.ts`), up to `options.lockWaitSec`.
 * `release` gives the file back to this process once the instance is closed.
 */
async function createInstance(
  target: string,
  path: string,
  options: StoreOptions,
): Promise<{ instance: DuckDBInstance; release: () => void }> {
  const waitMs = (options.lockWaitSec ?? 0) * MS_PER_SECOND;
  const started = Date.now();
  let told = false;
  for (;;) {
    const claim: FileClaim = path === DUCKDB_MEMORY ? { release: () => undefined } : claimFile(path);
    let holder: { name: string; pid: number | undefined; hint: string; cause?: unknown };
    if ('release' in claim) {
      try {
        const share = options.memoryLimitBytes;
        // The share plus DuckDB's floor for appends (`memory-limit.ts`): replaying the WAL needs the floor.
        const instance = await Instance.create(
          path,
          share === undefined ? {} : { memory_limit: memoryLimitSetting(roomyLimitBytes(share)) },
        );
        return { instance, release: claim.release };
      } catch (cause) {
        claim.release();
        const message = cause instanceof Error ? cause.message : String(cause);
        if (!LOCK_MESSAGE.test(message)) throw new StoreOpenError(target, message, { cause });
        const pid = LOCK_PID.exec(message)?.[1];
        holder = {
          name: `another process${pid === undefined ? '' : ` (pid ${pid})`}`,
          pid: pid === undefined ? undefined : Number(pid),
          hint: 'a DuckDB file is open in one process at a time; try again when it is done, or wait for it with --wait SECONDS',
          cause,
        };
      }
    } else {
      holder = {
        name: `this process (pid ${process.pid})`,
        pid: process.pid,
        hint: 'a DuckDB file is opened once per process; close the store that has it open first',
      };
    }
    const waited = Date.now() - started;
    if (waited >= waitMs) {
      throw new StoreLockedError(target, {
        holder: holder.name,
        holderPid: holder.pid,
        waitedSec: Math.round(waited / MS_PER_SECOND),
        hint: holder.hint,
        ...(holder.cause === undefined ? {} : { cause: holder.cause }),
      });
    }
    if (!told) options.onLockWait?.(holder.name);
    told = true;
    const pause = new Promise((resolve) => setTimeout(resolve, Math.min(LOCK_RETRY_MS, waitMs - waited)));
    await ('heldUntil' in claim ? Promise.race([claim.heldUntil, pause]) : pause);
  }
}
