/**
 * @module
 * Ratio charts: "top n + other" pies of a ranking (宛先ポート比率,
 * 発信元国・地域別比率) and 100% stacked bars of shares within groups
 * (宛先ポートの国・地域別比率: per port, the share of each country). Pie
 * slices carry the values; bar charts carry percentages already, so a
 * sentence citing a point prints the share.
 */

import { topWithOther, type RankRow } from '../../analyse/index.js';
import type { ChartBlock, ChartSeries, Language, PieSlice } from '../document.js';
import type { ChartPlace } from './daily-charts.js';

const OTHER: Record<Language, string> = { ja: 'その他', en: 'Other' };
const PERCENT = 100;
export const OTHER_SLICE = 'other';

/** A donut of the rows ranked 1..`top` and the rest as "other"; null when nothing was counted. */
export function sharePie(
  rows: readonly RankRow[],
  place: ChartPlace & { layout?: 'full' | 'half' },
  options: { top: number; lang: Language; name: (key: string) => string },
): ChartBlock | null {
  const shares = topWithOther(rows, options.top).filter((s) => s.current > 0);
  if (shares.length === 0) return null;
  const slices: PieSlice[] = shares.map((s) =>
    s.other
      ? { key: OTHER_SLICE, name: OTHER[options.lang], value: s.current, other: true }
      : { key: s.key, name: options.name(s.key), value: s.current },
  );
  return {
    kind: 'chart',
    id: place.id,
    number: place.number,
    caption: place.caption,
    layout: place.layout ?? 'half',
    chart: { type: 'pie', donut: true, slices },
  };
}

/** A pie of plain values (backscatter ports, categories), largest `top` and "other". */
export function valuePie(
  items: readonly { key: string; value: number }[],
  place: ChartPlace & { layout?: 'full' | 'half' },
  options: { top: number; lang: Language; name: (key: string) => string },
): ChartBlock | null {
  const sorted = [...items]
    .filter((i) => i.value > 0)
    .sort((a, b) => b.value - a.value || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (sorted.length === 0) return null;
  const slices: PieSlice[] = sorted
    .slice(0, options.top)
    .map((i) => ({ key: i.key, name: options.name(i.key), value: i.value }));
  const rest = sorted.slice(options.top).reduce((sum, i) => sum + i.value, 0);
  if (rest > 0) slices.push({ key: OTHER_SLICE, name: OTHER[options.lang], value: rest, other: true });
  return {
    kind: 'chart',
    id: place.id,
    number: place.number,
    caption: place.caption,
    layout: place.layout ?? 'half',
    chart: { type: 'pie', donut: true, slices },
  };
}

export interface ShareGroup {
  /** Category key (printed via `name`). */
  key: string;
  /** The group's total. */
  total: number;
  /** Values of the parts within the group, by part key. */
  parts: ReadonlyMap<string, number>;
}

/**
 * A 100% stacked horizontal bar chart: one bar per group, one series per
 * part key in `partKeys` plus "other", values in percent of the group.
 */
export function shareBars(
  groups: readonly ShareGroup[],
  place: ChartPlace,
  options: {
    lang: Language;
    partKeys: readonly string[];
    groupName: (key: string) => string;
    partName: (key: string) => string;
  },
): ChartBlock | null {
  const used = groups.filter((g) => g.total > 0);
  if (used.length === 0) return null;
  const pct = (value: number, total: number): number => (value / total) * PERCENT;
  const series: ChartSeries[] = options.partKeys.map((key) => ({
    key,
    name: options.partName(key),
    values: used.map((g) => pct(g.parts.get(key) ?? 0, g.total)),
  }));
  const other = used.map((g) => {
    const listed = options.partKeys.reduce((sum, key) => sum + (g.parts.get(key) ?? 0), 0);
    return Math.max(0, pct(g.total - listed, g.total));
  });
  if (other.some((v) => v > 0))
    series.push({ key: OTHER_SLICE, name: OTHER[options.lang], values: other, other: true });
  return {
    kind: 'chart',
    id: place.id,
    number: place.number,
    caption: place.caption,
    chart: {
      type: 'stacked-hbar',
      categories: used.map((g) => options.groupName(g.key)),
      series,
      decimals: 1,
      xLabel: options.lang === 'ja' ? '割合(%)' : 'Share (%)',
    },
  };
}
