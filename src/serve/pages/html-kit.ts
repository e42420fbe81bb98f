/**
 * @module
 * The pieces every page is made of: links that keep the language and
 * period, tables whose every cell is escaped, numbers formatted as the
 * report formats them, and the daily chart drawn by the report's ECharts
 * SVG renderer. Nothing reaches the markup without `escapeHtml`.
 */

import type { DailySeries } from '../../analyse/index.js';
import { escapeHtml, formatNumber, formatSigned, renderChartSvg } from '../../report/index.js';
import type { PageLang } from './page-words.js';
import { styleToAttributes } from './svg-attributes.js';

/** What a page link carries along. */
export interface LinkState {
  lang: PageLang;
  /** The period as the request named it; absent: the default. */
  period?: string;
}

/** `path` with the state's period and language (and `extra`) as query parameters, escaped for an attribute. */
export function href(path: string, state: LinkState, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams();
  if (state.period !== undefined) query.set('period', state.period);
  for (const [k, v] of Object.entries(extra)) query.set(k, v);
  if (state.lang !== 'ja') query.set('lang', state.lang);
  const text = query.toString();
  return escapeHtml(text === '' ? path : `${path}?${text}`);
}

/** Path segment for any text (a service `445-TCP`, an address, a country code). */
export const segment = (text: string): string => encodeURIComponent(text);

export type Cell = string | { text: string; href?: string; num?: boolean; title?: string };

export interface Column<T> {
  header: string;
  num?: boolean;
  cell: (row: T) => Cell;
}

export function table<T>(
  columns: readonly Column<T>[],
  rows: readonly T[],
  options: { caption?: string; empty: string },
): string {
  if (rows.length === 0) return `<p class="empty">${escapeHtml(options.empty)}</p>`;
  const head = columns.map((c) => `<th${c.num === true ? ' class="num"' : ''}>${escapeHtml(c.header)}</th>`).join('');
  const body = rows.map((row) => `<tr>${columns.map((c) => td(c.cell(row), c.num === true)).join('')}</tr>`).join('\n');
  const caption = options.caption === undefined ? '' : `<caption>${escapeHtml(options.caption)}</caption>`;
  return `<table>${caption}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function td(cell: Cell, num: boolean): string {
  const c = typeof cell === 'string' ? { text: cell } : cell;
  const cls = num || c.num === true ? ' class="num"' : '';
  const title = c.title === undefined ? '' : ` title="${escapeHtml(c.title)}"`;
  // `href` values come from `href()`, which escaped them already.
  const inner = c.href === undefined ? escapeHtml(c.text) : `<a href="${c.href}">${escapeHtml(c.text)}</a>`;
  return `<td${cls}${title}>${inner}</td>`;
}

/** A figure as the report prints it; `-` for not available. */
export function fixed(value: number | null, decimals: number): string {
  return value === null ? '-' : formatNumber(value, decimals);
}

export function signed(value: number | null, decimals: number, suffix = ''): string {
  return value === null ? '-' : `${formatSigned(value, decimals)}${suffix}`;
}

export const rankText = (rank: number | null): string => (rank === null ? '-' : String(rank));

/** The total of `series` per day per address (and the sources per day), as a line chart. */
export function dailyChart(
  series: DailySeries,
  options: { id: string; caption: string; lang: PageLang; names: [string, string] },
): string {
  const total = series.items[0];
  if (total === undefined || series.dates.length === 0) return '';
  const { svg } = renderChartSvg(
    {
      id: options.id,
      caption: options.caption,
      chart: {
        type: 'line',
        categories: series.dates,
        categoryKind: 'date',
        series: [{ key: 'per-day-per-address', name: options.names[0], values: total.perDayPerAddress }],
        decimals: 2,
      },
    },
    options.lang,
  );
  return `<figure class="chart">${styleToAttributes(svg)}<figcaption>${escapeHtml(options.caption)}</figcaption></figure>`;
}
