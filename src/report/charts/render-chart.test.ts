import { describe, expect, it } from 'vitest';
import type { ChartBlock } from '../document.js';
import { ChartRenderError } from '../errors.js';
import { sampleDates } from '../test-kit.js';
import { renderChartSvg } from './render-chart.js';
import { assertSafeSvg } from './svg-clean.js';

const dates = sampleDates(30);
const series = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    key: `s${i}`,
    name: `${1000 + i}/TCP`,
    values: dates.map((_, d) => 10 + i + (d % 5)),
  }));

const CHARTS: ChartBlock[] = [
  {
    kind: 'chart',
    id: 'line',
    caption: '日次推移',
    chart: { type: 'line', categoryKind: 'date', categories: dates, series: series(3), yLabel: '件数' },
  },
  {
    kind: 'chart',
    id: 'stack',
    caption: 'ポート別',
    chart: {
      type: 'stacked-bar',
      categoryKind: 'date',
      categories: dates,
      series: [...series(4), { key: 'o', name: 'その他', values: dates.map(() => 5), other: true }],
    },
  },
  {
    kind: 'chart',
    id: 'pie',
    caption: '比率',
    chart: {
      type: 'pie',
      donut: true,
      slices: [
        { key: 'a', name: '445/TCP', value: 148.32 },
        { key: 'b', name: '11/ICMP', value: 22.73 },
        { key: 'o', name: 'その他', value: 50, other: true },
      ],
    },
  },
  {
    kind: 'chart',
    id: 'top',
    caption: '上位',
    chart: {
      type: 'hbar',
      valueLabels: true,
      decimals: 2,
      categories: ['日本', '中国', '米国'],
      series: [{ key: 'v', name: '件数', values: [216.89, 92.14, 48.11] }],
    },
  },
  {
    kind: 'chart',
    id: 'months',
    caption: '6か月',
    chart: {
      type: 'bar',
      categoryKind: 'month',
      categories: ['2007-02', '2007-03', '2007-04', '2007-05', '2007-06', '2007-07'],
      series: [
        { key: 'a', name: '観測点A', values: [1, 2, 3, 4, 5, 6] },
        { key: 'b', name: '観測点B', values: [6, 5, 4, 3, 2, 1] },
      ],
    },
  },
  {
    kind: 'chart',
    id: 'share',
    caption: '国別比率',
    chart: {
      type: 'stacked-hbar',
      percent: true,
      categories: ['445/TCP', '1433/TCP'],
      series: [
        { key: 'jp', name: '日本', values: [3, 1] },
        { key: 'cn', name: '中国', values: [1, 3] },
      ],
    },
  },
];

