import { describe, expect, it } from 'vitest';
import { ipv4ToUint32, ipv6ToBytes, macToBytes } from './address.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('address', () => {
  it('ipv4ToUint32() passes integers through and rejects out-of-range numbers', () => {
    expect(ipv4ToUint32(0x0a000001)).toBe(0x0a000001);
    expect(ipv4ToUint32('10.0.0.1')).toBe(0x0a000001);
    expect(() => ipv4ToUint32(-1, 'ip.src')).toThrow(/ip\.src/);
    expect(() => ipv4ToUint32(2 ** 32)).toThrow(RangeError);
    expect(() => ipv4ToUint32(1.5)).toThrow(RangeError);
  });

  it('ipv6ToBytes() passes 16 bytes through and rejects other lengths', () => {
    const bytes = new Uint8Array(16);
    expect(ipv6ToBytes(bytes)).toBe(bytes);
    expect(() => ipv6ToBytes(new Uint8Array(4), 'ip.dst')).toThrow(/ip\.dst: 4 bytes/);
  });

  it('macToBytes() reads colon or dash text and rejects anything else', () => {
    expect(hex(macToBytes('00:1A:2b:3c:4d:5e'))).toBe('001a2b3c4d5e');
    expect(hex(macToBytes('00-1a-2b-3c-4d-5e'))).toBe('001a2b3c4d5e');
    expect(() => macToBytes('00:1a:2b:3c:4d')).toThrow(SyntaxError);
    expect(() => macToBytes(new Uint8Array(5))).toThrow(RangeError);
  });
});
