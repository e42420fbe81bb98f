/**
 * @module
 * `thresholdAlerts()`: the alerts of threshold rules in a period, decided
 * from the stored matches (`signature_evidence`) of the whole telescope (the
 * selected sensors; all of the store's by default). Nothing of a threshold
 * is decided at ingest, so the alerts are the same whatever files the
 * packets came in, in whatever order, and whichever sensor saw them: the
 * matches of all sensors form one stream per rule and tracked key, in time
 * order, decided as `ThresholdTable` decides one uncut stream.
 *
 * Order: by microsecond, then sensor id, then the match's own fields
 * (source, service, country): two matches of one chain in the same
 * microsecond are ordered by what they say, not by which file held them.
 *
 * Reading: every window that holds a match of the period opened at most
 * `seconds` before the period, so only chains with enough matches to alert
 * from then to the period's end are read (`NEEDED` below), a part of the
 * chains at a time (`PART`). A chain's state depends on its matches back to
 * its last reset (a match `seconds` or more after the one before it), so the
 * read goes further back, doubling, until every chain read has one at or
 * before its first match of the period.
 */

import {
  needsEarlier,
  ThresholdChains,
  THRESHOLD_TRACKS,
  THRESHOLD_TYPES,
  type ThresholdSpec,
} from '../detect/index.js';
import type { AnalyticsStore, SqlQuery } from '../store/index.js';
import { sensorClause } from './detection-scope.js';
import type { Scope } from './scope.js';

const US_PER_SEC = 1_000_000;
const CHAIN = 'gid, sid, th_type, th_count, th_seconds, track, track_key';
/** Matches a chain needs in one window to alert (`limit`: 1, `detection_filter`: count + 1, else count; type codes of `THRESHOLD_TYPES`). */
const NEEDED = 'CASE WHEN th_type = 0 THEN 1 WHEN th_type = 3 THEN th_count + 1 ELSE th_count END';

/** The numeric columns of a match row. */
const NUMERIC = [
  'ingest_id',
  'sensor_id',
  'us',
  'local_day',
  'seq',
  'gid',
  'sid',
  'track',
  'th_type',
  'th_count',
  'th_seconds',
  'country',
  'service',
  'covered',
] as const;

interface MatchRow {
  ingest_id: number;
  sensor_id: number;
  us: number;
  local_day: number;
  seq: number;
  gid: number;
  sid: number;
  category: string;
  msg: string;
  track: number;
  th_type: number;
  th_count: number;
  th_seconds: number;
  track_key: string;
  src: string;
  country: number;
  service: number;
  covered: number;
}

/** One threshold rule's alerts in the period. */
export interface ThresholdRuleAlerts {
  gid: number;
  sid: number;
  category: string;
  /** The greatest message text, as `signature_day` reads `MAX(msg)`. */
  msg: string;
  alerts: number;
}

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

/** The stream order (module comment), as the read's ORDER BY; text compares as bytes, and addresses are ASCII. */
const STREAM_ORDER = 'us, sensor_id, src, service, country, covered';

/** Numbers as numbers (the stores return 64-bit integers as bigint or text), in place. */
function numbers(r: MatchRow): MatchRow {
  for (const key of NUMERIC) r[key] = Number(r[key]);
  return r;
}

const chainOf = (r: MatchRow): string =>
  `${r.gid}:${r.sid}:${r.th_type}:${r.th_count}:${r.th_seconds}:${r.track}:${r.track_key}`;

const specOf = (r: MatchRow): ThresholdSpec => ({
  type: THRESHOLD_TYPES[r.th_type]!,
  track: THRESHOLD_TRACKS[r.track]!,
  count: r.th_count,
  seconds: r.th_seconds,
});

/** The index of the match a chain's decisions can start from (fresh), or -1 when the read must go back further. */
function anchorOf(chain: readonly MatchRow[], firstOfPeriod: number, readFromSec: number, everything: boolean): number {
  const sec = (k: number): number => Math.floor(chain[k]!.us / US_PER_SEC);
  if (firstOfPeriod < 0) return 0;
  const seconds = chain[0]!.th_seconds;
  for (let k = firstOfPeriod; k >= 1; k--) if (sec(k) - sec(k - 1) >= seconds) return k;
  return everything || !needsEarlier(specOf(chain[0]!), sec(0), readFromSec) ? 0 : -1;
}

/**
 * Chains are read in parts by the last character of their tracked key (a
 * digit, or a hex digit of an IPv6 address; `x` for `by_rule`), so only one
 * part's matches are in memory at a time.
 */
const PART = "substring(concat('x', track_key), length(track_key) + 1, 1)";

interface PartRead {
  sensors: SqlQuery;
  part: string;
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
  const alerts = new Alerts(scope.period);
  if (bounds?.s === null || bounds?.s === undefined || bounds.first === null) return alerts.result();
  const firstSec = Math.floor(Number(bounds.first) / US_PER_SEC);
  const windowFrom = scope.period.startSec - Number(bounds.s);
  const parts = await store.query<{ p: string }>({
    sql: `SELECT DISTINCT ${PART} AS p FROM signature_evidence WHERE us >= ? AND us < ?${sensors.sql}`,
    params: [windowFrom * US_PER_SEC, endSec * US_PER_SEC, ...sensors.params],
  });
  for (const { p } of parts.sort((a, b) => (a.p < b.p ? -1 : 1)))
    await decidePart(store, scope, { sensors, part: p, firstSec, windowFrom }, alerts);
  return alerts.result();
}

