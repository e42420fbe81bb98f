/**
 * @module
 * `renderMarkdown`: a report document → GitHub-flavoured Markdown. Tables
 * become pipe tables with the same cell text as the HTML; a chart becomes
 * its caption plus its data as a table (Markdown viewers drop inline SVG), so
 * every figure a sentence cites is still in the file. All text is escaped
 * with `escapeMarkdown` (attacker strings cannot open links, images, HTML or
 * table cells); verbatim strings become code spans.
 */

import type {
  Block,
  ChartBlock,
  Inline,
  Language,
  PieChartSpec,
  ReportDocument,
  Section,
  SeriesChartSpec,
  TableBlock,
} from './document.js';
import { checkDocument } from './document-check.js';
import { crossRefText, formatValueRef, indexDocument, type DocumentIndex } from './document-index.js';
import { escapeMarkdown, markdownCode, safeHref } from './escape.js';
import { formatAxisDate, formatAxisMonth, formatDate } from './format-date.js';
import { formatNumber, formatPercent } from './format.js';
import { blockLabel, LABELS } from './labels.js';
import { formatCell } from './table-cells.js';

const MAX_HEADING_LEVEL = 6;
const PERCENT = 100;
/** Decimals for chart data in the tables that stand in for figures. */
const CHART_DATA_DECIMALS = 2;

interface Context {
  index: DocumentIndex;
  lang: Language;
  inTable: boolean;
}

/** Renders `doc` (checked first with `checkDocument`) as Markdown. */
export function renderMarkdown(doc: ReportDocument): string {
  checkDocument(doc);
  const ctx: Context = { index: indexDocument(doc), lang: doc.meta.language, inTable: false };
  const { meta } = doc;
  const out: string[] = [];
  if (meta.issued !== undefined) out.push(escapeMarkdown(formatDate(meta.issued, ctx.lang)));
  out.push(`# ${escapeMarkdown(meta.title)}`, escapeMarkdown(meta.subtitle ?? `(${meta.period.title})`));
  if (doc.headlines.length > 0) {
    out.push(doc.headlines.map((line, i) => `- **${inlines(line, ctx, `headlines[${i}]`)}**`).join('\n'));
  }
  doc.sections.forEach((section, i) => renderSection(section, 2, ctx, `sections[${i}]`, out));
  out.push(renderAbout(doc, ctx));
  return `${out.join('\n\n')}\n`;
}

function renderAbout(doc: ReportDocument, ctx: Context): string {
  const { meta } = doc;
  const labels = LABELS[ctx.lang];
  const lines = [`---`, '', `**${escapeMarkdown(labels.about)}**`, ''];
  const item = (term: string, text: string): void => {
    lines.push(`- ${escapeMarkdown(term)}: ${escapeMarkdown(text)}`);
  };
  item(labels.period, `${meta.period.title} (${meta.period.start}..${meta.period.end} ${meta.period.timeZone})`);
  if (meta.previousPeriod !== undefined) {
    item(
      labels.previousPeriod,
      `${meta.previousPeriod.title} (${meta.previousPeriod.start}..${meta.previousPeriod.end})`,
    );
  }
  const detail = meta.source.detail === undefined ? '' : ` (${meta.source.detail})`;
  item(labels.source, `${meta.source.store}: ${meta.source.database}${detail}`);
  if (meta.geoip !== undefined) {
    const attribution = meta.geoip.attribution === undefined ? '' : ` ${meta.geoip.attribution}`;
    item(labels.geoip, `${meta.geoip.database} (${meta.geoip.date})${attribution}`);
  }
  if (meta.generatedAt !== undefined) item(labels.generatedAt, meta.generatedAt);
  return lines.join('\n');
}

function renderSection(section: Section, level: number, ctx: Context, path: string, out: string[]): void {
  const number = section.number === undefined ? '' : `${escapeMarkdown(section.number)} `;
  out.push(`${'#'.repeat(Math.min(level, MAX_HEADING_LEVEL))} ${number}${escapeMarkdown(section.title)}`);
  section.blocks.forEach((block, i) => out.push(renderBlock(block, ctx, `${path}.blocks[${i}]`)));
  section.sections?.forEach((child, i) => renderSection(child, level + 1, ctx, `${path}.sections[${i}]`, out));
}

function renderBlock(block: Block, ctx: Context, path: string): string {
  switch (block.kind) {
    case 'paragraph':
      return inlines(block.content, ctx, `${path}.content`);
    case 'list':
      return block.items
        .map((item, i) => `${block.ordered === true ? `${i + 1}.` : '-'} ${inlines(item, ctx, `${path}.items[${i}]`)}`)
        .join('\n');
    case 'note': {
      const mark = block.mark === undefined ? '' : `${escapeMarkdown(block.mark)} `;
      return `> ${mark}${inlines(block.content, ctx, `${path}.content`)}`;
    }
    case 'table':
      return renderTable(block, ctx, path);
    case 'chart':
      return renderChart(block, ctx, path);
  }
}

