/**
 * @module
 * Japanese finding sentences, in the register of the quarterly report
 * (一日・1IP 当たり, 前期比, 増加/減少, ですます調). Half-width text and
 * numbers are set off by spaces as the report does ("9415/TCP は前期比
 * 467.7% 増加"); dates carry no year, since a finding's days lie in the
 * report period.
 */

import { countryName } from '../classify/index.js';
import type { FindingContributor, FindingFacts } from './finding-types.js';
import {
  dateJa,
  formatDecimal,
  formatLevel,
  formatInteger,
  formatSignedDecimal,
  joinJa,
  type Comparison,
  type FindingTextContext,
} from './finding-text-format.js';

const UNIT = '一日・1IP 当たり';
/** Words for the previous and the current period. */
const PERIOD_WORDS: Readonly<Record<Comparison, { previous: string; current: string }>> = {
  quarter: { previous: '前期', current: '今期' },
  month: { previous: '前月', current: '今月' },
  period: { previous: '前期間', current: '今期間' },
};

/** The Japanese sentence of `finding`, contributors included. */
export function describeJa(finding: FindingFacts, context: FindingTextContext): string {
  return mainSentence(finding, PERIOD_WORDS[context.comparison]) + contributorSentence(finding.contributors);
}

function mainSentence(f: FindingFacts, words: { previous: string; current: string }): string {
  const subject = joinJa(f.label.ja, 'は');
  const before = formatLevel(f.before.level);
  const after = formatLevel(f.after.level);
  const pct = f.changePct === null ? '' : ` (${formatSignedDecimal(f.changePct)}%)`;
  const span = f.ongoing ? `${dateJa(f.fromDay)}以降` : `${dateJa(f.fromDay)}から${dateJa(f.toDay)}まで`;
  const { previous, current } = words;
  switch (f.kind) {
    case 'surge':
      return `${subject}${span}、${UNIT} ${before} 件から ${after} 件に増加しました${pct}。`;
    case 'drop':
      return `${subject}${span}、${UNIT} ${before} 件から ${after} 件に減少しました${pct}。`;
    case 'new-entry':
      return `${subject}${span}新たに観測され、${UNIT}平均 ${after} 件でした。`;
    case 'spike': {
      const when =
        f.fromDay === f.toDay ? `${dateJa(f.fromDay)}に` : `${dateJa(f.fromDay)}から${dateJa(f.toDay)}にかけて`;
      const usual = f.ratio === null ? `通常は ${before} 件` : `通常の ${before} 件の ${formatDecimal(f.ratio)} 倍`;
      return `${subject}${when}一時的に増加し、${UNIT} ${after} 件 (${usual}) に達しました。`;
    }
    case 'rank-jump':
      return (
        `${subject}${previous} ${formatInteger(f.previousRank ?? 0)} 位から${current} ` +
        `${formatInteger(f.rank ?? 0)} 位に上昇し、${UNIT} ${after} 件${versusPrevious(f, previous)}でした。`
      );
    case 'top-entry': {
      const top = `上位 ${formatInteger(f.topN ?? 0)} に入りました`;
      return f.previousRank === null
        ? `${subject}${previous}には観測されず、${current}は ${formatInteger(f.rank ?? 0)} 位 ` +
            `(${UNIT} ${after} 件) で${top}。`
        : `${subject}${previous} ${formatInteger(f.previousRank)} 位から${current} ` +
            `${formatInteger(f.rank ?? 0)} 位となり、${top}${versusPrevious(f, previous, after)}。`;
    }
    case 'rise':
    case 'fall':
      return (
        `${subject}${previous}比 ${formatDecimal(f.changePct ?? 0)}% ${f.kind === 'rise' ? '増加' : '減少'}し、` +
        `${UNIT} ${before} 件から ${after} 件になりました。`
      );
  }
}

/**
 * " (前期比 +467.7%)", or with the level " (一日・1IP 当たり 5.4 件、前期比 +467.7%)";
 * " (前期比で有意な変化なし)" when the change did not pass its test.
 */
function versusPrevious(f: FindingFacts, previous: string, level?: string): string {
  const parts: string[] = [];
  if (level !== undefined) parts.push(`${UNIT} ${level} 件`);
  if (f.changeClaim === 'none') parts.push(`${previous}比で有意な変化なし`);
  else if (f.changePct !== null) parts.push(`${previous}比 ${formatSignedDecimal(f.changePct)}%`);
  return parts.length === 0 ? '' : ` (${parts.join('、')})`;
}

/** "そのうち、中国からのアクセスが 90.0%、送信元ポート 6000/TCP が 88.0% を占めました。" */
function contributorSentence(contributors: readonly FindingContributor[]): string {
  if (contributors.length === 0) return '';
  const parts = contributors.map((c) => `${contributorSubject(c)} ${formatDecimal(c.sharePct)}%`);
  return `そのうち、${parts.join('、')} を占めました。`;
}

function contributorSubject(contributor: FindingContributor): string {
  switch (contributor.kind) {
    case 'country':
      return `${joinJa(countryName(contributor.key, 'ja'), 'からのアクセス')}が`;
    case 'service':
      return `宛先ポート ${contributor.key} が`;
    case 'source-port':
      return `送信元ポート ${contributor.key} が`;
    case 'source':
      return '単一の発信元 IP アドレスが';
  }
}
