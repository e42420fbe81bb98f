import { describe, expect, it } from 'vitest';
import { TimeScale, resolutionFromByte, resolutionToByte, type TimeOut, type TsResolution } from './timestamp.js';

/** Independent oracle: plain BigInt arithmetic, truncating like Wireshark. */
function oracleToTime(units: bigint, res: TsResolution, offset = 0): TimeOut {
  const perSec = BigInt(res.base) ** BigInt(res.exponent);
  return {
    tsSec: Number(units / perSec) + offset,
    tsNsec: Number(((units % perSec) * 1_000_000_000n) / perSec),
  };
}

function oracleFromTime(sec: number, nsec: number, res: TsResolution): bigint {
  const perSec = BigInt(res.base) ** BigInt(res.exponent);
  return BigInt(sec) * perSec + (BigInt(nsec) * perSec) / 1_000_000_000n;
}

/** Deterministic pseudo-random 32-bit values (xorshift32). */
function* random32(seed: number): Generator<number> {
  let x = seed >>> 0 || 1;
  for (;;) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    yield x;
  }
}

const RESOLUTIONS: TsResolution[] = [
  ...Array.from({ length: 10 }, (_, n): TsResolution => ({ base: 10, exponent: n })),
  ...Array.from({ length: 33 }, (_, n): TsResolution => ({ base: 2, exponent: n })),
  { base: 10, exponent: 12 },
  { base: 10, exponent: 19 },
  { base: 2, exponent: 40 },
  { base: 2, exponent: 63 },
];

function label(res: TsResolution): string {
  return `${res.base}^-${res.exponent}`;
}

