/**
 * @module
 * Reading a composed document in tests: sections, tables and charts by id,
 * and the cells of a table row.
 */

import type { Block, ChartBlock, ReportDocument, Section, TableBlock } from '../../src/report/index.js';

export function allSections(doc: ReportDocument): Section[] {
  const out: Section[] = [];
  const visit = (list: readonly Section[]): void => {
    for (const s of list) {
      out.push(s);
      visit(s.sections ?? []);
    }
  };
  visit(doc.sections);
  return out;
}

export function allBlocks(doc: ReportDocument): Block[] {
  return allSections(doc).flatMap((s) => s.blocks);
}

export function table(doc: ReportDocument, id: string): TableBlock {
  const found = allBlocks(doc).find((b): b is TableBlock => b.kind === 'table' && b.id === id);
  if (found === undefined) throw new Error(`no table ${id}`);
  return found;
}

export function chart(doc: ReportDocument, id: string): ChartBlock {
  const found = allBlocks(doc).find((b): b is ChartBlock => b.kind === 'chart' && b.id === id);
  if (found === undefined) throw new Error(`no chart ${id}`);
  return found;
}

export function cells(t: TableBlock, row: string): Record<string, unknown> {
  const found = t.rows.find((r) => r.key === row);
  if (found === undefined) throw new Error(`table ${t.id} has no row ${row}`);
  return found.cells;
}

/** Text of an HTML fragment without tags, for matching sentences across value spans. */
export function plainText(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}
