/**
 * @module
 * Chart styling that survives greyscale printing. Colours alternate dark and
 * light so neighbouring series differ in lightness, not only in hue; bars and
 * pie slices also carry ECharts decal patterns, and line series differ by
 * dash pattern and point symbol. The "other" series or slice is always plain
 * light grey, as in the published ratio charts.
 */

/** Ten colours, alternating dark and light (Okabe–Ito hues, darkened or lightened). */
export const SERIES_COLORS = [
  '#1f3b73',
  '#e69f00',
  '#2f7d4f',
  '#8fc1e3',
  '#8c2d5a',
  '#f0d35b',
  '#4d4d4d',
  '#d98c5f',
  '#5b3f8f',
  '#b5d99c',
] as const;

export const OTHER_COLOR = '#d9d9d9';
export const TEXT_COLOR = '#222222';
export const AXIS_COLOR = '#555555';
export const GRID_LINE_COLOR = '#d0d0d0';

/** Dash patterns for line series, cycled with the colours. */
export const LINE_DASHES: readonly (string | number[])[] = [
  'solid',
  [6, 3],
  [2, 2],
  [10, 3, 2, 3],
  'solid',
  [12, 4],
  [1, 3],
  [6, 2, 2, 2, 2, 2],
  [4, 4],
  [14, 2],
];

/** Point symbols for line series, cycled with the colours. */
export const LINE_SYMBOLS = [
  'circle',
  'rect',
  'triangle',
  'diamond',
  'emptyCircle',
  'emptyRect',
  'emptyTriangle',
  'emptyDiamond',
  'pin',
  'arrow',
] as const;

/** Pattern ink of the decals: dark enough to print, light enough to keep labels legible. */
export const DECAL_COLOR = 'rgba(0,0,0,0.28)';

/**
 * Font stack for Japanese text: Noto/IPA on Linux, Hiragino on macOS, Yu
 * Gothic/Meiryo on Windows, then the generic family. IPA's proportional
 * gothic (`IPAPGothic`), not `IPAGothic`, whose Latin letters are all one
 * width and made English text read as typewritten.
 */
export const FONT_FAMILY =
  "'Noto Sans CJK JP', 'Noto Sans JP', 'IPAexGothic', 'IPAPGothic', 'Hiragino Kaku Gothic ProN', " +
  "'Hiragino Sans', 'Yu Gothic', 'Meiryo', 'Droid Sans Fallback', sans-serif";

/**
 * Font stack for English text: a Latin face first (Debian's fonts-liberation
 * and fonts-dejavu, Arial or Helvetica elsewhere), the Japanese stack after
 * it for the country names and glyphs a Latin face lacks.
 */
export const LATIN_FONT_FAMILY = `'Liberation Sans', 'DejaVu Sans', Arial, 'Helvetica Neue', Helvetica, ${FONT_FAMILY}`;

export const FONT_SIZE = 11;
export const SMALL_FONT_SIZE = 10;

/** Colour of series `index`, or the "other" grey. */
export function seriesColor(index: number, other: boolean | undefined): string {
  return other === true ? OTHER_COLOR : (SERIES_COLORS[index % SERIES_COLORS.length] as string);
}

export function lineDash(index: number): string | number[] {
  return LINE_DASHES[index % LINE_DASHES.length] as string | number[];
}

export function lineSymbol(index: number): string {
  return LINE_SYMBOLS[index % LINE_SYMBOLS.length] as string;
}

/**
 * Decal pattern per series index: none for the first (solid), then hatchings
 * and dot grids. Every tile is at least 6 px wide: zrender sizes a pattern
 * tile by its dash arrays, and 1 px tiles (ECharts' `[1, 0]` defaults) make
 * Chromium take seconds per chart to print and bloat the PDF.
 */
const DECALS: readonly (DecalSpec | 'none')[] = [
  'none',
  { symbol: 'rect', symbolSize: 1, dashArrayX: [8, 0], dashArrayY: [2, 4], rotation: Math.PI / 4 },
  {
    symbol: 'circle',
    symbolSize: 0.7,
    dashArrayX: [
      [6, 6],
      [0, 6, 6, 0],
    ],
    dashArrayY: [6, 0],
  },
  { symbol: 'rect', symbolSize: 1, dashArrayX: [8, 0], dashArrayY: [2, 4], rotation: -Math.PI / 4 },
  { symbol: 'rect', symbolSize: 1, dashArrayX: [8, 0], dashArrayY: [3, 3], rotation: 0 },
  {
    symbol: 'rect',
    symbolSize: 1,
    dashArrayX: [
      [6, 6],
      [0, 6, 6, 0],
    ],
    dashArrayY: [6, 0],
  },
  { symbol: 'rect', symbolSize: 1, dashArrayX: [8, 0], dashArrayY: [3, 3], rotation: Math.PI / 2 },
  {
    symbol: 'triangle',
    symbolSize: 0.8,
    dashArrayX: [
      [8, 8],
      [0, 8, 8, 0],
    ],
    dashArrayY: [8, 0],
  },
  { symbol: 'rect', symbolSize: 1, dashArrayX: [8, 0], dashArrayY: [1, 3], rotation: Math.PI / 4 },
  {
    symbol: 'circle',
    symbolSize: 1,
    dashArrayX: [
      [8, 8],
      [0, 8, 8, 0],
    ],
    dashArrayY: [6, 0],
  },
];

export interface DecalSpec {
  symbol: string;
  symbolSize?: number;
  dashArrayX?: number[] | number[][];
  dashArrayY?: number[];
  rotation?: number;
  color?: string;
}

/**
 * Decal of series `index`; undefined (plain fill) for the first series and
 * the "other" series. ECharts' automatic decals stay off (`aria.decal.show`
 * false): it would give plain series a pattern too.
 */
export function seriesDecal(index: number, other: boolean | undefined): DecalSpec | undefined {
  const base = other === true ? 'none' : (DECALS[index % DECALS.length] as DecalSpec | 'none');
  return base === 'none' ? undefined : { ...base, color: DECAL_COLOR };
}
