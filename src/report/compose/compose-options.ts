/**
 * @module
 * What a caller can choose about a composed report, and the document
 * metadata every layout fills the same way: title, period names, the store
 * it was computed from, the GeoIP database most of the period's packets were
 * looked up in. No clock is read: `generatedAt` and `issued` appear only
 * when given, so the same store and period give the same document.
 */

import type { Period } from '../../analyse/index.js';
import type { Language, ReportKind, ReportMeta } from '../document.js';
import { periodInfo } from '../format-date.js';
import type { DetectionInput } from './detection-input.js';
import type { ObservationSetup } from './observation-setup.js';

export interface ComposeOptions {
  lang: Language;
  /** Detection tables of the period; omitted or null: the store holds none, and §3/§4 say so. */
  detections?: DetectionInput | null;
  /** Country whose destination ports get a ratio chart next to all sensors' (quarterly; default JP). */
  country?: string;
  /** Publication date `YYYY-MM-DD` printed top right. */
  issued?: string;
  /** ISO 8601 instant printed in the footer. */
  generatedAt?: string;
  /** Issuing organisation or network name. */
  publisher?: string;
  /** Name of the database printed as the source (default `store`): a file's base name, never credentials. */
  database?: string;
}

export const DEFAULT_COUNTRY = 'JP';

const TITLES: Record<'quarterly' | 'monthly', Record<Language, string>> = {
  quarterly: { ja: 'インターネット定点観測結果', en: 'Internet darknet observation report' },
  monthly: { ja: 'インターネット定点観測 月次報告', en: 'Internet darknet observation: monthly report' },
};

/** The document's `meta` for `kind` over `period` against `previous`. */
export function reportMeta(
  kind: Extract<ReportKind, 'quarterly' | 'monthly'>,
  data: { period: Period; previous: Period; storeKind: string; setup: ObservationSetup },
  options: ComposeOptions,
): ReportMeta {
  const { lang } = options;
  const ja = lang === 'ja';
  // The quarterly layout names years by era in Japanese (平成22年度第1四半期), the monthly one by the western year.
  const years = kind === 'quarterly' ? 'japanese' : 'western';
  const sensors = data.setup.sensors.length;
  const addresses = data.setup.sensors.reduce((n, s) => n + s.addressCount, 0);
  const meta: ReportMeta = {
    kind,
    language: lang,
    title: TITLES[kind][lang],
    period: periodInfo(data.period, lang, { years }),
    previousPeriod: periodInfo(data.previous, lang, { years }),
    source: {
      store: data.storeKind,
      database: options.database ?? 'store',
      detail: ja
        ? `センサー ${sensors} 台、アドレス ${addresses} 個`
        : `${sensors} sensor${sensors === 1 ? '' : 's'}, ${addresses} address${addresses === 1 ? '' : 'es'}`,
    },
  };
  const geo = data.setup.geoip[0];
  if (geo !== undefined && geo.database !== '' && geo.buildDate !== null)
    meta.geoip = { database: geo.database, date: geo.buildDate };
  if (options.issued !== undefined) meta.issued = options.issued;
  if (options.generatedAt !== undefined) meta.generatedAt = options.generatedAt;
  if (options.publisher !== undefined) meta.publisher = options.publisher;
  return meta;
}
