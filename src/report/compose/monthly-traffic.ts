/**
 * @module
 * §2.2–2.4 of the monthly report: the month's daily accesses (stacked by
 * port, with the band of the month's mean and its 95 % interval) and
 * sources, the port ratios of accesses and of sources with the ports'
 * ranking table (95 % intervals and q-values, as in the quarterly report),
 * and the same by source region, each chart and table introduced by a
 * sentence that cites it.
 */

import type { DailySeries, RankingTable, RankRow } from '../../analyse/index.js';
import type { Block, ChartBlock, ChartSeries, Inline, Section, TableBlock } from '../document.js';
import { formatMonth } from '../format-date.js';
import { rankingTable } from '../ranking-table.js';
import type { ComposeContext } from './context.js';
import { article, countryLabel } from './context.js';
import { dailyLineChart, withBand } from './daily-charts.js';
import { listInlines, point, xref, type Numberer } from './inline.js';
import type { MonthlyData } from './monthly-data.js';
import { PIE_TOP, roundingNote } from './port-section.js';
import { sharePie, valuePie } from './ratio-charts.js';

const NAMED = 3;
const NOISE = 1e-9;

type Place = { id: string; number: string };
const place = (figures: Numberer): Place => {
  const number = figures.next();
  return { id: `f${number}`, number };
};

/** Daily accesses per day per address stacked by the series' items, the rest as "other". */
function stackedMonth(
  series: DailySeries,
  total: DailySeries,
  at: Place,
  caption: string,
  ctx: ComposeContext,
  name: (key: string) => string,
): ChartBlock {
  const totals = total.items[0]?.perDayPerAddress ?? series.dates.map(() => null);
  const parts: ChartSeries[] = series.items.map((item) => ({
    key: item.key,
    name: name(item.key),
    values: item.perDayPerAddress,
  }));
  const other = totals.map((v, i) => {
    if (v === null) return null;
    const rest = v - parts.reduce((sum, p) => sum + (p.values[i] ?? 0), 0);
    return rest > v * NOISE ? rest : 0;
  });
  if (other.some((v) => v !== null && v > 0))
    parts.push({ key: 'other', name: ctx.ja ? 'その他' : 'Other', values: other, other: true });
  return {
    kind: 'chart',
    ...at,
    caption,
    chart: {
      type: 'stacked-bar',
      categoryKind: 'date',
      categories: [...series.dates],
      series: parts,
      yLabel: ctx.ja ? '件数(一日・1IP当たり)' : 'Per day per address',
      decimals: 2,
    },
  };
}

/** Daily distinct sources: all, then each item. */
function sourcesMonth(
  series: DailySeries,
  total: DailySeries,
  at: Place,
  caption: string,
  ctx: ComposeContext,
  name: (key: string) => string,
): ChartBlock {
  const all = total.items[0]?.sources ?? series.dates.map(() => null);
  return dailyLineChart(
    { ...at, caption },
    {
      dates: series.dates,
      series: [
        { key: 'total', name: ctx.ja ? '全体' : 'All', values: all },
        ...series.items.map((item) => ({ key: item.key, name: name(item.key), values: item.sources })),
      ],
      yLabel: ctx.ja ? '発信元数' : 'Sources',
      decimals: 0,
    },
  );
}

/** "445/TCP (30.1%)、135/TCP (20.0%)…" from a donut's largest slices. */
function leadingShares(chart: ChartBlock, ctx: ComposeContext, country: boolean): Inline[] {
  if (chart.chart.type !== 'pie') return [];
  const items = chart.chart.slices
    .filter((s) => s.other !== true)
    .slice(0, NAMED)
    .map((s): Inline[] => [
      country ? article(s.name, ctx.lang) : '',
      s.name,
      ' (',
      point(chart.id, { point: s.key, part: 'share' }),
      ')',
    ]);
  return listInlines(items, ctx.ja);
}

function sharesOfSources(
  items: readonly { key: string; sourcesPerDay: number | null }[],
): { key: string; value: number }[] {
  return items.map((i) => ({ key: i.key, value: i.sourcesPerDay ?? 0 }));
}

