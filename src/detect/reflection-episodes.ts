/**
 * @module
 * Reflection episodes over a whole telescope: from per-second evidence of
 * answers by amplification services (`reflection-ports.ts`) and of ICMP
 * errors quoting spoofed queries, the episodes in which someone used the
 * telescope's addresses as spoofed sources. Nothing depends on how captures
 * were cut: evidence rows of the same key add up, and episodes are a function
 * of the summed rows alone.
 *
 * Two readings, decided in this order, each with its own thresholds
 * (`ReflectionSettings`):
 *
 * 1. Reflection aimed at a sensor address: answers of one service reach one
 *    sensor address from at least `minReflectors` reflectors, with at least
 *    `minPackets` answers, no two consecutive ones more than `gapSec` apart.
 *    The attacker sent queries with that address as source to many
 *    reflectors so their (larger) answers would flood it: the address is the
 *    spoofed target (an unused address, so the attack aimed at it by
 *    mistake, at its prefix, or tested the reflectors).
 * 2. A flood against a reflector (UDP backscatter, the UDP case Corsaro's DoS
 *    plugin leaves to do): answers of one service from one reflector reach
 *    at least `minSpoofedAddresses` sensor addresses, with at least
 *    `minPackets` answers and the same gap rule, counting only answers no
 *    reflection episode of (1) claimed. The reflector was flooded with
 *    queries from randomly spoofed sources and answered each; the telescope
 *    sees the share of answers its addresses drew.
 *
 * Non-first UDP fragments carry no ports; their bytes are added to an
 * episode (as `fragmentBytes`) when the same reflector sent the episode's
 * target answers, within the episode's span widened by `gapSec`: large DNS
 * answers arrive as fragments, and they are the amplification.
 */

import { REFLECTOR_UDP_PORTS } from './reflection-ports.js';
import { formatIpv4 } from '../util/ip-address.js';

export const ReflectionEvidenceKind = {
  /** A UDP answer from the reflector's service port. */
  REPLY: 0,
  /** An ICMP error quoting a query from the sensor address to the reflector. */
  QUOTED_QUERY: 1,
  /** A non-first UDP fragment from the reflector (no ports). */
  FRAGMENT: 2,
} as const;

/** One evidence row: what arrived in one second from one reflector at one sensor address. */
export interface ReflectionEvidenceRow {
  sec: number;
  reflector: number;
  /** The sensor address (the spoofed source of the queries). */
  target: number;
  /** The reflector's service port (0 for fragments). */
  port: number;
  kind: (typeof ReflectionEvidenceKind)[keyof typeof ReflectionEvidenceKind];
  packets: number;
  /** IP bytes of the packets (answers and fragments; 0 for quoted queries) and the largest. */
  bytes: number;
  maxBytes: number;
  sensorId: number;
}

export interface ReflectionSettings {
  /** Longest quiet time inside an episode, seconds (default 300, the TCP backscatter flow timeout). */
  gapSec: number;
  /** Answers and quoted queries an episode needs (default 25, as TCP backscatter's `minPackets`). */
  minPackets: number;
  /** Distinct reflectors for a reflection aimed at a sensor address (default 3). */
  minReflectors: number;
  /** Distinct sensor addresses for a flood against a reflector (default 3). */
  minSpoofedAddresses: number;
}

export const DEFAULT_REFLECTION_SETTINGS: Readonly<ReflectionSettings> = {
  gapSec: 300,
  minPackets: 25,
  minReflectors: 3,
  minSpoofedAddresses: 3,
};

export type ReflectionEpisodeKind = 'reflection' | 'reflector-flood';

export interface ReflectorShare {
  address: string;
  packets: number;
  bytes: number;
}

export interface ReflectionEpisode {
  kind: ReflectionEpisodeKind;
  /** `53/UDP`, and its protocol: `DNS`. */
  service: string;
  protocol: string;
  /** The sensor address spoofed (`reflection`) or the reflector flooded (`reflector-flood`). */
  target: string;
  /** First and last packet, whole seconds since the epoch. */
  start: number;
  end: number;
  /** Answers plus quoted queries. */
  packets: number;
  replies: number;
  quotedQueries: number;
  /** IP bytes of the answers, and of fragments that continued them. */
  replyBytes: number;
  fragmentBytes: number;
  meanReplyBytes: number;
  maxReplyBytes: number;
  reflectors: number;
  /** The reflectors with the most packets (at most `TOP_REFLECTORS`), most first. */
  topReflectors: ReflectorShare[];
  sensorAddresses: number;
  /** Sensors (ids) that saw the episode. */
  sensorIds: number[];
  /** What the evidence is, with the thresholds it passed. */
  why: string;
  /** Who was spoofed and who was attacked, in words. */
  interpretation: string;
}

