/**
 * @module
 * SipHash-2-4 (Aumasson and Bernstein, 2012) of a byte string under a
 * 128-bit key, in 32-bit halves so no BigInt is allocated per call: Masscan
 * derives each probe's TCP sequence number from it (`detect/masscan-seed.ts`
 * searches seeds by the million).
 */

/** A 64-bit value as two unsigned 32-bit halves. */
export interface U64 {
  hi: number;
  lo: number;
}

const COMPRESSION_ROUNDS = 2;
const FINAL_ROUNDS = 4;
const WORD_BYTES = 8;
const LENGTH_SHIFT = 24;
const FINAL_XOR = 0xff;
/** The last word of a 16-byte message: its length in the top byte. */
const SIXTEEN_BYTES = 16 << 24;

// v0..v3 as hi/lo halves in a typed array: module-scope numbers above 2³¹ would be boxed on every store.
const V0H = 0;
const V0L = 1;
const V1H = 2;
const V1L = 3;
const V2H = 4;
const V2L = 5;
const V3H = 6;
const V3L = 7;
const v = new Uint32Array(8);

function sipRounds(rounds: number): void {
  let v0h = v[V0H]!;
  let v0l = v[V0L]!;
  let v1h = v[V1H]!;
  let v1l = v[V1L]!;
  let v2h = v[V2H]!;
  let v2l = v[V2L]!;
  let v3h = v[V3H]!;
  let v3l = v[V3L]!;
  // Rotations by n < 32 on the halves: (h, l) <<< n = (h << n | l >>> 32 − n, l << n | h >>> 32 − n).
  for (let r = 0; r < rounds; r++) {
    // v0 += v1; v1 <<<= 13; v1 ^= v0; v0 <<<= 32
    let l = (v0l + v1l) >>> 0;
    v0h = (v0h + v1h + (l < v0l ? 1 : 0)) >>> 0;
    v0l = l;
    let t = (((v1h << 13) | (v1l >>> 19)) ^ v0h) >>> 0;
    v1l = (((v1l << 13) | (v1h >>> 19)) ^ v0l) >>> 0;
    v1h = t;
    t = v0h;
    v0h = v0l;
    v0l = t;
    // v2 += v3; v3 <<<= 16; v3 ^= v2
    l = (v2l + v3l) >>> 0;
    v2h = (v2h + v3h + (l < v2l ? 1 : 0)) >>> 0;
    v2l = l;
    t = (((v3h << 16) | (v3l >>> 16)) ^ v2h) >>> 0;
    v3l = (((v3l << 16) | (v3h >>> 16)) ^ v2l) >>> 0;
    v3h = t;
    // v0 += v3; v3 <<<= 21; v3 ^= v0
    l = (v0l + v3l) >>> 0;
    v0h = (v0h + v3h + (l < v0l ? 1 : 0)) >>> 0;
    v0l = l;
    t = (((v3h << 21) | (v3l >>> 11)) ^ v0h) >>> 0;
    v3l = (((v3l << 21) | (v3h >>> 11)) ^ v0l) >>> 0;
    v3h = t;
    // v2 += v1; v1 <<<= 17; v1 ^= v2; v2 <<<= 32
    l = (v2l + v1l) >>> 0;
    v2h = (v2h + v1h + (l < v2l ? 1 : 0)) >>> 0;
    v2l = l;
    t = (((v1h << 17) | (v1l >>> 15)) ^ v2h) >>> 0;
    v1l = (((v1l << 17) | (v1h >>> 15)) ^ v2l) >>> 0;
    v1h = t;
    t = v2h;
    v2h = v2l;
    v2l = t;
  }
  v[V0H] = v0h;
  v[V0L] = v0l;
  v[V1H] = v1h;
  v[V1L] = v1l;
  v[V2H] = v2h;
  v[V2L] = v2l;
  v[V3H] = v3h;
  v[V3L] = v3l;
}

function absorb(mh: number, ml: number): void {
  v[V3H] = v[V3H]! ^ mh;
  v[V3L] = v[V3L]! ^ ml;
  sipRounds(COMPRESSION_ROUNDS);
  v[V0H] = v[V0H]! ^ mh;
  v[V0L] = v[V0L]! ^ ml;
}

function init(k0: U64, k1: U64): void {
  v[V0H] = k0.hi ^ 0x736f6d65;
  v[V0L] = k0.lo ^ 0x70736575;
  v[V1H] = k1.hi ^ 0x646f7261;
  v[V1L] = k1.lo ^ 0x6e646f6d;
  v[V2H] = k0.hi ^ 0x6c796765;
  v[V2L] = k0.lo ^ 0x6e657261;
  v[V3H] = k1.hi ^ 0x74656462;
  v[V3L] = k1.lo ^ 0x79746573;
}

function finish(): void {
  v[V2L] = v[V2L]! ^ FINAL_XOR;
  sipRounds(FINAL_ROUNDS);
}

/** Little-endian 32-bit word of `data` at `at`, bytes past `end` read as 0. */
function word32(data: Uint8Array, at: number, end: number): number {
  let w = 0;
  for (let k = 3; k >= 0; k--) w = (w << 8) | (at + k < end ? data[at + k]! : 0);
  return w >>> 0;
}

/**
 * The low 32 bits of SipHash-2-4 of four little-endian 32-bit words (a, b,
 * c, d) under the key (k, k): `siphash24` specialised to Masscan's SYN
 * cookie input, with nothing allocated, for seed searches.
 */
export function siphash24Words(k: U64, words: { a: number; b: number; c: number; d: number }): number {
  init(k, k);
  absorb(words.b, words.a);
  absorb(words.d, words.c);
  absorb(SIXTEEN_BYTES, 0);
  finish();
  return (v[V0L]! ^ v[V1L]! ^ v[V2L]! ^ v[V3L]!) >>> 0;
}

/** SipHash-2-4 of `data` under the key (k0, k1), each 64-bit word read little-endian as the reference does. */
export function siphash24(key: { k0: U64; k1: U64 }, data: Uint8Array): U64 {
  init(key.k0, key.k1);
  const whole = data.length - (data.length % WORD_BYTES);
  for (let at = 0; at < whole; at += WORD_BYTES)
    absorb(word32(data, at + 4, data.length), word32(data, at, data.length));
  // The last word: the remaining bytes, and the length's low byte in the top byte.
  absorb(
    (word32(data, whole + 4, data.length) | ((data.length & 0xff) << LENGTH_SHIFT)) >>> 0,
    word32(data, whole, data.length),
  );
  finish();
  return { hi: (v[V0H]! ^ v[V1H]! ^ v[V2H]! ^ v[V3H]!) >>> 0, lo: (v[V0L]! ^ v[V1L]! ^ v[V2L]! ^ v[V3L]!) >>> 0 };
}
