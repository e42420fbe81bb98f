import { describe, expect, it } from 'vitest';
import { pairAgreements, rangeCountryCsv, type CountrySource } from '../../bench/country-agreement.js';

const table = (name: string, answers: Record<number, string>): CountrySource => ({
  name,
  country: (addr) => answers[addr] ?? '',
});

describe('pairAgreements()', () => {
  it('pairAgreements() counts same, both-answered and one-sided addresses per pair', () => {
    const a = table('a', { 1: 'JP', 2: 'US', 3: 'CN', 5: 'KR' });
    const b = table('b', { 1: 'JP', 2: 'DE', 4: 'FR', 5: 'KR' });
    const c = table('c', { 1: 'JP', 2: 'US', 3: 'CN' });
    // Hand-counted over addresses 1..6 (6 is answered by nobody).
    expect(pairAgreements([a, b, c], [1, 2, 3, 4, 5, 6])).toEqual([
      { a: 'a', b: 'b', both: 3, same: 2, oneSided: 2 },
      { a: 'a', b: 'c', both: 3, same: 3, oneSided: 1 },
      { a: 'b', b: 'c', both: 2, same: 1, oneSided: 3 },
    ]);
  });
});

describe('rangeCountryCsv()', () => {
  const text = [
    '# comment',
    '#',
    '16777216,16777471,AU',
    '16777472,16778239,CN',
    '16778240,16778240,??',
    '',
    '16779000,16779263,JP',
    '',
  ].join('\n');
  const country = rangeCountryCsv(text, 'geoip');

  it('rangeCountryCsv() answers inside ranges and nothing in gaps or ?? ranges', () => {
    expect(country(16777216)).toBe('AU'); // 1.0.0.0, first of its range
    expect(country(16777471)).toBe('AU'); // 1.0.0.255, last
    expect(country(16777472)).toBe('CN');
    expect(country(16778240)).toBe('');
    expect(country(16778241)).toBe(''); // gap
    expect(country(16779263)).toBe('JP');
    expect(country(0)).toBe('');
    expect(country(0xffff_ffff)).toBe('');
  });

  it('rangeCountryCsv() names the line of a malformed or unordered row', () => {
    expect(() => rangeCountryCsv('1,2,JP\nx,3,US\n', 'f')).toThrow(/f line 2/);
    expect(() => rangeCountryCsv('5,9,JP\n7,12,US\n', 'f')).toThrow(/f line 2: expected ascending/);
    expect(() => rangeCountryCsv('9,5,JP\n', 'f')).toThrow(/f line 1/);
  });
});
