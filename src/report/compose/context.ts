/**
 * @module
 * What every section builder of a composer shares: the language, the
 * period and the one it is compared with, the words for "this quarter" /
 * "the previous month", and item names (ports as keys, countries by name in
 * the report's language).
 */

import { countryName } from '../../classify/index.js';
import type { Period } from '../../analyse/index.js';
import type { Language } from '../document.js';

export interface PeriodWords {
  /** 今期 / this quarter, 今月 / this month. */
  current: string;
  /** 前期 / the previous quarter, 前月 / the previous month. */
  previous: string;
  /** 前期比 / change, as a column label. */
  versus: string;
}

export interface ComposeContext {
  readonly lang: Language;
  readonly ja: boolean;
  readonly period: Period;
  readonly previous: Period;
  readonly words: PeriodWords;
}

/** What a period is compared with: the previous quarter, month or (other periods) period. */
type PeriodUnit = 'quarter' | 'month' | 'period';

const WORDS: Record<PeriodUnit, Record<Language, PeriodWords>> = {
  quarter: {
    ja: { current: '今期', previous: '前期', versus: '前期比' },
    en: { current: 'this quarter', previous: 'the previous quarter', versus: 'Change' },
  },
  month: {
    ja: { current: '今月', previous: '前月', versus: '前月比' },
    en: { current: 'this month', previous: 'the previous month', versus: 'Change' },
  },
  period: {
    ja: { current: '今期間', previous: '前期間', versus: '前期間比' },
    en: { current: 'this period', previous: 'the previous period', versus: 'Change' },
  },
};

export function composeContext(input: {
  lang: Language;
  period: Period;
  previous: Period;
  unit: PeriodUnit;
}): ComposeContext {
  const { lang, period, previous, unit } = input;
  return { lang, ja: lang === 'ja', period, previous, words: WORDS[unit][lang] };
}

const COUNTRY_CODE = /^[A-Z]{2}$/;
const UNKNOWN_COUNTRY: Record<Language, string> = { ja: '不明', en: 'Unknown' };

/** 中国 / China for `CN`; `--` (never looked up) and malformed codes read 不明 / Unknown. */
export function countryLabel(code: string, lang: Language): string {
  return COUNTRY_CODE.test(code) ? countryName(code, lang) : UNKNOWN_COUNTRY[lang];
}

/** English country names (as `countryName` gives them) read with "the". */
const ARTICLE_NAMES =
  /^(United |Netherlands|Philippines|Bahamas|Gambia|Maldives|Comoros|Seychelles|Czech Republic|Dominican Republic|Central African)|(Republic|Islands|Kingdom|Emirates)( |$)/;

/** "the " before an English country name that takes it ("the United States"), else ''. */
export function article(name: string, lang: Language): string {
  return lang === 'en' && ARTICLE_NAMES.test(name) ? 'the ' : '';
}

/** "the " for a country code's English name, '' in Japanese or for names without it. */
export function countryArticle(code: string, lang: Language): string {
  return article(countryLabel(code, 'en'), lang);
}
