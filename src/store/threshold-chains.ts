/**
 * @module
 * A threshold rule's chain of matches in `signature_evidence`, as SQL: the
 * stream of one rule and tracked key that `ThresholdTable` decides in time
 * order. The read (`analyse/signature-thresholds.ts`) decides chains; the
 * retention (`retention.ts`) removes the matches no decision from its
 * cutoff on can depend on.
 */

import type { StoreKind } from './store.js';

const US_PER_SEC = 1_000_000;

/** The chain's tracked source: the source key when the rule tracks it (`by_src` 0, `by_both` 3), else 0. */
export const CHAIN_SRC = 'CASE WHEN track = 0 OR track = 3 THEN src ELSE 0 END';
/** The columns (and expression) a chain is keyed by. */
export const CHAIN = `gid, sid, th_type, th_count, th_seconds, track, ${CHAIN_SRC}, dst`;
/** The same, with the tracked source named `chain_src`. */
const CHAIN_NAMED = `gid, sid, th_type, th_count, th_seconds, track, ${CHAIN_SRC} AS chain_src, dst`;
const CHAIN_COLUMNS = 'gid, sid, th_type, th_count, th_seconds, track, chain_src, dst';
/** A match's whole second, the unit the decisions compare gaps in. */
const SEC = `CAST(floor(us / ${US_PER_SEC}) AS BIGINT)`;

/**
 * The matches of `table` before `cutoffSec` that no decision from the cutoff
 * on depends on. A chain starts afresh at a match `seconds` or more after the
 * one before it (a reset), so its matches before a reset are never read
 * again once the reset is stored:
 *
 * - a chain with no match in the rule's `seconds` before the cutoff loses
 *   every match before it (any match at or after the cutoff is a reset);
 * - a chain still running at the cutoff keeps its matches from its last
 *   reset before it on.
 */
export function chainsEndedBefore(
  table: string,
  cutoffSec: number,
  kind: StoreKind,
): { sql: string; params: number[] } {
  const cutoffUs = cutoffSec * US_PER_SEC;
  const running = `SELECT ${CHAIN} FROM ${table} WHERE us < ? AND floor(us / ${US_PER_SEC}) + th_seconds > ?`;
  const beforeReset = kind === 'duckdb' ? beforeResetDuckDb(table, running) : beforeResetClickHouse(table);
  return {
    sql: `us < ? AND ((${CHAIN}) NOT IN (${running}) OR (${CHAIN}, ${SEC}) IN (${beforeReset.sql}))`,
    params: [cutoffUs, cutoffUs, cutoffSec, ...beforeReset.params(cutoffUs, cutoffSec)],
  };
}

interface PairsQuery {
  /** Selects (chain, second) of the running chains' matches before their last reset before the cutoff. */
  sql: string;
  params: (cutoffUs: number, cutoffSec: number) => number[];
}

/** With `lag`. */
function beforeResetDuckDb(table: string, running: string): PairsQuery {
  const gaps = `SELECT ${CHAIN_NAMED}, ${SEC} AS sec,
      ${SEC} - lag(${SEC}) OVER (PARTITION BY ${CHAIN} ORDER BY us) AS gap
    FROM ${table} WHERE us < ? AND (${CHAIN}) IN (${running})`;
  const resets = `SELECT ${CHAIN_COLUMNS}, sec,
      max(CASE WHEN gap >= th_seconds THEN sec END) OVER (PARTITION BY ${CHAIN_COLUMNS}) AS reset
    FROM (${gaps}) AS gaps`;
  return {
    sql: `SELECT ${CHAIN_COLUMNS}, sec FROM (${resets}) AS resets WHERE sec < reset`,
    params: (us, sec) => [us, us, sec],
  };
}

/**
 * Over each chain's sorted seconds in one aggregate: 18.16 has no window
 * functions, and leaves a mutation whose subquery has a subquery undone for
 * good ("There is no query"), so running chains are the HAVING here.
 */
function beforeResetClickHouse(table: string): PairsQuery {
  const secs = `arraySort(groupUniqArray(${SEC})) AS secs`;
  const reset = `arrayReduce('max', arrayFilter((s, p) -> s - p >= th_seconds, arrayPopFront(secs), arrayPopBack(secs)))`;
  return {
    sql: `SELECT ${CHAIN_NAMED}, arrayJoin(arrayFilter(x -> x < ${reset}, ${secs})) AS sec
      FROM ${table} WHERE us < ? GROUP BY ${CHAIN_COLUMNS}
      HAVING max(floor(us / ${US_PER_SEC})) + th_seconds > ?`,
    params: (us, sec) => [us, sec],
  };
}
