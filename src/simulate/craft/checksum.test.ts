import { describe, expect, it } from 'vitest';
import { foldChecksum, internetChecksum, onesComplementSum, pseudoHeaderSum } from './checksum.js';

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));

describe('checksum', () => {
  it('onesComplementSum() matches the RFC 1071 §3 worked example', () => {
    // 0001 + f203 + f4f5 + f6f7 = 2ddf0, folded ddf2; the checksum is its complement.
    const bytes = hex('0001 f203 f4f5 f6f7');
    expect(onesComplementSum(bytes)).toBe(0x2ddf0);
    expect(internetChecksum(bytes)).toBe(0x220d);
  });

  it('internetChecksum() reproduces a hand-verified IPv4 header checksum', () => {
    // 192.168.0.1 -> 192.168.0.199, UDP, TTL 64, DF, total length 115; checksum b861.
    const header = hex('4500 0073 0000 4000 4011 0000 c0a8 0001 c0a8 00c7');
    expect(internetChecksum(header)).toBe(0xb861);
    header[10] = 0xb8;
    header[11] = 0x61;
    expect(internetChecksum(header)).toBe(0);
  });

  it('internetChecksum() pads an odd final byte with zero', () => {
    expect(internetChecksum(hex('0102 03'))).toBe(~(0x0102 + 0x0300) & 0xffff);
  });

  it('internetChecksum() sums only the given range', () => {
    const bytes = hex('ffff 0001 f203 f4f5 f6f7 ffff');
    expect(internetChecksum(bytes, { start: 2, end: 10 })).toBe(0x220d);
  });

  it('onesComplementSum() rejects a range past the buffer', () => {
    expect(() => onesComplementSum(new Uint8Array(4), { start: 2, end: 6 })).toThrow(RangeError);
    expect(() => onesComplementSum(new Uint8Array(4), { start: 3, end: 2 })).toThrow(/bytes 3\.\.2/);
  });

  it('foldChecksum() carries repeatedly and handles sums past 2^32', () => {
    expect(foldChecksum(0x1fffe)).toBe(0); // 0xffff + 1 carry -> 0xffff, complement 0
    expect(foldChecksum(0)).toBe(0xffff);
    const big = 0xffff * 0x20000; // 2^33-ish: folds the same as its 16-bit word sum
    expect(foldChecksum(big)).toBe(0);
  });

  it('pseudoHeaderSum() sums an IPv4 pseudo header (RFC 793)', () => {
    const ip = hex('c0a8 0001 c0a8 00c7');
    const sum = pseudoHeaderSum(ip, { srcOffset: 0, dstOffset: 4, addressLength: 4, protocol: 17, length: 95 });
    expect(sum).toBe(0xc0a8 + 0x0001 + 0xc0a8 + 0x00c7 + 17 + 95);
  });

  it('pseudoHeaderSum() sums an IPv6 pseudo header with a 32-bit length', () => {
    const ip = new Uint8Array(32);
    ip[0] = 0x20;
    ip[1] = 0x01;
    ip[31] = 0x01;
    const sum = pseudoHeaderSum(ip, { srcOffset: 0, dstOffset: 16, addressLength: 16, protocol: 58, length: 0x10008 });
    expect(sum).toBe(0x2001 + 0x0001 + 58 + 0x0001 + 0x0008);
  });

  it('pseudoHeaderSum() rejects addresses past the buffer', () => {
    expect(() =>
      pseudoHeaderSum(new Uint8Array(20), { srcOffset: 8, dstOffset: 24, addressLength: 16, protocol: 6, length: 20 }),
    ).toThrow(RangeError);
  });
});
