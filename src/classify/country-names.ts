/**
 * @module
 * Japanese and English country and region names for ISO 3166-1 alpha-2 codes.
 * Names come from ICU through `Intl.DisplayNames`, with overrides where the
 * reports write a name differently: the police quarterly report (tables 2-2
 * and 3-2) writes 米国, 英国 and 香港 where ICU gives アメリカ合衆国, イギリス and
 * 中華人民共和国香港特別行政区; ICU already matches its 中国, 日本, ロシア, 台湾, 韓国,
 * ブラジル, カナダ, … The English overrides drop CLDR's "SAR China" forms.
 */

import { COUNTRY_NONE, unpackCountry } from './country-code.js';

export const COUNTRY_NAME_LANGUAGES = ['ja', 'en'] as const;
export type CountryNameLanguage = (typeof COUNTRY_NAME_LANGUAGES)[number];

const UNKNOWN_CODE = 'ZZ';

/** Names the reports use instead of ICU's, per language. */
const OVERRIDES: Record<CountryNameLanguage, Readonly<Record<string, string>>> = {
  ja: {
    US: '米国',
    GB: '英国',
    HK: '香港',
    MO: 'マカオ',
    ZZ: '不明',
  },
  en: {
    HK: 'Hong Kong',
    MO: 'Macao',
    ZZ: 'Unknown',
  },
};

/** Made on first use: loading ICU's region names costs ~20 ms, which every command paid at import (an ingest names no country). */
const displayNames: Partial<Record<CountryNameLanguage, Intl.DisplayNames>> = {};

function displayNamesOf(lang: CountryNameLanguage): Intl.DisplayNames {
  return (displayNames[lang] ??= new Intl.DisplayNames([lang], { type: 'region', fallback: 'code' }));
}

const CODE_PATTERN = /^[A-Za-z]{2}$/;

/**
 * Name of the country or region `code` (two letters, any case) in `lang`.
 * A code ICU does not know (e.g. RIR pseudo-codes like `AP`) comes back as the
 * upper-case code itself, so a report shows something rather than failing.
 */
export function countryName(code: string, lang: CountryNameLanguage): string {
  if (!CODE_PATTERN.test(code)) throw new RangeError(`Cannot name country "${code}": not a two-letter code`);
  const upper = code.toUpperCase();
  return OVERRIDES[lang][upper] ?? displayNamesOf(lang).of(upper) ?? upper;
}

/** Name of a packed country column value; `COUNTRY_NONE` is named like `ZZ`. */
export function countryNameOf(packed: number, lang: CountryNameLanguage): string {
  return countryName(packed === COUNTRY_NONE ? UNKNOWN_CODE : unpackCountry(packed), lang);
}
