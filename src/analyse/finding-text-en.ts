/**
 * @module
 * English finding sentences. Values are "per day per address", percentages
 * are written "467.7 %" and ranks as ordinals; dates carry no year, since a
 * finding's days lie in the report period.
 */

import { countryName } from '../classify/index.js';
import type { FindingContributor, FindingFacts } from './finding-types.js';
import {
  dateEn,
  formatDecimal,
  formatLevel,
  formatInteger,
  formatSignedDecimal,
  ordinalEn,
  type Comparison,
  type FindingTextContext,
} from './finding-text-format.js';

const UNIT = 'per day per address';
/** Country names (as `countryName` gives them in English) read with "the". */
const ARTICLE_NAMES =
  /^(United |Netherlands|Philippines|Bahamas|Gambia|Maldives|Comoros|Seychelles)|(Republic|Islands|Kingdom|Emirates)( |$)/;
const PREVIOUS: Readonly<Record<Comparison, string>> = {
  quarter: 'the previous quarter',
  month: 'the previous month',
  period: 'the previous period',
};

/** The English sentence of `finding`, contributors included. */
export function describeEn(finding: FindingFacts, context: FindingTextContext): string {
  const main = mainSentence(finding, PREVIOUS[context.comparison]);
  const contributors = contributorSentence(finding.contributors);
  return contributors === '' ? main : `${main} ${contributors}`;
}

function mainSentence(f: FindingFacts, previous: string): string {
  const label = f.label.en;
  const before = formatLevel(f.before.level);
  const after = formatLevel(f.after.level);
  const pct = f.changePct === null ? '' : ` (${formatSignedDecimal(f.changePct)} %)`;
  const span = f.ongoing ? `since ${dateEn(f.fromDay)}` : `from ${dateEn(f.fromDay)} to ${dateEn(f.toDay)}`;
  switch (f.kind) {
    case 'surge':
      return `${label} rose from ${before} to ${after} ${UNIT}${pct} ${span}.`;
    case 'drop':
      return `${label} fell from ${before} to ${after} ${UNIT}${pct} ${span}.`;
    case 'new-entry':
      return f.ongoing
        ? `${label} newly appeared on ${dateEn(f.fromDay)}, averaging ${after} ${UNIT} since then.`
        : `${label} newly appeared from ${dateEn(f.fromDay)} to ${dateEn(f.toDay)}, averaging ${after} ${UNIT}.`;
    case 'spike': {
      const when =
        f.fromDay === f.toDay
          ? `spiked on ${dateEn(f.fromDay)} to ${after} ${UNIT}`
          : `spiked from ${dateEn(f.fromDay)} to ${dateEn(f.toDay)}, peaking at ${after} ${UNIT}`;
      const usual = f.ratio === null ? `from a usual ${before}` : `${formatDecimal(f.ratio)} times its usual ${before}`;
      return `${label} ${when}, ${usual}.`;
    }
    case 'rank-jump':
      return (
        `${label} climbed from ${ordinalEn(f.previousRank ?? 0)} to ${ordinalEn(f.rank ?? 0)} place ` +
        `with ${after} ${UNIT}${againstPrevious(f, previous)}.`
      );
    case 'top-entry':
      return f.previousRank === null
        ? `${label} entered the top ${formatInteger(f.topN ?? 0)} at ${ordinalEn(f.rank ?? 0)} place ` +
            `with ${after} ${UNIT}; it was not seen in ${previous}.`
        : `${label} entered the top ${formatInteger(f.topN ?? 0)}, from ${ordinalEn(f.previousRank)} ` +
            `to ${ordinalEn(f.rank ?? 0)} place, with ${after} ${UNIT}${againstPrevious(f, previous)}.`;
    case 'rise':
    case 'fall':
      return (
        `${label} ${f.kind === 'rise' ? 'rose' : 'fell'} ${formatDecimal(f.changePct ?? 0)} % against ${previous}, ` +
        `from ${before} to ${after} ${UNIT}.`
      );
  }
}

/** " (+23.4 % against the previous quarter)", or " (no significant change against …)" when the test did not pass. */
function againstPrevious(f: FindingFacts, previous: string): string {
  if (f.changeClaim === 'none') return ` (no significant change against ${previous})`;
  return f.changePct === null ? '' : ` (${formatSignedDecimal(f.changePct)} % against ${previous})`;
}

/** "Of these accesses, 90.0 % came from China, 88.0 % used source port 6000/TCP and …" */
function contributorSentence(contributors: readonly FindingContributor[]): string {
  if (contributors.length === 0) return '';
  const parts = contributors.map((c) => `${formatDecimal(c.sharePct)} % ${contributorPhrase(c)}`);
  const last = parts.pop() as string;
  const list = parts.length === 0 ? last : `${parts.join(', ')} and ${last}`;
  return `Of these accesses, ${list}.`;
}

function contributorPhrase(contributor: FindingContributor): string {
  switch (contributor.kind) {
    case 'country':
      return `came from ${withArticle(countryName(contributor.key, 'en'))}`;
    case 'service':
      return `targeted ${contributor.key}`;
    case 'source-port':
      return `used source port ${contributor.key}`;
    case 'source':
      return 'came from a single source address';
  }
}

/** "the United States", "the Netherlands", but "China": English names that take the article. */
function withArticle(name: string): string {
  return ARTICLE_NAMES.test(name) ? `the ${name}` : name;
}
