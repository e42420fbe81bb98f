/**
 * @module
 * Exact conversion between pcapng's 64-bit timestamps (a count of units of
 * 10^-n or 2^-n seconds, stored as two 32-bit words) and (seconds, nanoseconds).
 *
 * A count of nanoseconds since 1970 is about 2^61, far past the 2^53 a Number
 * holds exactly. The common resolutions (10^-0..10^-9, 2^-0..2^-32) are still
 * converted exactly without BigInt: binary ones by shifting, decimal ones by
 * shifting off n bits (10^n = 2^n × 5^n) and dividing the exact remainder by
 * 5^n with a multiply and a correction step; counts too large even for that
 * (nanoseconds after 2116) fall back to long division over 16-bit limbs.
 * Only exotic resolutions (10^-10 and finer, 2^-33 and finer) take a BigInt
 * per packet (about 0.7 µs).
 */

/** A pcapng `if_tsresol`: one unit is `base^-exponent` seconds. */
export interface TsResolution {
  base: 10 | 2;
  exponent: number;
}

/** The pcapng default when an interface has no `if_tsresol` option. */
export const DEFAULT_TS_RESOLUTION: TsResolution = { base: 10, exponent: 6 };

const TWO_16 = 0x1_0000;
const TWO_32 = 0x1_0000_0000;
const NS_PER_SEC = 1_000_000_000;
/** 10^9 = 2^9 × 5^9: multiplying by 5^9 (< 2^21) keeps a 32-bit fraction below 2^53. */
const FIVE_POW_9 = 1_953_125;
const TSRESOL_BINARY_FLAG = 0x80;
const TSRESOL_EXPONENT_MASK = 0x7f;
const MAX_DECIMAL_FAST = 9;
/** Integers below 2^53 are exact in a Number. */
const EXACT_BITS = 53;
const MAX_BINARY_FAST = 32;

const KIND_DECIMAL = 0;
const KIND_BINARY = 1;
const KIND_BIG = 2;

/** Decode the one-byte `if_tsresol` option value. */
export function resolutionFromByte(byte: number): TsResolution {
  const exponent = byte & TSRESOL_EXPONENT_MASK;
  return (byte & TSRESOL_BINARY_FLAG) !== 0 ? { base: 2, exponent } : { base: 10, exponent };
}

/** Encode a resolution as the one-byte `if_tsresol` option value. */
export function resolutionToByte(resolution: TsResolution): number {
  const { base, exponent } = resolution;
  if (!Number.isInteger(exponent) || exponent < 0 || exponent > TSRESOL_EXPONENT_MASK) {
    throw new RangeError(`Cannot encode if_tsresol: exponent ${exponent} is outside 0..127`);
  }
  if (base !== 10 && base !== 2) throw new RangeError(`Cannot encode if_tsresol: base ${String(base)}`);
  return base === 2 ? TSRESOL_BINARY_FLAG | exponent : exponent;
}

/** Floor of `x / d` for non-negative integers below 2^53, immune to quotient rounding up. */
function floorDiv(x: number, d: number): number {
  const q = Math.floor(x / d);
  return q * d > x ? q - 1 : q;
}

/** Output of {@link TimeScale.toTime}: the fields are named as in `RawRecord`. */
export interface TimeOut {
  tsSec: number;
  tsNsec: number;
}

/**
 * Converter for one interface: its resolution plus `if_tsoffset` seconds.
 * Fields are all initialised in the constructor so every instance has one shape.
 */
export class TimeScale {
  readonly resolution: TsResolution;
  /** Seconds added to every timestamp read (pcapng `if_tsoffset`). */
  readonly offsetSec: number;
  /** High and low words of the last {@link fromTime} result. */
  hi = 0;
  lo = 0;
  private readonly kind: number;
  /** The exponent n, and 2^n, 2^n - 1 and 2^(32-n) for splitting off the low n bits. */
  private readonly shift: number;
  private readonly pow: number;
  private readonly mask: number;
  private readonly secPerHi: number;
  /** Decimal scales: 10^n, 5^n and its reciprocal, 10^(9-n), and the largest `hi` for the fast path. */
  private readonly divisor: number;
  private readonly five: number;
  private readonly fiveInverse: number;
  private readonly nsPerUnit: number;
  private readonly fastHiLimit: number;
  /** Binary scales: nsec = frac × fracMul × fracScale, with fracScale a power of two. */
  private readonly fracMul: number;
  private readonly fracScale: number;
  private readonly fracDiv: number;
  private readonly bigUnits: bigint;

  constructor(resolution: TsResolution, offsetSec = 0) {
    const { base, exponent: n } = resolution;
    this.resolution = { base, exponent: n };
    this.offsetSec = offsetSec;
    const fast = (base === 10 && n <= MAX_DECIMAL_FAST) || (base === 2 && n <= MAX_BINARY_FAST);
    this.kind = !fast ? KIND_BIG : base === 10 ? KIND_DECIMAL : KIND_BINARY;
    this.shift = fast ? n : 0;
    this.pow = 2 ** this.shift;
    this.mask = this.pow - 1;
    this.secPerHi = 2 ** (MAX_BINARY_FAST - this.shift);
    this.divisor = 10 ** this.shift;
    this.five = 5 ** this.shift;
    this.fiveInverse = 1 / this.five;
    this.nsPerUnit = 10 ** Math.max(0, MAX_DECIMAL_FAST - this.shift);
    // Up to this hi, (hi:lo) >> n is below 2^53 and exact (for nanoseconds: until 2116).
    this.fastHiLimit = 2 ** (EXACT_BITS - 32 + this.shift) - 1;
    this.fracMul = this.shift <= 9 ? NS_PER_SEC : FIVE_POW_9;
    this.fracDiv = this.shift <= 9 ? this.pow : 2 ** (this.shift - 9);
    this.fracScale = 1 / this.fracDiv;
    this.bigUnits = BigInt(base) ** BigInt(n);
  }

