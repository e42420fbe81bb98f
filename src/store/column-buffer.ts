/**
 * @module
 * `ColumnBuffer`: rows of one table collected as columns and checked against
 * the column types of `schema.ts` on the way in, so both backends receive the
 * same validated values and a bad row fails the same way on both (DuckDB would
 * reject it, ClickHouse might silently wrap it).
 */

import { INTEGER_RANGE, type ColumnDef, type TableDef } from './schema.js';
import type { ColumnBlock } from './sql-session.js';

/** `local_day` → `localDay`: the property of a row object that feeds a column. */
export function camelName(column: string): string {
  return column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export class ColumnBuffer {
  readonly table: TableDef;
  private columns: unknown[][];
  private rows = 0;
  /** Row objects' property per column. */
  private readonly keys: readonly string[];

  constructor(table: TableDef) {
    this.table = table;
    this.columns = table.columns.map(() => []);
    this.keys = table.columns.map((c) => camelName(c.name));
  }

  get rowCount(): number {
    return this.rows;
  }

  /** Appends one row given in column order. */
  addValues(values: readonly unknown[]): void {
    const defs = this.table.columns;
    if (values.length !== defs.length) {
      throw new RangeError(`Cannot write a ${this.table.name} row: ${values.length} values for ${defs.length} columns`);
    }
    for (let c = 0; c < defs.length; c++) checkValue(this.table, defs[c]!, values[c], this.rows);
    for (let c = 0; c < defs.length; c++) this.columns[c]!.push(values[c]);
    this.rows++;
  }

  /**
   * Appends one row from an object with camelCase properties (`localDay`);
   * `fixed` supplies columns by snake_case name (`ingest_id`) and wins.
   */
  addObject(row: object, fixed: Readonly<Record<string, unknown>> = {}): void {
    const record = row as Record<string, unknown>;
    const defs = this.table.columns;
    const values = new Array<unknown>(defs.length);
    for (let c = 0; c < defs.length; c++) {
      const name = defs[c]!.name;
      values[c] = name in fixed ? fixed[name] : record[this.keys[c]!];
    }
    this.addValues(values);
  }

  /** The collected rows as a block; the buffer starts empty again. */
  take(): ColumnBlock {
    const block: ColumnBlock = { table: this.table, columns: this.columns, rowCount: this.rows };
    this.columns = this.table.columns.map(() => []);
    this.rows = 0;
    return block;
  }
}

function checkValue(table: TableDef, column: ColumnDef, value: unknown, row: number): void {
  const type = column.type;
  if (type === 'text') {
    if (typeof value === 'string') return;
    throw new TypeError(`Cannot write ${table.name} row ${row}: ${column.name} must be a string, got ${describe(value)}`);
  }
  if (type === 'f64') {
    if (typeof value === 'number' && Number.isFinite(value)) return;
    throw new TypeError(`Cannot write ${table.name} row ${row}: ${column.name} must be a finite number, got ${describe(value)}`);
  }
  const [min, max] = INTEGER_RANGE[type];
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return;
  throw new RangeError(`Cannot write ${table.name} row ${row}: ${column.name} must be an integer in ${min}..${max}, got ${describe(value)}`);
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
