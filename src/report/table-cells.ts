/**
 * @module
 * The printed text of a table cell, shared by the HTML and Markdown
 * renderers so both show the same digits: "1位", "148.32 件",
 * "-15.3% (-26.73 件)", "23.4%". Returns plain text; callers escape it.
 */

import type { CellValue, Language, TableColumn } from './document.js';
import { formatChangeCell, formatPercent, formatQuantity, formatRank } from './format.js';

/** Default decimals per column kind, as the published tables print them. */
export const CELL_DECIMALS = { number: 2, percent: 1, change: 2 } as const;

/** The text of `cell` in `column`, in `lang`. */
export function formatCell(cell: CellValue | undefined, options: { column: TableColumn; lang: Language }): string {
  const { column, lang } = options;
  if (cell === undefined || cell === null) return '';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'object') {
    return formatChangeCell(cell, lang, { decimals: column.decimals ?? CELL_DECIMALS.change, unit: column.unit });
  }
  switch (column.kind) {
    case 'rank':
      return formatRank(cell, lang);
    case 'percent':
      return formatPercent(cell, lang, { decimals: column.decimals ?? CELL_DECIMALS.percent });
    case 'number':
    case 'change':
      return formatQuantity(cell, lang, { decimals: column.decimals ?? CELL_DECIMALS.number, unit: column.unit });
    case 'text':
    case 'code':
      return String(cell);
  }
}
