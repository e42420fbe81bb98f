/**
 * @module
 * ECharts options for each chart kind of the reports: daily line series,
 * stacked daily bars by port, grouped bars (six months per sensor, monthly
 * chart 1.1), horizontal top-N bars, 100% stacked horizontal bars (country
 * share per port) and ratio pies/donuts with "other". Animation is off and
 * every label is computed here (with the report's own number formatting) so
 * the SVG depends on nothing but the spec and the language.
 */

import type { EChartsOption } from 'echarts';
import type { CategoryKind, ChartBlock, ChartSeries, Language, PieChartSpec, SeriesChartSpec } from '../document.js';
import { formatAxisDate, formatAxisMonth } from '../format-date.js';
import { cleanText } from '../escape.js';
import { formatNumber, formatPercent } from '../format.js';
import {
  AXIS_COLOR,
  FONT_FAMILY,
  FONT_SIZE,
  GRID_LINE_COLOR,
  SMALL_FONT_SIZE,
  TEXT_COLOR,
  lineDash,
  lineSymbol,
  seriesColor,
  seriesDecal,
  type DecalSpec,
} from './palette.js';

export const DEFAULT_CHART_WIDTH = 680;
export const DEFAULT_CHART_HEIGHT = 300;
export const DEFAULT_PIE_SIZE = { width: 440, height: 280 } as const;
/** Default width of a chart printed half-width, two side by side (figures 4-1/4-2). */
export const HALF_CHART_WIDTH = 360;

const LEGEND_ROW_HEIGHT = 18;
const LEGEND_ICON_WIDTH = 22;
const LEGEND_ITEM_GAP = 12;
/** Rough advance of one character at the legend font size: full-width for CJK, about half for ASCII. */
const WIDE_CHAR_WIDTH = SMALL_FONT_SIZE;
const NARROW_CHAR_WIDTH = SMALL_FONT_SIZE * 0.6;
const AXIS_NAME_GAP = 26;
const GRID_PADDING = 12;
/** Minimum horizontal room per category label before labels are thinned out. */
const MIN_LABEL_SPACING = 44;
const PERCENT_MAX = 100;
const HBAR_ROW_HEIGHT = 22;
const HBAR_MIN_HEIGHT = 120;

export interface ChartSize {
  width: number;
  height: number;
}

/** Size of `spec` with the defaults applied; horizontal bars grow with their category count. */
export function chartSize(spec: SeriesChartSpec | PieChartSpec, layout: ChartBlock['layout'] = 'full'): ChartSize {
  const half = layout === 'half' ? HALF_CHART_WIDTH : undefined;
  if (spec.type === 'pie') {
    return { width: spec.width ?? half ?? DEFAULT_PIE_SIZE.width, height: spec.height ?? DEFAULT_PIE_SIZE.height };
  }
  const horizontal = spec.type === 'hbar' || spec.type === 'stacked-hbar';
  const autoHeight = horizontal
    ? Math.max(HBAR_MIN_HEIGHT, spec.categories.length * HBAR_ROW_HEIGHT + 3 * LEGEND_ROW_HEIGHT)
    : DEFAULT_CHART_HEIGHT;
  return { width: spec.width ?? half ?? DEFAULT_CHART_WIDTH, height: spec.height ?? autoHeight };
}

const BASE_OPTION = {
  animation: false,
  backgroundColor: '#ffffff',
  textStyle: { fontFamily: FONT_FAMILY, fontSize: FONT_SIZE, color: TEXT_COLOR },
} as const;

function textWidth(text: string): number {
  let width = 0;
  for (const char of text) width += char.charCodeAt(0) < 0x2e80 ? NARROW_CHAR_WIDTH : WIDE_CHAR_WIDTH;
  return width;
}

/** Rows a horizontal legend of `names` needs in `width`, with ECharts' left-to-right wrapping. */
export function legendRows(names: readonly string[], width: number): number {
  let rows = 1;
  let x = 0;
  for (const name of names) {
    const item = LEGEND_ICON_WIDTH + 5 + textWidth(name) + LEGEND_ITEM_GAP;
    if (x > 0 && x + item > width) {
      rows += 1;
      x = 0;
    }
    x += item;
  }
  return rows;
}

function categoryLabel(kind: CategoryKind | undefined, lang: Language): (value: string) => string {
  if (kind === 'date') return (value) => formatAxisDate(value, lang);
  if (kind === 'month') return (value) => formatAxisMonth(value, lang);
  return cleanText;
}

