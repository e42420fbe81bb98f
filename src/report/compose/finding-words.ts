/**
 * @module
 * The words of a finding in both languages: its subject ("23/TCP に対する
 * アクセス" / "accesses to 23/TCP"), the title a findings table lists it
 * under (the published reports' 掲載事項), and the date
 * cell that says when it happened. No numbers: those are table cells.
 */

import type { Finding, FindingKind } from '../../analyse/index.js';
import { formatLocalDate } from '../../util/tz.js';
import type { Language } from '../document.js';
import { article } from './context.js';
import { formatDate, formatPeriodSpan } from '../format-date.js';

/** Kinds judged on the ranking against the previous period (their span is the whole period). */
export const RANKING_KINDS: ReadonlySet<FindingKind> = new Set(['rank-jump', 'top-entry', 'rise', 'fall']);

/** "23/TCP に対するアクセス" / "accesses to 23/TCP" (lower case; `capitalize` for a sentence start). */
export function findingSubject(finding: Finding, lang: Language): string {
  const name = finding.label[lang];
  switch (finding.dimension) {
    case 'service':
      return lang === 'ja' ? `${name} に対するアクセス` : `accesses to ${name}`;
    case 'country':
      return lang === 'ja' ? `${name}からのアクセス` : `accesses from ${article(name, 'en')}${name}`;
    case 'source-port':
      return lang === 'ja' ? `${name} を発信元ポートとするアクセス` : `accesses from source port ${name}`;
    case 'category':
      return lang === 'ja' ? `「${name}」の検知` : `${name} detections`;
  }
}

export function capitalize(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}

const TITLE_JA: Record<FindingKind, string> = {
  surge: 'の増加',
  drop: 'の減少',
  'new-entry': 'の新規観測',
  spike: 'の一時的な急増',
  'rank-jump': 'の順位上昇',
  'top-entry': 'の上位への浮上',
  rise: 'の増加',
  fall: 'の減少',
};

const TITLE_EN: Record<FindingKind, (subject: string) => string> = {
  surge: (s) => `Rise in ${s}`,
  drop: (s) => `Fall in ${s}`,
  'new-entry': (s) => `New ${s}`,
  spike: (s) => `Spike in ${s}`,
  'rank-jump': (s) => `${capitalize(s)} climb the ranking`,
  'top-entry': (s) => `${capitalize(s)} enter the top ranks`,
  rise: (s) => `Rise in ${s}`,
  fall: (s) => `Fall in ${s}`,
};

/** The title of a finding in a findings table: "23/TCP に対するアクセスの増加" / "Rise in accesses to 23/TCP". */
export function findingTitle(finding: Finding, lang: Language): string {
  const subject = findingSubject(finding, lang);
  return lang === 'ja' ? `${subject}${TITLE_JA[finding.kind]}` : TITLE_EN[finding.kind](subject);
}

/**
 * When: 2010年6月1日以降 / since 1 June 2010 for a change that lasts,
 * a day or a span of days for one that ended, the period for a ranking finding.
 */
export function findingWhen(finding: Finding, lang: Language, period: { startDay: number; endDay: number }): string {
  if (RANKING_KINDS.has(finding.kind)) return formatPeriodSpan({ kind: 'range', ...period }, lang);
  const from = formatLocalDate(finding.fromDay);
  if (finding.ongoing) return lang === 'ja' ? `${formatDate(from, lang)}以降` : `since ${formatDate(from, lang)}`;
  if (finding.toDay === finding.fromDay) return formatDate(from, lang);
  return formatPeriodSpan({ kind: 'range', startDay: finding.fromDay, endDay: finding.toDay + 1 }, lang);
}