/** The month's ranking of `ranking.by` against the previous month, with intervals and q-values. */
function monthRanking(
  ranking: RankingTable,
  ctx: ComposeContext,
  at: { id: string; number: string; caption: string; country: boolean },
): TableBlock {
  return rankingTable(ranking.table, {
    id: at.id,
    number: at.number,
    caption: at.caption,
    subject: at.country ? 'country' : 'port',
    lang: ctx.lang,
    period: 'month',
    uncertainty: ranking.uncertainty,
    ...(at.country ? { label: (key: string) => countryLabel(key, ctx.lang) } : {}),
  });
}

export function monthlyTraffic(
  data: MonthlyData,
  ctx: ComposeContext,
  figures: { daily: Numberer; ports: Numberer; regions: Numberer; tables: () => { id: string; number: string } },
): Section[] {
  const { ja, lang } = ctx;
  const month = formatMonth(data.period.label, lang);
  const byKey = (k: string): string => k;
  const byCountry = (k: string): string => countryLabel(k, lang);
  const current = data.history[data.history.length - 1]!;

  if (data.total.items.every((item) => item.perDayPerAddress.every((v) => v === null))) {
    const none: Block = {
      kind: 'paragraph',
      content: [ja ? `${month}は、センサーが観測していた記録がありません。` : `No sensor observed in ${month}.`],
    };
    return [
      {
        id: 's2.2',
        number: '2.2',
        title: ja ? `${month}の一方的なアクセスの推移` : `Daily accesses in ${month}`,
        blocks: [none],
      },
      {
        id: 's2.3',
        number: '2.3',
        title: ja ? `${month}の宛先(ポート種類)別の比率` : `Destination ports in ${month}`,
        blocks: [none],
      },
      {
        id: 's2.4',
        number: '2.4',
        title: ja ? `${month}の発信元地域別アクセス状況` : `Source regions in ${month}`,
        blocks: [none],
      },
    ];
  }
  const band = data.uncertainty.current;
  const accesses = withBand(
    stackedMonth(
      data.byPort,
      data.total,
      place(figures.daily),
      ja ? `${month}の一方的なアクセス状況(アクセス数)` : `Unsolicited accesses per day, ${month}`,
      ctx,
      byKey,
    ),
    band,
    lang,
  );
  const sources = sourcesMonth(
    data.byPort,
    data.total,
    place(figures.daily),
    ja ? `${month}の一方的なアクセス状況(発信元数)` : `Sources per day, ${month}`,
    ctx,
    byKey,
  );
  const s22: Section = {
    id: 's2.2',
    number: '2.2',
    title: ja ? `${month}の一方的なアクセスの推移` : `Daily accesses in ${month}`,
    blocks: [
      {
        kind: 'paragraph',
        content: ja
          ? [
              `${month}の一方的なアクセス状況のうち、アクセス数の推移を`,
              xref(accesses.id),
              'に、発信元数の推移を',
              xref(sources.id),
              'に示します。',
            ]
          : [xref(accesses.id), ` shows the daily accesses of ${month} and `, xref(sources.id), ' the daily sources.'],
      },
      accesses,
      sources,
    ],
  };

  const portPies = [
    sharePie(
      data.ports.rows as RankRow[],
      {
        ...place(figures.ports),
        caption: ja ? `${month}の宛先(ポート種類)別アクセス数の比率` : `Accesses by destination port, ${month}`,
      },
      { top: PIE_TOP, lang, name: byKey },
    ),
    valuePie(
      sharesOfSources(current.services.items),
      {
        ...place(figures.ports),
        caption: ja ? `${month}の宛先(ポート種類)別発信元数の比率` : `Sources by destination port, ${month}`,
      },
      { top: PIE_TOP, lang, name: byKey },
    ),
  ];
  const portTable = monthRanking(data.ports, ctx, {
    ...figures.tables(),
    caption: ja ? `${month}の宛先ポート別アクセス件数` : `Accesses by destination port, ${month}`,
    country: false,
  });
  const s23 = ratioSection(
    { id: 's2.3', number: '2.3', title: ja ? `${month}の宛先(ポート種類)別の比率` : `Destination ports in ${month}` },
    { pies: portPies, table: portTable },
    ctx,
    false,
  );

  const regionAccesses = withBand(
    stackedMonth(
      data.byCountry,
      data.total,
      place(figures.regions),
      ja ? `${month}の発信元地域別アクセス数の変化` : `Daily accesses by source region, ${month}`,
      ctx,
      byCountry,
    ),
    band,
    lang,
  );
  const regionPie = sharePie(
    data.countries.rows as RankRow[],
    {
      ...place(figures.regions),
      caption: ja ? `${month}の発信元地域別アクセス数の比率` : `Accesses by source region, ${month}`,
    },
    { top: PIE_TOP, lang, name: byCountry },
  );
  const regionSources = sourcesMonth(
    data.byCountry,
    data.total,
    place(figures.regions),
    ja ? `${month}の発信元地域別発信元数の変化` : `Daily sources by source region, ${month}`,
    ctx,
    byCountry,
  );
  const regionSourcePie = valuePie(
    sharesOfSources(current.countries.items),
    {
      ...place(figures.regions),
      caption: ja ? `${month}の発信元地域別発信元数の比率` : `Sources by source region, ${month}`,
    },
    { top: PIE_TOP, lang, name: byCountry },
  );
  const regionTable = monthRanking(data.countries, ctx, {
    ...figures.tables(),
    caption: ja ? `${month}の発信元地域別アクセス件数` : `Accesses by source region, ${month}`,
    country: true,
  });
  const s24 = ratioSection(
    { id: 's2.4', number: '2.4', title: ja ? `${month}の発信元地域別アクセス状況` : `Source regions in ${month}` },
    { pies: [regionPie, regionSourcePie], table: regionTable, daily: [regionAccesses, regionSources] },
    ctx,
    true,
  );
  return [s22, s23, s24];
}