export interface ReflectionEpisodes {
  /** By start, then target, then service. */
  episodes: ReflectionEpisode[];
  /** Candidate episodes read and how many failed a threshold. */
  candidates: number;
  belowThresholds: number;
}

export const TOP_REFLECTORS = 10;

/** Checks user settings; fills in defaults. */
export function checkReflectionSettings(options: Partial<ReflectionSettings> = {}): ReflectionSettings {
  const s = { ...DEFAULT_REFLECTION_SETTINGS, ...options };
  for (const [name, value] of Object.entries(s)) {
    if (!Number.isInteger(value) || value < 1)
      throw new RangeError(
        `Cannot use reflection setting ${name}: ${String(value)} is not a whole number of at least 1`,
      );
  }
  return s;
}

/** Rows of one candidate episode: consecutive rows of one key, split at gaps. */
function splitAtGaps(rows: ReflectionEvidenceRow[], gapSec: number): ReflectionEvidenceRow[][] {
  rows.sort((a, b) => a.sec - b.sec);
  const out: ReflectionEvidenceRow[][] = [];
  let current: ReflectionEvidenceRow[] = [];
  for (const r of rows) {
    const last = current[current.length - 1];
    if (last !== undefined && r.sec - last.sec > gapSec) {
      out.push(current);
      current = [];
    }
    current.push(r);
  }
  if (current.length > 0) out.push(current);
  return out;
}

function groupBy(
  rows: readonly ReflectionEvidenceRow[],
  key: (r: ReflectionEvidenceRow) => string,
): Map<string, ReflectionEvidenceRow[]> {
  const groups = new Map<string, ReflectionEvidenceRow[]>();
  for (const r of rows) {
    const k = key(r);
    const list = groups.get(k);
    if (list === undefined) groups.set(k, [r]);
    else list.push(r);
  }
  return groups;
}

const fmt = (n: number): string => n.toLocaleString('en-US');

function summarise(
  rows: readonly ReflectionEvidenceRow[],
  fragments: readonly ReflectionEvidenceRow[],
): Omit<ReflectionEpisode, 'kind' | 'target' | 'why' | 'interpretation'> {
  const port = rows[0]!.port;
  let replies = 0;
  let quoted = 0;
  let replyBytes = 0;
  let maxReplyBytes = 0;
  const perReflector = new Map<number, ReflectorShare>();
  const addresses = new Set<number>();
  const sensorIds = new Set<number>();
  for (const r of rows) {
    if (r.kind === ReflectionEvidenceKind.REPLY) {
      replies += r.packets;
      replyBytes += r.bytes;
      maxReplyBytes = Math.max(maxReplyBytes, r.maxBytes);
    } else quoted += r.packets;
    let share = perReflector.get(r.reflector);
    if (share === undefined)
      perReflector.set(r.reflector, (share = { address: formatIpv4(r.reflector), packets: 0, bytes: 0 }));
    share.packets += r.packets;
    share.bytes += r.bytes;
    addresses.add(r.target);
    sensorIds.add(r.sensorId);
  }
  const fragmentBytes = fragments.reduce((sum, f) => sum + f.bytes, 0);
  for (const f of fragments) perReflector.get(f.reflector)!.bytes += f.bytes;
  const top = [...perReflector.entries()]
    .sort(([a, x], [b, y]) => y.packets - x.packets || y.bytes - x.bytes || a - b)
    .slice(0, TOP_REFLECTORS)
    .map(([, share]) => share);
  return {
    service: `${port}/UDP`,
    protocol: REFLECTOR_UDP_PORTS.get(port) ?? '',
    start: rows[0]!.sec,
    end: rows[rows.length - 1]!.sec,
    packets: replies + quoted,
    replies,
    quotedQueries: quoted,
    replyBytes,
    fragmentBytes,
    meanReplyBytes: replies === 0 ? 0 : Number((replyBytes / replies).toFixed(1)),
    maxReplyBytes,
    reflectors: perReflector.size,
    topReflectors: top,
    sensorAddresses: addresses.size,
    sensorIds: [...sensorIds].sort((a, b) => a - b),
  };
}

/** Fragments from the episode's reflectors to its sensor addresses within its span widened by the gap. */
function fragmentsOf(
  rows: readonly ReflectionEvidenceRow[],
  byTarget: Map<number, ReflectionEvidenceRow[]>,
  gapSec: number,
): ReflectionEvidenceRow[] {
  const pairs = new Set(
    rows.filter((r) => r.kind === ReflectionEvidenceKind.REPLY).map((r) => `${r.reflector}>${r.target}`),
  );
  const lo = rows[0]!.sec - gapSec;
  const hi = rows[rows.length - 1]!.sec + gapSec;
  const targets = new Set(rows.map((r) => r.target));
  const out: ReflectionEvidenceRow[] = [];
  for (const target of targets) {
    for (const f of byTarget.get(target) ?? [])
      if (f.sec >= lo && f.sec <= hi && pairs.has(`${f.reflector}>${f.target}`)) out.push(f);
  }
  return out;
}

