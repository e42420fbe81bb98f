/**
 * @module
 * §3 of the monthly report, six-month statistics: for each month, the share
 * of the leading ports (and of the leading source regions) in accesses and
 * in sources, as 100% stacked bars, with a sentence citing how the leader's
 * share moved from the first month to the last.
 */

import type { Breakdown } from '../../analyse/index.js';
import type { Block, ChartBlock, ChartSeries, Inline, Section } from '../document.js';
import { formatMonth } from '../format-date.js';
import type { ComposeContext } from './context.js';
import { countryArticle, countryLabel } from './context.js';
import { point, xref, type Numberer } from './inline.js';
import type { MonthBreakdowns } from './monthly-data.js';
import { OTHER_SLICE } from './ratio-charts.js';

const LEADERS = 5;
const PERCENT = 100;

type Measure = 'perDayPerAddress' | 'sourcesPerDay';

/** Percent of each month's total per leading key (by the six months' sum), plus "other". */
function monthShares(
  history: readonly MonthBreakdowns[],
  pick: (m: MonthBreakdowns) => Breakdown,
  measure: Measure,
  at: { id: string; number: string; caption: string },
  options: { ja: boolean; name: (key: string) => string },
): ChartBlock | null {
  const sums = new Map<string, number>();
  for (const m of history)
    for (const item of pick(m).items) sums.set(item.key, (sums.get(item.key) ?? 0) + (item[measure] ?? 0));
  const keys = [...sums]
    .filter(([key, v]) => v > 0 && key !== '--')
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, LEADERS)
    .map(([key]) => key);
  if (keys.length === 0) return null;
  const totals = history.map((m) => pick(m).items.reduce((sum, item) => sum + (item[measure] ?? 0), 0));
  const share = (value: number, total: number): number | null => (total > 0 ? (value / total) * PERCENT : null);
  const series: ChartSeries[] = keys.map((key) => ({
    key,
    name: options.name(key),
    values: history.map((m, i) => share(pick(m).items.find((item) => item.key === key)?.[measure] ?? 0, totals[i]!)),
  }));
  const other = history.map((m, i) => {
    const listed = pick(m)
      .items.filter((item) => keys.includes(item.key))
      .reduce((sum, item) => sum + (item[measure] ?? 0), 0);
    const value = share(totals[i]! - listed, totals[i]!);
    return value === null ? null : Math.max(0, value);
  });
  if (other.some((v) => v !== null && v > 0))
    series.push({ key: OTHER_SLICE, name: options.ja ? 'その他' : 'Other', values: other, other: true });
  return {
    kind: 'chart',
    ...at,
    chart: {
      type: 'stacked-bar',
      categoryKind: 'month',
      categories: history.map((m) => m.month.label),
      series,
      decimals: 1,
      yLabel: options.ja ? '割合(%)' : 'Share (%)',
    },
  };
}

/** "445/TCP の比率は 2月の 30.0% から 7月の 25.0% になった", citing the chart's first and last months. */
function leaderSentence(chart: ChartBlock | null, ctx: ComposeContext, subject: (key: string) => Inline[]): Inline[] {
  if (chart === null || chart.chart.type === 'pie') return [];
  const spec = chart.chart;
  const leader = spec.series[0];
  const first = spec.categories[0];
  const last = spec.categories[spec.categories.length - 1];
  if (leader === undefined || first === undefined || last === undefined || first === last) return [];
  if (leader.values[0] === null || leader.values[leader.values.length - 1] === null) return [];
  const at = (month: string): Inline =>
    point(chart.id, { series: leader.key, point: month }, { style: 'percent', decimals: 1 });
  const { ja, lang } = ctx;
  return ja
    ? [
        ...subject(leader.key),
        `${/[\x21-\x7e]$/.test(leader.name) ? ' ' : ''}の比率は`,
        formatMonth(first, lang),
        'の ',
        at(first),
        'から',
        formatMonth(last, lang),
        'の ',
        at(last),
        'になりました。',
      ]
    : [
        ' The share of ',
        ...subject(leader.key),
        ' went from ',
        at(first),
        ` in ${formatMonth(first, lang)} to `,
        at(last),
        ` in ${formatMonth(last, lang)}.`,
      ];
}

export function monthlyHistory(
  history: readonly MonthBreakdowns[],
  ctx: ComposeContext,
  figures: { ports: Numberer; regions: Numberer },
): Section {
  const { ja, lang } = ctx;
  const first = history[0]!.month.label;
  const last = history[history.length - 1]!.month.label;
  const span = `${formatMonth(first, lang)}${ja ? '～' : ' to '}${formatMonth(last, lang)}`;
  const figure = (n: Numberer, caption: string): { id: string; number: string; caption: string } => {
    const number = n.next();
    return { id: `f${number}`, number, caption };
  };
  const country = (k: string): string => countryLabel(k, lang);
  const ports = [
    monthShares(
      history,
      (m) => m.services,
      'perDayPerAddress',
      figure(
        figures.ports,
        ja ? `${span}の宛先(ポート種類)別アクセス数の比率` : `Accesses by destination port, ${span}`,
      ),
      { ja, name: (k) => k },
    ),
    monthShares(
      history,
      (m) => m.services,
      'sourcesPerDay',
      figure(figures.ports, ja ? `${span}の宛先(ポート種類)別発信元数の比率` : `Sources by destination port, ${span}`),
      { ja, name: (k) => k },
    ),
  ];
  const regions = [
    monthShares(
      history,
      (m) => m.countries,
      'perDayPerAddress',
      figure(figures.regions, ja ? `${span}の発信元地域別アクセス数の比率` : `Accesses by source region, ${span}`),
      { ja, name: country },
    ),
    monthShares(
      history,
      (m) => m.countries,
      'sourcesPerDay',
      figure(figures.regions, ja ? `${span}の発信元地域別発信元数の比率` : `Sources by source region, ${span}`),
      { ja, name: country },
    ),
  ];
  const part = (
    id: string,
    number: string,
    title: string,
    charts: (ChartBlock | null)[],
    subject: (key: string) => Inline[],
  ): Section => {
    const [a, s] = charts;
    const blocks: Block[] = [];
    if (a !== null && a !== undefined) {
      blocks.push({
        kind: 'paragraph',
        content: ja
          ? [
              `${span}の${title}別アクセス数の比率を`,
              xref(a.id),
              ...(s ? ['に、発信元数の比率を', xref(s.id)] : []),
              'に示します。',
              ...leaderSentence(a, ctx, subject),
            ]
          : [
              xref(a.id),
              ` shows the monthly shares of accesses by ${title}`,
              ...(s ? [', and ', xref(s.id), ' of sources'] : []),
              '.',
              ...leaderSentence(a, ctx, subject),
            ],
      });
    } else {
      blocks.push({
        kind: 'paragraph',
        content: [ja ? 'この期間はアクセスが観測されませんでした。' : 'No accesses were observed in these months.'],
      });
    }
    for (const chart of charts) if (chart !== null) blocks.push(chart);
    return { id, number, title: ja ? `${span}の${title}別の比率` : `Shares by ${title}, ${span}`, blocks };
  };
  return {
    id: 's3',
    number: '3',
    title: ja ? '統計情報' : 'Six-month statistics',
    blocks: [],
    sections: [
      part('s3.1', '3.1', ja ? '宛先(ポート種類)' : 'destination port', ports, (k) => [k]),
      part('s3.2', '3.2', ja ? '発信元地域' : 'source region', regions, (k) => [countryArticle(k, lang), country(k)]),
    ],
  };
}
