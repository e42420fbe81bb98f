/**
 * @module
 * A threshold rule's chain of matches in `signature_evidence`, as SQL: the
 * stream of one rule and tracked key that `ThresholdTable` decides in time
 * order. The read (`analyse/signature-thresholds.ts`) decides chains; the
 * retention (`retention.ts`) keeps the chains still running at its cutoff.
 */

const US_PER_SEC = 1_000_000;

/** The chain's tracked source: the source key when the rule tracks it (`by_src` 0, `by_both` 3), else 0. */
export const CHAIN_SRC = 'CASE WHEN track = 0 OR track = 3 THEN src ELSE 0 END';
/** The columns (and expression) a chain is keyed by. */
export const CHAIN = `gid, sid, th_type, th_count, th_seconds, track, ${CHAIN_SRC}, dst`;

/**
 * Rows of `table` before `cutoffSec` no decision from `cutoffSec` on can
 * depend on: those of chains with no match in the rule's `seconds` before the
 * cutoff. A chain's state after a pause of `seconds` or more is fresh (a
 * window opens at its next match), and any match at or after the cutoff
 * comes at least that long after such a chain's last one. A chain still
 * running at the cutoff keeps all its earlier matches (a superset of the
 * ones back to its last pause, which its decisions after the cutoff need).
 */
export function chainsEndedBefore(table: string, cutoffSec: number): { sql: string; params: number[] } {
  const cutoffUs = cutoffSec * US_PER_SEC;
  return {
    sql: `us < ? AND (${CHAIN}) NOT IN (SELECT ${CHAIN} FROM ${table}
      WHERE us < ? AND floor(us / ${US_PER_SEC}) + th_seconds > ?)`,
    params: [cutoffUs, cutoffUs, cutoffSec],
  };
}
