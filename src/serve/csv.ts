/**
 * @module
 * `?format=csv`: a table answer as RFC 4180 CSV. Text cells are quoted when
 * needed, and one starting with `=`, `+`, `-` or `@` gets a leading `'` so a
 * spreadsheet does not run attacker-chosen text (a sensor label, a rule
 * message) as a formula; numbers are written as JSON writes them.
 */

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => string | number | boolean | null;
}

export interface CsvTable<T> {
  columns: readonly CsvColumn<T>[];
  rows: readonly T[];
}

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

function cell(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv<T>(table: CsvTable<T>): string {
  const lines = [table.columns.map((c) => cell(c.header)).join(',')];
  for (const row of table.rows) lines.push(table.columns.map((c) => cell(c.value(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
