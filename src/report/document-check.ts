/**
 * @module
 * `checkDocument`: the one gate every renderer passes a document through.
 * It checks what the renderers rely on: ids safe for HTML/SVG and unique,
 * cells of the right type for their column, finite numbers only (JSON would
 * turn NaN into null silently), chart series as long as their categories,
 * and every `ValueRef` and cross reference resolving to something real, so
 * every number in a sentence is traceable to a table or figure.
 */

import {
  DOCUMENT_SCHEMA,
  REPORT_LANGUAGES,
  type Block,
  type CellValue,
  type ChartBlock,
  type Inline,
  type ReportDocument,
  type Section,
  type TableBlock,
  type TableColumn,
} from './document.js';
import { crossRefText, formatValueRef, indexDocument, type DocumentIndex } from './document-index.js';
import { ReportDocumentError } from './errors.js';
import { isSafeId } from './escape.js';

const MAX_DECIMALS = 10;
const MAX_CHART_SIZE = 4000;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Throws `ReportDocumentError` naming the first bad field; returns `doc` typed when it is fine. */
export function checkDocument(doc: ReportDocument): ReportDocument {
  if (typeof doc !== 'object' || doc === null) throw new ReportDocumentError('$', 'not an object');
  if (doc.schema !== DOCUMENT_SCHEMA) throw new ReportDocumentError('schema', `expected "${DOCUMENT_SCHEMA}"`);
  checkMeta(doc);
  const index = indexDocument(doc);
  const lang = doc.meta.language;
  // Blocks first, inlines after: a sentence citing a bad cell reports the cell, not the sentence.
  const pending: [readonly Inline[], string][] = [];
  const checkInlines: InlineChecker = (inlines, path) => {
    if (!Array.isArray(inlines)) throw new ReportDocumentError(path, 'expected an array of inlines');
    pending.push([inlines, path]);
  };
  if (!Array.isArray(doc.headlines)) throw new ReportDocumentError('headlines', 'expected an array');
  doc.headlines.forEach((line, i) => checkInlines(line, `headlines[${i}]`));
  const visit = (sections: readonly Section[], path: string): void => {
    sections.forEach((section, i) => {
      const here = `${path}[${i}]`;
      checkId(section.id, `${here}.id`);
      checkString(section.title, `${here}.title`);
      if (!Array.isArray(section.blocks)) throw new ReportDocumentError(`${here}.blocks`, 'expected an array');
      section.blocks.forEach((block, j) => checkBlock(block, `${here}.blocks[${j}]`, checkInlines));
      if (section.sections !== undefined) visit(section.sections, `${here}.sections`);
    });
  };
  if (!Array.isArray(doc.sections)) throw new ReportDocumentError('sections', 'expected an array');
  visit(doc.sections, 'sections');
  const checkNested: InlineChecker = (inlines, path) => {
    if (!Array.isArray(inlines)) throw new ReportDocumentError(path, 'expected an array of inlines');
    inlines.forEach((inline, i) => checkInline(index, inline, lang, `${path}[${i}]`, checkNested));
  };
  for (const [inlines, path] of pending) checkNested(inlines, path);
  return doc;
}

function checkMeta(doc: ReportDocument): void {
  const meta = doc.meta;
  if (typeof meta !== 'object' || meta === null) throw new ReportDocumentError('meta', 'not an object');
  if (!(REPORT_LANGUAGES as readonly string[]).includes(meta.language)) {
    throw new ReportDocumentError('meta.language', `expected one of ${REPORT_LANGUAGES.join(', ')}`);
  }
  checkString(meta.title, 'meta.title');
  for (const [name, period] of [
    ['period', meta.period],
    ['previousPeriod', meta.previousPeriod],
  ] as const) {
    if (period === undefined && name === 'previousPeriod') continue;
    if (typeof period !== 'object' || period === null) throw new ReportDocumentError(`meta.${name}`, 'not an object');
    checkString(period.title, `meta.${name}.title`);
    checkDate(period.start, `meta.${name}.start`);
    checkDate(period.end, `meta.${name}.end`);
  }
  if (meta.issued !== undefined) checkDate(meta.issued, 'meta.issued');
  if (typeof meta.source !== 'object' || meta.source === null)
    throw new ReportDocumentError('meta.source', 'not an object');
  checkString(meta.source.store, 'meta.source.store');
  checkString(meta.source.database, 'meta.source.database');
  if (meta.geoip !== undefined) {
    checkString(meta.geoip.database, 'meta.geoip.database');
    checkDate(meta.geoip.date, 'meta.geoip.date');
  }
}

