/**
 * @module
 * Lookup of the things inlines point at: tables, charts and sections by id,
 * and the value behind a `ValueRef`, printed the way the sentence asks for.
 * Renderers print refs only through `formatValueRef`, so the number in a
 * sentence is always the number in its table or figure.
 */

import type {
  Block,
  CellValue,
  ChangeValue,
  ChartBlock,
  ChartTarget,
  CellTarget,
  Language,
  ReportDocument,
  Section,
  TableBlock,
  TableColumn,
  ValueFormat,
  ValueRef,
  ValueStyle,
} from './document.js';
import { ReportDocumentError } from './errors.js';
import { formatChangeSentence, formatNumber, formatPercent, formatQuantity, formatRank } from './format.js';
import { blockLabel, LABELS } from './labels.js';
import { CELL_DECIMALS } from './table-cells.js';

export interface DocumentIndex {
  tables: ReadonlyMap<string, TableBlock>;
  charts: ReadonlyMap<string, ChartBlock>;
  sections: ReadonlyMap<string, Section>;
}

/** Where a ref is resolved: the document's index, the language, and the ref's path for errors. */
export interface RefContext {
  index: DocumentIndex;
  lang: Language;
  /** Path of the inline in the document, e.g. `sections[0].blocks[1].content[3]`. */
  path: string;
}

/** What a `ValueRef` found: a number, a change pair or a text override, with the style to print it in. */
export interface ResolvedValue {
  value: number | ChangeValue | string;
  style: ValueStyle;
  decimals: number;
  unit: TableColumn['unit'];
}

const DEFAULT_DECIMALS: Record<ValueStyle, number> = { number: 0, percent: 1, rank: 0, change: 1 };
const PERCENT = 100;

/** Indexes `doc`; throws `ReportDocumentError` on an id used twice. */
export function indexDocument(doc: ReportDocument): DocumentIndex {
  const tables = new Map<string, TableBlock>();
  const charts = new Map<string, ChartBlock>();
  const sections = new Map<string, Section>();
  const seen = new Set<string>();
  const claim = (id: string, path: string): void => {
    if (seen.has(id)) throw new ReportDocumentError(path, `id ${JSON.stringify(id)} is used more than once`);
    seen.add(id);
  };
  const visit = (list: readonly Section[], path: string): void => {
    list.forEach((section, i) => {
      const here = `${path}[${i}]`;
      claim(section.id, `${here}.id`);
      sections.set(section.id, section);
      section.blocks.forEach((block: Block, j) => {
        if (block.kind === 'table') {
          claim(block.id, `${here}.blocks[${j}].id`);
          tables.set(block.id, block);
        } else if (block.kind === 'chart') {
          claim(block.id, `${here}.blocks[${j}].id`);
          charts.set(block.id, block);
        }
      });
      if (section.sections) visit(section.sections, `${here}.sections`);
    });
  };
  visit(doc.sections, 'sections');
  return { tables, charts, sections };
}

function isCellTarget(ref: CellTarget | ChartTarget): ref is CellTarget {
  return 'table' in ref;
}

/** Finds the value `ref` points at; throws `ReportDocumentError` (at `path`) when it points at nothing. */
export function resolveValueRef(ref: ValueRef, ctx: RefContext): ResolvedValue {
  const { index, path } = ctx;
  const format: ValueFormat = ref.format ?? {};
  const found = isCellTarget(ref.ref) ? resolveCell(index, ref.ref, path) : resolveChart(index, ref.ref, path);
  const style = format.style ?? found.style;
  let value = found.value;
  if (format.magnitude === true && typeof value === 'number') value = Math.abs(value);
  if (style === 'change' && typeof value !== 'object' && typeof value !== 'string') {
    throw new ReportDocumentError(path, 'style "change" needs a change cell without a part');
  }
  return {
    value,
    style,
    decimals: format.decimals ?? found.decimals ?? DEFAULT_DECIMALS[style],
    unit: format.unit ?? found.unit,
  };
}

interface Found {
  value: number | ChangeValue | string;
  style: ValueStyle;
  decimals: number | undefined;
  unit: TableColumn['unit'];
}

