/**
 * @module
 * `PartitionedKeyTable`: exact aggregation by fixed-width keys when the keys
 * are too many for one hash table in the CPU caches. A capture's source-day
 * rows run to millions (every backscatter packet brings a new source ×
 * destination port); one table of them spans hundreds of MB, and each packet
 * then cost a cache and TLB miss, ~450 ns, more than decoding it.
 *
 * So a packet's record (key words, then payload words) is first appended to
 * one of `PARTITIONS` staging buffers chosen by the key's hash: sequential
 * writes. When `FLUSH_RECORDS` are staged, each partition's records are
 * applied to that partition's own `WordKeyTable`, a few MB at most, which
 * stays in cache while its burst is applied. Entries get global numbers in
 * order of first application; `apply(id, isNew, records, at)` lets the caller
 * add the record at `records[at…]` into its own typed arrays indexed by `id`.
 *
 * The partition is chosen by the first `partitionWords` key words (all of
 * them unless told), so entries that agree on those words share a partition
 * and `partitions()` hands them out together: the source rollup groups a
 * source's services one partition at a time.
 *
 * A partition's table and staging buffer are made on first use, so a short
 * capture does not pay for 256 tables it never fills (~30 ms per table
 * kind, every ingest). `bytes` is the memory the tables and staging hold,
 * what the ingest's memory budget counts; `clear()` lets all of it go.
 */

import { hashWords, WordKeyTable } from '../util/word-key-table.js';

const PARTITION_BITS = 8;
const PARTITIONS = 1 << PARTITION_BITS;
const PARTITION_SHIFT = 32 - PARTITION_BITS;
/** Records staged before they are applied: ~4 MB of staging per key word. */
const FLUSH_RECORDS = 1 << 20;
const INITIAL_STAGING_RECORDS = 256;
/** Entries each partition table starts with: skips the small doublings, ~10 MB in all for 3-word keys. */
const INITIAL_PARTITION_ENTRIES = 1024;
const INITIAL_IDS = 1024;
/** Per entry outside its partition table: global id (i32) in `ids`, partition (u8) and entry (i32) of the id, each grown by doubling. */
const ID_BYTES_PER_ENTRY = 2 * (4 + 1 + 4);
const EMPTY_IDS = new Int32Array(0);
const EMPTY_STAGING = new Uint32Array(0);
/** Flushes smaller than this (a `size` read, the end) say little about the share of new entries. */
const MIN_RECORDS_FOR_RATIO = 1 << 16;

export type ApplyRecord = (id: number, isNew: boolean, records: Uint32Array, at: number) => void;

export class PartitionedKeyTable {
  readonly width: number;
  /** Words per staged record: the key, then the payload. */
  readonly stride: number;
  /** Leading key words that choose the partition. */
  private readonly partitionWords: number;
  private readonly apply: ApplyRecord;
  /** Each partition's table, made on first use. */
  private readonly tables: (WordKeyTable | undefined)[] = new Array<WordKeyTable | undefined>(PARTITIONS).fill(
    undefined,
  );
  /** Global id of each partition table's entries. */
  private readonly ids: Int32Array[] = [];
  private readonly staging: Uint32Array[] = [];
  private readonly used = new Int32Array(PARTITIONS);
  private staged = 0;
  /** Partition and entry of each global id. */
  private partitionOf = new Uint8Array(INITIAL_IDS);
  private entryOf = new Int32Array(INITIAL_IDS);
  private count = 0;
  /** Share of the records applied by the last large flush that made a new entry; 1 until one has run. */
  private newPerRecord = 1;
  private readonly key: Uint32Array;

  constructor(width: number, payloadWords: number, apply: ApplyRecord, options: { partitionWords?: number } = {}) {
    this.width = width;
    this.stride = width + payloadWords;
    this.partitionWords = options.partitionWords ?? width;
    if (!(this.partitionWords >= 1 && this.partitionWords <= width)) {
      throw new RangeError(`Cannot partition ${width}-word keys by their first ${this.partitionWords} words`);
    }
    this.apply = apply;
    this.key = new Uint32Array(width);
    for (let p = 0; p < PARTITIONS; p++) {
      this.ids.push(EMPTY_IDS);
      this.staging.push(EMPTY_STAGING);
    }
  }

  /** Bytes held by the tables, the id maps and the staging buffers. */
  get bytes(): number {
    return this.entryBytes + this.stagingBytes;
  }

  /** Bytes held for the entries: the partition tables and the id maps. */
  private get entryBytes(): number {
    let n = this.partitionOf.byteLength + this.entryOf.byteLength;
    for (let p = 0; p < PARTITIONS; p++) n += this.ids[p]!.byteLength + (this.tables[p]?.bytes ?? 0);
    return n;
  }

  private get stagingBytes(): number {
    let n = 0;
    for (let p = 0; p < PARTITIONS; p++) n += this.staging[p]!.byteLength;
    return n;
  }

  /** Records staged and not yet applied: each may become a new entry at the next flush. */
  get pending(): number {
    return this.staged;
  }