function amplification(e: Omit<ReflectionEpisode, 'kind' | 'target' | 'why' | 'interpretation'>): string {
  if (e.replies === 0) return `${fmt(e.quotedQueries)} ICMP errors quoting spoofed ${e.protocol} queries`;
  const fragments = e.fragmentBytes > 0 ? ` plus ${fmt(e.fragmentBytes)} bytes in fragments` : '';
  const quoted = e.quotedQueries > 0 ? ` and ${fmt(e.quotedQueries)} ICMP errors quoting spoofed queries` : '';
  return `${fmt(e.replies)} unsolicited ${e.protocol} answers (${fmt(e.replyBytes)} bytes, mean ${e.meanReplyBytes}, largest ${fmt(e.maxReplyBytes)}${fragments})${quoted}`;
}

/**
 * The episodes of `rows` (evidence of any span; the caller keeps the ones
 * that started in its period) with `settings`.
 */
export function reflectionEpisodes(
  rows: readonly ReflectionEvidenceRow[],
  settings: ReflectionSettings = DEFAULT_REFLECTION_SETTINGS,
): ReflectionEpisodes {
  const s = settings;
  const fragmentsByTarget = new Map<number, ReflectionEvidenceRow[]>();
  const signals: ReflectionEvidenceRow[] = [];
  for (const r of rows) {
    if (r.kind !== ReflectionEvidenceKind.FRAGMENT) signals.push(r);
    else {
      const list = fragmentsByTarget.get(r.target);
      if (list === undefined) fragmentsByTarget.set(r.target, [r]);
      else list.push(r);
    }
  }
  const episodes: ReflectionEpisode[] = [];
  let candidates = 0;
  let below = 0;
  const claimed = new Set<ReflectionEvidenceRow>();
  for (const group of groupBy(signals, (r) => `${r.port}|${r.target}`).values()) {
    for (const part of splitAtGaps(group, s.gapSec)) {
      candidates++;
      const e = summarise(part, fragmentsOf(part, fragmentsByTarget, s.gapSec));
      if (e.packets < s.minPackets || e.reflectors < s.minReflectors) {
        below++;
        continue;
      }
      for (const r of part) claimed.add(r);
      const target = formatIpv4(part[0]!.target);
      episodes.push({
        ...e,
        kind: 'reflection',
        target,
        why:
          `${amplification(e)} from ${fmt(e.reflectors)} reflectors reached sensor address ${target} ` +
          `(thresholds: ${s.minPackets} packets, ${s.minReflectors} reflectors, gaps up to ${s.gapSec} s)`,
        interpretation:
          `Someone sent ${e.protocol} queries with the sensor address ${target} as their source to ${fmt(e.reflectors)} reflectors, ` +
          `so that their answers would flood it: ${target} was the spoofed target (an unused address, so the attack aimed at its prefix, ` +
          'picked it by mistake, or tested the reflectors)',
      });
    }
  }
  const unclaimed = signals.filter((r) => !claimed.has(r));
  for (const group of groupBy(unclaimed, (r) => `${r.port}|${r.reflector}`).values()) {
    for (const part of splitAtGaps(group, s.gapSec)) {
      candidates++;
      const e = summarise(part, fragmentsOf(part, fragmentsByTarget, s.gapSec));
      if (e.packets < s.minPackets || e.sensorAddresses < s.minSpoofedAddresses) {
        below++;
        continue;
      }
      const target = formatIpv4(part[0]!.reflector);
      episodes.push({
        ...e,
        kind: 'reflector-flood',
        target,
        why:
          `${amplification(e)} from ${target} reached ${fmt(e.sensorAddresses)} sensor addresses ` +
          `(thresholds: ${s.minPackets} packets, ${s.minSpoofedAddresses} sensor addresses, gaps up to ${s.gapSec} s)`,
        interpretation:
          `${target} (${e.service}) was flooded with ${e.protocol} queries from randomly spoofed sources and answered them: ` +
          `the telescope sees the answers its ${fmt(e.sensorAddresses)} addresses drew (UDP backscatter of a DoS attack on ${target})`,
      });
    }
  }
  episodes.sort(
    (a, b) =>
      a.start - b.start ||
      a.target.localeCompare(b.target) ||
      a.service.localeCompare(b.service) ||
      a.kind.localeCompare(b.kind),
  );
  return { episodes, candidates, belowThresholds: below };
}