function resolveCell(index: DocumentIndex, target: CellTarget, path: string): Found {
  const table = index.tables.get(target.table);
  if (table === undefined) throw new ReportDocumentError(path, `no table ${JSON.stringify(target.table)}`);
  const column = table.columns.find((c) => c.key === target.column);
  if (column === undefined)
    throw new ReportDocumentError(path, `table ${target.table} has no column ${JSON.stringify(target.column)}`);
  const row = table.rows.find((r) => r.key === target.row);
  if (row === undefined)
    throw new ReportDocumentError(path, `table ${target.table} has no row ${JSON.stringify(target.row)}`);
  const cell: CellValue | undefined = row.cells[target.column];
  if (cell === undefined || cell === null) {
    throw new ReportDocumentError(path, `cell ${target.table}/${target.row}/${target.column} is blank`);
  }
  const kindDecimals =
    column.kind === 'number' || column.kind === 'percent' || column.kind === 'change' ? CELL_DECIMALS[column.kind] : 0;
  // A sentence prints a cell with the table's decimals unless its format says otherwise.
  const base = { decimals: column.decimals ?? kindDecimals, unit: column.unit };
  if (typeof cell === 'string') return { ...base, value: cell, style: 'number' };
  if (typeof cell === 'number') {
    if (target.part !== undefined) throw new ReportDocumentError(path, `part "${target.part}" needs a change cell`);
    const style: ValueStyle = column.kind === 'rank' ? 'rank' : column.kind === 'percent' ? 'percent' : 'number';
    return { ...base, value: cell, style };
  }
  if (target.part === 'abs') return { ...base, value: cell.abs, style: 'number' };
  if (target.part === 'pct') {
    if (cell.pct === null)
      throw new ReportDocumentError(path, `cell ${target.table}/${target.row}/${target.column} has no percent`);
    return { value: cell.pct, style: 'percent', decimals: CELL_DECIMALS.percent, unit: undefined };
  }
  return { ...base, value: cell, style: 'change' };
}

function resolveChart(index: DocumentIndex, target: ChartTarget, path: string): Found {
  const block = index.charts.get(target.chart);
  if (block === undefined) throw new ReportDocumentError(path, `no chart ${JSON.stringify(target.chart)}`);
  const spec = block.chart;
  const base = { decimals: undefined, unit: undefined };
  if (spec.type === 'pie') {
    const slice = spec.slices.find((s) => s.key === target.point);
    if (slice === undefined)
      throw new ReportDocumentError(path, `chart ${target.chart} has no slice ${JSON.stringify(target.point)}`);
    if (target.part !== 'share') return { ...base, value: slice.value, style: 'number' };
    const total = spec.slices.reduce((sum, s) => sum + s.value, 0);
    if (total === 0) throw new ReportDocumentError(path, `chart ${target.chart} has no total to take a share of`);
    return { ...base, value: (slice.value / total) * PERCENT, style: 'percent' };
  }
  if (target.part === 'share') throw new ReportDocumentError(path, 'part "share" is for pie charts');
  const series = spec.series.find((s) => s.key === target.series);
  if (series === undefined)
    throw new ReportDocumentError(path, `chart ${target.chart} has no series ${JSON.stringify(target.series)}`);
  const at = spec.categories.indexOf(target.point);
  const value = at < 0 ? undefined : series.values[at];
  if (value === undefined || value === null) {
    throw new ReportDocumentError(path, `chart ${target.chart} has no value for ${JSON.stringify(target.point)}`);
  }
  return { ...base, decimals: spec.decimals, value, style: 'number' };
}

/** The text a `ValueRef` prints as, e.g. "533.7 件", "23.4%", "101.4 件 (23.4%) 増加", "1位". */
export function formatValueRef(ref: ValueRef, ctx: RefContext): string {
  const { lang } = ctx;
  const { value, style, decimals, unit } = resolveValueRef(ref, ctx);
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return formatChangeSentence(value, lang, { decimals, unit });
  switch (style) {
    case 'rank':
      return formatRank(value, lang);
    case 'percent':
      return formatPercent(value, lang, { decimals });
    case 'number':
    case 'change':
      return unit === undefined ? formatNumber(value, decimals) : formatQuantity(value, lang, { decimals, unit });
  }
}

/** The text of a cross reference: 表2-1 / Figure 2-1 / 「2-1 宛先ポート別」 / section 2-1. */
export function crossRefText(target: string, ctx: RefContext): string {
  const { index, lang, path } = ctx;
  const table = index.tables.get(target);
  if (table !== undefined) return blockLabel('table', table.number, lang);
  const chart = index.charts.get(target);
  if (chart !== undefined) return blockLabel('chart', chart.number, lang);
  const section = index.sections.get(target);
  if (section !== undefined) return LABELS[lang].sectionRef(section.number ?? '', section.title);
  throw new ReportDocumentError(path, `cross reference to unknown id ${JSON.stringify(target)}`);
}
