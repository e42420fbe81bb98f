/**
 * @module
 * §3 of the quarterly report, signature detections: by category (table 3-1
 * with the ranking columns, daily chart, ratio donut), by source country
 * (table 3-2), the category share of each leading country, and the
 * signatures raised most (rule messages printed verbatim, escaped). Without
 * detection data the section says that no data was stored for the period.
 */

import { rankItems, selectTableRows } from '../../analyse/index.js';
import type { Block, Inline, Section, TableBlock } from '../document.js';
import { rankingTable, RANKING_COLUMNS } from '../ranking-table.js';
import type { ComposeContext } from './context.js';
import { countryArticle, countryLabel } from './context.js';
import { dailyLineChart } from './daily-charts.js';
import type { SignatureInput } from './detection-input.js';
import { cell, ChapterNumbers, listInlines, point, xref } from './inline.js';
import { largestParts } from './pair-shares.js';
import { PIE_TOP, roundingNote } from './port-section.js';
import { shareBars, valuePie, type ShareGroup } from './ratio-charts.js';

const COUNTRY_SELECTION = { top: 5, movers: 5 } as const;
const MOVERS = 5;
const DESCRIBED = 3;
const TOP_RULES = 10;

export function signatureSection(input: SignatureInput | null, ctx: ComposeContext): Section {
  const { ja } = ctx;
  const base = { id: 's3', number: '3', title: ja ? 'シグネチャを用いた不正侵入等の検知' : 'Signature detections' };
  if (input === null) {
    return {
      ...base,
      blocks: [
        {
          kind: 'paragraph',
          content: [
            ja
              ? 'シグネチャを用いた検知のデータは、この期間について保存されていない。'
              : 'No signature detection data was stored for this period.',
          ],
        },
      ],
    };
  }
  const numbers = new ChapterNumbers('3', '-');
  const byCategory = categorySection(input, ctx, numbers);
  const byCountry = countrySection(input, ctx, numbers);
  // Numbered after table 3-2 so that 3-1 and 3-2 are the ranking tables, as published.
  const rules = rulesTable(input, ctx, numbers);
  if (rules !== null) byCategory.blocks.push(rules);
  return { ...base, blocks: [], sections: [byCategory, byCountry] };
}

function categorySection(input: SignatureInput, ctx: ComposeContext, numbers: ChapterNumbers): Section {
  const { ja, lang, words } = ctx;
  const rows = selectTableRows(rankItems(input.byCategory), { top: input.byCategory.length, movers: MOVERS });
  const ids = numbers.table();
  const table = rankingTable(rows, {
    id: ids.id,
    number: ids.number,
    caption: ja ? '攻撃手法別検知件数' : 'Detections by category',
    subject: 'method',
    lang,
  });
  const daily = dailyLineChart(
    { ...numbers.figure(), caption: ja ? '攻撃手法別検知件数の推移' : 'Daily detections by category' },
    {
      dates: input.daily.dates,
      series: input.daily.categories.map((c) => ({ key: c.key, name: c.key, values: c.values })),
      yLabel: ja ? '件数(一日・1IP当たり)' : 'Per day per address',
    },
  );
  const piePlace = numbers.figure();
  const pie = valuePie(
    input.byCategory.map((c) => ({ key: c.key, value: c.current })),
    { ...piePlace, caption: ja ? '攻撃手法別検知比率' : 'Detections by category, shares' },
    { top: PIE_TOP, lang, name: (k) => k },
  );
  const blocks: Block[] = [];
  const leading = rows.filter((r) => r.rank !== null && r.rank <= DESCRIBED);
  if (leading.length > 0 && pie !== null) {
    const items = leading.map((r): Inline[] => [
      cell(table.id, r.key, RANKING_COLUMNS.item),
      ' (',
      point(piePlace.id, { point: r.key, part: 'share' }),
      ')',
    ]);
    blocks.push({
      kind: 'paragraph',
      content: ja
        ? [
            `${words.current}の検知件数を攻撃手法別に見ると、`,
            ...listInlines(items, true),
            'の順であった。(',
            xref(piePlace.id),
            ')',
          ]
        : ['By category, detections were led by ', ...listInlines(items, false), ' (', xref(piePlace.id), ').'],
    });
    for (const r of leading) {
      const at = (column: string): Inline => cell(table.id, r.key, column);
      const change: Inline[] =
        r.previous > 0 && r.changeAbs !== 0
          ? ja
            ? [`で、${words.previous}と比較して `, at(RANKING_COLUMNS.change), 'した。']
            : [`; compared with ${words.previous}, this `, at(RANKING_COLUMNS.change), '.']
          : [ja ? 'であった。' : '.'];
      blocks.push({
        kind: 'paragraph',
        content: ja
          ? ['「', at(RANKING_COLUMNS.item), '」の検知件数は一日・1IP 当たり ', at(RANKING_COLUMNS.current), ...change]
          : [
              at(RANKING_COLUMNS.item),
              ' detections were ',
              at(RANKING_COLUMNS.current),
              ' per day per address',
              ...change,
            ],
      });
    }
  }
  blocks.push(table, daily);
  if (pie !== null) blocks.push({ ...pie, notes: [roundingNote(ja)] });
  return { id: 's3-1', number: '3-1', title: ja ? '攻撃手法別' : 'By category', blocks };
}