/** "表2.3に…を示します。": the sentence that cites a ranking table. */
function rankingSentence(table: TableBlock, ctx: ComposeContext, country: boolean): Inline[] {
  const what = ctx.ja ? (country ? '発信元地域' : '宛先ポート') : country ? 'source region' : 'destination port';
  return ctx.ja
    ? [
        `${what}別の一日・1IP 当たりアクセス件数を、その 95%区間と${ctx.words.previous}比の検定の q 値とともに`,
        xref(table.id),
        'に示します。',
      ]
    : [
        xref(table.id),
        ` gives the accesses per day per address by ${what} with their 95 % intervals and the q-values of the changes against ${ctx.words.previous}.`,
      ];
}

function ratioSection(
  heading: { id: string; number: string; title: string },
  parts: { pies: (ChartBlock | null)[]; table: TableBlock; daily?: ChartBlock[] },
  ctx: ComposeContext,
  country: boolean,
): Section {
  const { ja } = ctx;
  const [byAccesses, bySources] = parts.pies;
  const daily = parts.daily ?? [];
  const blocks: Block[] = [];
  if (byAccesses !== null && byAccesses !== undefined) {
    blocks.push({
      kind: 'paragraph',
      content: ja
        ? ['アクセス数の比率は ', ...leadingShares(byAccesses, ctx, country), 'の順でした。(', xref(byAccesses.id), ')']
        : [
            'By accesses, the largest shares were ',
            ...leadingShares(byAccesses, ctx, country),
            ' (',
            xref(byAccesses.id),
            ').',
          ],
    });
  }
  if (bySources !== null && bySources !== undefined) {
    blocks.push({
      kind: 'paragraph',
      content: ja
        ? ['発信元数の比率は ', ...leadingShares(bySources, ctx, country), 'の順でした。(', xref(bySources.id), ')']
        : [
            'By sources, the largest shares were ',
            ...leadingShares(bySources, ctx, country),
            ' (',
            xref(bySources.id),
            ').',
          ],
    });
  }
  if (blocks.length === 0)
    blocks.push({
      kind: 'paragraph',
      content: [ja ? 'この月はアクセスが観測されませんでした。' : 'No accesses were observed this month.'],
    });
  const table = parts.table.rows.length > 0 ? parts.table : null;
  if (table !== null) blocks.push({ kind: 'paragraph', content: rankingSentence(table, ctx, country) });
  const [dailyAccesses, dailySources] = daily;
  if (dailyAccesses !== undefined) blocks.push(dailyAccesses);
  if (byAccesses !== null && byAccesses !== undefined) blocks.push({ ...byAccesses, notes: [roundingNote(ja)] });
  if (dailySources !== undefined) blocks.push(dailySources);
  if (bySources !== null && bySources !== undefined) blocks.push({ ...bySources, notes: [roundingNote(ja)] });
  if (table !== null) blocks.push(table);
  return { ...heading, blocks };
}
