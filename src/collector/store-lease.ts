/**
 * @module
 * `StoreLease`: the collector's access to its store. A ClickHouse store stays
 * open. An embedded DuckDB file can be open in one process only, so the
 * collector opens it when a request needs it and closes it after a short
 * idle time: between bursts of uploads `teiten sensors enroll|revoke|status
 * --wait S` get the file, and the collector waits for them in turn. A
 * store the caller opened (`teiten serve --collector`, one process holding
 * the file) is used as it is and left open for its owner to close.
 */

import { openStore, storeKindOf, type AnalyticsStore, type StoreOptions } from '../store/index.js';

/** Idle time after which a DuckDB store is closed. */
export const DEFAULT_IDLE_CLOSE_MS = 1000;
/** How long the collector waits for a DuckDB file another teiten process holds. */
const LOCK_WAIT_SEC = 60;

export class StoreLease {
  private store: Promise<AnalyticsStore> | undefined;
  /**
   * The close in progress: the next open waits for it here. The store's
   * in-process claim (`store/duckdb/open-files.ts`) would hold that open back
   * too, but as a wait for a store lock, which `--wait` announces to the
   * operator as if another process held it. (Before either, a second instance of the
   * file overwrote the first's commits: acknowledged segments were lost.)
   */
  private closing: Promise<void> = Promise.resolve();
  private users = 0;
  /** Woken when the last user is done. */
  private idle: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly keepOpen: boolean;
  private readonly owned: boolean;

  constructor(
    readonly target: string | AnalyticsStore,
    private readonly options: StoreOptions & { idleCloseMs?: number } = {},
  ) {
    this.owned = typeof target === 'string';
    if (typeof target !== 'string') this.store = Promise.resolve(target);
    this.keepOpen = typeof target !== 'string' || storeKindOf(target) !== 'duckdb' || target === ':memory:';
  }

  /** Runs `fn` with the open store; concurrent users share one open store. */
  async use<T>(fn: (store: AnalyticsStore) => Promise<T>): Promise<T> {
    this.users++;
    clearTimeout(this.timer);
    try {
      this.store ??= this.closing
        .then(() => openStore(this.target as string, { lockWaitSec: LOCK_WAIT_SEC, ...this.options }))
        .catch((error: unknown) => {
          this.store = undefined;
          throw error;
        });
      return await fn(await this.store);
    } finally {
      this.users--;
      if (this.users === 0) for (const wake of this.idle.splice(0)) wake();
      if (this.users === 0 && !this.keepOpen) {
        this.timer = setTimeout(() => void this.release(), this.options.idleCloseMs ?? DEFAULT_IDLE_CLOSE_MS);
        this.timer.unref();
      }
    }
  }

  /** Closes the store once its users are done (a watchdog query may still run when the collector stops). */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    if (!this.owned) return;
    while (this.users > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    const open = this.store;
    this.store = undefined;
    if (open === undefined) return this.closing;
    const closing = open.then((store) => store.close());
    this.closing = closing.catch(() => undefined);
    await closing;
  }

  private async release(): Promise<void> {
    if (this.users > 0) return;
    await this.close().catch(() => undefined);
  }
}
