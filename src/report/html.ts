/**
 * @module
 * `renderHtml`: a report document → one self-contained HTML file. Styles and
 * charts (SVG) are inline; a Content-Security-Policy forbids scripts and any
 * network fetch, so even a string that slipped past escaping could neither
 * run nor call out. All text goes through `escapeHtml`. Output is a pure
 * function of the document: the same document gives the same bytes.
 */

import { renderChartSvg } from './charts/render-chart.js';
import type { Block, ChartBlock, Inline, Language, ReportDocument, Section, TableBlock } from './document.js';
import { checkDocument } from './document-check.js';
import { crossRefText, formatValueRef, indexDocument, type DocumentIndex } from './document-index.js';
import { escapeHtml, safeHref } from './escape.js';
import { formatDate } from './format-date.js';
import { REPORT_CSS } from './html-style.js';
import { blockLabel, LABELS } from './labels.js';
import { formatCell } from './table-cells.js';

/** No scripts, no fetches of any kind; inline styles only (the SVGs use style attributes). */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";
/** h2 for top-level sections (h1 is the title), down to h5. */
const HEADING_BASE_LEVEL = 2;
const MAX_HEADING_LEVEL = 5;

interface Context {
  index: DocumentIndex;
  lang: Language;
}

/** Renders `doc` (checked first with `checkDocument`) as a complete HTML document string. */
export function renderHtml(doc: ReportDocument): string {
  checkDocument(doc);
  const ctx: Context = { index: indexDocument(doc), lang: doc.meta.language };
  const { meta } = doc;
  const out: string[] = [
    '<!DOCTYPE html>',
    `<html lang="${meta.language}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="teiten">',
    `<title>${escapeHtml(`${meta.title} ${meta.period.title}`)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    `<article class="report report-${escapeHtml(meta.kind)}">`,
    renderHeader(doc, ctx),
  ];
  if (doc.headlines.length > 0) {
    const items = doc.headlines.map((line, i) => `<li>${inlines(line, ctx, `headlines[${i}]`)}</li>`).join('\n');
    out.push(
      `<section class="headlines" aria-label="${escapeHtml(LABELS[ctx.lang].headlines)}">\n<ul>\n${items}\n</ul>\n</section>`,
    );
  }
  doc.sections.forEach((section, i) => out.push(renderSection(section, 0, ctx, `sections[${i}]`)));
  out.push(renderAbout(doc, ctx), '</article>', '</body>', '</html>', '');
  return out.join('\n');
}

function renderHeader(doc: ReportDocument, ctx: Context): string {
  const { meta } = doc;
  const lines = ['<header class="report-header">'];
  if (meta.issued !== undefined) lines.push(`<p class="issued">${escapeHtml(formatDate(meta.issued, ctx.lang))}</p>`);
  if (meta.publisher !== undefined) lines.push(`<p class="publisher">${escapeHtml(meta.publisher)}</p>`);
  lines.push(`<h1>${escapeHtml(meta.title)}</h1>`);
  const subtitle = meta.subtitle ?? `(${meta.period.title})`;
  lines.push(`<p class="subtitle">${escapeHtml(subtitle)}</p>`, '</header>');
  return lines.join('\n');
}

function renderAbout(doc: ReportDocument, ctx: Context): string {
  const { meta } = doc;
  const labels = LABELS[ctx.lang];
  const span = (p: { start: string; end: string; title: string }): string =>
    `${p.title} (${formatDate(p.start, ctx.lang)}${ctx.lang === 'ja' ? '～' : ' – '}${formatDate(p.end, ctx.lang)})`;
  const rows: [string, string][] = [[labels.period, `${span(meta.period)} ${meta.period.timeZone}`]];
  if (meta.previousPeriod !== undefined) rows.push([labels.previousPeriod, span(meta.previousPeriod)]);
  const detail = meta.source.detail === undefined ? '' : ` (${meta.source.detail})`;
  rows.push([labels.source, `${meta.source.store}: ${meta.source.database}${detail}`]);
  if (meta.geoip !== undefined) {
    const attribution = meta.geoip.attribution === undefined ? '' : ` ${meta.geoip.attribution}`;
    rows.push([labels.geoip, `${meta.geoip.database} (${formatDate(meta.geoip.date, ctx.lang)})${attribution}`]);
  }
  if (meta.generatedAt !== undefined) rows.push([labels.generatedAt, meta.generatedAt]);
  const items = rows.map(([term, text]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(text)}</dd>`).join('\n');
  return `<footer class="about">\n<h2>${escapeHtml(labels.about)}</h2>\n<dl>\n${items}\n</dl>\n</footer>`;
}

function renderSection(section: Section, depth: number, ctx: Context, path: string): string {
  const level = Math.min(HEADING_BASE_LEVEL + depth, MAX_HEADING_LEVEL);
  const number = section.number === undefined ? '' : `<span class="number">${escapeHtml(section.number)}</span>`;
  const parts = [
    `<section class="section level-${depth + 1}" id="${section.id}">`,
    `<h${level}>${number}${escapeHtml(section.title)}</h${level}>`,
  ];
  section.blocks.forEach((block, i) => parts.push(renderBlock(block, ctx, `${path}.blocks[${i}]`)));
  section.sections?.forEach((child, i) => parts.push(renderSection(child, depth + 1, ctx, `${path}.sections[${i}]`)));
  parts.push('</section>');
  return parts.join('\n');
}

function renderBlock(block: Block, ctx: Context, path: string): string {
  switch (block.kind) {
    case 'paragraph':
      return `<p class="para">${inlines(block.content, ctx, `${path}.content`)}</p>`;
    case 'list': {
      const tag = block.ordered === true ? 'ol' : 'ul';
      const items = block.items.map((item, i) => `<li>${inlines(item, ctx, `${path}.items[${i}]`)}</li>`).join('\n');
      return `<${tag} class="list">\n${items}\n</${tag}>`;
    }
    case 'note': {
      const mark = block.mark === undefined ? '' : `<sup>${escapeHtml(block.mark)}</sup>`;
      return `<p class="note">${mark}${inlines(block.content, ctx, `${path}.content`)}</p>`;
    }
    case 'table':
      return renderTable(block, ctx, path);
    case 'chart':
      return renderChart(block, ctx, path);
  }
}

function renderTable(table: TableBlock, ctx: Context, path: string): string {
  const caption = `${blockLabel('table', table.number, ctx.lang)}${LABELS[ctx.lang].captionSeparator}${table.caption}`;
  const head = table.columns.map((c) => `<th scope="col" class="k-${c.kind}">${escapeHtml(c.label)}</th>`).join('');
  const body = table.rows.map((row) => {
    const cells = table.columns.map((column) => {
      const text = escapeHtml(formatCell(row.cells[column.key], { column, lang: ctx.lang }));
      return `<td class="k-${column.kind}">${column.kind === 'code' && text !== '' ? `<code>${text}</code>` : text}</td>`;
    });
    return `<tr>${cells.join('')}</tr>`;
  });
  const parts = [
    `<table class="data" id="${table.id}">`,
    `<caption>${escapeHtml(caption)}</caption>`,
    `<thead><tr>${head}</tr></thead>`,
    `<tbody>\n${body.join('\n')}\n</tbody>`,
    '</table>',
  ];
  if (table.notes !== undefined && table.notes.length > 0)
    parts.push(renderNotes(table.notes, ctx, `${path}.notes`, 'table-notes'));
  return parts.join('\n');
}

function renderChart(block: ChartBlock, ctx: Context, path: string): string {
  const { svg } = renderChartSvg(block, ctx.lang);
  const caption = `${blockLabel('chart', block.number, ctx.lang)}${LABELS[ctx.lang].captionSeparator}${block.caption}`;
  const layout = block.layout === 'half' ? ' half' : '';
  const parts = [
    `<figure class="chart chart-${block.chart.type}${layout}" id="${block.id}">`,
    svg,
    `<figcaption>${escapeHtml(caption)}</figcaption>`,
  ];
  if (block.notes !== undefined && block.notes.length > 0)
    parts.push(renderNotes(block.notes, ctx, `${path}.notes`, 'figure-notes'));
  parts.push('</figure>');
  return parts.join('\n');
}

function renderNotes(notes: Inline[][], ctx: Context, path: string, className: string): string {
  const lines = notes.map((note, i) => `<p class="note">${inlines(note, ctx, `${path}[${i}]`)}</p>`);
  return `<div class="${className}">\n${lines.join('\n')}\n</div>`;
}

function inlines(content: readonly Inline[], ctx: Context, path: string): string {
  return content.map((inline, i) => renderInline(inline, ctx, `${path}[${i}]`)).join('');
}

function renderInline(inline: Inline, ctx: Context, path: string): string {
  if (typeof inline === 'string') return escapeHtml(inline);
  switch (inline.kind) {
    case 'value': {
      const source = 'table' in inline.ref ? inline.ref.table : inline.ref.chart;
      return `<span class="value" data-source="${escapeHtml(source)}">${escapeHtml(formatValueRef(inline, { ...ctx, path }))}</span>`;
    }
    case 'xref':
      return `<a class="xref" href="#${escapeHtml(inline.target)}">${escapeHtml(crossRefText(inline.target, { ...ctx, path }))}</a>`;
    case 'link': {
      const href = safeHref(inline.href);
      if (href === null) return `${escapeHtml(inline.text)} (${escapeHtml(inline.href)})`;
      return `<a class="link" href="${escapeHtml(href)}" rel="noreferrer noopener">${escapeHtml(inline.text)}</a>`;
    }
    case 'code':
      return `<code>${escapeHtml(inline.text)}</code>`;
    case 'strong':
      return `<strong>${inlines(inline.content, ctx, `${path}.content`)}</strong>`;
  }
}
