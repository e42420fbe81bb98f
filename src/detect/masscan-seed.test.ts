/**
 * `masscanCookie()` against Masscan's own `syn_cookie()` (its src/syn-cookie.c
 * and crypto-siphash24.c compiled with gcc; the values below are what that
 * program printed), and `recoverMasscanSeed()` on probes crafted with a
 * short seed, a start-time seed and an unguessable 64-bit seed.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../util/random.js';
import { masscanCookie, recoverMasscanSeed, type CookieProbe } from './masscan-seed.js';

const TARGET = 0xc6336400; // 198.51.100.0
const probeTo = (src: number, sport: number, host: number, dport: number) => ({
  src,
  sport,
  dst: TARGET + host,
  dport,
});

describe('masscanCookie()', () => {
  it("masscanCookie() is Masscan's syn_cookie(): the probe's TCP sequence number", () => {
    // seed, them, port, me, port → seq (IP ID = them ^ port ^ seq as printed too)
    const cases: Array<[{ hi: number; lo: number }, ReturnType<typeof probeTo>, number, number]> = [
      [{ hi: 0, lo: 1234 }, probeTo(0x0b000001, 61000, 1, 445), 984550967, 27531],
      [{ hi: 0, lo: 1234 }, probeTo(0x0c000001, 61000, 2, 23), 3238786154, 36991],
      [{ hi: 0, lo: 1275350400 }, probeTo(0x0b000001, 40007, 3, 80), 3063616034, 30321],
      [{ hi: 0x01234567, lo: 0x89abcdef }, probeTo(0x0d000001, 55555, 4, 3389), 1704309295, 56086],
    ];
    for (const [seed, probe, seq, ipId] of cases) {
      expect(masscanCookie(seed, probe)).toBe(seq);
      expect(((probe.dst ^ probe.dport ^ seq) & 0xffff) >>> 0).toBe(ipId);
    }
  });
});

function scan(seed: { hi: number; lo: number }, src: number, rng: Rng, n = 5): CookieProbe[] {
  return Array.from({ length: n }, () => {
    const p = probeTo(src, 61000, rng.int(256), [80, 443, 445, 3389][rng.int(4)]!);
    return { ...p, seq: masscanCookie(seed, p) };
  });
}

describe('recoverMasscanSeed()', () => {
  const search = { smallSeeds: 1 << 16, timeWindowSec: 3_600 };
  const first = 1_717_372_800;

  it('recoverMasscanSeed() finds a short --seed and a --seed time, the same for every shard', () => {
    const rng = new Rng(3);
    expect(recoverMasscanSeed(scan({ hi: 0, lo: 1234 }, 0x0b000001, rng), { firstSec: first, search })).toEqual({
      seed: 1234,
      kind: 'number',
    });
    expect(recoverMasscanSeed(scan({ hi: 0, lo: 1234 }, 0x16000009, rng), { firstSec: first, search })?.seed).toBe(
      1234,
    );
    const started = first - 1_234;
    expect(recoverMasscanSeed(scan({ hi: 0, lo: started }, 0x0c000001, rng), { firstSec: first, search })).toEqual({
      seed: started,
      kind: 'time',
    });
  });

  it('recoverMasscanSeed() finds nothing for a random 64-bit seed, for too few targets, or for plain random sequence numbers', () => {
    const rng = new Rng(4);
    expect(
      recoverMasscanSeed(scan({ hi: 0x9e3779b9, lo: 0x7f4a7c15 }, 0x0b000001, rng), { firstSec: first, search }),
    ).toBeNull();
    // A seed from before the time window is not searched.
    expect(
      recoverMasscanSeed(scan({ hi: 0, lo: first - 7_200 }, 0x0b000001, rng), { firstSec: first, search }),
    ).toBeNull();
    const one = scan({ hi: 0, lo: 1234 }, 0x0b000001, rng, 1);
    expect(recoverMasscanSeed([...one, ...one], { firstSec: first, search })).toBeNull();
    const random = scan({ hi: 0, lo: 1234 }, 0x0b000001, rng).map((p) => ({ ...p, seq: rng.uint32() }));
    expect(recoverMasscanSeed(random, { firstSec: first, search })).toBeNull();
  });
});
