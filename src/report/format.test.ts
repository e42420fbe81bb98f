import { describe, expect, it } from 'vitest';
import {
  formatChangeCell,
  formatChangeSentence,
  formatNumber,
  formatPercent,
  formatQuantity,
  formatRange,
  formatRank,
  formatSigned,
  roundHalfUp,
} from './format.js';

describe('roundHalfUp()', () => {
  it('roundHalfUp() rounds the decimal value half away from zero, unlike toFixed', () => {
    expect((1.005).toFixed(2)).toBe('1.00');
    expect(roundHalfUp(1.005, 2)).toBe(1.01);
    expect(roundHalfUp(-1.005, 2)).toBe(-1.01);
    expect(roundHalfUp(0.15, 1)).toBe(0.2);
    expect(roundHalfUp(2.5, 0)).toBe(3);
    expect(roundHalfUp(-0.04, 1)).toBe(0);
    expect(Object.is(roundHalfUp(-0.04, 1), -0)).toBe(false);
  });

  it('roundHalfUp() handles exponent forms and rejects bad input', () => {
    expect(roundHalfUp(5e-7, 6)).toBe(0.000001);
    expect(roundHalfUp(1e21, 1)).toBe(1e21);
    expect(() => roundHalfUp(Number.NaN, 1)).toThrow(RangeError);
    expect(() => roundHalfUp(1, 11)).toThrow(RangeError);
    expect(() => roundHalfUp(1, 1.5)).toThrow(RangeError);
  });
});

describe('formatNumber()', () => {
  it('formatNumber() groups thousands and keeps the requested decimals', () => {
    expect(formatNumber(12161.84, 1)).toBe('12,161.8');
    expect(formatNumber(8719, 1)).toBe('8,719.0');
    expect(formatNumber(1234567)).toBe('1,234,567');
    expect(formatNumber(999.995, 2)).toBe('1,000.00');
    expect(formatNumber(-2118.75, 1)).toBe('-2,118.8');
    expect(formatNumber(-0.001, 2)).toBe('0.00');
  });

  it('formatSigned() prints + for rises, - for falls and nothing for zero', () => {
    expect(formatSigned(1257.6, 1)).toBe('+1,257.6');
    expect(formatSigned(-26.73, 2)).toBe('-26.73');
    expect(formatSigned(0.004, 2)).toBe('0.00');
  });
});

describe('quantities and percents', () => {
  it('formatQuantity() appends 件/個 in Japanese and nothing in English', () => {
    expect(formatQuantity(533.72, 'ja', { decimals: 1, unit: 'count' })).toBe('533.7 件');
    expect(formatQuantity(12161.8, 'ja', { decimals: 1, unit: 'address' })).toBe('12,161.8 個');
    expect(formatQuantity(533.72, 'en', { decimals: 1, unit: 'count' })).toBe('533.7');
  });

  it('formatPercent() follows each language', () => {
    expect(formatPercent(23.44, 'ja')).toBe('23.4%');
    expect(formatPercent(23.44, 'en')).toBe('23.4 %');
    expect(formatPercent(37011.27, 'ja')).toBe('37,011.3%');
  });

  it('formatRank() prints 1位 / 1 and blank for unranked', () => {
    expect(formatRank(155, 'ja')).toBe('155位');
    expect(formatRank(3, 'en')).toBe('3');
    expect(formatRank(null, 'ja')).toBe('');
    expect(() => formatRank(0, 'ja')).toThrow(RangeError);
  });
});

describe('changes', () => {
  it('formatChangeSentence() writes the seed arithmetic in both languages', () => {
    expect(formatChangeSentence({ abs: 101.4, pct: 23.4 }, 'ja', { unit: 'count' })).toBe('101.4 件 (23.4%) 増加');
    expect(formatChangeSentence({ abs: 101.4, pct: 23.4 }, 'en')).toBe('increased by 101.4 (23.4 %)');
    expect(formatChangeSentence({ abs: -2118.8, pct: -14.8 }, 'ja', { unit: 'address' })).toBe(
      '2,118.8 個 (14.8%) 減少',
    );
    expect(formatChangeSentence({ abs: -5.6, pct: -26.9 }, 'en')).toBe('decreased by 5.6 (26.9 %)');
    expect(formatChangeSentence({ abs: 0.01, pct: 0.1 }, 'ja')).toBe('変化なし');
    expect(formatChangeSentence({ abs: 3, pct: null }, 'en')).toBe('increased by 3.0 (from zero)');
  });

  it('formatChangeCell() writes the table form of tables 2-1 and 3-1', () => {
    expect(formatChangeCell({ abs: -26.73, pct: -15.27 }, 'ja', { unit: 'count' })).toBe('-15.3% (-26.73 件)');
    expect(formatChangeCell({ abs: 22.67, pct: 37011.3 }, 'ja', { unit: 'count' })).toBe('+37,011.3% (+22.67 件)');
    expect(formatChangeCell({ abs: 4.43, pct: 467.7 }, 'en')).toBe('+467.7 % (+4.43)');
    expect(formatChangeCell({ abs: 1.5, pct: null }, 'ja', { unit: 'count' })).toBe('新規 (+1.50 件)');
  });
});

describe('formatRange()', () => {
  it('formatRange() rounds both ends and joins them with a dash that never breaks the line', () => {
    expect(formatRange(498.15, 571.86, 1)).toBe('498.2\u2060–\u2060571.9');
    expect(formatRange(0, 1234.5)).toBe('0\u2060–\u20601,235');
  });
});
