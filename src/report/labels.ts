/**
 * @module
 * Fixed words the renderers print around the composer's text, per language.
 */

import type { Language } from './document.js';

export interface Labels {
  figure: string;
  table: string;
  /** Between the prefix and the number: 図2-1 has none, "Figure 2-1" a space. */
  numberSeparator: string;
  /** Between "図2-1" and the caption. */
  captionSeparator: string;
  other: string;
  headlines: string;
  about: string;
  period: string;
  previousPeriod: string;
  issued: string;
  generatedAt: string;
  source: string;
  geoip: string;
  sectionRef: (number: string, title: string) => string;
}

export const LABELS: Record<Language, Labels> = {
  ja: {
    figure: '図',
    table: '表',
    numberSeparator: '',
    captionSeparator: ' ',
    other: 'その他',
    headlines: '概要',
    about: 'この報告について',
    period: '対象期間',
    previousPeriod: '比較期間',
    issued: '発行日',
    generatedAt: '作成日時',
    source: '集計元',
    geoip: 'GeoIP データベース',
    sectionRef: (number, title) => `「${number} ${title}」`,
  },
  en: {
    figure: 'Figure',
    table: 'Table',
    numberSeparator: ' ',
    captionSeparator: ': ',
    other: 'Other',
    headlines: 'Highlights',
    about: 'About this report',
    period: 'Period',
    previousPeriod: 'Compared with',
    issued: 'Issued',
    generatedAt: 'Generated',
    source: 'Data source',
    geoip: 'GeoIP database',
    sectionRef: (number) => `section ${number}`,
  },
};

/** "図2-1" / "Figure 2-1"; without a number just the prefix word. */
export function blockLabel(kind: 'table' | 'chart', number: string | undefined, lang: Language): string {
  const labels = LABELS[lang];
  const word = kind === 'table' ? labels.table : labels.figure;
  return number === undefined ? word : `${word}${labels.numberSeparator}${number}`;
}
