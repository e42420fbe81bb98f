/**
 * @module
 * `renderChartSvg`: one chart block → an inline SVG string, drawn by ECharts
 * in server-side mode (`init(null, null, { renderer: 'svg', ssr: true })`,
 * `renderToSVGString()`), with only the chart types and components the
 * reports use registered. Output is a pure function of the block and the
 * language: animation is off, ids are the chart's own, and the SVG passes
 * the whitelist of `svg-clean.ts`.
 */

import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkAreaComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { ChartBlock, Language } from '../document.js';
import { ChartRenderError } from '../errors.js';
import { isSafeId } from '../escape.js';
import { blockLabel, LABELS } from '../labels.js';
import { chartSize, pieChartOption, seriesChartOption } from './chart-options.js';
import { cleanChartSvg } from './svg-clean.js';

use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, MarkAreaComponent, SVGRenderer]);

export interface RenderedChart {
  svg: string;
  width: number;
  height: number;
}

/** Draws `block` as SVG with labels in `lang`; throws `ChartRenderError` naming the chart. */
export function renderChartSvg(
  block: Pick<ChartBlock, 'id' | 'chart' | 'caption' | 'number' | 'layout'>,
  lang: Language,
): RenderedChart {
  if (!isSafeId(block.id)) throw new ChartRenderError(block.id, 'id is not [A-Za-z][A-Za-z0-9_.-]*');
  const spec = block.chart;
  const { width, height } = chartSize(spec, block.layout);
  const option = spec.type === 'pie' ? pieChartOption(spec, lang) : seriesChartOption(spec, { lang, width });
  const chart = init(null, null, { renderer: 'svg', ssr: true, width, height });
  let raw: string;
  try {
    chart.setOption(option);
    raw = chart.renderToSVGString();
  } catch (cause) {
    throw new ChartRenderError(block.id, `ECharts failed: ${(cause as Error).message}`, { cause });
  } finally {
    // Disposing stops zrender's frame loop, which would otherwise keep the process alive.
    chart.dispose();
  }
  const label = `${blockLabel('chart', block.number, lang)}${LABELS[lang].captionSeparator}${block.caption}`;
  return { svg: cleanChartSvg(raw, { id: block.id, ariaLabel: label }), width, height };
}
