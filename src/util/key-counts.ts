/**
 * @module
 * `KeyCounts`: counts by a composite key of 32-bit words, for rollups on hot
 * paths. The caller fills the scratch `key` and calls `add`; the key goes
 * into a `WordKeyTable` and the count into a typed array indexed by entry,
 * with one 16-bit tag per entry (a source's country) set when the entry is
 * made. No allocation per packet. `rowBlocks` turns entries into store-sized
 * column blocks.
 */

import { WordKeyTable } from './word-key-table.js';

const INITIAL_ENTRIES = 256;

export class KeyCounts {
  /** Fill with the key, then call `add`. */
  readonly key: Uint32Array;
  private table: WordKeyTable;
  private counts = new Float64Array(INITIAL_ENTRIES);
  private tags = new Uint16Array(INITIAL_ENTRIES);

  constructor(width: number) {
    this.key = new Uint32Array(width);
    this.table = new WordKeyTable(width, INITIAL_ENTRIES);
  }

  get size(): number {
    return this.table.size;
  }

  /** Bytes held by the keys, counts and tags. */
  get bytes(): number {
    return this.table.bytes + this.counts.byteLength + this.tags.byteLength;
  }

  /** Forgets every entry and lets go of its memory (once its rows are written). */
  clear(): void {
    this.table = new WordKeyTable(this.key.length, INITIAL_ENTRIES);
    this.counts = new Float64Array(INITIAL_ENTRIES);
    this.tags = new Uint16Array(INITIAL_ENTRIES);
  }

  /** Adds `n` to the entry of `key`; a new entry takes `tag`. Returns the entry. */
  add(tag: number, n = 1): number {
    const before = this.table.size;
    const entry = this.table.insert(this.key);
    if (entry === before) {
      if (entry >= this.counts.length) this.grow();
      this.tags[entry] = tag;
    }
    this.counts[entry]! += n;
    return entry;
  }

  count(entry: number): number {
    return this.counts[entry]!;
  }

  tag(entry: number): number {
    return this.tags[entry]!;
  }

  word(entry: number, w: number): number {
    return this.table.word(entry, w);
  }

  private grow(): void {
    const counts = new Float64Array(this.counts.length * 2);
    counts.set(this.counts);
    const tags = new Uint16Array(this.tags.length * 2);
    tags.set(this.tags);
    this.counts = counts;
    this.tags = tags;
  }
}

/**
 * Yields rows `0 … rows - 1` in blocks of at most `blockRows`: `fill(first,
 * count)` writes the block's rows into its column arrays and returns them.
 */
export function* rowBlocks<C>(
  rows: number,
  blockRows: number,
  fill: (first: number, count: number) => C,
): Generator<{ rowCount: number; columns: C }> {
  for (let first = 0; first < rows; first += blockRows) {
    const rowCount = Math.min(blockRows, rows - first);
    yield { rowCount, columns: fill(first, rowCount) };
  }
}
