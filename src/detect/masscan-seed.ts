/**
 * @module
 * Masscan's scan seed, recovered from its probes where that is provable.
 *
 * Masscan (src/syn-cookie.c, templ-pkt.c, main.c) sends each SYN with
 * sequence number = low 32 bits of SipHash-2-4 keyed (seed, seed) over the
 * four 32-bit words (target address, target port, own address, own port),
 * and IP ID = (target address ⊕ target port ⊕ seq) & 0xffff. The IP ID
 * relation needs no key: it only says "Masscan" (`fingerprint.ts`). The
 * seed is the key: 64 bits, by default drawn from /dev/urandom and the clock
 * at start (`get_entropy`), which no observer can search, and two sources
 * with unknown keys cannot be shown to share one (SipHash outputs under
 * different keys look alike). Two settings leave it findable:
 *
 * - `--seed N` with a short number (sharded scans, `--shard i/n`, must give
 *   every machine the same seed): N below `smallSeeds`;
 * - `--seed time`: the Unix time at start, so at most `timeWindowSec` before
 *   the first probe seen.
 *
 * A candidate is accepted only if it reproduces the sequence numbers of at
 * least `MIN_PROBES` probes to different targets: a chance match of two
 * 32-bit values under any of ~2¹⁸ candidates has probability ~2⁻⁴⁶. Sources
 * whose seeds were recovered and are equal provably ran one configuration
 * (the same scan, or its shards); a source whose seed is not found is not
 * linked by seed at all.
 */

import { siphash24Words, type U64 } from '../util/siphash24.js';

/** One Masscan TCP probe as the telescope saw it (addresses as 32-bit numbers). */
export interface CookieProbe {
  src: number;
  dst: number;
  sport: number;
  dport: number;
  seq: number;
}

export interface SeedSearch {
  /** Seeds 0 … smallSeeds − 1 are tried (`--seed N`). */
  smallSeeds: number;
  /** Unix times up to this many seconds before the first probe are tried (`--seed time`). */
  timeWindowSec: number;
}

/**
 * 2¹⁶ small seeds and a day of start times: about 152,000 candidates, 35 ms
 * of CPU per source (a SipHash is ~0.23 µs), so a report can afford it for
 * its busiest Masscan sources.
 */
export const DEFAULT_SEED_SEARCH: Readonly<SeedSearch> = { smallSeeds: 1 << 16, timeWindowSec: 86_400 };

/** Probes to different targets a seed must reproduce. */
export const MIN_PROBES = 2;

export interface RecoveredSeed {
  seed: number;
  /** How the seed was found: a short number, or a start time. */
  kind: 'number' | 'time';
}

const words = { a: 0, b: 0, c: 0, d: 0 };

/** Masscan's SYN cookie (the probe's sequence number) for `probe` under `seed`. */
export function masscanCookie(seed: U64, probe: Omit<CookieProbe, 'seq'>): number {
  // Masscan hashes its four `unsigned` words in host order: little-endian on the x86 and ARM builds.
  words.a = probe.dst;
  words.b = probe.dport;
  words.c = probe.src;
  words.d = probe.sport;
  return siphash24Words(seed, words);
}

function reproduces(seed: number, probes: readonly CookieProbe[]): boolean {
  const s = { hi: 0, lo: seed >>> 0 };
  return probes.every((p) => masscanCookie(s, p) === p.seq);
}

/**
 * The seed every probe's sequence number was made with, among the small
 * numbers and the start times before `firstSec`; null when there are fewer
 * than `MIN_PROBES` distinct targets or no candidate reproduces them all.
 */
export function recoverMasscanSeed(
  probes: readonly CookieProbe[],
  options: { firstSec: number; search?: SeedSearch },
): RecoveredSeed | null {
  const search = options.search ?? DEFAULT_SEED_SEARCH;
  const distinct = [...new Map(probes.map((p) => [`${p.dst}:${p.dport}`, p])).values()];
  if (distinct.length < MIN_PROBES) return null;
  const [first, ...rest] = distinct;
  const s = { hi: 0, lo: 0 };
  const test = (seed: number): boolean => {
    s.lo = seed >>> 0;
    return masscanCookie(s, first!) === first!.seq && reproduces(seed, rest);
  };
  for (let seed = 0; seed < search.smallSeeds; seed++) if (test(seed)) return { seed, kind: 'number' };
  const latest = Math.floor(options.firstSec);
  for (let seed = latest; seed >= Math.max(search.smallSeeds, latest - search.timeWindowSec); seed--)
    if (test(seed)) return { seed, kind: 'time' };
  return null;
}