/** Optional axis name, cleaned: zrender escapes markup in SVG text but keeps controls and bidi overrides. */
function axisName(text: string | undefined): string | undefined {
  return text === undefined ? undefined : cleanText(text);
}

/** Stacked percent charts: every category scaled to sum to 100. */
function percentSeries(series: readonly ChartSeries[], categories: number): ChartSeries[] {
  const totals = new Array<number>(categories).fill(0);
  for (const s of series) s.values.forEach((v, i) => (totals[i] = (totals[i] ?? 0) + (v ?? 0)));
  return series.map((s) => ({
    ...s,
    values: s.values.map((v, i) => (v === null || totals[i] === 0 ? v : (v / (totals[i] as number)) * PERCENT_MAX)),
  }));
}

/** `{ decal }` for series that carry a pattern, `{}` for plain ones. */
function decalOf(index: number, other: boolean | undefined): { decal?: DecalSpec } {
  const decal = seriesDecal(index, other);
  return decal === undefined ? {} : { decal };
}

/** Axis ticks are round numbers: print only the decimals they have (50, 2.5, 20%). */
function tickText(value: number, percent: boolean, lang: Language): string {
  const fraction = String(value).split('.')[1] ?? '';
  const decimals = Math.min(fraction.length, 3);
  return percent ? formatPercent(value, lang, { decimals }) : formatNumber(value, decimals);
}

/** Bar charts with more categories than this (a month of days) draw plain bars. */
const MAX_PATTERNED_CATEGORIES = 31;

/** The ECharts option for a line or bar chart. */
export function seriesChartOption(spec: SeriesChartSpec, options: { lang: Language; width: number }): EChartsOption {
  const { lang, width } = options;
  const horizontal = spec.type === 'hbar' || spec.type === 'stacked-hbar';
  const stacked = spec.type === 'stacked-bar' || spec.type === 'stacked-hbar';
  const percent = stacked && spec.percent === true;
  const decimals = spec.decimals ?? 0;
  const series = percent ? percentSeries(spec.series, spec.categories.length) : spec.series;
  const showLegend = spec.series.length > 1;
  const legendHeight = showLegend
    ? legendRows(
        spec.series.map((s) => cleanText(s.name)),
        width - 2 * GRID_PADDING,
      ) * LEGEND_ROW_HEIGHT
    : 0;
  const valueText = (value: number): string => (percent ? formatPercent(value, lang) : formatNumber(value, decimals));
  const labelOf = categoryLabel(spec.categoryKind, lang);
  const plotWidth = width - 80;
  const step = horizontal
    ? 1
    : Math.max(1, Math.ceil(spec.categories.length / Math.max(1, Math.floor(plotWidth / MIN_LABEL_SPACING))));
  // Chromium writes every patterned bar into a PDF as its own pattern object: a
  // quarter's daily stacked bars made 40 MB PDFs. Past a few dozen bars the
  // series stay apart in greyscale by their palette lightness alone.
  const patterned = spec.categories.length <= MAX_PATTERNED_CATEGORIES;

  const categoryAxis = {
    type: 'category' as const,
    data: spec.categories.map(labelOf),
    inverse: horizontal,
    name: axisName(horizontal ? spec.yLabel : spec.xLabel),
    nameLocation: 'middle' as const,
    nameGap: AXIS_NAME_GAP,
    axisLine: { lineStyle: { color: AXIS_COLOR } },
    axisTick: { alignWithLabel: true, interval: step - 1 },
    axisLabel: { interval: step - 1, color: TEXT_COLOR },
  };
  const valueAxis = {
    type: 'value' as const,
    name: axisName(horizontal ? spec.xLabel : spec.yLabel),
    nameTextStyle: { color: TEXT_COLOR, align: horizontal ? ('center' as const) : ('left' as const) },
    nameLocation: horizontal ? ('middle' as const) : ('end' as const),
    nameGap: horizontal ? AXIS_NAME_GAP : 10,
    ...(percent ? { max: PERCENT_MAX } : {}),
    axisLine: { show: true, lineStyle: { color: AXIS_COLOR } },
    axisLabel: { color: TEXT_COLOR, formatter: (value: number) => tickText(value, percent, lang) },
    splitLine: { lineStyle: { color: GRID_LINE_COLOR, type: 'dashed' as const } },
  };

  return {
    ...BASE_OPTION,
    grid: {
      left: GRID_PADDING,
      right: GRID_PADDING * 2,
      top: GRID_PADDING,
      bottom: GRID_PADDING + legendHeight,
      // Axis labels and names stay inside the rect above (ECharts 6's successor of containLabel).
      outerBoundsMode: 'same',
      outerBoundsContain: 'all',
    },
    legend: showLegend
      ? {
          show: true,
          bottom: 0,
          left: 'center',
          width: width - 2 * GRID_PADDING,
          itemWidth: LEGEND_ICON_WIDTH,
          itemHeight: 10,
          itemGap: LEGEND_ITEM_GAP,
          textStyle: { fontSize: SMALL_FONT_SIZE, color: TEXT_COLOR },
        }
      : { show: false },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series: series.map((s, i) => {
      const color = seriesColor(i, s.other);
      // The band rides on the first series (ECharts draws mark areas per series), behind the data.
      const band = i === 0 && spec.band !== undefined ? { markArea: bandArea(spec.band) } : {};
      if (spec.type === 'line') {
        return {
          type: 'line' as const,
          name: cleanText(s.name),
          data: s.values,
          color,
          symbol: lineSymbol(i),
          symbolSize: 5,
          showAllSymbol: 'auto' as const,
          connectNulls: false,
          lineStyle: { width: 1.6, type: lineDash(i) as 'solid' },
          ...band,
        };
      }
      return {
        type: 'bar' as const,
        name: cleanText(s.name),
        data: s.values,
        ...(stacked ? { stack: 'total' } : {}),
        itemStyle: {
          color,
          borderColor: '#ffffff',
          borderWidth: stacked ? 0.5 : 0,
          ...(patterned ? decalOf(i, s.other) : {}),
        },
        ...band,
        ...(spec.valueLabels === true
          ? {
              label: {
                show: true,
                position: horizontal ? ('right' as const) : ('top' as const),
                fontSize: SMALL_FONT_SIZE,
                color: TEXT_COLOR,
                formatter: (params: { value?: unknown }) =>
                  typeof params.value === 'number' ? valueText(params.value) : '',
              },
            }
          : {}),
      };
    }),
  } as EChartsOption;
}

