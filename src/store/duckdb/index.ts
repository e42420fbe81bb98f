/**
 * @module
 * The DuckDB store: a database file (created when missing) or `:memory:`,
 * no server and no set-up. One store per file per process; another process
 * holding the file makes opening fail with `StoreOpenError`.
 */

import type { DuckDBInstance } from '@duckdb/node-api';
import { StoreOpenError } from '../errors.js';
import { SqlStore } from '../sql-store.js';
import type { AnalyticsStore, StoreOptions } from '../store.js';
import { DuckDbSession } from './session.js';
import { DuckDBInstance as Instance } from './node-api.js';

export const DUCKDB_MEMORY = ':memory:';
const URL_PREFIX = 'duckdb:';
const KIB = 1024;

/** `duckdb:/path/file.db`, `duckdb::memory:`, a plain path or `:memory:` → what DuckDB opens. */
export function duckDbPath(target: string): string {
  const path = target.startsWith(URL_PREFIX) ? target.slice(URL_PREFIX.length).replace(/^\/\/(?=\/)/, '') : target;
  if (path === '') throw new StoreOpenError(target, 'no database path given');
  return path;
}

/** Opens (without migrating) the DuckDB store at `target`. */
export async function openDuckDbStore(target: string, options: StoreOptions = {}): Promise<AnalyticsStore> {
  const path = duckDbPath(target);
  let instance: DuckDBInstance;
  try {
    const limit = options.memoryLimitBytes;
    instance = await Instance.create(path, limit === undefined ? {} : { memory_limit: `${Math.max(1, Math.floor(limit / KIB))}KiB` });
  } catch (cause) {
    throw new StoreOpenError(target, cause instanceof Error ? cause.message : String(cause), { cause });
  }
  const session = new DuckDbSession(instance, await instance.connect());
  try {
    return new SqlStore(session, options);
  } catch (error) {
    await session.close();
    throw error;
  }
}
