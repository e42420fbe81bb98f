/**
 * @module
 * `thresholdAlerts()`: the alerts of threshold rules in a period, decided
 * from the stored matches (`signature_evidence`) of the whole telescope (the
 * selected sensors; all of the store's by default). Nothing of a threshold
 * is decided at ingest, so the alerts are the same whatever files the
 * packets came in, in whatever order, and whichever sensor saw them: the
 * matches of all sensors form one stream per rule and tracked key, in time
 * order, decided as `ThresholdTable` decides one uncut stream
 * (`threshold-alert-tally.ts`).
 *
 * Order: by microsecond, then sensor id, then the match's own fields
 * (source key, country, covered): two matches of one chain in the same
 * microsecond are ordered by what they say, not by which file held them.
 *
 * Reading: every window that holds a match of the period opened at most
 * `seconds` before the period, so only chains with enough matches to alert
 * within one window from then to the period's end are read
 * (`candidateChains`), a batch of the chains at a time (`PART`,
 * `BATCH_ROWS`). A chain's
 * state depends on its matches back to its last reset (a match `seconds` or
 * more after the one before it), so the read goes further back, doubling,
 * until every chain read has one at or before its first match of the period.
 */

import { needsEarlier } from '../detect/index.js';
import { CHAIN, CHAIN_SRC, requireSourceKeyTexts, type AnalyticsStore, type SqlQuery } from '../store/index.js';
import { sensorClause } from './detection-scope.js';
import { placeholders } from './queries.js';
import type { Scope } from './scope.js';
import {
  secOf,
  specOf,
  ThresholdAlertTally,
  type MatchGroup,
  type ThresholdRuleAlerts,
} from './threshold-alert-tally.js';

const US_PER_SEC = 1_000_000;
/** Matches a chain needs in one window to alert (`limit`: 1, `detection_filter`: count + 1, else count; type codes of `THRESHOLD_TYPES`). */
const NEEDED = 'CASE WHEN th_type = 0 THEN 1 WHEN th_type = 3 THEN th_count + 1 ELSE th_count END';
/**
 * Chains fall into this many parts by their tracked keys; parts are read in
 * batches of about `BATCH_ROWS` candidate groups, so a busy day's groups are
 * never all in memory, and a quiet one is read in one query.
 */
const PARTS = 16;
const PART = `(${CHAIN_SRC} + dst) % ${PARTS}`;
const BATCH_ROWS = 200_000;
/** A chain's columns in `candidateChains`, where its tracked source is named `chain_src`. */
const CHAIN_COLUMNS = 'gid, sid, th_type, th_count, th_seconds, track, chain_src, dst';
/** A window's length in seconds (a rule's `seconds`, at least 1). */
const WINDOW = 'greatest(th_seconds, 1)';

/**
 * The chains that can alert in the period: one holding `NEEDED` matches
 * within some window of `seconds` (each from `fromSec` to `toSec`, the
 * earliest a window holding a period match can start to the period's end),
 * with a match in the period. A window of length L lies inside one bucket of
 * length 2L of the grid starting at 0 or of the grid starting at L, so a
 * chain whose buckets in both grids all hold fewer matches cannot alert and
 * is never read: a busy quarter's sources that never reach 20 probes a
 * minute cost one aggregate, not their rows. Selects `CHAIN_COLUMNS`, the
 * part (`p`) and the chain's groups (`g`).
 */
function candidateChains(where: SqlQuery, at: { fromSec: number; toSec: number; startSec: number }): SqlQuery {
  const grid = (offset: string): string =>
    `SELECT gid, sid, th_type, th_count, th_seconds, track, ${CHAIN_SRC} AS chain_src, dst,
      floor((us / ${US_PER_SEC} + ${offset}) / (2 * ${WINDOW})) AS b, SUM(matches) AS n,
      COUNT(*) * ${offset === '0' ? 1 : 0} AS g, MAX(us) AS last
      FROM signature_evidence WHERE us >= ? AND us < ?${where.sql} GROUP BY ${CHAIN_COLUMNS}, b`;
  const params = [at.fromSec * US_PER_SEC, at.toSec * US_PER_SEC, ...where.params];
  return {
    sql: `SELECT ${CHAIN_COLUMNS}, (chain_src + dst) % ${PARTS} AS p, SUM(g) AS g
      FROM (${grid('0')} UNION ALL ${grid(WINDOW)}) AS buckets
      GROUP BY ${CHAIN_COLUMNS} HAVING MAX(n) >= ${NEEDED} AND MAX(last) >= ?`,
    params: [...params, ...params, at.startSec * US_PER_SEC],
  };
}
/** Ingests per lookup of their rules' categories and messages. */
const LOOKUP_CHUNK = 500;

