/**
 * @module
 * Plain-text tables with aligned columns for terminals, counting East Asian
 * wide characters (中国, 米国) as two columns so Japanese names line up. The
 * widths are Unicode's East Asian Width property (get-east-asian-width);
 * ambiguous characters count as one column, as most terminals draw them.
 */

import { eastAsianWidth } from 'get-east-asian-width';

export interface TextColumn {
  header: string;
  align: 'left' | 'right';
}

const COLUMN_GAP = '  ';

/** Terminal columns `text` takes. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    width += eastAsianWidth(ch.codePointAt(0)!);
  }
  return width;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'left' ? text + fill : fill + text;
}

/** Header, rule and rows, each column as wide as its widest cell; trailing blanks trimmed. */
export function renderTable(columns: readonly TextColumn[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((c, i) => Math.max(displayWidth(c.header), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: readonly string[]): string =>
    columns
      .map((c, i) => pad(cells[i] ?? '', widths[i]!, c.align))
      .join(COLUMN_GAP)
      .trimEnd();
  return [
    line(columns.map((c) => c.header)),
    widths.map((w) => '-'.repeat(w)).join(COLUMN_GAP),
    ...rows.map(line),
  ].join('\n');
}
