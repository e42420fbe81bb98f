/**
 * @module
 * The DuckDB store: a database file (created when missing) or `:memory:`,
 * no server and no set-up. One store per file per process: DuckDB locks the
 * file for the process that opened it, so while an ingest runs no other
 * process can open it, not even to read. Opening therefore retries for
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
  const instance = await createInstance(target, path, options);
  const session = new DuckDbSession(instance, await instance.connect(), {
    walPath: path === DUCKDB_MEMORY ? undefined : `${path}.wal`,
    ...(options.memoryLimitBytes === undefined ? {} : { memoryShareBytes: options.memoryLimitBytes }),
  });
  try {
    return new SqlStore(session, options);
  } catch (error) {
    await session.close();
    throw error;
  }
}

/** Opens the file, retrying while another process holds its lock, up to `options.lockWaitSec`. */
async function createInstance(target: string, path: string, options: StoreOptions): Promise<DuckDBInstance> {
  const waitMs = (options.lockWaitSec ?? 0) * MS_PER_SECOND;
  const started = Date.now();
  let told = false;
  for (;;) {
    try {
      const share = options.memoryLimitBytes;
      // The share plus DuckDB's floor for appends (`memory-limit.ts`): replaying the WAL needs the floor.
      return await Instance.create(
        path,
        share === undefined ? {} : { memory_limit: memoryLimitSetting(roomyLimitBytes(share)) },
      );
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : String(cause);
      if (!LOCK_MESSAGE.test(message)) throw new StoreOpenError(target, message, { cause });
      const pid = LOCK_PID.exec(message)?.[1];
      const holder = `another process${pid === undefined ? '' : ` (pid ${pid})`}`;
      const waited = Date.now() - started;
      if (waited >= waitMs) {
        throw new StoreLockedError(target, {
          holder,
          holderPid: pid === undefined ? undefined : Number(pid),
          waitedSec: Math.round(waited / MS_PER_SECOND),
          hint: 'a DuckDB file is open in one process at a time; try again when it is done, or wait for it with --wait SECONDS',
          cause,
        });
      }
      if (!told) options.onLockWait?.(holder);
      told = true;
      await new Promise((resolve) => setTimeout(resolve, Math.min(LOCK_RETRY_MS, waitMs - waited)));
    }
  }
}
