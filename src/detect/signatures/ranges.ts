/**
 * @module
 * Set algebra on sorted, disjoint, inclusive integer ranges: the compiled
 * form of port sets and IPv4 address sets. Used at load time only.
 */

export type Range = readonly [number, number];

/** Sorts and merges overlapping or adjacent ranges. */
export function normalise(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

/** `a` minus `b`, both normalised. */
export function subtract(a: readonly Range[], b: readonly Range[]): Range[] {
  const out: Range[] = [];
  let j = 0;
  for (const [lo, hi] of a) {
    let start = lo;
    while (j < b.length && b[j]![1] < start) j++;
    let k = j;
    while (k < b.length && b[k]![0] <= hi && start <= hi) {
      const [blo, bhi] = b[k]!;
      if (blo > start) out.push([start, blo - 1]);
      start = Math.max(start, bhi + 1);
      k++;
    }
    if (start <= hi) out.push([start, hi]);
  }
  return out;
}

/** Flattens ranges into `[lo0, hi0, lo1, hi1, …]` for the matcher. */
export function toBounds(ranges: readonly Range[]): Float64Array {
  const bounds = new Float64Array(ranges.length * 2);
  ranges.forEach(([lo, hi], k) => {
    bounds[k * 2] = lo;
    bounds[k * 2 + 1] = hi;
  });
  return bounds;
}

/** True when `value` lies in one of the flattened ranges (binary search). */
export function inBounds(bounds: Float64Array, value: number): boolean {
  let lo = 0;
  let hi = (bounds.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (value < bounds[mid * 2]!) hi = mid - 1;
    else if (value > bounds[mid * 2 + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Number of integers covered. */
export function rangeSize(ranges: readonly Range[]): number {
  let size = 0;
  for (const [lo, hi] of ranges) size += hi - lo + 1;
  return size;
}
