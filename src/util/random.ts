/**
 * @module
 * The one seeded random-number generator, for the simulator, the detectors'
 * sketches, the benchmarks' generators, the fuzzer and the tests: `Rng`
 * (sfc32, a small fast counter generator with 128 bits of state), `hashSeed`,
 * which mixes integers into a 32-bit seed, and `mix32` (MurmurHash3's 32-bit
 * finaliser). `Math.random` is never used: every stream of numbers comes from
 * `hashSeed(seed, what it is for, …)`, so one part of a scenario (a stream, a
 * sensor, a day) draws the same numbers whatever else the scenario holds or in
 * which order the parts run.
 */

/** MurmurHash3's 32-bit finaliser: a bijective avalanche mix that spreads nearby values over all bits. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const TWO_32 = 0x1_0000_0000;
const GOLDEN = 0x9e3779b9;
/** Rounds sfc32 is stepped after seeding so that close seeds diverge. */
const WARM_UP_ROUNDS = 12;

/** A 32-bit seed from any number of integers (each taken as up to 53 bits). */
export function hashSeed(...parts: readonly number[]): number {
  let h = 0x2545f491;
  for (const part of parts) {
    const low = part >>> 0;
    const high = Math.floor(part / TWO_32) >>> 0;
    h = mix32(h ^ mix32(low + GOLDEN));
    h = mix32(h ^ mix32(high + GOLDEN * 2));
  }
  return h;
}

/** FNV-1a hash of a text, for seeding by name rather than by position. */
export function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** sfc32 by Chris Doty-Humphrey (PractRand), seeded through `hashSeed`. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;

  constructor(seed: number) {
    this.a = mix32(seed ^ 0xa5a5a5a5);
    this.b = mix32(seed + GOLDEN);
    this.c = mix32(seed ^ 0x5bd1e995);
    for (let i = 0; i < WARM_UP_ROUNDS; i++) this.uint32();
  }

  /** Uniform integer in 0..2^32-1. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  float(): number {
    return this.uint32() / TWO_32;
  }

  /** Uniform integer in [0, n) for 1 ≤ n ≤ 2^32. */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [from, to] (inclusive). */
  between(from: number, to: number): number {
    return from + this.int(to - from + 1);
  }

  /** One of `items`, uniformly (`items` must not be empty). */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** Standard normal deviate (Box–Muller, one value per call). */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Geometric count ≥ 1 with mean `mean`, cut at `max`. */
  burst(mean: number, max: number): number {
    if (mean <= 1 || max <= 1) return 1;
    const p = 1 / mean;
    let k = 1;
    while (k < max && this.float() >= p) k++;
    return k;
  }
}

/** Uniform numbers in [0, 1) from `seed`, as a function (for code that takes a `() => number`). */
export function uniform(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.float();
}