function pipeTable(header: readonly string[], rows: readonly string[][], alignRight: readonly boolean[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  const rule = alignRight.map((right) => (right ? '---:' : '---'));
  return [line(header), line(rule), ...rows.map(line)].join('\n');
}

function renderTable(table: TableBlock, ctx: Context, path: string): string {
  const caption = `**${escapeMarkdown(`${blockLabel('table', table.number, ctx.lang)}${LABELS[ctx.lang].captionSeparator}${table.caption}`)}**`;
  const cellCtx = { ...ctx, inTable: true };
  const header = table.columns.map((c) => escapeMarkdown(c.label));
  const rows = table.rows.map((row) =>
    table.columns.map((column) => {
      const text = formatCell(row.cells[column.key], { column, lang: ctx.lang });
      if (text === '') return '';
      return column.kind === 'code' ? markdownCode(text, true) : escapeMarkdown(text);
    }),
  );
  const right = table.columns.map((c) => c.kind === 'number' || c.kind === 'percent' || c.kind === 'change');
  const parts = [caption, '', pipeTable(header, rows, right)];
  table.notes?.forEach((note, i) => parts.push('', `> ${inlines(note, cellCtx, `${path}.notes[${i}]`)}`));
  return parts.join('\n');
}

function renderChart(block: ChartBlock, ctx: Context, path: string): string {
  const caption = `**${escapeMarkdown(`${blockLabel('chart', block.number, ctx.lang)}${LABELS[ctx.lang].captionSeparator}${block.caption}`)}**`;
  const table = block.chart.type === 'pie' ? pieTable(block.chart, ctx.lang) : seriesTable(block.chart, ctx.lang);
  const parts = [caption, '', table];
  block.notes?.forEach((note, i) => parts.push('', `> ${inlines(note, ctx, `${path}.notes[${i}]`)}`));
  return parts.join('\n');
}

function pieTable(spec: PieChartSpec, lang: Language): string {
  const total = spec.slices.reduce((sum, s) => sum + s.value, 0);
  const header = [lang === 'ja' ? '項目' : 'Item', lang === 'ja' ? '値' : 'Value', lang === 'ja' ? '比率' : 'Share'];
  const rows = spec.slices.map((s) => [
    escapeMarkdown(s.name),
    formatNumber(s.value, CHART_DATA_DECIMALS),
    total > 0 ? escapeMarkdown(formatPercent((s.value / total) * PERCENT, lang)) : '',
  ]);
  return pipeTable(header, rows, [false, true, true]);
}

function seriesTable(spec: SeriesChartSpec, lang: Language): string {
  const label = (c: string): string =>
    spec.categoryKind === 'date'
      ? formatAxisDate(c, lang)
      : spec.categoryKind === 'month'
        ? formatAxisMonth(c, lang)
        : c;
  const header = [escapeMarkdown(spec.xLabel ?? ''), ...spec.series.map((s) => escapeMarkdown(s.name))];
  const decimals = spec.decimals ?? CHART_DATA_DECIMALS;
  const rows = spec.categories.map((c, i) => [
    escapeMarkdown(spec.categoryKind === 'date' ? c : label(c)),
    ...spec.series.map((s) => {
      const v = s.values[i];
      return v === null || v === undefined ? '' : formatNumber(v, decimals);
    }),
  ]);
  return pipeTable(header, rows, [false, ...spec.series.map(() => true)]);
}

function inlines(content: readonly Inline[], ctx: Context, path: string): string {
  return content.map((inline, i) => renderInline(inline, ctx, `${path}[${i}]`)).join('');
}

function renderInline(inline: Inline, ctx: Context, path: string): string {
  if (typeof inline === 'string') return escapeMarkdown(inline);
  switch (inline.kind) {
    case 'value':
      return escapeMarkdown(formatValueRef(inline, { index: ctx.index, lang: ctx.lang, path }));
    case 'xref':
      return escapeMarkdown(crossRefText(inline.target, { index: ctx.index, lang: ctx.lang, path }));
    case 'link': {
      const href = safeHref(inline.href);
      const text = escapeMarkdown(inline.text);
      // Angle brackets around the target stop a ")" in the URL from ending it early.
      return href === null ? `${text} (${markdownCode(inline.href, ctx.inTable)})` : `[${text}](<${href}>)`;
    }
    case 'code':
      return markdownCode(inline.text, ctx.inTable);
    case 'strong':
      return `**${inlines(inline.content, ctx, `${path}.content`)}**`;
  }
}
