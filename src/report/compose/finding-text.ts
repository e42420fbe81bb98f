/**
 * @module
 * A finding's sentences as plain text, for the places that print them
 * outside a report (the dashboard's findings page and CSV): the report's own
 * sentences (`findingSentences`), with the cells they cite printed as the
 * report's findings table prints them. The report is the one writer of
 * finding sentences.
 */

import { previousPeriod, type Finding, type Localized, type Period } from '../../analyse/index.js';
import type { Inline, Language } from '../document.js';
import { formatValueRef, type DocumentIndex } from '../document-index.js';
import { composeContext } from './context.js';
import { findingSentences, findingTables } from './findings-blocks.js';

const FINDINGS_TABLE = { id: 'findings', number: '' };
const CONTRIBUTORS_TABLE = { id: 'contributors', number: '' };

/** The sentences of `finding` of `period` in `lang`, as the report writes them. */
export function findingText(finding: Finding, options: { lang: Language; period: Period }): string {
  const { lang, period } = options;
  const ctx = composeContext({ lang, period, previous: previousPeriod(period), unit: finding.comparison });
  const tables = findingTables([finding], ctx, { findings: FINDINGS_TABLE, contributors: CONTRIBUTORS_TABLE });
  const index: DocumentIndex = {
    tables: new Map(
      [tables.findings, ...(tables.contributors === null ? [] : [tables.contributors])].map((t) => [t.id, t]),
    ),
    charts: new Map(),
    sections: new Map(),
  };
  const text = (inline: Inline, k: number): string => {
    if (typeof inline === 'string') return inline;
    // A finding's sentences cite its table cells and nothing else when no chart is given.
    if (inline.kind !== 'value') throw new TypeError(`Cannot print a finding's ${inline.kind} inline as text`);
    return formatValueRef(inline, { index, lang, path: `findings.${finding.id}[${k}]` });
  };
  return findingSentences(finding, ctx, { tables }).map(text).join('');
}

/** Both languages' sentences of `finding`. */
export function findingTexts(finding: Finding, period: Period): Localized {
  return { ja: findingText(finding, { lang: 'ja', period }), en: findingText(finding, { lang: 'en', period }) };
}