describe('TimeScale', () => {
  it.each(RESOLUTIONS.map((r) => [label(r), r] as const))(
    'toTime() matches BigInt arithmetic exactly at %s',
    (_, res) => {
      const scale = new TimeScale(res);
      const out: TimeOut = { tsSec: 0, tsNsec: 0 };
      const rnd = random32(res.exponent * 31 + res.base);
      const perSec = BigInt(res.base) ** BigInt(res.exponent);
      const cases: Array<[number, number]> = [
        [0, 0],
        [0, 0xffffffff],
        [0xffffffff, 0xffffffff],
        [1, 0],
      ];
      // Realistic times (2025, 2038, 2106) at this resolution, plus one unit below each second.
      for (const sec of [1_750_000_000n, 2_147_483_648n, 4_294_967_295n]) {
        const units = sec * perSec + perSec - 1n;
        if (units < 1n << 64n) cases.push([Number(units >> 32n), Number(units & 0xffffffffn)]);
      }
      for (let i = 0; i < 2000; i++) cases.push([rnd.next().value as number, rnd.next().value as number]);
      // Counts a hair either side of whole seconds, where a quotient computed
      // through a rounded reciprocal lands one off and must be corrected.
      for (let i = 0; i < 2000; i++) {
        const sec = BigInt(rnd.next().value as number) * BigInt((rnd.next().value as number) & 0x3fff);
        for (const delta of [-1n, 0n, 1n]) {
          const units = sec * perSec + delta;
          if (units >= 0n && units < 1n << 64n) cases.push([Number(units >> 32n), Number(units & 0xffffffffn)]);
        }
      }
      const mismatches: string[] = [];
      let checked = 0;
      for (const [hi, lo] of cases) {
        const units = (BigInt(hi) << 32n) | BigInt(lo);
        const expected = oracleToTime(units, res);
        // Seconds beyond 2^53 cannot be exact in a Number at all: nothing to compare.
        if (!Number.isSafeInteger(expected.tsSec)) continue;
        scale.toTime(hi, lo, out);
        checked++;
        if (out.tsSec !== expected.tsSec || out.tsNsec !== expected.tsNsec) {
          mismatches.push(`${units}: ${out.tsSec}.${out.tsNsec} != ${expected.tsSec}.${expected.tsNsec}`);
        }
      }
      expect(mismatches.slice(0, 5)).toEqual([]);
      expect(checked).toBeGreaterThan(3);
    },
  );

  it.each(RESOLUTIONS.map((r) => [label(r), r] as const))(
    'fromTime() matches BigInt arithmetic exactly at %s',
    (_, res) => {
      const scale = new TimeScale(res);
      const rnd = random32(res.exponent * 17 + res.base + 7);
      const cases: Array<[number, number]> = [
        [0, 0],
        [0xffffffff, 999_999_999],
        [1_750_000_000, 123_456_789],
      ];
      for (let i = 0; i < 2000; i++) cases.push([rnd.next().value as number, (rnd.next().value as number) % 1e9]);
      const mismatches: string[] = [];
      for (const [sec, nsec] of cases) {
        const expected = oracleFromTime(sec, nsec, res);
        if (expected >= 1n << 64n) {
          expect(() => scale.fromTime(sec, nsec)).toThrow(RangeError);
          continue;
        }
        scale.fromTime(sec, nsec);
        const got = (BigInt(scale.hi) << 32n) | BigInt(scale.lo);
        if (got !== expected) mismatches.push(`${sec}.${nsec}: ${got} != ${expected}`);
      }
      expect(mismatches.slice(0, 5)).toEqual([]);
    },
  );

  it('toTime() adds if_tsoffset seconds, fromTime() subtracts them', () => {
    const scale = new TimeScale({ base: 10, exponent: 9 }, 1_000_000);
    scale.fromTime(1_700_000_000, 5);
    expect((BigInt(scale.hi) << 32n) | BigInt(scale.lo)).toBe(1_699_000_000_000_000_005n);
    const out: TimeOut = { tsSec: 0, tsNsec: 0 };
    scale.toTime(scale.hi, scale.lo, out);
    expect(out).toEqual({ tsSec: 1_700_000_000, tsNsec: 5 });
  });

  it('toTime() handles a negative if_tsoffset', () => {
    const scale = new TimeScale({ base: 10, exponent: 6 }, -3600);
    const out: TimeOut = { tsSec: 0, tsNsec: 0 };
    const units = 7_200_000_001n;
    scale.toTime(Number(units >> 32n), Number(units & 0xffffffffn), out);
    expect(out).toEqual(oracleToTime(units, { base: 10, exponent: 6 }, -3600));
    expect(out).toEqual({ tsSec: 3600, tsNsec: 1000 });
  });

  it('fromTime() rejects times it cannot encode', () => {
    const scale = new TimeScale({ base: 10, exponent: 6 });
    expect(() => scale.fromTime(-1, 0)).toThrow(RangeError);
    expect(() => scale.fromTime(2 ** 32, 0)).toThrow(RangeError);
    expect(() => scale.fromTime(1.5, 0)).toThrow(RangeError);
    expect(() => scale.fromTime(0, 1_000_000_000)).toThrow(/nanoseconds/);
    expect(() => new TimeScale({ base: 10, exponent: 6 }, 100).fromTime(99, 0)).toThrow(/offset/);
  });
});

describe('resolutionFromByte()', () => {
  it('resolutionFromByte() reads decimal and binary exponents', () => {
    expect(resolutionFromByte(6)).toEqual({ base: 10, exponent: 6 });
    expect(resolutionFromByte(9)).toEqual({ base: 10, exponent: 9 });
    expect(resolutionFromByte(0x80 | 20)).toEqual({ base: 2, exponent: 20 });
  });

  it('resolutionToByte() is its inverse and rejects exponents above 127', () => {
    for (let byte = 0; byte < 256; byte++) expect(resolutionToByte(resolutionFromByte(byte))).toBe(byte);
    expect(() => resolutionToByte({ base: 10, exponent: 128 })).toThrow(RangeError);
    expect(() => resolutionToByte({ base: 2, exponent: -1 })).toThrow(RangeError);
  });
});