/** Grey enough to read in print under coloured bars, light enough not to hide them. */
const BAND_COLOR = '#000000';
const BAND_OPACITY = 0.12;

/** An ECharts mark area spanning `band` on the value axis, labelled at its top right. */
function bandArea(band: { low: number; high: number; label: string }): Record<string, unknown> {
  return {
    silent: true,
    itemStyle: { color: BAND_COLOR, opacity: BAND_OPACITY },
    label: {
      show: true,
      position: 'insideTopRight',
      fontSize: SMALL_FONT_SIZE,
      color: TEXT_COLOR,
      formatter: cleanText(band.label),
    },
    data: [[{ yAxis: band.low }, { yAxis: band.high }]],
  };
}

/** The ECharts option for a ratio pie or donut, each slice labelled with its name and share. */
export function pieChartOption(spec: PieChartSpec, lang: Language): EChartsOption {
  const total = spec.slices.reduce((sum, s) => sum + s.value, 0);
  const labels = spec.slices.map((s) =>
    total > 0 ? `${cleanText(s.name)} ${formatPercent((s.value / total) * PERCENT_MAX, lang)}` : cleanText(s.name),
  );
  let colorIndex = 0;
  return {
    ...BASE_OPTION,
    series: [
      {
        type: 'pie',
        radius: spec.donut === true ? ['32%', '58%'] : '58%',
        center: ['50%', '50%'],
        startAngle: 90,
        clockwise: true,
        avoidLabelOverlap: true,
        label: {
          show: true,
          fontSize: SMALL_FONT_SIZE,
          color: TEXT_COLOR,
          formatter: (params: { dataIndex: number }) => labels[params.dataIndex] ?? '',
        },
        labelLine: { show: true, length: 8, length2: 6, lineStyle: { color: AXIS_COLOR } },
        itemStyle: { borderColor: '#ffffff', borderWidth: 1 },
        data: spec.slices.map((s) => {
          const index = s.other === true ? 0 : colorIndex++;
          return {
            name: cleanText(s.name),
            value: s.value,
            itemStyle: { color: seriesColor(index, s.other), ...decalOf(index, s.other) },
          };
        }),
      },
    ],
  } as EChartsOption;
}