type InlineChecker = (inlines: readonly Inline[], path: string) => void;

function checkBlock(block: Block, path: string, checkInlines: InlineChecker): void {
  switch (block.kind) {
    case 'paragraph':
    case 'note':
      checkInlines(block.content, `${path}.content`);
      return;
    case 'list':
      if (!Array.isArray(block.items)) throw new ReportDocumentError(`${path}.items`, 'expected an array');
      block.items.forEach((item, i) => checkInlines(item, `${path}.items[${i}]`));
      return;
    case 'table':
      checkTable(block, path);
      block.notes?.forEach((note, i) => checkInlines(note, `${path}.notes[${i}]`));
      return;
    case 'chart':
      checkChart(block, path);
      block.notes?.forEach((note, i) => checkInlines(note, `${path}.notes[${i}]`));
      return;
    default:
      throw new ReportDocumentError(
        `${path}.kind`,
        `unknown block kind ${JSON.stringify((block as { kind?: unknown }).kind)}`,
      );
  }
}

function checkTable(table: TableBlock, path: string): void {
  checkId(table.id, `${path}.id`);
  checkString(table.caption, `${path}.caption`);
  const keys = new Set<string>();
  table.columns.forEach((column, i) => {
    checkString(column.key, `${path}.columns[${i}].key`);
    checkString(column.label, `${path}.columns[${i}].label`);
    if (keys.has(column.key))
      throw new ReportDocumentError(`${path}.columns[${i}].key`, `duplicate column ${JSON.stringify(column.key)}`);
    keys.add(column.key);
    if (column.decimals !== undefined) checkDecimals(column.decimals, `${path}.columns[${i}].decimals`);
  });
  const rowKeys = new Set<string>();
  table.rows.forEach((row, i) => {
    const here = `${path}.rows[${i}]`;
    checkString(row.key, `${here}.key`);
    if (rowKeys.has(row.key)) throw new ReportDocumentError(`${here}.key`, `duplicate row ${JSON.stringify(row.key)}`);
    rowKeys.add(row.key);
    for (const key of Object.keys(row.cells)) {
      if (!keys.has(key)) throw new ReportDocumentError(`${here}.cells`, `no column ${JSON.stringify(key)}`);
    }
    for (const column of table.columns) checkCell(row.cells[column.key], column, `${here}.cells.${column.key}`);
  });
}

function checkCell(cell: CellValue | undefined, column: TableColumn, path: string): void {
  if (cell === undefined || cell === null || typeof cell === 'string') return;
  const kind = column.kind;
  if (kind === 'text' || kind === 'code') throw new ReportDocumentError(path, `expected text in a ${kind} column`);
  if (kind === 'change') {
    if (typeof cell !== 'object' || typeof cell.abs !== 'number')
      throw new ReportDocumentError(path, 'expected {abs, pct} in a change column');
    checkFinite(cell.abs, `${path}.abs`);
    if (cell.pct !== null) checkFinite(cell.pct, `${path}.pct`);
    return;
  }
  if (typeof cell !== 'number') throw new ReportDocumentError(path, `expected a number in a ${kind} column`);
  checkFinite(cell, path);
  if (kind === 'rank' && (!Number.isSafeInteger(cell) || cell < 1))
    throw new ReportDocumentError(path, 'a rank is an integer ≥ 1');
}

