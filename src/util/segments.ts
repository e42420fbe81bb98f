/**
 * @module
 * Lookup in sorted disjoint half-open segments `[starts[k], ends[k])`, as the
 * ingest keeps them for observed time and for stored-packet windows: packets
 * arrive in time order, so the previous answer is tried first.
 */

/** Index of the segment holding `value`, or -1; `hint` is the index to try first (the last answer). */
export function segmentIndexOf(starts: Float64Array, ends: Float64Array, value: number, hint: number): number {
  if (hint >= 0 && hint < starts.length && value >= starts[hint]! && value < ends[hint]!) return hint;
  // Last segment starting at or before `value`.
  let lo = 0;
  let hi = starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! <= value) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found < 0 || value >= ends[found]! ? -1 : found;
}