/** The numeric columns of a group row. */
const NUMERIC = [
  'ingest_id',
  'sensor_id',
  'us',
  'gid',
  'sid',
  'track',
  'th_type',
  'th_count',
  'th_seconds',
  'src',
  'dst',
  'country',
  'covered',
  'matches',
] as const;

/** A source's packets that raised a threshold rule of `category` on local day `day` and counted in no rule of it without one. */
export interface ThresholdSourceDay {
  day: number;
  category: string;
  src: string;
  country: number;
  packets: number;
}

export interface ThresholdAlerts {
  rules: ThresholdRuleAlerts[];
  sources: ThresholdSourceDay[];
}

/** Rows in the order the chains are decided in (the stream order of each group's first match). */
const GROUP_ORDER = 'us, sensor_id, src, country, covered, ingest_id';

type GroupRow = Omit<MatchGroup, 'category' | 'msg'>;

const chainOf = (g: GroupRow): string =>
  `${g.gid}:${g.sid}:${g.th_type}:${g.th_count}:${g.th_seconds}:${g.track}:${g.track === 0 || g.track === 3 ? g.src : 0}:${g.dst}`;

/** The index of the group a chain's decisions can start from (fresh), or -1 when the read must go back further. */
function anchorOf(
  chain: readonly MatchGroup[],
  firstOfPeriod: number,
  readFromSec: number,
  everything: boolean,
): number {
  if (firstOfPeriod < 0) return 0;
  const seconds = chain[0]!.th_seconds;
  for (let k = firstOfPeriod; k >= 1; k--) if (secOf(chain[k]!) - secOf(chain[k - 1]!) >= seconds) return k;
  return everything || !needsEarlier(specOf(chain[0]!), secOf(chain[0]!), readFromSec) ? 0 : -1;
}

interface PartRead {
  sensors: SqlQuery;
  /** The parts read together. */
  parts: readonly number[];
  /** Earliest second any stored match has (nothing is read before it). */
  firstSec: number;
  /** The earliest second a window holding a match of the period can start. */
  windowFrom: number;
}

/** The threshold alerts of `scope`'s period over its sensors. */
export async function thresholdAlerts(store: AnalyticsStore, scope: Scope): Promise<ThresholdAlerts> {
  const { endSec } = scope.period;
  const sensors = sensorClause(scope);
  const [bounds] = await store.query<{ s: number | null; first: number | null }>({
    sql: `SELECT MAX(th_seconds) AS s, MIN(us) AS first FROM signature_evidence WHERE us < ?${sensors.sql}`,
    params: [endSec * US_PER_SEC, ...sensors.params],
  });
  const tally = new ThresholdAlertTally(scope.period);
  const rules = new RuleTexts(store);
  if (bounds?.s !== null && bounds?.s !== undefined && bounds.first !== null) {
    const firstSec = Math.floor(Number(bounds.first) / US_PER_SEC);
    const windowFrom = scope.period.startSec - Number(bounds.s);
    // The groups of chains that can alert, per part (a busy darknet day may hold none): one pass over the period's groups.
    const candidates = candidateChains(sensors, {
      fromSec: windowFrom,
      toSec: endSec,
      startSec: scope.period.startSec,
    });
    const parts = await store.query<{ p: number; n: number }>({
      sql: `SELECT p, SUM(g) AS n FROM (${candidates.sql}) AS candidates GROUP BY p ORDER BY p`,
      params: candidates.params,
    });
    for (const batch of batches(parts.map((r) => ({ part: Number(r.p), rows: Number(r.n) }))))
      await decidePart(store, scope, { at: { sensors, parts: batch, firstSec, windowFrom }, tally, rules });
  }
  const { rules: ruleAlerts, sources } = tally.result();
  const texts = await requireSourceKeyTexts(
    sources.map((s) => s.src),
    (q) => store.query(q),
  );
  return { rules: ruleAlerts, sources: sources.map((s) => ({ ...s, src: texts.get(s.src)! })) };
}

/** The category and message of each ingest's threshold rules, looked up once per ingest. */
class RuleTexts {
  private readonly store: AnalyticsStore;
  private readonly known = new Map<string, { category: string; msg: string }>();
  private readonly ingests = new Set<number>();

  constructor(store: AnalyticsStore) {
    this.store = store;
  }

