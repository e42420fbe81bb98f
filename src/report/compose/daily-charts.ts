/**
 * @module
 * Daily charts of the reports: for a port, its accesses per day per address
 * stacked by source country ("宛先ポート 445/TCP に対するアクセスの推移"); for
 * a country, stacked by destination port ("日本からのアクセスの推移"), each
 * with the rest as "other". All groups of a chapter come from three queries:
 * the country × port pairs, and the totals of the ports and countries.
 */

import { dailySeries, type DailySeries, type Period, type RankingTable } from '../../analyse/index.js';
import type { AnalyticsStore } from '../../store/index.js';
import type { ChartBlock, ChartSeries, Language } from '../document.js';
import { formatNumber } from '../format.js';
import { countryLabel } from './context.js';

export interface DailyGroup {
  /** A port (`445/TCP`) or a country (`CN`). */
  key: string;
  dimension: 'service' | 'country';
  /** Country × port keys (`CN 445/TCP`) stacked in the chart, largest first. */
  pairs: readonly string[];
}

export interface StackedDaily {
  key: string;
  dimension: 'service' | 'country';
  dates: string[];
  /** The group's accesses per day per address (null: nothing observed that day). */
  total: (number | null)[];
  parts: { key: string; country: string; service: string; values: (number | null)[] }[];
  /** Total minus the parts. */
  other: (number | null)[];
}

/** Float noise below this share of a day's total is not an "other" part. */
const NOISE = 1e-9;

/** Daily series of every group, keyed by group key. */
export async function stackedDailies(
  store: AnalyticsStore,
  period: Period,
  groups: readonly DailyGroup[],
): Promise<Map<string, StackedDaily>> {
  const pairKeys = [...new Set(groups.flatMap((g) => g.pairs))];
  const keysOf = (dimension: DailyGroup['dimension']): string[] =>
    groups.filter((g) => g.dimension === dimension).map((g) => g.key);
  const query = (by: 'country-service' | 'service' | 'country', keys: string[]): Promise<DailySeries | null> =>
    keys.length === 0 ? Promise.resolve(null) : dailySeries(store, { period, by, keys });
  const [pairs, services, countries] = await Promise.all([
    query('country-service', pairKeys),
    query('service', keysOf('service')),
    query('country', keysOf('country')),
  ]);
  const byKey = (series: DailySeries | null): Map<string, (number | null)[]> =>
    new Map((series?.items ?? []).map((item) => [item.key, item.perDayPerAddress]));
  const pairValues = byKey(pairs);
  const totals = new Map([...byKey(services), ...byKey(countries)]);
  const dates = (pairs ?? services ?? countries)?.dates ?? [];
  const result = new Map<string, StackedDaily>();
  for (const group of groups) {
    const total = totals.get(group.key) ?? dates.map(() => null);
    const parts = group.pairs.map((key) => {
      const [country = '', service = ''] = key.split(' ');
      return { key, country, service, values: pairValues.get(key) ?? dates.map(() => null) };
    });
    const other = total.map((value, i) => {
      if (value === null) return null;
      const rest = value - parts.reduce((sum, p) => sum + (p.values[i] ?? 0), 0);
      return rest > value * NOISE ? rest : 0;
    });
    result.set(group.key, { key: group.key, dimension: group.dimension, dates: [...dates], total, parts, other });
  }
  return result;
}

export interface ChartPlace {
  id: string;
  number: string;
  caption: string;
}

const Y_LABEL: Record<Language, string> = { ja: '件数(一日・1IP当たり)', en: 'Per day per address' };
const OTHER: Record<Language, string> = { ja: 'その他', en: 'Other' };
const CHART_DECIMALS = 2;

/** A stacked daily bar chart of `daily`: parts named by country (port groups) or port (country groups). */
export function stackedDailyChart(daily: StackedDaily, place: ChartPlace, lang: Language): ChartBlock {
  const series: ChartSeries[] = daily.parts.map((part) => ({
    key: part.key,
    name: daily.dimension === 'service' ? countryLabel(part.country, lang) : part.service,
    values: part.values,
  }));
  if (daily.other.some((v) => v !== null && v > 0))
    series.push({ key: 'other', name: OTHER[lang], values: daily.other, other: true });
  return {
    kind: 'chart',
    id: place.id,
    number: place.number,
    caption: place.caption,
    chart: {
      type: 'stacked-bar',
      categoryKind: 'date',
      categories: daily.dates,
      series,
      yLabel: Y_LABEL[lang],
      decimals: CHART_DECIMALS,
    },
  };
}

/** A daily line chart of a few series. */
export function dailyLineChart(
  place: ChartPlace,
  data: { dates: readonly string[]; series: readonly ChartSeries[]; yLabel: string; decimals?: number },
): ChartBlock {
  return {
    kind: 'chart',
    id: place.id,
    number: place.number,
    caption: place.caption,
    chart: {
      type: 'line',
      categoryKind: 'date',
      categories: [...data.dates],
      series: data.series.map((s) => ({ ...s, values: [...s.values] })),
      yLabel: data.yLabel,
      decimals: data.decimals ?? CHART_DECIMALS,
    },
  };
}

const BAND_LABEL: Record<Language, string> = { ja: '期間平均の95%区間', en: 'period mean, 95 % interval' };

/**
 * `block` with a band for the period mean of `key` and its 95 % interval
 * from `ranking` (the item's row of the ranking table); unchanged when the
 * row has no interval or the block is not a series chart.
 */
export function withPeriodBand(
  block: ChartBlock,
  at: { ranking: RankingTable; key: string; lang: Language },
): ChartBlock {
  const bounds = at.ranking.uncertainty?.rows.find((row) => row.key === at.key)?.current ?? null;
  return withBand(block, bounds, at.lang);
}

/** `block` with a band for a period mean's 95 % interval `bounds`; unchanged without bounds or for a pie. */
export function withBand(block: ChartBlock, bounds: { low: number; high: number } | null, lang: Language): ChartBlock {
  if (bounds === null || block.chart.type === 'pie') return block;
  const label = `${BAND_LABEL[lang]} ${formatNumber(bounds.low, CHART_DECIMALS)}–${formatNumber(bounds.high, CHART_DECIMALS)}`;
  return { ...block, chart: { ...block.chart, band: { low: bounds.low, high: bounds.high, label } } };
}
