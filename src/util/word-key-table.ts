/**
 * @module
 * `WordKeyTable`: an exact hash index from fixed-width keys of K 32-bit words
 * to dense entry numbers 0, 1, 2, … in insertion order. The ingest hot path
 * aggregates millions of packets by composite keys (hour × service × country
 * × classes, day × source × service, a packet's identity), so keys live in
 * one `Int32Array` with the slots: no object, string or boxed number per
 * packet, which a `Map` keyed by numbers above 2^31 would allocate. Callers
 * keep their values in their own typed arrays indexed by entry number.
 *
 * Open addressing with linear probing. A slot holds the entry number, the
 * key's 32-bit hash and the key itself, side by side: a probe compares the
 * hash and then the words in the same cache lines, so finding a key costs
 * one memory access even when the table is far larger than the CPU caches
 * (which a table of source addresses is). The slots double past 3/4 full;
 * `entrySlot` maps entry numbers back to slots for `word()`. No delete:
 * `clear()` empties all.
 */

const EMPTY = 0;
/** Int32s before the key in a slot: entry + 1 (0 = empty), hash. */
const SLOT_HEAD = 2;
const MIN_SLOTS = 16;
const MIN_ENTRIES = 8;
/** Grow the slots past 3/4 full: probes stay short, and inline keys make a probe cheap. */
const MAX_LOAD = 0.75;
const HASH_SEED = 0x9e3779b9;
const MIX_1 = 0x85ebca6b;
const MIX_2 = 0xc2b2ae35;
const MIX_3 = 0xe6546b64;
/** Largest slot array a JS typed array holds comfortably here. */
const MAX_SLOT_INTS = 2 ** 30;

export class WordKeyTable {
  /** Words per key. */
  readonly width: number;
  private readonly stride: number;
  private slots: Int32Array;
  private mask: number;
  /** Slot of each entry, in insertion order. */
  private entrySlot: Int32Array;
  private count = 0;

  constructor(width: number, expectedEntries = MIN_ENTRIES) {
    if (!Number.isInteger(width) || width < 1) throw new RangeError(`Cannot create a key table: width is ${width}`);
    this.width = width;
    this.stride = SLOT_HEAD + width;
    const entries = Math.max(MIN_ENTRIES, expectedEntries);
    let slots = MIN_SLOTS;
    while (slots * MAX_LOAD < entries) slots *= 2;
    this.slots = new Int32Array(slots * this.stride);
    this.mask = slots - 1;
    this.entrySlot = new Int32Array(entries);
  }

  /** Entries inserted since creation or the last `clear()`. */
  get size(): number {
    return this.count;
  }

  /**
   * Most bytes one entry of a `width`-word table can cost: its slot at the
   * lowest load the table has (just after doubling, 3/8) and its entry index.
   */
  static maxEntryBytes(width: number): number {
    return ((SLOT_HEAD + width) * Int32Array.BYTES_PER_ELEMENT) / (MAX_LOAD / 2) + 2 * Int32Array.BYTES_PER_ELEMENT;
  }

  /** Bytes the slots and the entry index hold. */
  get bytes(): number {
    return this.slots.byteLength + this.entrySlot.byteLength;
  }

  /** Entry number of the key in `key[0..width)`, or -1. */
  find(key: Uint32Array): number {
    const { width, stride, slots, mask } = this;
    const hash = hashWords(key, width);
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const at = slot * stride;
      const stored = slots[at]!;
      if (stored === EMPTY) return -1;
      if (slots[at + 1] === hash && sameKey(slots, at + SLOT_HEAD, key, width)) return stored - 1;
    }
  }

  /**
   * Entry number of the key, inserting it when absent. A new entry's number is
   * the previous `size`, so callers can tell "new" by `entry === size before`.
   */
  insert(key: Uint32Array): number {
    const { width, stride, slots, mask } = this;
    const hash = hashWords(key, width);
    let slot = hash & mask;
    for (; ; slot = (slot + 1) & mask) {
      const at = slot * stride;
      const stored = slots[at]!;
      if (stored === EMPTY) break;
      if (slots[at + 1] === hash && sameKey(slots, at + SLOT_HEAD, key, width)) return stored - 1;
    }
    const entry = this.count;
    const at = slot * stride;
    slots[at] = entry + 1;
    slots[at + 1] = hash;
    for (let w = 0; w < width; w++) slots[at + SLOT_HEAD + w] = key[w]!;
    if (entry >= this.entrySlot.length) this.growEntries();
    this.entrySlot[entry] = slot;
    this.count = entry + 1;
    if (this.count > (mask + 1) * MAX_LOAD) this.growSlots();
    return entry;
  }

  /** Word `w` (unsigned) of entry `entry`'s key. */
  word(entry: number, w: number): number {
    return this.slots[this.entrySlot[entry]! * this.stride + SLOT_HEAD + w]! >>> 0;
  }

  /** Forgets every entry; keeps the memory. */
  clear(): void {
    if (this.count === 0) return;
    this.slots.fill(EMPTY);
    this.count = 0;
  }

  private growEntries(): void {
    const grown = new Int32Array(this.entrySlot.length * 2);
    grown.set(this.entrySlot);
    this.entrySlot = grown;
  }

  private growSlots(): void {
    const { stride } = this;
    const old = this.slots;
    if (old.length * 2 > MAX_SLOT_INTS) throw new RangeError(`Cannot grow a key table past ${this.count} entries`);
    const slots = new Int32Array(old.length * 2);
    const mask = slots.length / stride - 1;
    for (let from = 0; from < old.length; from += stride) {
      const stored = old[from]!;
      if (stored === EMPTY) continue;
      let slot = old[from + 1]! & mask;
      while (slots[slot * stride] !== EMPTY) slot = (slot + 1) & mask;
      const to = slot * stride;
      for (let i = 0; i < stride; i++) slots[to + i] = old[from + i]!;
      this.entrySlot[stored - 1] = slot;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

function sameKey(slots: Int32Array, at: number, key: Uint32Array, width: number): boolean {
  for (let w = 0; w < width; w++) if (slots[at + w] !== (key[w]! | 0)) return false;
  return true;
}

/** Murmur3-style mix of the words (as an int32): every input bit reaches the low bits the mask keeps. */
export function hashWords(key: Uint32Array, width: number): number {
  let h = HASH_SEED;
  for (let w = 0; w < width; w++) {
    let k = Math.imul(key[w]!, MIX_1);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, MIX_2);
    h = (Math.imul((h << 13) | (h >>> 19), 5) + MIX_3) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, MIX_1);
  h ^= h >>> 13;
  h = Math.imul(h, MIX_2);
  return h ^ (h >>> 16);
}