  /** Convert the unit count `hi × 2^32 + lo` to seconds (plus offset) and nanoseconds. */
  toTime(hi: number, lo: number, out: TimeOut): void {
    if (this.kind === KIND_DECIMAL) {
      if (hi <= this.fastHiLimit) {
        // 10^n = 2^n × 5^n: shift the low n bits off (the rest fits 53 bits),
        // then divide by 5^n with a multiply and a one-step correction.
        const t = hi * this.secPerHi + (lo >>> this.shift);
        const five = this.five;
        let q = Math.floor(t * this.fiveInverse);
        let r = t - q * five;
        if (r < 0) {
          q--;
          r += five;
        } else if (r >= five) {
          q++;
          r -= five;
        }
        out.tsSec = q + this.offsetSec;
        out.tsNsec = (r * this.pow + (lo & this.mask)) * this.nsPerUnit;
      } else {
        this.toTimeLimbs(hi, lo, out);
      }
    } else if (this.kind === KIND_BINARY) {
      // n = 32 is the one shift `>>>` cannot do (it counts modulo 32).
      const full = this.shift === MAX_BINARY_FAST;
      const loSec = full ? 0 : lo >>> this.shift;
      const frac = full ? lo : lo & this.mask;
      out.tsSec = hi * this.secPerHi + loSec + this.offsetSec;
      // frac × fracMul < 2^53 and fracScale is a power of two: exact before the floor.
      out.tsNsec = Math.floor(frac * this.fracMul * this.fracScale);
    } else {
      this.toTimeBig(hi, lo, out);
    }
  }

  /** Decimal scales past 2116 (ns): long division over limbs of 32, 16 and 16 bits, each below 2^46. */
  private toTimeLimbs(hi: number, lo: number, out: TimeOut): void {
    const u = this.divisor;
    const q0 = Math.floor(hi / u);
    let r = hi - q0 * u;
    let x = r * TWO_16 + (lo >>> 16);
    const q1 = Math.floor(x / u);
    r = x - q1 * u;
    x = r * TWO_16 + (lo & 0xffff);
    const q2 = Math.floor(x / u);
    r = x - q2 * u;
    out.tsSec = q0 * TWO_32 + q1 * TWO_16 + q2 + this.offsetSec;
    out.tsNsec = r * this.nsPerUnit;
  }

  private toTimeBig(hi: number, lo: number, out: TimeOut): void {
    const units = (BigInt(hi) << 32n) | BigInt(lo);
    const frac = units % this.bigUnits;
    out.tsSec = Number(units / this.bigUnits) + this.offsetSec;
    out.tsNsec = Number((frac * BigInt(NS_PER_SEC)) / this.bigUnits);
  }

  /**
   * Convert a time to a unit count (truncating below one unit) into `hi`/`lo`.
   * `sec - offsetSec` must lie in 0..2^32-1 so the fast paths stay exact.
   */
  fromTime(sec: number, nsec: number): void {
    const s = sec - this.offsetSec;
    if (!Number.isInteger(s) || s < 0 || s >= TWO_32) {
      throw new RangeError(`Cannot encode timestamp: ${sec} s minus offset ${this.offsetSec} s is outside 0..2^32-1`);
    }
    if (!Number.isInteger(nsec) || nsec < 0 || nsec >= NS_PER_SEC) {
      throw new RangeError(`Cannot encode timestamp: nanoseconds ${nsec} outside 0..999999999`);
    }
    if (this.kind === KIND_DECIMAL) {
      // s × U + frac, assembled from s = sh × 2^16 + sl so no product exceeds 2^47.
      const u = this.divisor;
      const frac = Math.floor(nsec / this.nsPerUnit);
      const sh = Math.floor(s / TWO_16);
      const a = (s - sh * TWO_16) * u + frac;
      const b = sh * u;
      const bHi = Math.floor(b / TWO_16);
      const aHi = Math.floor(a / TWO_32);
      const low = (b - bHi * TWO_16) * TWO_16 + (a - aHi * TWO_32);
      const carry = low >= TWO_32 ? 1 : 0;
      this.lo = low - carry * TWO_32;
      this.hi = bHi + aHi + carry;
    } else if (this.kind === KIND_BINARY) {
      const hi = Math.floor(s / this.secPerHi);
      const frac = floorDiv(nsec * this.fracDiv, this.fracMul);
      this.hi = hi;
      this.lo = (s - hi * this.secPerHi) * this.pow + frac;
    } else {
      const units = BigInt(s) * this.bigUnits + (BigInt(nsec) * this.bigUnits) / BigInt(NS_PER_SEC);
      if (units >= 1n << 64n) throw new RangeError(`Cannot encode timestamp: ${sec} s overflows 64-bit units`);
      this.hi = Number(units >> 32n);
      this.lo = Number(units & 0xffff_ffffn);
    }
  }
}
