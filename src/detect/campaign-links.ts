/**
 * @module
 * Campaigns: scanners that are one actor's work, linked pairwise by what
 * their probes share, each link stating its reasons (`link-reason.ts`). A pair is
 * linked when all three hold (thresholds in `CampaignSettings`):
 *
 * 1. the same ports: the Jaccard index of their probed service sets is at
 *    least `minPortJaccard` (a campaign's sources split one target list);
 * 2. coordination: the same /24, or started and stopped within `timingSec`
 *    of each other, or one started within `timingSec` of the other's stop
 *    (rotation to a fresh address), or the same recovered Masscan seed
 *    (`masscan-seed.ts`: the same scan configuration, e.g. its shards);
 * 3. evidence worth at least `minScore` points, where the same /24,
 *    the same Masscan seed and start-and-stop together count 2, a hand-off 1, and each shared
 *    fingerprint 1: the same tool (ZMap, Masscan, Mirai, Nmap), the same
 *    modal TTL, the same fixed source port, source ports that step by one
 *    (hping3's default), and, for sources without a shared tool, the same
 *    constant IP ID and the same modal TCP window (a tool's own IP ID and
 *    window would count its fingerprint twice).
 *
 * Unrelated sources that probe the same popular port pass (1) but rarely
 * (2) and (3) together: a chance hand-off is worth 1, and a random TTL,
 * window or tool match adds at most a point or two. Campaigns are the
 * connected groups of linked sources (two or more).
 */

import type { LinkReason } from './link-reason.js';
import type { RecoveredSeed } from './masscan-seed.js';

export type IpIdPattern = { kind: 'constant'; value: number } | { kind: 'sequential' } | { kind: 'random' };
export type SportPattern = { kind: 'fixed'; port: number } | { kind: 'stepping' } | { kind: 'varied' };

/** What is known of one scanning source over the period. */
export interface CampaignSource {
  source: string;
  address: number;
  asn: number;
  countryCode: string;
  firstSeen: number;
  lastSeen: number;
  packets: number;
  /** Probed services (`23/TCP`). */
  services: readonly string[];
  /** Tagged tool fingerprints. */
  tools: readonly string[];
  /** Most frequent TTL and TCP window of its probes (null: unknown, e.g. no raw packets). */
  ttl: number | null;
  window: number | null;
  ipId: IpIdPattern | null;
  sport: SportPattern | null;
  /** The Masscan seed its SYN cookies were made with, when it could be recovered (`masscan-seed.ts`). */
  masscanSeed?: RecoveredSeed | null;
}

export interface CampaignSettings {
  /** Least Jaccard index of two sources' service sets (default 0.8). */
  minPortJaccard: number;
  /** Seconds within which starts, stops or a hand-off count as together (default 60). */
  timingSec: number;
  /** Least evidence points of a link (default 3). */
  minScore: number;
}

export const DEFAULT_CAMPAIGN_SETTINGS: Readonly<CampaignSettings> = {
  minPortJaccard: 0.8,
  timingSec: 60,
  minScore: 3,
};

export interface CampaignLink {
  a: string;
  b: string;
  score: number;
  /** Each piece of evidence, as data (`link-reason.ts`). */
  reasons: LinkReason[];
}

export interface Campaign {
  /** Sources, by first probe. */
  sources: string[];
  /** Services probed by every source, sorted. */
  services: string[];
  tools: string[];
  start: number;
  end: number;
  packets: number;
  links: CampaignLink[];
}

const PREFIX_24 = 0xffffff00;
/** Points of a shared recovered Masscan seed: proof of one scan configuration, worth start-and-stop together. */
const SEED_POINTS = 2;

/** The seed both sources' SYN cookies were recovered under, or null. */
function sharedSeed(x: CampaignSource, y: CampaignSource): RecoveredSeed | null {
  const a = x.masscanSeed ?? null;
  const b = y.masscanSeed ?? null;
  return a !== null && b !== null && a.seed === b.seed ? a : null;
}

function jaccard(a: readonly string[], b: readonly string[]): number {
  const setA = new Set(a);
  let both = 0;
  for (const x of new Set(b)) if (setA.has(x)) both++;
  const union = setA.size + new Set(b).size - both;
  return union === 0 ? 0 : both / union;
}