  /** `groups` with their rules' texts. */
  async label(groups: readonly GroupRow[]): Promise<MatchGroup[]> {
    const missing = [...new Set(groups.map((g) => g.ingest_id))].filter((id) => !this.ingests.has(id));
    for (let at = 0; at < missing.length; at += LOOKUP_CHUNK) {
      const chunk = missing.slice(at, at + LOOKUP_CHUNK);
      const rows = await this.store.query<{
        ingest_id: number;
        gid: number;
        sid: number;
        category: string;
        msg: string;
      }>({
        sql: `SELECT ingest_id, gid, sid, category, msg FROM signature_rules WHERE ingest_id IN (${placeholders(chunk.length)})`,
        params: chunk,
      });
      for (const r of rows) this.known.set(`${Number(r.ingest_id)}:${Number(r.gid)}:${Number(r.sid)}`, r);
      for (const id of chunk) this.ingests.add(id);
    }
    return groups.map((g) => {
      const rule = this.known.get(`${g.ingest_id}:${g.gid}:${g.sid}`);
      if (rule === undefined)
        throw new RangeError(`Ingest ${g.ingest_id} stored matches of rule ${g.gid}:${g.sid} but not the rule`);
      return { ...g, category: rule.category, msg: rule.msg };
    });
  }
}

/** Parts in batches of about `BATCH_ROWS` groups (a larger part alone). */
function batches(parts: readonly { part: number; rows: number }[]): number[][] {
  const out: number[][] = [];
  let rows = Infinity;
  for (const { part, rows: n } of parts) {
    if (rows + n > BATCH_ROWS) {
      out.push([]);
      rows = 0;
    }
    out[out.length - 1]!.push(part);
    rows += n;
  }
  return out;
}

/** Reads the parts' chains that can alert in the period, back to where each is decided from, and decides them. */
async function decidePart(
  store: AnalyticsStore,
  scope: Scope,
  ctx: { at: PartRead; tally: ThresholdAlertTally; rules: RuleTexts },
): Promise<void> {
  const { startSec, endSec } = scope.period;
  const { sensors, parts, firstSec, windowFrom } = ctx.at;
  const where = `${sensors.sql} AND ${PART} IN (${placeholders(parts.length)})`;
  const chains = candidateChains(
    { sql: where, params: [...sensors.params, ...parts] },
    { fromSec: windowFrom, toSec: endSec, startSec },
  );
  const candidates = {
    sql: `(${CHAIN}) IN (SELECT ${CHAIN_COLUMNS} FROM (${chains.sql}) AS candidates)`,
    params: chains.params,
  };
  const read = async (fromSec: number, toSec: number): Promise<MatchGroup[]> =>
    ctx.rules.label(
      (
        await store.query<GroupRow>({
          sql: `SELECT ingest_id, sensor_id, us, gid, sid, track, th_type, th_count, th_seconds, src, dst, country,
          covered, matches, later, packets FROM signature_evidence
          WHERE us >= ? AND us < ?${where} AND ${candidates.sql} ORDER BY ${GROUP_ORDER}`,
          params: [fromSec * US_PER_SEC, toSec * US_PER_SEC, ...sensors.params, ...parts, ...candidates.params],
        })
      ).map(numbers),
    );
  let from = windowFrom;
  let rows = await read(from, endSec);
  for (;;) {
    const chains = new Map<string, MatchGroup[]>();
    for (const r of rows) {
      const key = chainOf(r);
      const list = chains.get(key);
      if (list === undefined) chains.set(key, [r]);
      else list.push(r);
    }
    const anchors = new Map<string, number>();
    let complete = true;
    for (const [key, chain] of chains) {
      const firstOfPeriod = chain.findIndex((r) => r.us >= startSec * US_PER_SEC);
      const anchor = anchorOf(chain, firstOfPeriod, from, from <= firstSec);
      if (anchor < 0) complete = false;
      anchors.set(key, anchor);
    }
    if (complete) {
      for (const [key, chain] of chains) ctx.tally.decide(key, chain, anchors.get(key)!);
      return;
    }
    const earlier = Math.max(firstSec, from - Math.max(1, 2 * (startSec - from)));
    // Earlier rows first: the whole read stays in stream order.
    rows = [...(await read(earlier, from)), ...rows];
    from = earlier;
  }
}

/** Numbers as numbers (the stores return 64-bit integers as bigint or text), in place. */
function numbers(r: GroupRow): GroupRow {
  for (const key of NUMERIC) r[key] = Number(r[key]);
  r.later = Array.from(r.later, Number);
  r.packets = Array.from(r.packets, Number);
  return r;
}
