/**
 * @module
 * The report's one stylesheet, inlined into every HTML file. It imitates the
 * published reports: centred title, boxed headline bullets, ruled section
 * headings, tables with full black rules and a grey header row, bold
 * captions (above tables, below figures). Only black, white and greys, so a
 * greyscale print loses nothing; A4 pages with figures and tables kept whole.
 */

import { FONT_FAMILY, LATIN_FONT_FAMILY } from './charts/palette.js';

const MONO_FAMILY = "'DejaVu Sans Mono', 'Noto Sans Mono CJK JP', 'Liberation Mono', monospace";

export const REPORT_CSS = `
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
html { font-family: ${FONT_FAMILY}; font-size: 10.5pt; line-height: 1.7; color: #111; background: #fff; }
html[lang="en"] { font-family: ${LATIN_FONT_FAMILY}; line-height: 1.5; }
body { margin: 0 auto; max-width: 182mm; padding: 10mm 8mm 16mm; }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.report-header { margin-bottom: 1.2em; }
.issued { text-align: right; margin: 0; }
.publisher { text-align: right; margin: 0; }
h1 { font-size: 18pt; text-align: center; margin: 0.6em 0 0.1em; letter-spacing: 0.05em; }
.subtitle { text-align: center; margin: 0 0 0.6em; font-size: 12pt; }
.headlines { border: 1.5pt solid #111; padding: 0.5em 1em; margin: 1em 0 1.6em; break-inside: avoid; }
.headlines ul { margin: 0; padding-left: 1.3em; }
.headlines li { font-weight: bold; }
h2, h3, h4, h5 { break-after: avoid; page-break-after: avoid; line-height: 1.4; }
h2 { font-size: 13.5pt; border-bottom: 1.5pt solid #111; padding-bottom: 0.15em; margin: 1.8em 0 0.6em; }
h3 { font-size: 11.5pt; border-left: 5pt solid #555; padding-left: 0.45em; margin: 1.4em 0 0.5em; }
h4, h5 { font-size: 10.5pt; margin: 1.2em 0 0.4em; }
.number { margin-right: 0.6em; }
p.para { margin: 0.45em 0; }
html[lang="ja"] p.para { text-indent: 1em; }
ul.list, ol.list { margin: 0.4em 0; padding-left: 1.6em; }
.value { white-space: nowrap; }
a { color: inherit; }
a.xref { text-decoration: none; border-bottom: 0.5pt dotted #555; }
code { font-family: ${MONO_FAMILY}; font-size: 0.9em; background: #eeeeee; padding: 0 0.2em; overflow-wrap: anywhere; }
.note { font-size: 8.5pt; line-height: 1.5; color: #333; margin: 0.3em 0; }
.note sup { margin-right: 0.3em; }
table.data { border-collapse: collapse; margin: 0.4em auto 1.2em; font-size: 9.5pt; line-height: 1.45; break-inside: avoid; page-break-inside: avoid; }
table.data caption { caption-side: top; font-weight: bold; padding-bottom: 0.35em; text-align: center; }
table.data th, table.data td { border: 0.75pt solid #222; padding: 0.2em 0.6em; }
table.data thead th { background: #e3e3e3; font-weight: bold; text-align: center; vertical-align: middle; }
table.data tbody tr:nth-child(even) td { background: #f5f5f5; }
td.k-rank { text-align: center; white-space: nowrap; }
td.k-number, td.k-percent, td.k-change { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.k-text { text-align: left; }
td.k-code { text-align: left; max-width: 60mm; }
.table-notes { margin: -0.8em auto 1.2em; }
figure.chart { margin: 1em auto 1.4em; text-align: center; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { display: block; margin: 0 auto; max-width: 100%; height: auto; }
figure.chart figcaption { font-weight: bold; font-size: 9.5pt; margin-top: 0.3em; }
figure.half { display: inline-block; width: 49%; vertical-align: top; margin: 1em 0 1.4em; }
.about { border-top: 0.75pt solid #888; margin-top: 2.4em; padding-top: 0.6em; font-size: 8.5pt; color: #333; break-inside: avoid; }
.about h2 { font-size: 9.5pt; border: none; margin: 0 0 0.3em; }
.about dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.1em 1.2em; margin: 0; }
.about dt { font-weight: bold; }
.about dd { margin: 0; }
@media print {
  body { max-width: none; padding: 0; }
  a { text-decoration: none; }
}
`;
