/**
 * @module
 * Small builders the composers write sentences and blocks with: value
 * references to table cells and chart points, cross references, and the
 * running figure/table numbers of a chapter ("2-1", "2-2" in the quarterly
 * layout, "2.1.1" in the monthly one). Numbers never enter a sentence as
 * text: they are always one of these references.
 */

import type { CellTarget, ChartTarget, CrossRef, Inline, ValueFormat, ValueRef } from '../document.js';

/** The value of a table cell, printed with the column's decimals and unit unless `format` says otherwise. */
export function cell(table: string, row: string, column: string, format?: ValueFormat): ValueRef {
  return withFormat({ table, row, column }, format);
}

/** The absolute or percent half of a change cell. */
export function cellPart(target: CellTarget & { part: 'abs' | 'pct' }, format?: ValueFormat): ValueRef {
  return withFormat({ table: target.table, row: target.row, column: target.column, part: target.part }, format);
}

/** A chart point: a series value at a category, or a pie slice (its value or its share). */
export function point(
  chart: string,
  at: { series?: string; point: string; part?: 'value' | 'share' },
  format?: ValueFormat,
): ValueRef {
  const target: ChartTarget = { chart, point: at.point };
  if (at.series !== undefined) target.series = at.series;
  if (at.part !== undefined) target.part = at.part;
  return withFormat(target, format);
}

function withFormat(ref: CellTarget | ChartTarget, format: ValueFormat | undefined): ValueRef {
  return format === undefined ? { kind: 'value', ref } : { kind: 'value', ref, format };
}

export function xref(target: string): CrossRef {
  return { kind: 'xref', target };
}

/** `items` joined by `separator`, and the last pair by `last` (ja: "、" throughout; en: ", " and " and "). */
export function joinInlines(items: readonly Inline[][], separator: string, last = separator): Inline[] {
  const out: Inline[] = [];
  items.forEach((item, i) => {
    if (i > 0) out.push(i === items.length - 1 ? last : separator);
    out.push(...item);
  });
  return out;
}

/** A list joined in the language's way: 「A、B、C」 / "A, B and C". */
export function listInlines(items: readonly Inline[][], ja: boolean): Inline[] {
  return ja ? joinInlines(items, '、') : joinInlines(items, ', ', items.length > 2 ? ', and ' : ' and ');
}

/**
 * Running numbers of one chapter's figures or tables: `prefix` then a
 * counter, e.g. `2-1`, `2-2` (`separator` '-') or `2.1.1` (`.`). Ids derive
 * from the numbers (`f2-1`, `t2-1`), so they are unique and stable.
 */
export class Numberer {
  private count = 0;

  constructor(
    private readonly prefix: string,
    private readonly separator: string,
  ) {}

  next(): string {
    this.count += 1;
    return `${this.prefix}${this.separator}${this.count}`;
  }
}

/** Chart and table numbers of one chapter, drawn in document order. */
export class ChapterNumbers {
  readonly figures: Numberer;
  readonly tables: Numberer;

  constructor(prefix: string, separator: string) {
    this.figures = new Numberer(prefix, separator);
    this.tables = new Numberer(prefix, separator);
  }

  /** `{ id: 'f2-3', number: '2-3' }` for the next figure. */
  figure(): { id: string; number: string } {
    const number = this.figures.next();
    return { id: `f${number}`, number };
  }

  table(): { id: string; number: string } {
    const number = this.tables.next();
    return { id: `t${number}`, number };
  }
}
