/**
 * @module
 * Number formatting in the style of the published reports, for both
 * languages: "533.7 件", "12,161.8 個", "101.4 件 (23.4%) 増加",
 * "increased by 101.4 (23.4 %)", table cells "-15.3% (-26.73 件)", "1位".
 *
 * Digits and rounding come from `util/number-text.ts` (half away from zero,
 * no ICU), shared with the finding sentences.
 */

import { formatNumber, roundHalfUp } from '../util/number-text.js';
import type { ChangeValue, Language, UnitKey } from './document.js';

export { formatNumber, roundHalfUp };
/** Separator between a number and its unit word, as the seed text "533.7 件" prints it. */
const UNIT_SEPARATOR = ' ';
/** The English text writes "23.4 %", the Japanese "23.4%". */
const PERCENT_SIGN: Record<Language, string> = { ja: '%', en: ' %' };

/** Unit words: Japanese counts accesses in 件 and addresses in 個; English leaves the noun to the sentence. */
const UNITS: Record<UnitKey, Record<Language, string>> = {
  count: { ja: '件', en: '' },
  address: { ja: '個', en: '' },
  packet: { ja: '件', en: '' },
  none: { ja: '', en: '' },
};

export interface QuantityOptions {
  decimals?: number;
  unit?: UnitKey;
}

/** Word joiners around the dash keep a range on one line in a narrow table column. */
const RANGE_DASH = '\u2060–\u2060';

/** `498.2–571.9`: an interval with both ends at `decimals` places, never broken across lines. */
export function formatRange(low: number, high: number, decimals = 0): string {
  return `${formatNumber(low, decimals)}${RANGE_DASH}${formatNumber(high, decimals)}`;
}

/** `+1,257.6` / `-26.73` / `0.00`: explicit sign for a change, none for zero. */
export function formatSigned(value: number, decimals = 0): string {
  const text = formatNumber(value, decimals);
  return roundHalfUp(value, decimals) > 0 ? `+${text}` : text;
}

/** Unit word of `unit` in `lang` (empty in English). */
export function unitWord(unit: UnitKey | undefined, lang: Language): string {
  return UNITS[unit ?? 'none'][lang];
}

function withUnit(number: string, unit: UnitKey | undefined, lang: Language): string {
  const word = unitWord(unit, lang);
  return word === '' ? number : `${number}${UNIT_SEPARATOR}${word}`;
}

/** "533.7 件" (ja) / "533.7" (en). */
export function formatQuantity(value: number, lang: Language, options: QuantityOptions = {}): string {
  return withUnit(formatNumber(value, options.decimals ?? 0), options.unit, lang);
}

/** "23.4%" (ja) / "23.4 %" (en); one decimal unless `options.decimals` says otherwise. */
export function formatPercent(value: number, lang: Language, options: { decimals?: number } = {}): string {
  return `${formatNumber(value, options.decimals ?? 1)}${PERCENT_SIGN[lang]}`;
}

/** "1位" (ja) / "1" (en); null (unranked) is blank. */
export function formatRank(rank: number | null, lang: Language): string {
  if (rank === null) return '';
  if (!Number.isSafeInteger(rank) || rank < 1)
    throw new RangeError(`Cannot format rank ${rank}: expected an integer ≥ 1`);
  return lang === 'ja' ? `${rank}位` : String(rank);
}

const NEW_ITEM: Record<Language, string> = { ja: '新規', en: 'new' };

/**
 * A change as a table cell: "+467.7% (+4.43 件)", "-15.3% (-26.73 件)";
 * when the previous value was 0 the percent part reads 新規 / new.
 */
export function formatChangeCell(change: ChangeValue, lang: Language, options: QuantityOptions = {}): string {
  const decimals = options.decimals ?? 2;
  const pct = change.pct === null ? NEW_ITEM[lang] : signedPercent(change.pct, lang);
  return `${pct} (${withUnit(formatSigned(change.abs, decimals), options.unit, lang)})`;
}

function signedPercent(pct: number, lang: Language): string {
  return `${formatSigned(pct, 1)}${PERCENT_SIGN[lang]}`;
}

const NO_PREVIOUS: Record<Language, string> = { ja: '前期 0', en: 'from zero' };

/**
 * A change as a sentence fragment, magnitude first and the direction as a
 * word: "101.4 件 (23.4%) 増加" / "increased by 101.4 (23.4 %)",
 * "2,118.8 個 (14.8%) 減少", "変化なし" / "unchanged".
 */
export function formatChangeSentence(change: ChangeValue, lang: Language, options: QuantityOptions = {}): string {
  const decimals = options.decimals ?? 1;
  const abs = roundHalfUp(change.abs, decimals);
  if (abs === 0) return lang === 'ja' ? '変化なし' : 'unchanged';
  const magnitude = withUnit(formatNumber(Math.abs(abs), decimals), options.unit, lang);
  const pct = change.pct === null ? NO_PREVIOUS[lang] : formatPercent(Math.abs(change.pct), lang);
  if (lang === 'ja') return `${magnitude} (${pct}) ${abs > 0 ? '増加' : '減少'}`;
  return `${abs > 0 ? 'increased' : 'decreased'} by ${magnitude} (${pct})`;
}
