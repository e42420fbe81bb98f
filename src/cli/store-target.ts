/**
 * @module
 * The `--db FILE | --store URL` pair every store command takes: which store
 * to open (default `teiten.duckdb` in the current directory), checked at the
 * CLI edge, and the open itself.
 */
import { DEFAULT_STORE_PATH, openStore, type AnalyticsStore, type StoreOptions } from '../store/index.js';
import { UsageError } from './errors.js';

/** The store target the options name. */
export function storeTarget(values: Record<string, unknown>): string {
  const db = values.db;
  const store = values.store;
  if (db !== undefined && store !== undefined) throw new UsageError('give --db or --store, not both');
  const target = (store ?? db ?? DEFAULT_STORE_PATH) as string;
  if (target === '') throw new UsageError(`--${store === undefined ? 'db' : 'store'} must not be empty`);
  return target;
}

/** Opens the store the options name (with `options`), runs `fn` with it, and closes it. */
export async function withStore<T>(
  values: Record<string, unknown>,
  fn: (store: AnalyticsStore) => Promise<T>,
  options: StoreOptions = {},
): Promise<T> {
  const store = await openStore(storeTarget(values), options);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
