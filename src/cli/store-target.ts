/**
 * @module
 * The `--db FILE | --store URL` pair every store command takes: which store
 * to open (default `teiten.duckdb` in the current directory), checked at the
 * CLI edge, and the open itself, with `--wait SECONDS`: how long to wait for
 * a DuckDB file another teiten process holds (an ingest), saying so on stderr.
 * Only the commands that register sensors create a store; every other one
 * says there is none (a typo in `--db` must not leave an empty store behind).
 */
import { basename } from 'node:path';
import { DEFAULT_STORE_PATH, openStore, storeExists, type AnalyticsStore, type StoreOptions } from '../store/index.js';
import { UsageError } from './errors.js';

/** Longest `--wait`: a day. */
const MAX_WAIT_SEC = 86_400;

/** The store target the options name. */
export function storeTarget(values: Record<string, unknown>): string {
  const db = values.db;
  const store = values.store;
  if (db !== undefined && store !== undefined) throw new UsageError('give --db or --store, not both');
  const target = (store ?? db ?? DEFAULT_STORE_PATH) as string;
  if (target === '') throw new UsageError(`--${store === undefined ? 'db' : 'store'} must not be empty`);
  return target;
}

/** The store as a report names it: a file's base name, or a URL's host and path without credentials. */
export function storeDisplayName(values: Record<string, unknown>): string {
  const url = values['store'];
  if (typeof url === 'string') {
    try {
      const parsed = new URL(url);
      return `${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
    } catch {
      return 'store';
    }
  }
  return basename(typeof values['db'] === 'string' ? values['db'] : DEFAULT_STORE_PATH);
}

/** Store options plus whether the command may create the store (default: it must exist). */
export type OpenOptions = StoreOptions & { create?: boolean };

/** Opens the store the options name (with `options`, and `--wait`). */
export async function openStoreFromOptions(
  values: Record<string, unknown>,
  options: OpenOptions = {},
): Promise<AnalyticsStore> {
  const target = storeTarget(values);
  const { create = false, ...storeOptions } = options;
  if (!create && !(await storeExists(target))) {
    throw new UsageError(
      `no store at ${target}: register a sensor first (teiten sensors add), or name one with --db FILE or --store URL`,
    );
  }
  return openStore(target, { ...storeOptions, ...storeOpenOptions(values) });
}

/** Opens the store the options name (with `options`, and `--wait`), runs `fn` with it, and closes it. */
export async function withStore<T>(
  values: Record<string, unknown>,
  fn: (store: AnalyticsStore) => Promise<T>,
  options: OpenOptions = {},
): Promise<T> {
  return withPreparedStore(values, { prepare: async () => undefined, options }, (store) => fn(store));
}

/**
 * `withStore` with `prepare` (loading GeoIP databases and rules) run while
 * the store opens: DuckDB opens and checks its schema on its own threads,
 * so the two overlap; a one-packet ingest saves the wait. When both fail,
 * the store's error is the one reported.
 */
export async function withPreparedStore<P, T>(
  values: Record<string, unknown>,
  setup: { prepare: () => Promise<P>; options?: OpenOptions },
  fn: (store: AnalyticsStore, prepared: P) => Promise<T>,
): Promise<T> {
  const opening = openStoreFromOptions(values, setup.options);
  const [opened, prepared] = await Promise.allSettled([opening, setup.prepare()]);
  if (opened.status === 'rejected') throw opened.reason;
  const store = opened.value;
  try {
    if (prepared.status === 'rejected') throw prepared.reason;
    return await fn(store, prepared.value);
  } finally {
    await store.close();
  }
}

/** `--wait SECONDS` as store options: the wait, and the message printed when it starts. */
export function storeOpenOptions(values: Record<string, unknown>): Pick<StoreOptions, 'lockWaitSec' | 'onLockWait'> {
  const raw = values.wait;
  if (raw === undefined) return {};
  const text = String(raw);
  const seconds = Number(text);
  if (!/^\d*\.?\d+$/.test(text) || !(seconds >= 0) || seconds > MAX_WAIT_SEC) {
    throw new UsageError(`--wait must be a number of seconds from 0 to ${MAX_WAIT_SEC}, got '${text}'`);
  }
  return {
    lockWaitSec: seconds,
    onLockWait: (holder) => {
      process.stderr.write(
        `teiten: waiting for the store lock held by ${holder} (another teiten process?), up to ${text} s…\n`,
      );
    },
  };
}
