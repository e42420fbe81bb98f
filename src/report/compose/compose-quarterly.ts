/**
 * @module
 * `composeQuarterly`: the quarterly report (after the @police layout) of a
 * period from the store. Headlines are the two or three most significant
 * findings; §1 the period at a glance; §2 accesses by destination port and
 * by source country; §3 signature detections and §4 DoS backscatter from the
 * detection input; §5 the notable changes; §6 the method. Both languages are
 * drawn from the same data, and every number in a sentence cites a table
 * cell or chart point of the document.
 */

import { type ChangeClaim, type Period, previousPeriod } from '../../analyse/index.js';
import { DOCUMENT_SCHEMA, type Inline, type ReportDocument, type Section } from '../document.js';
import type { AnalyticsStore } from '../../store/index.js';
import { advisoriesSection } from './advisories-section.js';
import { BACKSCATTER_SECTION_ID, backscatterSection } from './backscatter-section.js';
import { campaignSection } from './campaign-section.js';
import { reflectionSection } from './reflection-section.js';
import { currentRef, changeClause, hasCurrent } from './comparison-table.js';
import { DEFAULT_COUNTRY, reportMeta, type ComposeOptions } from './compose-options.js';
import { composeContext, type ComposeContext } from './context.js';
import { countrySection } from './country-section.js';
import { NO_DETECTIONS } from './detection-input.js';
import { findingHeadline, findingTables } from './findings-blocks.js';
import { ChapterNumbers } from './inline.js';
import { methodSection } from './method-section.js';
import { portSection, type ChapterTwo } from './port-section.js';
import { quarterlyData } from './quarterly-data.js';
import { signatureSection } from './signature-section.js';
import { summarySection } from './summary-section.js';

/** Headline bullets at most. */
export const HEADLINES = 3;
const COUNTRY_CODE = /^[A-Za-z]{2}$/;

/** The quarterly report of `period` (any period; its previous one is the comparison). */
export async function composeQuarterly(
  store: AnalyticsStore,
  period: Period,
  options: ComposeOptions,
): Promise<ReportDocument> {
  const country = (options.country ?? DEFAULT_COUNTRY).toUpperCase();
  if (!COUNTRY_CODE.test(country))
    throw new RangeError(`Cannot compose report: country ${JSON.stringify(options.country)} is not a two-letter code`);
  const previous = previousPeriod(period);
  const ctx = composeContext({ lang: options.lang, period, previous, unit: 'quarter' });
  const detections = options.detections ?? NO_DETECTIONS;
  const data = await quarterlyData(store, { period, previous, country });
  const tables =
    data.findings.length === 0
      ? null
      : findingTables(data.findings, ctx, {
          findings: { id: 't5-1', number: '5-1' },
          contributors: { id: 't5-2', number: '5-2' },
        });
  const chapter: ChapterTwo = {
    numbers: new ChapterNumbers('2', '-'),
    findingTables: tables,
    charts: new Map(),
    tables: {},
  };
  const accessSections = [portSection(data, ctx, chapter), countrySection(data, ctx, chapter)];
  const s2: Section = {
    id: 's2',
    number: '2',
    title: ctx.ja ? 'センサーに対するアクセス' : 'Accesses to the sensors',
    blocks: [],
    sections: accessSections,
  };
  const campaigns = campaignSection(detections.campaigns, ctx, chapter.numbers);
  if (campaigns !== null) accessSections.push(campaigns);
  const s3 = signatureSection(detections.signatures, ctx);
  const summary = summarySection(data, ctx, {
    detections,
    portTable: chapter.tables.port!,
    countryTable: chapter.tables.country!,
    signatureSection: s3.id,
    backscatterSection: BACKSCATTER_SECTION_ID,
  });
  const s4 = backscatterSection(detections.backscatter, ctx, summary.table);
  const reflection = reflectionSection(detections.reflection, ctx, s4);
  if (reflection !== null) s4.sections = [...(s4.sections ?? []), reflection];
  const headlines =
    tables === null
      ? [summaryHeadline(summary.table, ctx, data.summary.uncertainty.change?.direction ?? null)]
      : data.findings.slice(0, HEADLINES).map((f) => findingHeadline(f, ctx, tables));
  return {
    schema: DOCUMENT_SCHEMA,
    meta: reportMeta('quarterly', { period, previous, storeKind: store.kind, setup: data.setup }, options),
    headlines: headlines.filter((h) => h.length > 0),
    sections: [
      summary.section,
      s2,
      s3,
      s4,
      advisoriesSection(ctx, { findings: data.findings, tables, id: 's5', number: '5' }),
      methodSection(ctx, { setup: data.setup, signatures: detections.signatures, number: '6' }),
    ],
  };
}

/** Without findings, the headline is the period's access figure. */
function summaryHeadline(
  table: Parameters<typeof currentRef>[0],
  ctx: ComposeContext,
  claim: ChangeClaim | null,
): Inline[] {
  if (!hasCurrent(table, 'accesses')) return [];
  const change = changeClause(ctx, { table, row: 'accesses', unit: 'count', claim });
  return ctx.ja
    ? [
        'センサーに対するアクセス件数は一日・1IP 当たり ',
        currentRef(table, 'accesses', 'count'),
        ...(change.length === 0 ? [] : ['で、', ...change]),
      ]
    : [
        'Accesses per day per address: ',
        currentRef(table, 'accesses', 'count'),
        ...(change.length === 0 ? [] : ['; ', ...change]),
      ];
}
