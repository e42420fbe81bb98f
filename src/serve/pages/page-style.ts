/**
 * @module
 * The dashboard's stylesheet, served at `/static/teiten.css` (the
 * Content-Security-Policy allows no inline style). Greys like the report,
 * tables readable on a phone.
 */

import { FONT_FAMILY } from '../../report/index.js';

export const PAGE_CSS = `
html { font-family: ${FONT_FAMILY}; font-size: 15px; line-height: 1.6; color: #111; background: #fff; }
body { margin: 0; }
header { background: #222; color: #fff; padding: 0.5em 1em; display: flex; flex-wrap: wrap; gap: 1em; align-items: baseline; }
header a { color: #fff; text-decoration: none; }
header a:hover, header a:focus { text-decoration: underline; }
header .site { font-weight: bold; }
nav { display: flex; flex-wrap: wrap; gap: 0.9em; }
nav .lang { margin-left: 1em; border: 1px solid #888; padding: 0 0.4em; }
main { max-width: 1100px; margin: 0 auto; padding: 1em; }
h1 { font-size: 1.5em; margin: 0.3em 0 0.6em; }
h2 { font-size: 1.15em; border-bottom: 2px solid #111; margin: 1.6em 0 0.5em; }
form { margin: 0.6em 0 1em; display: flex; flex-wrap: wrap; gap: 0.6em; align-items: center; }
input, select, button { font: inherit; }
table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.93em; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.3em; }
th, td { border: 1px solid #777; padding: 0.2em 0.55em; vertical-align: top; }
th { background: #e6e6e6; text-align: left; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.empty { color: #555; font-style: italic; }
.error { border-left: 4px solid #b00; padding-left: 0.6em; }
.note { color: #444; font-size: 0.9em; }
figure.chart { margin: 0.5em 0 1.2em; overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; }
figure.live { margin: 0.5em 0 1.2em; }
figure.live svg { max-width: 100%; height: auto; border: 1px solid #ccc; }
figcaption { font-weight: bold; font-size: 0.93em; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
`;