const prefix24 = (address: number): string =>
  `${address >>> 24}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.0/24`;

/** The link between `x` and `y`, or null when they are not linked. */
export function linkOf(
  x: CampaignSource,
  y: CampaignSource,
  s: CampaignSettings = DEFAULT_CAMPAIGN_SETTINGS,
): CampaignLink | null {
  const j = jaccard(x.services, y.services);
  if (j < s.minPortJaccard) return null;
  const reasons: LinkReason[] = [{ kind: 'port-set', jaccard: j, ports: [...x.services].sort() }];
  let score = 0;
  let coordinated = false;
  if ((x.address & PREFIX_24) >>> 0 === (y.address & PREFIX_24) >>> 0) {
    score += 2;
    coordinated = true;
    reasons.push({ kind: 'same-prefix', prefix: prefix24(x.address) });
  }
  const dStart = Math.abs(x.firstSeen - y.firstSeen);
  const dStop = Math.abs(x.lastSeen - y.lastSeen);
  const [early, late] = x.firstSeen <= y.firstSeen ? [x, y] : [y, x];
  const handoff = late.firstSeen - early.lastSeen;
  if (dStart <= s.timingSec && dStop <= s.timingSec) {
    score += 2;
    coordinated = true;
    reasons.push({ kind: 'together', startGapSec: Math.round(dStart), stopGapSec: Math.round(dStop) });
  } else if (handoff >= -s.timingSec && handoff <= s.timingSec) {
    score += 1;
    coordinated = true;
    reasons.push({ kind: 'rotation', early: early.source, late: late.source, gapSec: Math.round(handoff) });
  }
  // One recovered seed is one scan configuration (the same run, or shards of it), whenever each source ran.
  const seed = sharedSeed(x, y);
  if (seed !== null) {
    score += SEED_POINTS;
    coordinated = true;
    reasons.push({ kind: 'masscan-seed', seed: seed.seed, seedKind: seed.kind });
  }
  if (!coordinated) return null;
  const tools = x.tools.filter((t) => y.tools.includes(t));
  if (tools.length > 0) {
    score += 1;
    reasons.push({ kind: 'same-tool', tools });
  }
  if (x.ttl !== null && x.ttl === y.ttl) {
    score += 1;
    reasons.push({ kind: 'same-ttl', ttl: x.ttl });
  }
  // A tool writes its own IP ID and window: with the tool shared they are the same evidence again.
  if (
    tools.length === 0 &&
    x.ipId?.kind === 'constant' &&
    y.ipId?.kind === 'constant' &&
    x.ipId.value === y.ipId.value
  ) {
    score += 1;
    reasons.push({ kind: 'same-ip-id', ipId: x.ipId.value });
  }
  if (tools.length === 0 && x.window !== null && x.window === y.window) {
    score += 1;
    reasons.push({ kind: 'same-window', window: x.window });
  }
  if (x.sport?.kind === 'fixed' && y.sport?.kind === 'fixed' && x.sport.port === y.sport.port) {
    score += 1;
    reasons.push({ kind: 'same-source-port', port: x.sport.port });
  } else if (x.sport?.kind === 'stepping' && y.sport?.kind === 'stepping') {
    score += 1;
    reasons.push({ kind: 'stepping-source-ports' });
  }
  if (score < s.minScore) return null;
  return { a: x.source, b: y.source, score, reasons };
}

/** First index in `members` whose first probe is at or after `sec` (members are in first-probe order). */
function lowerBound(members: readonly number[], first: readonly number[], sec: number): number {
  let lo = 0;
  let hi = members.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (first[members[mid]!]! < sec) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Pairs of one port's sources that can be coordinated (`linkOf`'s second
 * gate): the same /24 or Masscan seed, starts within the timing, or one's
 * start near the other's stop; so a port probed by many unrelated sources costs about
 * its sources, not their square.
 */
