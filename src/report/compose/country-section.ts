/**
 * @module
 * §2-2 of the quarterly report, by source country: the leader and movers of
 * table 2-2, the changes of rank among the leading countries, what ports
 * made up each leading country's accesses (citing the share bars), the
 * findings about countries, the ratio donut, table 2-2 with the same
 * columns as 2-1, and a daily chart per leading or notable country stacked
 * by destination port.
 */

import type { Block, Inline, Section } from '../document.js';
import { rankingTable, RANKING_COLUMNS } from '../ranking-table.js';
import type { ComposeContext } from './context.js';
import { countryArticle, countryLabel } from './context.js';
import { stackedDailyChart, withPeriodBand } from './daily-charts.js';
import { cell, listInlines, point, xref } from './inline.js';
import { largestParts, pairGroups } from './pair-shares.js';
import { findingParagraphs, leaderParagraphs, PIE_TOP, roundingNote, type ChapterTwo } from './port-section.js';
import { leaders, type QuarterlyData } from './quarterly-data.js';
import { shareBars, sharePie } from './ratio-charts.js';

const LEADERS = 5;
/** Leading countries whose port mix is described in words. */
const DESCRIBED = 3;
/** Ports named per described country. */
const PORTS_NAMED = 2;

export function countrySection(data: QuarterlyData, ctx: ComposeContext, chapter: ChapterTwo): Section {
  const { ja, lang } = ctx;
  const { numbers } = chapter;
  const name = (code: string): string => countryLabel(code, lang);
  const pie = sharePie(
    data.countries.rows,
    { ...numbers.figure(), caption: ja ? '発信元国・地域別比率' : 'Source countries and regions' },
    { top: PIE_TOP, lang, name },
  );
  const tableIds = numbers.table();
  const table = rankingTable(data.countries.table, {
    id: tableIds.id,
    number: tableIds.number,
    caption: ja ? '発信元国・地域別アクセス件数' : 'Accesses by source country or region',
    subject: 'country',
    lang,
    label: name,
    uncertainty: data.countries.uncertainty,
  });
  chapter.tables.country = table.id;
  const topCountries = leaders(data.countries, LEADERS);
  const topPorts = leaders(data.ports, LEADERS);
  const groups = pairGroups(data.pairs, { totals: data.countries, keys: topCountries, by: 'country' });
  const barsPlace = numbers.figure();
  const bars = shareBars(
    groups,
    { ...barsPlace, caption: ja ? '発信元国・地域別上位のポート別比率' : 'Destination ports of the leading countries' },
    { lang, partKeys: topPorts, groupName: name, partName: (k) => k },
  );
  const charts: Block[] = [];
  for (const daily of data.countryDailies) {
    const place = numbers.figure();
    chapter.charts.set(`country:${daily.key}`, place.id);
    charts.push(
      withPeriodBand(
        stackedDailyChart(
          daily,
          {
            ...place,
            caption: ja
              ? `${name(daily.key)}からのアクセスの推移`
              : `Daily accesses from ${name(daily.key)} by destination port`,
          },
          lang,
        ),
        { ranking: data.countries, key: daily.key, lang },
      ),
    );
  }
  const the = (code: string): string => countryArticle(code, lang);
  const blocks: Block[] = [
    ...leaderParagraphs(ctx, { ranking: data.countries, tableId: table.id, the, ascii: lang === 'en' }),
  ];
  const swaps = rankChanges(data, table.id, ctx);
  if (swaps !== null) blocks.push(swaps);
  if (bars !== null) {
    for (const group of groups.slice(0, DESCRIBED)) {
      const parts = largestParts(group, PORTS_NAMED).filter((port) => topPorts.includes(port));
      if (parts.length === 0) continue;
      const shares = parts.map((port): Inline[] => {
        const share = point(barsPlace.id, { series: port, point: name(group.key) }, { style: 'percent', decimals: 1 });
        return ja ? [`${port} が `, share] : [share, ` went to ${port}`];
      });
      const country = cell(table.id, group.key, RANKING_COLUMNS.item);
      blocks.push({
        kind: 'paragraph',
        content: ja
          ? [country, 'からのアクセスのうち、', ...listInlines(shares, true), 'を占めた。(', xref(barsPlace.id), ')']
          : [
              'Of the accesses from ',
              the(group.key),
              country,
              ', ',
              ...listInlines(shares, false),
              ' (',
              xref(barsPlace.id),
              ').',
            ],
      });
    }
  }
  blocks.push(...findingParagraphs(ctx, { findings: data.findings, dimensions: ['country'], chapter }));
  if (pie !== null) blocks.push({ ...pie, notes: [roundingNote(ja)] });
  blocks.push(table);
  if (bars !== null) blocks.push(bars);
  blocks.push(...charts);
  return { id: 's2-2', number: '2-2', title: ja ? '発信元国・地域別' : 'By source country or region', blocks };
}

/** "中国は前期 1位 から今期 2位 となった" for each leader whose rank changed; "no change" when none did. */
function rankChanges(data: QuarterlyData, tableId: string, ctx: ComposeContext): Block | null {
  const { ja, words } = ctx;
  const c = RANKING_COLUMNS;
  const top = data.countries.table.filter((r) => r.rank !== null && r.rank <= LEADERS);
  if (top.length === 0) return null;
  const moved = top.filter((r) => r.previousRank !== null && r.previousRank !== r.rank);
  if (moved.length === 0) {
    const stable = top.every((r) => r.previousRank === r.rank);
    if (!stable) return null;
    return {
      kind: 'paragraph',
      content: [
        ja
          ? `上位の国・地域の順位は${words.previous}から変わらなかった。`
          : `The leading countries kept their ranks from ${words.previous}.`,
      ],
    };
  }
  const items = moved.map((r): Inline[] => {
    const at = (column: string): Inline => cell(tableId, r.key, column);
    return ja
      ? [at(c.item), `は${words.previous} `, at(c.previousRank), `から${words.current} `, at(c.rank)]
      : [countryArticle(r.key, 'en'), at(c.item), ' moved from rank ', at(c.previousRank), ' to ', at(c.rank)];
  });
  return {
    kind: 'paragraph',
    content: ja
      ? ['上位の国・地域では、', ...listInlines(items, true), 'となった。']
      : ['Among the leaders, ', ...listInlines(items, false), '.'],
  };
}
