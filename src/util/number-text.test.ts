import { describe, expect, it } from 'vitest';
import { formatNumber, roundHalfUp } from './number-text.js';

describe('roundHalfUp()', () => {
  it('roundHalfUp() rounds the decimal text half away from zero, where toFixed() rounds the binary double', () => {
    // 1.005 is stored as 1.00499999999999989…, so toFixed(2) gives "1.00"; written, it is a half.
    expect((1.005).toFixed(2)).toBe('1.00');
    expect(roundHalfUp(1.005, 2)).toBe(1.01);
    expect(roundHalfUp(2.5, 0)).toBe(3);
    expect(roundHalfUp(-2.5, 0)).toBe(-3);
    expect(roundHalfUp(0.045, 2)).toBe(0.05);
  });

  it('roundHalfUp() rejects decimals outside 0..10 and values that are not finite', () => {
    expect(() => roundHalfUp(1, 11)).toThrow(RangeError);
    expect(() => roundHalfUp(Number.NaN, 1)).toThrow(RangeError);
  });
});

describe('formatNumber()', () => {
  it('formatNumber() groups thousands and keeps the decimals asked for', () => {
    expect(formatNumber(12161.84, 1)).toBe('12,161.8');
    expect(formatNumber(37011.25, 1)).toBe('37,011.3');
    expect(formatNumber(1234567)).toBe('1,234,567');
    expect(formatNumber(0.5, 2)).toBe('0.50');
  });

  it('formatNumber() never prints -0', () => {
    expect(formatNumber(-0.04, 1)).toBe('0.0');
    expect(formatNumber(-0.05, 1)).toBe('-0.1');
  });
});