describe('renderChartSvg()', () => {
  it.each(CHARTS.map((c) => [c.chart.type, c] as const))(
    'renderChartSvg() draws a %s chart as safe, sized SVG',
    (_type, block) => {
      const { svg, width, height } = renderChartSvg(block, 'ja');
      expect(svg.startsWith(`<svg role="img" aria-label="図${block.caption === '' ? '' : ' '}`)).toBe(true);
      expect(svg).toContain(`width="${width}" height="${height}"`);
      expect(width).toBeGreaterThan(0);
      expect(height).toBeGreaterThan(0);
      expect(svg).not.toMatch(
        /<script|<style|zr\d+-|ecmeta_|class="|:\/\/(?!www\.w3\.org\/(?:2000\/svg|1999\/xlink)")/,
      );
      expect(svg).toContain('<path');
      assertSafeSvg(svg, block.id);
    },
  );

  it('renderChartSvg() patterns a month of stacked bars but not a quarter of them', () => {
    const quarter = sampleDates(91);
    const stacked = (categories: string[]): ChartBlock => ({
      kind: 'chart',
      id: 'days',
      caption: '日次',
      chart: {
        type: 'stacked-bar',
        categoryKind: 'date',
        categories,
        series: [0, 1, 2].map((i) => ({ key: `s${i}`, name: `${i}/TCP`, values: categories.map(() => 1 + i) })),
      },
    });
    expect(renderChartSvg(stacked(dates), 'ja').svg).toContain('<pattern');
    expect(renderChartSvg(stacked(quarter), 'ja').svg).not.toContain('<pattern');
  });

  it('renderChartSvg() is deterministic and prefixes ids with the chart id', () => {
    const a = renderChartSvg(CHARTS[1]!, 'ja').svg;
    const b = renderChartSvg(CHARTS[1]!, 'ja').svg;
    expect(a).toBe(b);
    const ids = [...a.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(id!.startsWith('stack-')).toBe(true);
    const refs = [...a.matchAll(/url\(#([^)]+)\)/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ids).toContain(ref);
  });

  it('renderChartSvg() hatches every bar series but the first and "other", with print-friendly tiles', () => {
    const { svg } = renderChartSvg(CHARTS[1]!, 'ja');
    const patterns = [...svg.matchAll(/<pattern width="(\d+)" height="(\d+)"[^>]* id="([^"]+)"/g)];
    expect(patterns).toHaveLength(3);
    for (const [, width, height] of patterns) expect(Math.min(Number(width), Number(height))).toBeGreaterThanOrEqual(6);
    // 30 days × series 1..3 hatched plus their 3 legend swatches; series 0 and "other" plain.
    expect([...svg.matchAll(/fill="url\(#stack-p\d+\)"/g)]).toHaveLength(93);
  });

  it('renderChartSvg() labels pie slices with rounded shares and the date axis per language', () => {
    const pie = renderChartSvg(CHARTS[2]!, 'en').svg;
    expect(pie).toContain('445/TCP 67.1 %');
    expect(pie).toContain('その他 22.6 %');
    const line = renderChartSvg(CHARTS[0]!, 'ja').svg;
    expect(line).toContain('>4/1<');
    expect(renderChartSvg(CHARTS[0]!, 'en').svg).toContain('>1 Apr<');
    expect(renderChartSvg(CHARTS[4]!, 'ja').svg).toContain('2007年2月');
  });

  it('renderChartSvg() escapes hostile labels and rejects an unsafe id', () => {
    const hostile: ChartBlock = {
      kind: 'chart',
      id: 'h',
      caption: '"><script>alert(1)</script>',
      chart: {
        type: 'bar',
        categories: ['<img src=x onerror=alert(1)>', '{a|b}'],
        series: [
          { key: 'x', name: '</text><script>x</script>', values: [1, 2] },
          { key: 'y', name: 'y', values: [2, 1] },
        ],
      },
    };
    const { svg } = renderChartSvg(hostile, 'ja');
    expect(svg).not.toMatch(/<script|<img/);
    expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(svg).toContain('aria-label="図 &quot;&gt;&lt;script&gt;');
    expect(() => renderChartSvg({ ...hostile, id: 'x"><script>' }, 'ja')).toThrow(ChartRenderError);
  });
});

describe('assertSafeSvg()', () => {
  it.each([
    ['<svg><script>alert(1)</script></svg>', /element <script>/],
    ['<svg><image href="http://evil/x.png"/></svg>', /element <image>/],
    ['<svg><g onload="alert(1)"></g></svg>', /event handler/],
    ['<svg><path fill="url(http://evil/#p)"/></svg>', /external url/],
    ['<svg><use href="http://evil/#a"/></svg>', /element <use>/],
    ['<svg><path xlink:href="data:x"/></svg>', /reference/],
    ['<svg><foreignObject></foreignObject></svg>', /foreignObject/],
    ['<svg><!-- <script> --></svg>', /not a plain element/],
  ])('assertSafeSvg() rejects %s', (svg, message) => {
    expect(() => assertSafeSvg(svg, 'c')).toThrow(message);
  });

  it('assertSafeSvg() accepts in-document references', () => {
    expect(() =>
      assertSafeSvg(
        '<svg xmlns="http://www.w3.org/2000/svg"><defs><pattern id="c-p0"></pattern></defs><path fill="url(#c-p0)"/><text>a &lt; b</text></svg>',
        'c',
      ),
    ).not.toThrow();
  });

  it('renderChartSvg() shades a band across a daily chart with its label, and draws nothing extra without one', () => {
    const base = CHARTS[1]!;
    if (base.chart.type === 'pie') throw new TypeError('expected a series chart');
    const band = { low: 11.5, high: 13.25, label: '期間平均の95%区間 11.50–13.25' };
    const banded: ChartBlock = { ...base, chart: { ...base.chart, band } };
    const plain = renderChartSvg(base, 'ja').svg;
    const shaded = renderChartSvg(banded, 'ja').svg;
    assertSafeSvg(shaded, banded.id);
    expect(shaded).toContain('期間平均の95%区間 11.50–13.25');
    expect(plain).not.toContain('期間平均');
    // One more shape, translucent, spanning the plot: the band.
    const polygons = (svg: string): string[] => svg.match(/<polygon[^>]*>/g) ?? [];
    expect(polygons(shaded).length).toBe(polygons(plain).length + 1);
    expect(polygons(shaded).filter((p) => p.includes('fill-opacity="0.12"'))).toHaveLength(1);
  });
});
