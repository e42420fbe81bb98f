/**
 * @module
 * `Ipv4Ranges`: a lookup database's IPv4 answers flattened into sorted,
 * non-overlapping ranges that cover the whole address space, with a
 * directory by the top 16 bits. A lookup is one directory read and a binary
 * search among the few ranges that start in the address's /16, all in two
 * typed arrays: a few tens of ns with no cache to miss, which matters when a
 * darknet sees millions of distinct sources (a tree walk per uncached
 * address cost ~1 µs, and each was usually seen once).
 *
 * Built from the networks in address order (`walkIpv4Networks`), gaps filled
 * with the "not found" answer and neighbours with one answer merged.
 */

const DIRECTORY_SHIFT = 16;
const DIRECTORY_SIZE = (1 << (32 - DIRECTORY_SHIFT)) + 1;
const TWO_32 = 2 ** 32;

/** Collects `[start, end)` ranges in address order; see `Ipv4Ranges.build`. */
export interface RangeSink {
  /** `[start, start + size)` answers `value`; calls come in address order without overlap. */
  add(start: number, size: number, value: number): void;
}

/** The arrays of a table (`parts()`): ranges and the per-/16 directory. */
export interface Ipv4RangeParts {
  starts: Uint32Array;
  values: Float64Array;
  directory: Uint32Array;
}

/** Entries of the per-/16 directory. */
export const IPV4_DIRECTORY_ENTRIES = DIRECTORY_SIZE;

export class Ipv4Ranges {
  /** First address of each range, ascending; `starts[0]` is 0. */
  readonly starts: Uint32Array;
  /** Answers: integers below 2^53 (`merge` packs two into one). */
  readonly values: Float64Array;
  /** Per /16: index of the range holding its first address. */
  private readonly directory: Uint32Array;

  private constructor(starts: Uint32Array, values: Float64Array, directory?: Uint32Array) {
    this.starts = starts;
    this.values = values;
    if (directory !== undefined) {
      this.directory = directory;
      return;
    }
    this.directory = new Uint32Array(DIRECTORY_SIZE);
    let r = 0;
    for (let block = 0; block < DIRECTORY_SIZE - 1; block++) {
      const first = block * 2 ** DIRECTORY_SHIFT;
      while (r + 1 < starts.length && starts[r + 1]! <= first) r++;
      this.directory[block] = r;
    }
    this.directory[DIRECTORY_SIZE - 1] = starts.length - 1;
  }

  /**
   * Ranges from `fill(sink)`, which adds networks in address order; addresses
   * it leaves out answer `missing`.
   */
  static build(missing: number, fill: (sink: RangeSink) => void): Ipv4Ranges {
    const starts: number[] = [];
    const values: number[] = [];
    let next = 0;
    const push = (start: number, value: number): void => {
      if (values.length > 0 && values[values.length - 1] === value) return;
      starts.push(start);
      values.push(value);
    };
    fill({
      add(start, size, value) {
        if (start < next) throw new RangeError(`Cannot flatten IPv4 ranges: ${start} comes after ${next}`);
        if (start > next) push(next, missing);
        push(start, value);
        next = start + size;
      },
    });
    if (next < TWO_32) push(next, missing);
    return new Ipv4Ranges(Uint32Array.from(starts), Float64Array.from(values));
  }

  /**
   * Ranges from stored arrays (`ipv4-range-cache.ts`); null unless they are a
   * valid table: same length, first start 0, starts strictly ascending.
   */
  static fromArrays(starts: Uint32Array, values: Uint32Array | Float64Array): Ipv4Ranges | null {
    if (starts.length === 0 || starts.length !== values.length || starts[0] !== 0) return null;
    for (let r = 1; r < starts.length; r++) if (starts[r]! <= starts[r - 1]!) return null;
    return new Ipv4Ranges(starts, values instanceof Float64Array ? values : new Float64Array(values));
  }

  /**
   * A table exactly as `parts()` gave it, from a file whose checksum proved
   * it unchanged (`merged-range-cache.ts`): no check and no copy, since
   * checking 340k ranges in cold JavaScript cost ~100 ms per process.
   */
  static fromVerifiedParts(parts: Ipv4RangeParts): Ipv4Ranges {
    if (parts.directory.length !== DIRECTORY_SIZE || parts.starts.length !== parts.values.length) {
      throw new RangeError(
        `IPv4 range table parts do not fit: ${parts.starts.length} starts, ${parts.values.length} values, ${parts.directory.length} directory entries`,
      );
    }
    return new Ipv4Ranges(parts.starts, parts.values, parts.directory);
  }

  /** The arrays the table is made of, for `fromVerifiedParts`. */
  parts(): Ipv4RangeParts {
    return { starts: this.starts, values: this.values, directory: this.directory };
  }

  /**
   * One table answering `combine(a.get(x), b.get(x))` for every address: the
   * union of both tables' boundaries, so a lookup of both costs one search.
   */
  static merge(a: Ipv4Ranges, b: Ipv4Ranges, combine: (va: number, vb: number) => number): Ipv4Ranges {
    // Typed arrays of the largest possible size, trimmed at the end: growing
    // plain arrays cost ~150 ms for the bundled country × ASN tables, paid by
    // every ingest before its first packet.
    const starts = new Uint32Array(a.size + b.size);
    const values = new Float64Array(a.size + b.size);
    const as = a.starts;
    const bs = b.starts;
    let n = 0;
    let i = 0;
    let j = 0;
    while (i < a.size || j < b.size) {
      const sa = i < a.size ? as[i]! : Infinity;
      const sb = j < b.size ? bs[j]! : Infinity;
      const start = sa < sb ? sa : sb;
      if (sa === start) i++;
      if (sb === start) j++;
      const value = combine(a.values[i - 1]!, b.values[j - 1]!);
      if (n > 0 && values[n - 1] === value) continue;
      starts[n] = start;
      values[n] = value;
      n++;
    }
    return new Ipv4Ranges(starts.slice(0, n), values.slice(0, n));
  }

  /** One answer for every address. */
  static constant(value: number): Ipv4Ranges {
    return Ipv4Ranges.build(value, () => undefined);
  }

  /** Number of ranges. */
  get size(): number {
    return this.starts.length;
  }

  /** The answer for `addr` (unsigned 32-bit). */
  get(addr: number): number {
    const starts = this.starts;
    const block = addr >>> DIRECTORY_SHIFT;
    let lo = this.directory[block]!;
    let hi = this.directory[block + 1]!;
    // One range covers the whole /16 (most of a country table): no search.
    if (lo === hi) return this.values[lo]!;
    // starts[lo] <= addr; find the last start <= addr in [lo, hi].
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= addr) lo = mid;
      else hi = mid - 1;
    }
    return this.values[lo]!;
  }
}
