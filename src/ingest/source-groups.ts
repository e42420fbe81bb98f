/**
 * @module
 * `SourceGroups`: one partition of the source rollup's (day, source,
 * service) entries put in row order: entries of the same source-day
 * together, each row's entries by service. The partition
 * holds every entry of its source-days (`PartitionedKeyTable.partitions`),
 * so the work arrays are partition-sized and reused from one to the next.
 * Entries are named by their position in the partition.
 */

import { WordKeyTable } from '../util/word-key-table.js';

/** Words of a row's key, filled by the caller. */
const GROUP_WORDS = 3;
const INITIAL_ENTRIES = 1024;
/**
 * Sort keys are `service * POSITION_SCALE + position`: services use 25 bits
 * and a partition holds far fewer than 2^28 entries, so both fit a double.
 */
const POSITION_SCALE = 2 ** 28;
/** Rows up to this many entries are sorted in place; longer ones with the typed-array sort. */
const INSERTION_SORT_MAX = 16;

export class SourceGroups {
  /** Rows of the last `group()`. */
  count = 0;
  private readonly table = new WordKeyTable(GROUP_WORDS, INITIAL_ENTRIES);
  private readonly key = new Uint32Array(GROUP_WORDS);
  private groupOf = new Int32Array(INITIAL_ENTRIES);
  /** `starts[g]`: position in `order` of row g's first entry; `starts[count]` = entries. */
  private starts = new Int32Array(INITIAL_ENTRIES + 1);
  private order = new Int32Array(INITIAL_ENTRIES);
  private sortKeys = new Float64Array(INITIAL_ENTRIES);

  /**
   * Orders the partition's `n` entries: `fillKey(j, key)` writes the row key
   * of entry j into `key[0…GROUP_WORDS)`, `serviceOf(j)` its service (unique
   * within a row). Rows come in the order of their first entry.
   */
  group(n: number, fns: { fillKey: (j: number, key: Uint32Array) => void; serviceOf: (j: number) => number }): void {
    this.reserve(n);
    const { table, key, groupOf, sortKeys } = this;
    table.clear();
    for (let j = 0; j < n; j++) {
      fns.fillKey(j, key);
      groupOf[j] = table.insert(key);
    }
    const count = (this.count = table.size);
    // Counting sort by row: starts from the row sizes, then each entry to its row's next place.
    const starts = this.starts;
    starts.fill(0, 0, count + 1);
    for (let j = 0; j < n; j++) starts[groupOf[j]! + 1]! += 1;
    for (let g = 0; g < count; g++) starts[g + 1]! += starts[g]!;
    for (let j = 0; j < n; j++) sortKeys[starts[groupOf[j]!]!++] = fns.serviceOf(j) * POSITION_SCALE + j;
    for (let g = count; g > 0; g--) starts[g] = starts[g - 1]!;
    starts[0] = 0;
    const order = this.order;
    for (let g = 0; g < count; g++) sortRun(sortKeys, starts[g]!, starts[g + 1]!);
    for (let k = 0; k < n; k++) order[k] = sortKeys[k]! % POSITION_SCALE;
  }

  /** Position of row g's first entry (`start(count)` is past the last). */
  start(g: number): number {
    return this.starts[g]!;
  }

  /** The entry (its position in the partition) at place k of the order. */
  entryAt(k: number): number {
    return this.order[k]!;
  }

  private reserve(n: number): void {
    if (n <= this.order.length) return;
    let capacity = this.order.length;
    while (capacity < n) capacity *= 2;
    this.groupOf = new Int32Array(capacity);
    this.starts = new Int32Array(capacity + 1);
    this.order = new Int32Array(capacity);
    this.sortKeys = new Float64Array(capacity);
  }
}

/** Sorts `keys[from…to)` ascending. */
function sortRun(keys: Float64Array, from: number, to: number): void {
  if (to - from > INSERTION_SORT_MAX) {
    keys.subarray(from, to).sort();
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const v = keys[i]!;
    let j = i - 1;
    while (j >= from && keys[j]! > v) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = v;
  }
}
