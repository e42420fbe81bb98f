/**
 * @module
 * Post-processing of ECharts' SSR SVG so it can be inlined in a report:
 *
 * - ids: zrender names its `<defs>` (patterns, clip paths) `zr<N>-…` with a
 *   process-wide instance counter N, and its hover CSS classes with a global
 *   counter, so the same chart rendered twice differs, and two charts in one
 *   page could share ids. The prefix becomes the chart's own id.
 * - hover CSS (`<style>` with `:hover` rules, `class` attributes) and the
 *   hydration attributes `ecmeta_*` mean nothing on paper and are dropped.
 * - `assertSafeSvg` then whitelists elements and attributes: no script, no
 *   event handlers, no `<image>`/`<foreignObject>`, and references only to
 *   fragments inside the document (`url(#…)`, `href="#…"`), so an inlined
 *   chart can neither run code nor make a network request. Text content is
 *   not inspected: zrender escapes it, so a label cannot open a tag.
 */

import { ChartRenderError } from '../errors.js';
import { escapeHtml } from '../escape.js';

const STYLE_ELEMENT = /<style\b[^>]*>[\s\S]*?<\/style>/g;
const HOVER_CLASS = / class="zr\d+-cls-\d+(?: zr\d+-cls-\d+)*"/g;
const ECMETA_ATTRIBUTE = / ecmeta_[a-z_]+="[^"]*"/g;
const ZR_PREFIX = /\bzr\d+-/g;
const ROOT_TAG = /^<svg\b/;

const ALLOWED_ELEMENTS = new Set([
  'svg',
  'g',
  'path',
  'rect',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'text',
  'tspan',
  'defs',
  'pattern',
  'clipPath',
  'linearGradient',
  'radialGradient',
  'stop',
  'title',
  'desc',
  'filter',
  'feDropShadow',
  'feGaussianBlur',
  'feOffset',
  'feMerge',
  'feMergeNode',
]);
const XMLNS_VALUES = new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink']);
const TAG = /<\/?([A-Za-z][\w:-]*)((?:\s+[^\s=/>]+(?:="[^"]*")?)*)\s*\/?>/g;
const ATTRIBUTE = /\s+([^\s=/>]+)(?:="([^"]*)")?/g;
const URL_FUNCTION = /url\(\s*([^)]*)\)/gi;
/** Attributes holding only text for assistive technology; never fetched, so any (escaped) text is fine. */
const TEXT_ATTRIBUTES = new Set(['aria-label', 'role']);

/** Makes the SSR SVG of chart `id` deterministic and inline-ready, then checks it. */
export function cleanChartSvg(svg: string, options: { id: string; ariaLabel: string }): string {
  const { id, ariaLabel } = options;
  const cleaned = svg
    .replace(STYLE_ELEMENT, '')
    .replace(HOVER_CLASS, '')
    .replace(ECMETA_ATTRIBUTE, '')
    .replace(ZR_PREFIX, `${id}-`)
    .replace(ROOT_TAG, `<svg role="img" aria-label="${escapeHtml(ariaLabel)}"`);
  assertSafeSvg(cleaned, id);
  return cleaned;
}

/** Throws `ChartRenderError` unless `svg` holds only whitelisted elements and in-document references. */
export function assertSafeSvg(svg: string, id: string): void {
  const fail = (detail: string): never => {
    throw new ChartRenderError(id, `unsafe SVG output: ${detail}`);
  };
  // Everything that looks like markup must be a tag the TAG pattern accepts in full.
  const stray = svg.replace(TAG, '').replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
  if (stray.includes('<')) fail('markup that is not a plain element tag');
  for (const tag of svg.matchAll(TAG)) {
    const name = tag[1] as string;
    if (!ALLOWED_ELEMENTS.has(name)) fail(`element <${name}>`);
    for (const attr of (tag[2] ?? '').matchAll(ATTRIBUTE)) {
      checkAttribute(attr[1] as string, attr[2] ?? '', fail);
    }
  }
}

function checkAttribute(name: string, value: string, fail: (detail: string) => never): void {
  const lower = name.toLowerCase();
  if (lower.startsWith('on')) fail(`event handler attribute ${name}`);
  if (TEXT_ATTRIBUTES.has(lower)) return;
  if (lower === 'xmlns' || lower.startsWith('xmlns:')) {
    if (!XMLNS_VALUES.has(value)) fail(`namespace ${value}`);
    return;
  }
  if (lower === 'href' || lower.endsWith(':href')) {
    if (!value.startsWith('#')) fail(`reference ${name}="${value}"`);
    return;
  }
  for (const url of value.matchAll(URL_FUNCTION)) {
    if (!(url[1] ?? '').trim().replace(/^['"]/, '').startsWith('#')) fail(`external url(${url[1]})`);
  }
  if (/(?:javascript|data|https?|file|ftp):/i.test(value) && lower !== 'style') fail(`URL in attribute ${name}`);
  if (lower === 'style' && /@import|expression\(|(?:javascript|https?|file|ftp):/i.test(value))
    fail('style with an import or URL');
}
