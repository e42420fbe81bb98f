/**
 * @module
 * Threshold decisions over stored matches: the `threshold` and
 * `detection_filter` rules of every sensor of a telescope, decided when the
 * statistics are read rather than inside one capture. A chain is one rule
 * (its gid, sid and threshold as written) and one tracked key (the source
 * for `by_src`, the destination for `by_dst`, both for `by_both`, nothing for
 * `by_rule`); its matches, fed in time order, get exactly the decisions
 * `ThresholdTable` gives one uncut stream (the same `decide`, whole
 * seconds).
 *
 * A chain's state is fixed by its matches since its last reset: a match at
 * least `seconds` after the one before it always opens a fresh window, so
 * the matches before it no longer matter. `needsEarlier` says whether a read
 * that starts at a given second has reached such a point.
 */

import type { ThresholdSpec, ThresholdTrack, ThresholdType } from './rule-types.js';
import { decide, type Entry } from './thresholds.js';

/** Store codes of threshold types and tracks (index = code). */
export const THRESHOLD_TYPES: readonly ThresholdType[] = ['limit', 'threshold', 'both', 'detection_filter'];
export const THRESHOLD_TRACKS: readonly ThresholdTrack[] = ['by_src', 'by_dst', 'by_rule', 'by_both'];

/** The tracked key of a match as text: what `ThresholdTable` keys its windows by. */
export function trackedKey(track: ThresholdTrack, src: string, dst: string): string {
  switch (track) {
    case 'by_src':
      return src;
    case 'by_dst':
      return dst;
    case 'by_rule':
      return '';
    case 'by_both':
      return `${src}/${dst}`;
  }
}

/**
 * Whether a chain whose earliest match read is at `firstSec`, read from
 * `readFromSec` on, may depend on matches before the read: only when an
 * unread match (at `readFromSec - 1` at the latest) could be less than
 * `seconds` before it.
 */
export function needsEarlier(spec: ThresholdSpec, firstSec: number, readFromSec: number): boolean {
  return firstSec - (readFromSec - 1) < spec.seconds;
}

/** Windows of many chains, by chain key; feed each chain's matches in time order. */
export class ThresholdChains {
  private readonly windows = new Map<string, Entry>();

  /** Decides the next match of chain `chain` (rule `spec`), in whole second `sec`. */
  allow(chain: string, spec: ThresholdSpec, sec: number): boolean {
    let entry = this.windows.get(chain);
    const fresh = entry === undefined;
    if (entry === undefined) {
      entry = { start: sec, count: 0 };
      this.windows.set(chain, entry);
    }
    return decide(spec, entry, sec, fresh);
  }
}