function* candidatePairs(
  members: readonly number[],
  sorted: readonly CampaignSource[],
  o: { first: readonly number[]; timingSec: number },
): Generator<[number, number]> {
  // Sources of one /24, and sources sharing a recovered Masscan seed, are paired whatever their timing.
  const groups = new Map<string, number[]>();
  for (const i of members) {
    const keys = [`p${(sorted[i]!.address & PREFIX_24) >>> 0}`];
    const seed = sorted[i]!.masscanSeed;
    if (seed != null) keys.push(`s${seed.seed}`);
    for (const key of keys) {
      const list = groups.get(key);
      if (list === undefined) groups.set(key, [i]);
      else list.push(i);
    }
  }
  for (const list of groups.values())
    for (let p = 0; p < list.length; p++) for (let q = p + 1; q < list.length; q++) yield [list[p]!, list[q]!];
  for (let p = 0; p < members.length; p++) {
    const i = members[p]!;
    for (let q = p + 1; q < members.length && o.first[members[q]!]! - o.first[i]! <= o.timingSec; q++)
      yield [i, members[q]!];
    const last = sorted[i]!.lastSeen;
    for (
      let q = lowerBound(members, o.first, last - o.timingSec);
      q < members.length && o.first[members[q]!]! <= last + o.timingSec;
      q++
    ) {
      if (members[q] !== i) yield [i, members[q]!];
    }
  }
}

/** Union-find root with path halving. */
function root(parent: number[], i: number): number {
  while (parent[i] !== i) {
    parent[i] = parent[parent[i]!]!;
    i = parent[i]!;
  }
  return i;
}

/** Links between every pair of `sources`, and the campaigns (linked groups of two or more), largest first. */
export function findCampaigns(
  sources: readonly CampaignSource[],
  settings: CampaignSettings = DEFAULT_CAMPAIGN_SETTINGS,
): { links: CampaignLink[]; campaigns: Campaign[] } {
  const sorted = [...sources].sort((a, b) => a.firstSeen - b.firstSeen || a.address - b.address);
  const parent = sorted.map((_, i) => i);
  const links: CampaignLink[] = [];
  const linkIndex: number[][] = [];
  // Pairs are compared only within a port: sources with no service in common cannot pass the Jaccard gate.
  const byService = new Map<string, number[]>();
  sorted.forEach((src, i) => {
    for (const service of src.services) {
      const list = byService.get(service);
      if (list === undefined) byService.set(service, [i]);
      else list.push(i);
    }
  });
  const tried = new Set<number>();
  const n = sorted.length;
  const first = sorted.map((m) => m.firstSeen);
  for (const members of byService.values()) {
    for (const [i, k] of candidatePairs(members, sorted, { first, timingSec: settings.timingSec })) {
      const pair = Math.min(i, k) * n + Math.max(i, k);
      if (tried.has(pair)) continue;
      tried.add(pair);
      const link = linkOf(sorted[i]!, sorted[k]!, settings);
      if (link === null) continue;
      linkIndex.push([i, k]);
      links.push(link);
      parent[root(parent, i)] = root(parent, k);
    }
  }
  const groups = new Map<number, number[]>();
  sorted.forEach((_, i) => {
    const r = root(parent, i);
    const list = groups.get(r);
    if (list === undefined) groups.set(r, [i]);
    else list.push(i);
  });
  const campaigns: Campaign[] = [];
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const inGroup = new Set(members);
    const srcs = members.map((i) => sorted[i]!);
    const services = [...new Set(srcs[0]!.services)].filter((sv) => srcs.every((m) => m.services.includes(sv))).sort();
    const tools = [...new Set(srcs.flatMap((m) => m.tools))].sort();
    const start = Math.min(...srcs.map((m) => m.firstSeen));
    const end = Math.max(...srcs.map((m) => m.lastSeen));
    const own = links.filter((_, li) => inGroup.has(linkIndex[li]![0]!));
    campaigns.push({
      sources: srcs.map((m) => m.source),
      services,
      tools,
      start,
      end,
      packets: srcs.reduce((sum, m) => sum + m.packets, 0),
      links: own,
    });
  }
  campaigns.sort((a, b) => b.sources.length - a.sources.length || b.packets - a.packets || a.start - b.start);
  return { links, campaigns };
}
