import { describe, expect, it } from 'vitest';
import { renderChartSvg } from '../../report/index.js';
import { styleToAttributes } from './svg-attributes.js';

describe('styleToAttributes()', () => {
  it('styleToAttributes() turns the chart text styles into presentation attributes and leaves no style attribute', () => {
    const { svg } = renderChartSvg(
      {
        id: 'daily',
        caption: 'Daily',
        chart: {
          type: 'line',
          categories: ['2010-06-01', '2010-06-02'],
          categoryKind: 'date',
          series: [{ key: 'a', name: 'A', values: [1, 2] }],
        },
      },
      'en',
    );
    expect(svg).toMatch(/ style="/);
    const out = styleToAttributes(svg);
    expect(out).not.toMatch(/ style="/);
    expect(out).toMatch(/ font-size="12px" font-family="'Noto Sans CJK JP'/);
    expect(out.replace(/ font-(size|family)="[^"]*"/g, '')).toBe(svg.replace(/ style="[^"]*"/g, ''));
  });

  it('styleToAttributes() refuses a style that is no presentation attribute', () => {
    expect(() => styleToAttributes('<text style="position:fixed">x</text>')).toThrow(/position:fixed/);
  });
});
