/**
 * @module
 * The shell of every page: language, title, the served stylesheet and
 * scripts (none inline: the Content-Security-Policy allows neither), the
 * navigation keeping period and language, and a plain GET period picker
 * that works without JavaScript.
 */

import { escapeHtml } from '../../report/index.js';
import { href, type LinkState } from './html-kit.js';
import { WORDS, type PageLang } from './page-words.js';

export const STYLESHEET_PATH = '/static/teiten.css';

const NAV = [
  ['/', 'overview'],
  ['/ports', 'ports'],
  ['/countries', 'countries'],
  ['/ip', 'ip'],
  ['/backscatter', 'backscatter'],
  ['/scanners', 'scanners'],
  ['/campaigns', 'campaigns'],
  ['/signatures', 'signatures'],
  ['/findings', 'findings'],
  ['/sensors', 'sensors'],
  ['/reports', 'reports'],
] as const;

export interface PageOptions {
  title: string;
  state: LinkState;
  /** This page's path, for the language switch and the period picker. */
  path: string;
  /** The period shown (its label), pre-filled in the picker; none: no picker. */
  periodLabel?: string;
  /** Other query parameters the picker and language switch keep (`top`). */
  keep?: Record<string, string>;
  body: string;
  /** Script paths of this origin, loaded deferred. */
  scripts?: readonly string[];
}

export function page(options: PageOptions): string {
  const { state } = options;
  const w = WORDS[state.lang];
  const other: PageLang = state.lang === 'ja' ? 'en' : 'ja';
  const nav = NAV.map(([path, word]) => `<a href="${href(path, state)}">${escapeHtml(w[word])}</a>`).join('\n');
  const switchLink = `<a class="lang" href="${href(options.path, { ...state, lang: other }, options.keep)}" hreflang="${other}">${escapeHtml(w.language)}</a>`;
  return `<!DOCTYPE html>
<html lang="${state.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)} · ${escapeHtml(w.site)}</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
${(options.scripts ?? []).map((src) => `<script src="${escapeHtml(src)}" defer></script>`).join('\n')}
</head>
<body>
<header><a class="site" href="${href('/', state)}">${escapeHtml(w.site)}</a>
<nav>
${nav}
<a href="/api/openapi.json">${escapeHtml(w.api)}</a>
${switchLink}
</nav></header>
<main>
<h1>${escapeHtml(options.title)}</h1>
${options.periodLabel === undefined ? '' : periodPicker(options)}
${options.body}
</main>
</body>
</html>
`;
}

function periodPicker(options: PageOptions): string {
  const { lang } = options.state;
  const w = WORDS[lang];
  const hidden = Object.entries({ ...options.keep, ...(lang === 'ja' ? {} : { lang }) })
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  return `<form class="period" method="get" action="${escapeHtml(options.path)}">
<label>${escapeHtml(w.period)} <input name="period" value="${escapeHtml(options.periodLabel ?? '')}" size="24" placeholder="FY2010Q1, 2010-06, 2010-06-01..2010-06-07"></label>
${hidden}<button type="submit">${escapeHtml(w.show)}</button>
</form>`;
}
