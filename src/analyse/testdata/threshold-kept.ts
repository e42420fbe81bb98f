/**
 * @module
 * An independent count of the threshold matches a retention run must keep
 * (`store/threshold-chains.ts` decides them in the store), for the
 * retention tests on one store and on the cluster.
 */
import type { AnalyticsStore } from '../../store/index.js';

/**
 * Stored matches before `cutoff` that retention must keep, counted here from
 * the rows: a chain (rule and tracked key) with a match less than its rule's
 * `seconds` before the cutoff keeps them from the start of its window open
 * at the cutoff on (`exact`: windows placed as Suricata does, a match
 * `seconds` or more after the window's start opens the next); `fromReset`:
 * from its last reset (a match `seconds` or more after the one before it)
 * on; `running`: all the matches of such chains.
 */
export async function keptByChain(
  store: AnalyticsStore,
  cutoff: number,
): Promise<{ exact: number; fromReset: number; running: number }> {
  const rows = await store.query<Record<string, number>>({
    sql: `SELECT gid, sid, th_type, th_count, th_seconds, track, src, dst, us FROM signature_match_rows
      WHERE us < ? ORDER BY us`,
    params: [cutoff * 1e6],
  });
  const chains = new Map<string, { seconds: number; secs: number[] }>();
  for (const r of rows) {
    const src = r['track'] === 0 || r['track'] === 3 ? r['src'] : 0;
    const key = [r['gid'], r['sid'], r['th_type'], r['th_count'], r['th_seconds'], r['track'], src, r['dst']].join(':');
    let chain = chains.get(key);
    if (chain === undefined) chains.set(key, (chain = { seconds: Number(r['th_seconds']), secs: [] }));
    chain.secs.push(Math.floor(Number(r['us']) / 1e6));
  }
  let exact = 0;
  let fromReset = 0;
  let running = 0;
  for (const { seconds, secs } of chains.values()) {
    if (secs[secs.length - 1]! + seconds <= cutoff) continue;
    running += secs.length;
    let reset = 0;
    for (let k = 1; k < secs.length; k++) if (secs[k]! - secs[k - 1]! >= seconds) reset = k;
    fromReset += secs.length - reset;
    let start = secs[0]!;
    for (const sec of secs) if (sec - start >= seconds) start = sec;
    exact += secs.filter((sec) => sec >= start).length;
  }
  return { exact, fromReset, running };
}
