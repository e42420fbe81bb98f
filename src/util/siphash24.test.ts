import { describe, expect, it } from 'vitest';
import { siphash24, siphash24Words, type U64 } from './siphash24.js';

/** The reference implementation's key 00 01 … 0f and messages 00 01 … (len − 1). */
const KEY = { k0: { hi: 0x07060504, lo: 0x03020100 }, k1: { hi: 0x0f0e0d0c, lo: 0x0b0a0908 } };
const message = (len: number): Uint8Array => Uint8Array.from({ length: len }, (_, i) => i);
const hex = (v: U64): string => v.hi.toString(16).padStart(8, '0') + v.lo.toString(16).padStart(8, '0');

describe('siphash24()', () => {
  it('siphash24() gives the reference test vectors (SipHash paper, appendix A, and the reference vectors.h)', () => {
    // Appendix A of the paper: 15 bytes 00..0e → a129ca6149be45e5.
    expect(hex(siphash24(KEY, message(15)))).toBe('a129ca6149be45e5');
    // vectors.h (output bytes little-endian): len 0 "31 0e 0e dd 47 db 6f 72", len 16 "db 9b c2 57 7f cc 2a 3f".
    expect(hex(siphash24(KEY, message(0)))).toBe('726fdb47dd0e0e31');
    expect(hex(siphash24(KEY, message(16)))).toBe('3f2acc7f57c29bdb');
    expect(hex(siphash24(KEY, message(1)))).toBe('74f839c593dc67fd');
  });

  it('siphash24Words() is the low half of siphash24() over the same four little-endian words', () => {
    const bytes = message(16);
    const view = new DataView(bytes.buffer);
    const words = {
      a: view.getUint32(0, true),
      b: view.getUint32(4, true),
      c: view.getUint32(8, true),
      d: view.getUint32(12, true),
    };
    const k = { hi: 0xdeadbeef, lo: 0x01234567 };
    expect(siphash24Words(k, words)).toBe(siphash24({ k0: k, k1: k }, bytes).lo);
    expect(siphash24Words(KEY.k0, words)).not.toBe(siphash24({ k0: k, k1: k }, bytes).lo);
  });
});