function rulesTable(input: SignatureInput, ctx: ComposeContext, numbers: ChapterNumbers): TableBlock | null {
  if (input.topRules.length === 0) return null;
  const { ja } = ctx;
  const ids = numbers.table();
  const rules = [...input.topRules].sort((a, b) => b.current - a.current || a.sid - b.sid).slice(0, TOP_RULES);
  return {
    kind: 'table',
    ...ids,
    caption: ja ? '検知件数の多いシグネチャ' : 'Signatures raised most',
    columns: [
      { key: 'rank', label: ja ? '順位' : 'Rank', kind: 'rank' },
      { key: 'sid', label: 'SID', kind: 'text' },
      { key: 'message', label: ja ? 'シグネチャ' : 'Signature', kind: 'code' },
      { key: 'category', label: ja ? '攻撃手法' : 'Category', kind: 'text' },
      {
        key: 'current',
        label: ja ? '件数(一日・1IP当たり)' : 'Per day per address',
        kind: 'number',
        decimals: 2,
        unit: 'count',
      },
    ],
    rows: rules.map((r, i) => ({
      key: `sid-${r.sid}`,
      cells: { rank: i + 1, sid: String(r.sid), message: r.message, category: r.category, current: r.current },
    })),
  };
}

function countrySection(input: SignatureInput, ctx: ComposeContext, numbers: ChapterNumbers): Section {
  const { ja, lang } = ctx;
  const name = (code: string): string => countryLabel(code, lang);
  const ranked = rankItems(input.byCountry);
  const rows = selectTableRows(ranked, COUNTRY_SELECTION);
  const ids = numbers.table();
  const table = rankingTable(rows, {
    id: ids.id,
    number: ids.number,
    caption: ja ? '発信元国・地域別検知件数' : 'Detections by source country or region',
    subject: 'country',
    lang,
    label: name,
  });
  const leading = ranked.filter((r) => r.rank !== null && r.rank <= COUNTRY_SELECTION.top);
  const groups: ShareGroup[] = leading.map((r) => ({
    key: r.key,
    total: r.current,
    parts: new Map(input.countryCategory.filter((x) => x.country === r.key).map((x) => [x.category, x.value])),
  }));
  const categories = rankItems(input.byCategory)
    .filter((r) => r.rank !== null)
    .map((r) => r.key);
  const barsPlace = numbers.figure();
  const bars = shareBars(
    groups,
    { ...barsPlace, caption: ja ? '発信元国・地域別上位の攻撃手法別検知比率' : 'Categories of the leading countries' },
    { lang, partKeys: categories, groupName: name, partName: (k) => k },
  );
  const blocks: Block[] = [];
  if (leading.length > 0) {
    blocks.push({
      kind: 'paragraph',
      content: ja
        ? [
            '発信元国・地域別の検知件数は、',
            ...listInlines(
              leading.map((r) => [cell(table.id, r.key, RANKING_COLUMNS.item)]),
              true,
            ),
            'の順であった。(',
            xref(table.id),
            ')',
          ]
        : [
            'By source, detections came most from ',
            ...listInlines(
              leading.map((r) => [countryArticle(r.key, lang), cell(table.id, r.key, RANKING_COLUMNS.item)]),
              false,
            ),
            ' (',
            xref(table.id),
            ').',
          ],
    });
  }
  if (bars !== null) {
    for (const group of groups.slice(0, DESCRIBED)) {
      const [category] = largestParts(group, 1);
      if (category === undefined || !categories.includes(category) || group.total <= 0) continue;
      const share = point(
        barsPlace.id,
        { series: category, point: name(group.key) },
        { style: 'percent', decimals: 1 },
      );
      const country = cell(table.id, group.key, RANKING_COLUMNS.item);
      blocks.push({
        kind: 'paragraph',
        content: ja
          ? [country, 'を発信元とする検知のうち ', share, 'が「', category, '」であった。(', xref(barsPlace.id), ')']
          : [
              'Of the detections from ',
              countryArticle(group.key, lang),
              country,
              ', ',
              share,
              ` were ${category} (`,
              xref(barsPlace.id),
              ').',
            ],
      });
    }
  }
  blocks.push(table);
  if (bars !== null) blocks.push(bars);
  return { id: 's3-2', number: '3-2', title: ja ? '発信元国・地域別' : 'By source country or region', blocks };
}
