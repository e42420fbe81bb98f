/**
 * @module
 * `ThresholdAlertTally`: decides threshold chains from their stored match
 * groups (`signature_evidence` rows, `signature-thresholds.ts` reads them)
 * and adds up the alerts of the period's days per rule and per source.
 *
 * A chain is decided a second at a time: its window decides each of the
 * second's matches in turn (a window is placed in whole seconds, so only
 * how many came before counts), which says which positions in the second
 * alert. Only when the second's groups differ in what an alert records
 * (source, country, `covered`, the rule's category and message, or a named
 * packet that two rules of one category matched) are its matches laid out
 * one by one, in the stream order: microsecond, sensor id, then the match's
 * own fields (source key, country, covered, ingest, packet).
 */

import { ThresholdChains, THRESHOLD_TRACKS, THRESHOLD_TYPES, type ThresholdSpec } from '../detect/index.js';
import { TzClock } from '../util/tz.js';

const US_PER_SEC = 1_000_000;

/** A stored group of matches (`signature_evidence`), numbers as numbers, with its rule's category and message. */
export interface MatchGroup {
  ingest_id: number;
  sensor_id: number;
  us: number;
  gid: number;
  sid: number;
  track: number;
  th_type: number;
  th_count: number;
  th_seconds: number;
  src: number;
  dst: number;
  country: number;
  covered: number;
  matches: number;
  /** Microseconds from each match to the next. */
  later: number[];
  /** Packet numbers of the matches (in the order of `us`, then `later`) when named, else empty. */
  packets: number[];
  category: string;
  msg: string;
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

/** A source's packets (by source key) that raised a threshold rule of `category` on local day `day` and counted in no rule of it without one. */
export interface ThresholdSourceKeyDay {
  day: number;
  category: string;
  src: number;
  country: number;
  packets: number;
}

export const secOf = (g: MatchGroup): number => Math.floor(g.us / US_PER_SEC);

export const specOf = (g: MatchGroup): ThresholdSpec => ({
  type: THRESHOLD_TYPES[g.th_type]!,
  track: THRESHOLD_TRACKS[g.track]!,
  count: g.th_count,
  seconds: g.th_seconds,
});

/** Whether two groups' alerts record the same thing (neither names its packets). */
function sameRecord(a: MatchGroup, b: MatchGroup): boolean {
  return (
    a.packets.length === 0 &&
    b.packets.length === 0 &&
    a.src === b.src &&
    a.country === b.country &&
    a.covered === b.covered &&
    a.category === b.category &&
    a.msg === b.msg
  );
}

/** One match of a group: its microsecond and packet number (0 when not named). */
interface Single {
  us: number;
  packet: number;
  g: MatchGroup;
}

/** The stream order of single matches (module comment). */
function streamOrder(a: Single, b: Single): number {
  return (
    a.us - b.us ||
    a.g.sensor_id - b.g.sensor_id ||
    a.g.src - b.g.src ||
    a.g.country - b.g.country ||
    a.g.covered - b.g.covered ||
    a.g.ingest_id - b.g.ingest_id ||
    a.packet - b.packet
  );
}

export class ThresholdAlertTally {
  private readonly rules = new Map<string, ThresholdRuleAlerts>();
  private readonly sources = new Map<string, ThresholdSourceKeyDay>();
  /** Packets (ingest, packet number, category) already counted: two chains may alert on one packet. */
  private readonly counted = new Set<string>();
  private readonly days: { startDay: number; endDay: number };
  private readonly clock: TzClock;

  constructor(period: { startDay: number; endDay: number; timeZone: string }) {
    this.days = period;
    this.clock = new TzClock(period.timeZone);
  }

  /** Decides chain `key` (its groups in time order) from group `anchor` on, keeping the alerts of the period's days. */
  decide(key: string, chain: readonly MatchGroup[], anchor: number): void {
    const windows = new ThresholdChains();
    const spec = specOf(chain[0]!);
    const alerting: number[] = [];
    for (let k = anchor; k < chain.length;) {
      const sec = secOf(chain[k]!);
      let end = k;
      let matches = 0;
      let uniform = true;
      for (; end < chain.length && secOf(chain[end]!) === sec; end++) {
        matches += chain[end]!.matches;
        uniform &&= sameRecord(chain[k]!, chain[end]!);
      }
      alerting.length = 0;
      for (let p = 0; p < matches; p++) if (windows.allow(key, spec, sec)) alerting.push(p);
      const day = this.clock.localDay(sec);
      if (alerting.length > 0 && day >= this.days.startDay && day < this.days.endDay) {
        if (uniform) this.add(chain[k]!, day, { n: alerting.length, packet: 0 });
        else {
          const single: Single[] = [];
          for (let j = k; j < end; j++) {
            const g = chain[j]!;
            let us = g.us;
            for (let m = 0; m < g.matches; m++) {
              if (m > 0) us += g.later[m - 1]!;
              single.push({ us, packet: g.packets[m] ?? 0, g });
            }
          }
          single.sort(streamOrder);
          for (const p of alerting) this.add(single[p]!.g, day, { n: 1, packet: single[p]!.packet });
        }
      }
      k = end;
    }
  }

  /** `n` alerts recorded as `g` says, on local day `day`, of the named packet `packet` (0: not named). */
  private add(g: MatchGroup, day: number, alerts: { n: number; packet: number }): void {
    const { n, packet } = alerts;
    const ruleKey = `${g.gid}:${g.sid}:${g.category}`;
    const rule = this.rules.get(ruleKey);
    if (rule === undefined)
      this.rules.set(ruleKey, { gid: g.gid, sid: g.sid, category: g.category, msg: g.msg, alerts: n });
    else {
      rule.alerts += n;
      if (g.msg > rule.msg) rule.msg = g.msg;
    }
    if (g.covered === 1) return;
    if (packet !== 0) {
      const id = `${g.ingest_id}:${packet}:${g.category}`;
      if (this.counted.has(id)) return;
      this.counted.add(id);
    }
    const sourceKey = `${day}|${g.category}|${g.src}|${g.country}`;
    const source = this.sources.get(sourceKey);
    if (source === undefined)
      this.sources.set(sourceKey, { day, category: g.category, src: g.src, country: g.country, packets: n });
    else source.packets += n;
  }

  result(): { rules: ThresholdRuleAlerts[]; sources: ThresholdSourceKeyDay[] } {
    return { rules: [...this.rules.values()], sources: [...this.sources.values()] };
  }
}
