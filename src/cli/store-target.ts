/**
 * @module
 * The `--db FILE | --store URL` pair every store command takes: which store
 * to open (default `teiten.duckdb` in the current directory), checked at the
 * CLI edge, and `withStore`, the one way a command opens it, with `--wait
 * SECONDS`: how long to wait for a DuckDB file another teiten process holds
 * (an ingest), saying so on stderr. Only the commands that register sensors
 * create a store; every other one says there is none (a typo in `--db` must
 * not leave an empty store behind).
 */
import { basename } from 'node:path';
import { DEFAULT_STORE_PATH, openStore, storeExists, type AnalyticsStore, type StoreOptions } from '../store/index.js';
import { UsageError } from './errors.js';
import { parsed, optionalText, type OptionValues } from './options.js';

/** Longest `--wait`: a day. */
const MAX_WAIT_SEC = 86_400;

function waitSeconds(value: string): number {
  const seconds = Number(value);
  if (!/^\d*\.?\d+$/.test(value) || !(seconds >= 0) || seconds > MAX_WAIT_SEC)
    throw new RangeError(`must be a number of seconds from 0 to ${MAX_WAIT_SEC}, got '${value}'`);
  return seconds;
}

/** `--db`, `--store` and `--wait` (declared for parseArgs in `commands.ts`). */
export const STORE_SHAPE = { db: optionalText(), store: optionalText(), wait: parsed(waitSeconds).optional() };

/** The store options' values. */
export type StoreChoice = OptionValues<typeof STORE_SHAPE>;

/** The store target the options name. */
export function storeTarget(choice: Pick<StoreChoice, 'db' | 'store'>): string {
  const { db, store } = choice;
  if (db !== undefined && store !== undefined) throw new UsageError('give --db or --store, not both');
  const target = store ?? db ?? DEFAULT_STORE_PATH;
  if (target === '') throw new UsageError(`--${store === undefined ? 'db' : 'store'} must not be empty`);
  return target;
}

/** The store as a report names it: a file's base name, or a URL's host and path without credentials. */
export function storeDisplayName(choice: Pick<StoreChoice, 'db' | 'store'>): string {
  if (choice.store !== undefined) {
    try {
      const parsedUrl = new URL(choice.store);
      return `${parsedUrl.host}${parsedUrl.pathname === '/' ? '' : parsedUrl.pathname}`;
    } catch {
      return 'store';
    }
  }
  return basename(choice.db ?? DEFAULT_STORE_PATH);
}

/**
 * How `withStore` opens: store options, whether the command may create the
 * store (default: it must exist), and `prepare` (loading GeoIP databases
 * and rules), run while the store opens: DuckDB opens its file and replays
 * its WAL on its own threads, so the two overlap; a one-packet ingest saves
 * the wait.
 */
export type OpenOptions<P> = StoreOptions & { create?: boolean; prepare?: () => Promise<P> };

/**
 * Opens the store the options name, runs `fn` with it (and what `prepare`
 * made), and closes it. When opening and preparing both fail, the store's
 * error is the one reported.
 */
export async function withStore<T, P = undefined>(
  choice: StoreChoice,
  fn: (store: AnalyticsStore, prepared: P) => Promise<T>,
  options: OpenOptions<P> = {},
): Promise<T> {
  const { create = false, prepare, ...storeOptions } = options;
  const target = storeTarget(choice);
  // Also loads the backend's module (DuckDB's: ~60 ms of the main thread), so that opening reaches DuckDB's threads at once.
  if (!create && !(await storeExists(target))) {
    throw new UsageError(
      `no store at ${target}: register a sensor first (teiten sensors add), or name one with --db FILE or --store URL`,
    );
  }
  const opening = openStore(target, { ...storeOptions, ...storeOpenOptions(choice) });
  opening.catch(() => undefined); // settled below; not an unhandled rejection while waiting for the next turn
  // Until the next turn of the event loop the open runs on the main thread
  // (promise steps, the backend's module already loaded); from then on on
  // DuckDB's threads, while `prepare` takes the main thread. Started at once,
  // `prepare` held the main thread first and the open began ~100 ms late.
  if (prepare !== undefined) await new Promise((resolve) => setImmediate(resolve));
  const [opened, prepared] = await Promise.allSettled([opening, prepare?.() as Promise<P>]);
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
export function storeOpenOptions(choice: Pick<StoreChoice, 'wait'>): Pick<StoreOptions, 'lockWaitSec' | 'onLockWait'> {
  const seconds = choice.wait;
  if (seconds === undefined) return {};
  return {
    lockWaitSec: seconds,
    onLockWait: (holder) => {
      process.stderr.write(
        `teiten: waiting for the store lock held by ${holder} (another teiten process?), up to ${seconds} s…\n`,
      );
    },
  };
}