function checkChart(block: ChartBlock, path: string): void {
  checkId(block.id, `${path}.id`);
  checkString(block.caption, `${path}.caption`);
  const spec = block.chart;
  for (const dim of ['width', 'height'] as const) {
    const size = spec[dim];
    if (size !== undefined && (!Number.isInteger(size) || size < 1 || size > MAX_CHART_SIZE)) {
      throw new ReportDocumentError(`${path}.chart.${dim}`, `expected an integer 1..${MAX_CHART_SIZE}`);
    }
  }
  const seen = new Set<string>();
  const unique = (key: string, where: string): void => {
    checkString(key, where);
    if (seen.has(key)) throw new ReportDocumentError(where, `duplicate key ${JSON.stringify(key)}`);
    seen.add(key);
  };
  if (spec.type === 'pie') {
    spec.slices.forEach((slice, i) => {
      unique(slice.key, `${path}.chart.slices[${i}].key`);
      checkString(slice.name, `${path}.chart.slices[${i}].name`);
      checkFinite(slice.value, `${path}.chart.slices[${i}].value`);
      if (slice.value < 0)
        throw new ReportDocumentError(`${path}.chart.slices[${i}].value`, 'a slice cannot be negative');
    });
    return;
  }
  if (spec.decimals !== undefined) checkDecimals(spec.decimals, `${path}.chart.decimals`);
  spec.categories.forEach((c, i) => checkString(c, `${path}.chart.categories[${i}]`));
  if (spec.categoryKind === 'date') spec.categories.forEach((c, i) => checkDate(c, `${path}.chart.categories[${i}]`));
  spec.series.forEach((series, i) => {
    const here = `${path}.chart.series[${i}]`;
    unique(series.key, `${here}.key`);
    checkString(series.name, `${here}.name`);
    if (series.values.length !== spec.categories.length) {
      throw new ReportDocumentError(
        `${here}.values`,
        `has ${series.values.length} values for ${spec.categories.length} categories`,
      );
    }
    series.values.forEach((v, j) => {
      if (v !== null) checkFinite(v, `${here}.values[${j}]`);
    });
  });
}

function checkInline(
  index: DocumentIndex,
  inline: Inline,
  lang: 'ja' | 'en',
  path: string,
  checkInlines: InlineChecker,
): void {
  if (typeof inline === 'string') return;
  switch (inline.kind) {
    case 'value':
      if (inline.format?.decimals !== undefined) checkDecimals(inline.format.decimals, `${path}.format.decimals`);
      try {
        formatValueRef(inline, { index, lang, path });
      } catch (cause) {
        if (cause instanceof ReportDocumentError) throw cause;
        throw new ReportDocumentError(path, `value cannot be printed: ${(cause as Error).message}`, { cause });
      }
      return;
    case 'xref':
      crossRefText(inline.target, { index, lang, path });
      return;
    case 'link':
      checkString(inline.text, `${path}.text`);
      checkString(inline.href, `${path}.href`);
      return;
    case 'code':
      checkString(inline.text, `${path}.text`);
      return;
    case 'strong':
      checkInlines(inline.content, `${path}.content`);
      return;
    default:
      throw new ReportDocumentError(
        `${path}.kind`,
        `unknown inline kind ${JSON.stringify((inline as { kind?: unknown }).kind)}`,
      );
  }
}

function checkId(id: string, path: string): void {
  if (typeof id !== 'string' || !isSafeId(id))
    throw new ReportDocumentError(path, `id ${JSON.stringify(id)} is not [A-Za-z][A-Za-z0-9_.-]*`);
}

function checkString(value: unknown, path: string): void {
  if (typeof value !== 'string') throw new ReportDocumentError(path, 'expected a string');
}

function checkDate(value: unknown, path: string): void {
  if (typeof value !== 'string' || !DATE_PATTERN.test(value))
    throw new ReportDocumentError(path, 'expected a YYYY-MM-DD date');
}

function checkFinite(value: unknown, path: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new ReportDocumentError(path, `${String(value)} is not a finite number`);
}

function checkDecimals(value: number, path: string): void {
  if (!Number.isInteger(value) || value < 0 || value > MAX_DECIMALS)
    throw new ReportDocumentError(path, `decimals must be 0..${MAX_DECIMALS}`);
}
