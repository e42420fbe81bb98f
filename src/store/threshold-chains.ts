/**
 * @module
 * A threshold rule's chain of matches in `signature_evidence`, as SQL: the
 * stream of one rule and tracked key that `ThresholdTable` decides in time
 * order. The read (`analyse/signature-thresholds.ts`) decides chains; the
 * retention (`retention.ts`) removes the matches no decision from its
 * cutoff on can depend on.
 */

import { SIGNATURE_EVIDENCE, THRESHOLD_KEPT } from './schema.js';
import type { ColumnBlock, SqlSession } from './sql-session.js';
import type { SqlQuery } from './store.js';

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

/** A running chain as the retention reads it: its key and its distinct seconds before the cutoff, ascending. */
interface RunningChain {
  gid: number;
  sid: number;
  th_type: number;
  th_count: number;
  th_seconds: number;
  track: number;
  chain_src: number;
  dst: number;
  secs: ArrayLike<number | string>;
}

/**
 * The second the window open at the end of `secs` (a chain's distinct
 * seconds, ascending, from a window start on) started in: the same rule as
 * `decide` (`detect/signatures/thresholds.ts`) for every threshold type, a
 * match `seconds` or more after the window's start opens the next one.
 */
function openWindowStart(secs: ArrayLike<number>, seconds: number): number {
  let start = secs[0]!;
  for (let k = 1; k < secs.length; k++) if (secs[k]! - start >= seconds) start = secs[k]!;
  return start;
}

/**
 * The matches of `SIGNATURE_EVIDENCE` before `cutoffSec` that no decision
 * from the cutoff on depends on, once `keepRunningChains` wrote the seconds
 * kept. A chain's decisions depend only on its window's start and the
 * matches since (`decide`), so:
 *
 * - a chain with no match in the rule's `seconds` before the cutoff loses
 *   every match before it (any later match opens a fresh window);
 * - a chain still running at the cutoff keeps its matches from the start of
 *   the window open at the cutoff on: with nothing stored before it, the
 *   read (`analyse/signature-thresholds.ts`) opens a window at that match,
 *   as the uncut stream did. A chain that never pauses thus keeps under two
 *   windows' worth of seconds before the cutoff, not its whole history.
 */
export function thresholdMatchesBefore(cutoffSec: number): SqlQuery {
  return {
    sql: `us < ? AND (${CHAIN}, ${SEC}) NOT IN (SELECT ${CHAIN_COLUMNS}, sec FROM ${THRESHOLD_KEPT.name})`,
    params: [cutoffSec * US_PER_SEC],
  };
}

/**
 * Writes to `THRESHOLD_KEPT` the seconds before `cutoffSec` that chains
 * running at it keep (`thresholdMatchesBefore`). The windows are replayed
 * from each running chain's first stored match: a window start (the chain's
 * first match, or the one a previous run kept). Hold the store's
 * `retention` lock from here until `releaseKeptSeconds`.
 */
export async function keepRunningChains(session: SqlSession, cutoffSec: number): Promise<void> {
  await releaseKeptSeconds(session);
  const secs = session.kind === 'duckdb' ? `list_sort(list(DISTINCT ${SEC}))` : `arraySort(groupUniqArray(${SEC}))`;
  const table = SIGNATURE_EVIDENCE.name;
  const cutoffUs = cutoffSec * US_PER_SEC;
  // Only running chains are aggregated: a first run may face months of ended ones.
  const runningKeys = `SELECT ${CHAIN} FROM ${table} WHERE us < ? AND ${SEC} + th_seconds > ?`;
  const running = await session.all<RunningChain>({
    sql: `SELECT ${CHAIN_NAMED}, ${secs} AS secs FROM ${table}
      WHERE us < ? AND (${CHAIN}) IN (${runningKeys}) GROUP BY ${CHAIN_COLUMNS}`,
    params: [cutoffUs, cutoffUs, cutoffSec],
  });
  const kept = keptSeconds(running);
  if (kept.rowCount > 0) await session.insert(kept);
}

/** Empties `THRESHOLD_KEPT` (after a retention run's delete, or one that died before it). */
export async function releaseKeptSeconds(session: SqlSession): Promise<void> {
  const [row] = await session.all<{ n: number }>({
    sql: `SELECT COUNT(*) AS n FROM ${THRESHOLD_KEPT.name}`,
    params: [],
  });
  if (Number(row?.n ?? 0) > 0) await session.deleteWhere(THRESHOLD_KEPT, { sql: '1 = 1', params: [] });
}

/** The (chain, second) rows each running chain keeps: `THRESHOLD_KEPT`'s columns are the chain's, then `sec`. */
function keptSeconds(running: readonly RunningChain[]): ColumnBlock {
  const keyNames = CHAIN_COLUMNS.split(', ') as Array<Exclude<keyof RunningChain, 'secs'>>;
  const columns = THRESHOLD_KEPT.columns.map((): number[] => []);
  const sec = columns[keyNames.length]!;
  for (const chain of running) {
    const key = keyNames.map((name) => Number(chain[name]));
    const secs = Array.from(chain.secs, Number);
    const start = openWindowStart(secs, Number(chain.th_seconds));
    for (const s of secs) {
      if (s < start) continue;
      key.forEach((value, k) => columns[k]!.push(value));
      sec.push(s);
    }
  }
  return { table: THRESHOLD_KEPT, columns, rowCount: sec.length };
}
