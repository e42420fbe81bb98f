import { describe, expect, it } from 'vitest';
import { COUNTRY_NONE, COUNTRY_UNKNOWN, packCountry, unpackCountry } from './country-code.js';
import { countryName, countryNameOf } from './country-names.js';

describe('packCountry()', () => {
  it('packCountry() puts the first letter in the high byte', () => {
    expect(packCountry('JP')).toBe(0x4a50);
    expect(packCountry('jp')).toBe(0x4a50);
    expect(packCountry('ZZ')).toBe(COUNTRY_UNKNOWN);
    expect(unpackCountry(0x4a50)).toBe('JP');
    expect(unpackCountry(COUNTRY_NONE)).toBe('');
  });

  it('packCountry() maps anything but two letters to ZZ', () => {
    for (const bad of ['', 'J', 'JPN', '1A', 'J{', 'ĴP', '--']) expect(packCountry(bad), bad).toBe(COUNTRY_UNKNOWN);
  });

  it('unpackCountry() rejects values no code packs to', () => {
    expect(() => unpackCountry(0x4a30)).toThrow(RangeError);
    expect(() => unpackCountry(0x14a50)).toThrow(RangeError);
  });
});

describe('countryName()', () => {
  it('countryName() uses the names of the police report tables 2-2 and 3-2', () => {
    const table: Record<string, string> = {
      JP: '日本',
      CN: '中国',
      US: '米国',
      RU: 'ロシア',
      TW: '台湾',
      BR: 'ブラジル',
      GB: '英国',
      AU: 'オーストラリア',
      PK: 'パキスタン',
      PE: 'ペルー',
      CA: 'カナダ',
      KR: '韓国',
      PT: 'ポルトガル',
      FR: 'フランス',
      AR: 'アルゼンチン',
      HK: '香港',
      SE: 'スウェーデン',
    };
    for (const [code, name] of Object.entries(table)) expect(countryName(code, 'ja'), code).toBe(name);
  });

  it('countryName() gives short English names', () => {
    expect(countryName('US', 'en')).toBe('United States');
    expect(countryName('GB', 'en')).toBe('United Kingdom');
    expect(countryName('KR', 'en')).toBe('South Korea');
    expect(countryName('HK', 'en')).toBe('Hong Kong');
    expect(countryName('jp', 'en')).toBe('Japan');
  });

  it('countryName() names the unknown code and passes through codes ICU lacks', () => {
    expect(countryName('ZZ', 'ja')).toBe('不明');
    expect(countryName('ZZ', 'en')).toBe('Unknown');
    expect(countryName('AP', 'en')).toBe('AP');
    expect(() => countryName('JPN', 'ja')).toThrow(RangeError);
  });

  it('countryNameOf() names packed values', () => {
    expect(countryNameOf(packCountry('CN'), 'ja')).toBe('中国');
    expect(countryNameOf(COUNTRY_UNKNOWN, 'ja')).toBe('不明');
    expect(countryNameOf(COUNTRY_NONE, 'en')).toBe('Unknown');
  });
});