/** Reads the part's chains that can alert in the period, back to where each is decided from, and decides them. */
async function decidePart(store: AnalyticsStore, scope: Scope, at: PartRead, alerts: Alerts): Promise<void> {
  const { startSec, endSec, startDay } = scope.period;
  const { sensors, part, firstSec, windowFrom } = at;
  const where = `${sensors.sql} AND ${PART} = ?`;
  // Chains with a match in the period and enough matches since the earliest window that can hold one.
  const candidates = {
    sql: `(${CHAIN}) IN (SELECT ${CHAIN} FROM signature_evidence WHERE us >= ? AND us < ?${where}
      GROUP BY ${CHAIN} HAVING COUNT(*) >= ${NEEDED} AND MAX(local_day) >= ?)`,
    params: [windowFrom * US_PER_SEC, endSec * US_PER_SEC, ...sensors.params, part, startDay],
  };
  const read = async (fromSec: number, toSec: number): Promise<MatchRow[]> =>
    (
      await store.query<MatchRow>({
        sql: `SELECT ingest_id, sensor_id, us, local_day, seq, gid, sid, category, msg, track, th_type, th_count,
          th_seconds, track_key, src, country, service, covered FROM signature_evidence
          WHERE us >= ? AND us < ?${where} AND ${candidates.sql} ORDER BY ${STREAM_ORDER}`,
        params: [fromSec * US_PER_SEC, toSec * US_PER_SEC, ...sensors.params, part, ...candidates.params],
      })
    ).map(numbers);
  let from = windowFrom;
  let rows = await read(from, endSec);
  for (;;) {
    const chains = new Map<string, MatchRow[]>();
    for (const r of rows) {
      const key = chainOf(r);
      const list = chains.get(key);
      if (list === undefined) chains.set(key, [r]);
      else list.push(r);
    }
    const anchors = new Map<string, number>();
    let complete = true;
    for (const [key, chain] of chains) {
      const firstOfPeriod = chain.findIndex((r) => r.local_day >= startDay);
      const anchor = anchorOf(chain, firstOfPeriod, from, from <= firstSec);
      if (anchor < 0) complete = false;
      anchors.set(key, anchor);
    }
    if (complete) {
      alerts.decide(chains, anchors);
      return;
    }
    const earlier = Math.max(firstSec, from - Math.max(1, 2 * (startSec - from)));
    // Earlier rows first: the whole read stays in stream order.
    rows = [...(await read(earlier, from)), ...rows];
    from = earlier;
  }
}

/** The alerts of the period's days, gathered over the parts. */
class Alerts {
  private readonly rules = new Map<string, ThresholdRuleAlerts>();
  private readonly sources = new Map<string, ThresholdSourceDay>();
  /** Packets (ingest, packet number) already counted in a category: two chains may alert on one packet. */
  private readonly counted = new Set<string>();
  private readonly days: { startDay: number; endDay: number };

  constructor(days: { startDay: number; endDay: number }) {
    this.days = days;
  }

  /** Decides every chain from its anchor on, keeping the alerts of the period's days. */
  decide(chains: ReadonlyMap<string, MatchRow[]>, anchors: ReadonlyMap<string, number>): void {
    const windows = new ThresholdChains();
    for (const [key, chain] of chains) {
      const spec = specOf(chain[0]!);
      for (let k = anchors.get(key)!; k < chain.length; k++) {
        const r = chain[k]!;
        if (!windows.allow(key, spec, Math.floor(r.us / US_PER_SEC))) continue;
        if (r.local_day >= this.days.startDay && r.local_day < this.days.endDay) this.add(r);
      }
    }
  }

  private add(r: MatchRow): void {
    const ruleKey = `${r.gid}:${r.sid}:${r.category}`;
    const rule = this.rules.get(ruleKey);
    if (rule === undefined)
      this.rules.set(ruleKey, { gid: r.gid, sid: r.sid, category: r.category, msg: r.msg, alerts: 1 });
    else {
      rule.alerts++;
      if (r.msg > rule.msg) rule.msg = r.msg;
    }
    if (r.covered === 1) return;
    const packet = `${r.ingest_id}:${r.seq}:${r.category}`;
    if (this.counted.has(packet)) return;
    this.counted.add(packet);
    const sourceKey = `${r.local_day}|${r.category}|${r.src}|${r.country}`;
    const source = this.sources.get(sourceKey);
    if (source === undefined)
      this.sources.set(sourceKey, {
        day: r.local_day,
        category: r.category,
        src: r.src,
        country: r.country,
        packets: 1,
      });
    else source.packets++;
  }

  result(): ThresholdAlerts {
    return { rules: [...this.rules.values()], sources: [...this.sources.values()] };
  }
}
