/**
 * @module
 * Small seeded number generators shared by the simulator, the detectors'
 * sketches, the benchmarks' generators and the tests: `mix32` (MurmurHash3's
 * 32-bit finaliser) and `mulberry32` (a 32-bit-state PRNG, enough to draw
 * test and benchmark traffic reproducibly; the simulator's streams use the
 * larger-state `Rng` of `simulate/random.ts`).
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

/** mulberry32: uniform numbers in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}
