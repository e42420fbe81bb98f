/**
 * @module
 * How an ingest's memory budget (`--memory-budget`, default 384 MiB for the
 * process's data) is shared out, measured in `docs/benchmark-log.md`:
 *
 * - the store's buffers get `STORE_SHARE` of it (DuckDB's `memory_limit`,
 *   set when the store is opened: the transaction's uncommitted rows live
 *   there, and without a limit DuckDB kept them all, ~330 MiB more peak
 *   RSS for a 5 M-packet darknet capture);
 * - the data the process already holds when the ingest starts (GeoIP range
 *   tables and databases, rules, the decoder's batches: V8's own count of
 *   heap and ArrayBuffer bytes, ~90 MiB with the bundled databases) is
 *   subtracted;
 * - of the rest, the rollup and detection tables may hold `TABLE_SHARE`
 *   before their rows go to the writer (`capture-pass.ts`), never less than
 *   `MIN_TABLE_SHARE` of the budget. The other half is headroom for the
 *   tables a flush let go of, which stay in memory until the garbage
 *   collector and malloc return them while the new tables fill: with all of
 *   the rest for the tables, a 5 M-packet darknet stream swung between 355
 *   and 511 MiB RSS at every flush and peaked at 513–536 MiB; with three
 *   quarters, 602 MiB once staged records were counted at their real cost.
 *
 * Not counted: the detectors' open state (scanner sources, backscatter flows,
 * threshold windows), which cannot be written out before it is complete.
 */

/** Default budget for the process's data. */
export const DEFAULT_MEMORY_BUDGET = 384 * 2 ** 20;
const STORE_SHARE = 1 / 8;
/**
 * The least the store's buffers get, whatever the budget: DuckDB holds a
 * block per column segment it is appending to, and with 12 MiB (a 96 MiB
 * budget) a darknet ingest with raw packets failed with "could not allocate
 * block"; 24 MiB held. (The DuckDB store adds its own floor while an
 * ingest's rows are few: `store/duckdb/memory-limit.ts`.)
 */
const MIN_STORE_BYTES = 32 * 2 ** 20;
const MIN_TABLE_SHARE = 1 / 8;
const TABLE_SHARE = 1 / 2;

/** Bytes the store's buffers may use under `budget` (`StoreOptions.memoryLimitBytes`). */
export function storeMemoryShare(budget: number): number {
  return Math.max(MIN_STORE_BYTES, Math.floor(budget * STORE_SHARE));
}

/** Bytes the ingest's tables may hold under `budget`, given the process's data `heldBytes` before the ingest. */
export function tableMemoryShare(budget: number, heldBytes: number): number {
  return Math.max(
    Math.floor(budget * MIN_TABLE_SHARE),
    Math.floor((budget - storeMemoryShare(budget) - heldBytes) * TABLE_SHARE),
  );
}

/** The process's data now, as V8 counts it: heap in use and ArrayBuffer backing stores. */
export function processDataBytes(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}
