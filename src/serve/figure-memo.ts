/**
 * @module
 * Whole rankings kept for the pages of one answer: `/api/top/*` sends
 * `ranking.rows` in pages, and every page of a table is the same ranking
 * cut at another place. The answer cache keeps finished answers by URL, so
 * without this each new page would compute the whole quarter's ranking
 * again (seconds for some 60,000 country × port items). A value is kept
 * while the store's version it was computed under is current, concurrent
 * callers share one computation, failures are not kept, and only the last
 * few values stay (each can hold tens of thousands of rows).
 */

export interface FigureMemo {
  /** The value kept under `key` for the current store version, or `compute`'s. */
  get<T>(key: string, compute: () => Promise<T>): Promise<T>;
  /** Forgets everything: the store changed through this server. */
  clear(): void;
}

const DEFAULT_ENTRIES = 4;

export function figureMemo(version: () => Promise<string>, maxEntries = DEFAULT_ENTRIES): FigureMemo {
  const kept = new Map<string, { version: string; value: Promise<unknown> }>();
  return {
    async get<T>(key: string, compute: () => Promise<T>): Promise<T> {
      const current = await version();
      const entry = kept.get(key);
      if (entry?.version === current) return entry.value as Promise<T>;
      const value = compute();
      // Re-inserted last: Map order is insertion order, so the first keys are the least recent.
      kept.delete(key);
      kept.set(key, { version: current, value });
      for (const oldest of kept.keys()) {
        if (kept.size <= maxEntries) break;
        kept.delete(oldest);
      }
      value.catch(() => {
        if (kept.get(key)?.value === value) kept.delete(key);
      });
      return value;
    },
    clear() {
      kept.clear();
    },
  };
}