  /**
   * `bytes` plus what the staged records will add as new entries (with
   * `extraBytesPerEntry` of the caller's own arrays): up to `FLUSH_RECORDS`
   * records wait in staging, and a budget that looked only at the tables
   * would see them only once applied (~100 MB later for a darknet's source
   * rows). Each entry costs what entries cost so far (at most what one can
   * cost), and the share of records that make one is the last large
   * flush's (all of them before one has run): on a telescope capture most
   * records add to a row, and counting each as new flushed the tables at
   * a third of their budget.
   */
  projectedBytes(extraBytesPerEntry: number): number {
    const entries = this.entryBytes;
    const perEntry =
      this.count === 0
        ? WordKeyTable.maxEntryBytes(this.width) + ID_BYTES_PER_ENTRY
        : Math.min(entries / this.count, WordKeyTable.maxEntryBytes(this.width) + ID_BYTES_PER_ENTRY);
    return entries + this.stagingBytes + this.staged * this.newPerRecord * (perEntry + extraBytesPerEntry);
  }

  /**
   * Forgets every entry and staged record and lets go of the tables' memory.
   * The staging buffers are kept (at most `FLUSH_RECORDS` records, counted
   * in `bytes`): refilled at once after a flush, they would otherwise be
   * made again while the old ones wait for the garbage collector.
   */
  clear(): void {
    for (let p = 0; p < PARTITIONS; p++) {
      this.tables[p] = undefined;
      this.ids[p] = EMPTY_IDS;
    }
    this.used.fill(0);
    this.staged = 0;
    this.partitionOf = new Uint8Array(INITIAL_IDS);
    this.entryOf = new Int32Array(INITIAL_IDS);
    this.count = 0;
  }

  /** Entries applied so far (call `flush()` first for all of them). */
  get size(): number {
    return this.count;
  }

  /**
   * Stages the record in `record[0…stride)`; it is applied (and counted in
   * `size`) at the next flush, automatic every `FLUSH_RECORDS` records.
   */
  add(record: Uint32Array): void {
    const p = hashWords(record, this.partitionWords) >>> PARTITION_SHIFT;
    const stride = this.stride;
    const at = this.used[p]!;
    let buffer = this.staging[p]!;
    if (at + stride > buffer.length) buffer = this.growStaging(p);
    for (let w = 0; w < stride; w++) buffer[at + w] = record[w]!;
    this.used[p] = at + stride;
    if (++this.staged >= FLUSH_RECORDS) this.flush();
  }

  /** Applies every staged record. */
  flush(): void {
    const { stride, width, key, apply } = this;
    const countBefore = this.count;
    const applied = this.staged;
    for (let p = 0; p < PARTITIONS; p++) {
      const end = this.used[p]!;
      if (end === 0) continue;
      const records = this.staging[p]!;
      const table = this.tables[p] ?? this.newPartition(p);
      for (let at = 0; at < end; at += stride) {
        for (let w = 0; w < width; w++) key[w] = records[at + w]!;
        const before = table.size;
        const entry = table.insert(key);
        const isNew = entry === before;
        const id = isNew ? this.newId(p, entry) : this.ids[p]![entry]!;
        apply(id, isNew, records, at);
      }
      this.used[p] = 0;
    }
    this.staged = 0;
    if (applied >= MIN_RECORDS_FOR_RATIO) this.newPerRecord = (this.count - countBefore) / applied;
  }

  /**
   * Each partition's entries (call `flush()` first), one partition at a
   * time: its key table (entry j's words by `table.word(j, w)`, read
   * without the global id maps) and `ids[j]`, entry j's global id. Entries
   * whose keys agree on the first `partitionWords` words come in the same
   * partition. Both are the table's own; read them before the table changes.
   */
  *partitions(): Generator<{ readonly table: WordKeyTable; readonly ids: Int32Array }> {
    for (let p = 0; p < PARTITIONS; p++) {
      const table = this.tables[p];
      if (table !== undefined && table.size > 0) yield { table, ids: this.ids[p]!.subarray(0, table.size) };
    }
  }

  /** Word `w` (unsigned) of entry `id`'s key. */
  word(id: number, w: number): number {
    return this.tables[this.partitionOf[id]!]!.word(this.entryOf[id]!, w);
  }

  private newPartition(p: number): WordKeyTable {
    const table = new WordKeyTable(this.width, INITIAL_PARTITION_ENTRIES);
    this.tables[p] = table;
    this.ids[p] = new Int32Array(INITIAL_PARTITION_ENTRIES);
    return table;
  }

  private newId(p: number, entry: number): number {
    const id = this.count++;
    if (id >= this.entryOf.length) {
      this.partitionOf = grow(this.partitionOf, new Uint8Array(this.entryOf.length * 2));
      this.entryOf = grow(this.entryOf, new Int32Array(this.entryOf.length * 2));
    }
    this.partitionOf[id] = p;
    this.entryOf[id] = entry;
    let ids = this.ids[p]!;
    if (entry >= ids.length) ids = this.ids[p] = grow(ids, new Int32Array(ids.length * 2));
    ids[entry] = id;
    return id;
  }

  private growStaging(p: number): Uint32Array {
    const old = this.staging[p]!;
    const buffer = grow(old, new Uint32Array(Math.max(INITIAL_STAGING_RECORDS * this.stride, old.length * 2)));
    this.staging[p] = buffer;
    return buffer;
  }
}

function grow<T extends Uint8Array | Int32Array | Uint32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
