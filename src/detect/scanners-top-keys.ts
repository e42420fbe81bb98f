/**
 * @module
 * `TopKeys`: the most frequent keys (ports, services) of one stream in a
 * fixed number of slots, by the Space-Saving algorithm (Metwally, Agrawal and
 * El Abbadi 2005). While at most `capacity` different keys were seen the
 * counts are exact; after that a new key takes over the smallest slot and
 * inherits its count, so a reported count may exceed the truth by at most
 * that slot's `error`, and every key with more than total / capacity
 * occurrences is guaranteed to be listed.
 *
 * A detector keeps one per flow or source: the slots are small arrays that
 * grow to `capacity` on first use (most sources probe one service, and an
 * allocation per new source costs more than the counting), and `add` is a
 * scan of at most `capacity` entries.
 */

export interface TopKey {
  key: number;
  count: number;
  /** Upper bound of the over-count (0 while the summary is exact). */
  error: number;
}

export class TopKeys {
  readonly capacity: number;
  /** The only key while there is one, kept inline: most sources probe one service. */
  private firstKey = 0;
  private firstCount = 0;
  /** All slots, created when a second key arrives. */
  private keys: number[] | null = null;
  private counts: number[] | null = null;
  private errors: number[] | null = null;
  private replaced = false;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`Cannot create a top-keys summary: capacity is ${capacity}`);
    }
    this.capacity = capacity;
  }

  /** Whether every count is exact (fewer than `capacity` + 1 different keys seen). */
  get exact(): boolean {
    return !this.replaced;
  }

  add(key: number, count = 1): void {
    let keys = this.keys;
    if (keys === null) {
      if (this.firstCount === 0 || this.firstKey === key) {
        this.firstKey = key;
        this.firstCount += count;
        return;
      }
      keys = this.keys = [this.firstKey];
      this.counts = [this.firstCount];
      this.errors = [0];
    }
    const counts = this.counts!;
    let min = 0;
    for (let j = 0; j < keys.length; j++) {
      if (keys[j] === key) {
        counts[j] = counts[j]! + count;
        return;
      }
      if (counts[j]! < counts[min]!) min = j;
    }
    if (keys.length < this.capacity) {
      keys.push(key);
      counts.push(count);
      this.errors!.push(0);
      return;
    }
    this.replaced = true;
    keys[min] = key;
    this.errors![min] = counts[min]!;
    counts[min] = counts[min]! + count;
  }

  /** The tracked keys, most frequent first (ties by key), at most `limit`. */
  top(limit = this.capacity): TopKey[] {
    if (this.keys === null) return this.firstCount === 0 ? [] : [{ key: this.firstKey, count: this.firstCount, error: 0 }];
    const out = this.keys.map((key, j) => ({ key, count: this.counts![j]!, error: this.errors![j]! }));
    out.sort((a, b) => b.count - a.count || a.key - b.key);
    return out.slice(0, limit);
  }
}
