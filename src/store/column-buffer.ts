/**
 * @module
 * `ColumnBuffer`: rows of one table collected as columns and checked against
 * the column types of `schema.ts` on the way in, so both backends receive the
 * same validated values and a bad row fails the same way on both (DuckDB would
 * reject it, ClickHouse might silently wrap it). A table's list columns are
 * read in step by its view, so they must be equally long in every row.
 */

import { ListColumn, type ListValues } from './list-column.js';
import { INTEGER_RANGE, type ColumnDef, type ColumnType, type TableDef } from './schema.js';
import type { ColumnBlock } from './sql-session.js';

/** `local_day` → `localDay`: the property of a row object that feeds a column. */
export function camelName(column: string): string {
  return column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Rows a fresh buffer has room for before it grows. */
const INITIAL_ROWS = 256;

export class ColumnBuffer {
  readonly table: TableDef;
  /** Per column: a Float64Array for numbers (every integer column type fits a double exactly), strings, or lists. */
  private columns: (Float64Array | string[] | ListColumn)[];
  private capacity = INITIAL_ROWS;
  private rows = 0;
  /** Number and text columns of a block handed back by `recycle`, for the rows after the next `take`. */
  private spare: (Float64Array | string[] | null)[] | null = null;
  /** Row objects' property per column. */
  private readonly keys: readonly string[];

  constructor(table: TableDef) {
    this.table = table;
    this.columns = this.freshColumns(INITIAL_ROWS);
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
    let items = -1;
    for (let c = 0; c < defs.length; c++) {
      const def = defs[c]!;
      if (def.list !== true) {
        checkValue(this.table, def, values[c], this.rows);
        continue;
      }
      const list = values[c];
      if (!Array.isArray(list))
        throw new TypeError(
          `Cannot write ${this.table.name} row ${this.rows}: ${def.name} must be an array, got ${describe(list)}`,
        );
      for (const item of list as unknown[]) checkValue(this.table, def, item, this.rows);
      if (unnested(this.table, def)) items = checkStep(this.table, { def, items, length: list.length, row: this.rows });
    }
    this.reserve(1);
    const row = this.rows;
    for (let c = 0; c < defs.length; c++) {
      const column = this.columns[c]!;
      if (column instanceof ListColumn) column.push(values[c] as number[], 0, (values[c] as number[]).length);
      else (column as unknown[])[row] = values[c];
    }
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

  /**
   * Appends `input.rowCount` rows given as columns (`input.columns.localDay[i]`
   * …, typed arrays welcome; a list column as `ListValues`), checked like
   * `addValues` but without an object or array per row; `fixed` supplies
   * columns by snake_case name and wins. All rows are checked before any is added.
   */
  addColumns(input: ColumnInput, fixed: Readonly<Record<string, unknown>> = {}): void {
    const defs = this.table.columns;
    const n = input.rowCount;
    const sources: (ArrayLike<unknown> | ListValues | undefined)[] = [];
    let stepWith: ListValues | undefined;
    for (let c = 0; c < defs.length; c++) {
      const def = defs[c]!;
      if (def.list === true) {
        const lists = checkLists(this.table, def, input.columns[this.keys[c]!], { rows: n, firstRow: this.rows });
        if (!unnested(this.table, def)) {
          sources.push(lists);
          continue;
        }
        if (stepWith !== undefined)
          checkListsInStep(this.table, def, [stepWith, lists], { rows: n, firstRow: this.rows });
        stepWith = lists;
        sources.push(lists);
        continue;
      }
      if (def.name in fixed) {
        checkValue(this.table, def, fixed[def.name], this.rows);
        sources.push(undefined);
        continue;
      }
      const source = input.columns[this.keys[c]!] as ArrayLike<unknown> | undefined;
      if (source === undefined || source.length < n) {
        throw new TypeError(
          `Cannot write ${this.table.name} rows: column ${this.keys[c]} holds ${source?.length ?? 0} of ${n} values`,
        );
      }
      if (!fitsColumn(source, def.type)) checkColumn(this.table, def, source, { rows: n, firstRow: this.rows });
      sources.push(source);
    }
    this.reserve(n);
    const at = this.rows;
    for (let c = 0; c < defs.length; c++) {
      const column = this.columns[c]!;
      const source = sources[c];
      if (column instanceof ListColumn) {
        const { starts, values } = source as ListValues;
        for (let r = 0; r < n; r++) column.push(values, starts[r]!, starts[r + 1]!);
      } else if (source === undefined) {
        const value = fixed[defs[c]!.name];
        for (let r = 0; r < n; r++) (column as unknown[])[at + r] = value;
      } else if (column instanceof Float64Array && copiesNatively(source)) {
        // One native copy: the element loop below was megamorphic over typed arrays and plain arrays (~60 ns a value).
        column.set(source.length === n ? source : prefix(source, n), at);
      } else {
        const values = source as ArrayLike<unknown>;
        for (let r = 0; r < n; r++) (column as unknown[])[at + r] = values[r];
      }
    }
    this.rows += n;
  }

  /** The collected rows as a block; the buffer starts empty again. */
  take(): ColumnBlock {
    const rows = this.rows;
    const columns = this.columns.map((c) => {
      if (c instanceof Float64Array) return c.subarray(0, rows);
      if (c instanceof ListColumn) return c.take();
      c.length = rows;
      return c;
    });
    const block: ColumnBlock = { table: this.table, columns, rowCount: rows };
    this.columns = this.freshColumns(this.capacity);
    this.rows = 0;
    return block;
  }

  /**
   * Hands back a block `take` made, once nothing reads it any more: its
   * arrays hold the rows after the next `take`. An ingest's tables take a
   * block per 8,192 rows, and fresh arrays for each were most of what a
   * darknet ingest allocated besides its detectors.
   */
  recycle(block: ColumnBlock): void {
    this.spare = block.columns.map((c, i) => {
      const column = this.columns[i];
      if (column instanceof ListColumn) column.recycle(c as ListValues);
      if (c instanceof Float64Array) return new Float64Array(c.buffer);
      return Array.isArray(c) ? (c as string[]) : null;
    });
  }

  private freshColumns(capacity: number): (Float64Array | string[] | ListColumn)[] {
    const spare = this.spare;
    this.spare = null;
    return this.table.columns.map((c, i) => {
      // A list column keeps its room across blocks (its `take` resets it).
      if (c.list === true) return (this.columns?.[i] as ListColumn | undefined) ?? new ListColumn();
      const kept = spare?.[i];
      if (c.type === 'text') return Array.isArray(kept) ? kept : new Array<string>(capacity);
      return kept instanceof Float64Array && kept.length >= capacity ? kept : new Float64Array(capacity);
    });
  }

  /** Room for `more` rows. */
  private reserve(more: number): void {
    const needed = this.rows + more;
    if (needed <= this.capacity) return;
    let capacity = this.capacity;
    while (capacity < needed) capacity *= 2;
    this.columns = this.columns.map((c) => {
      if (!(c instanceof Float64Array)) return c;
      const grown = new Float64Array(capacity);
      grown.set(c.subarray(0, this.rows));
      return grown;
    });
    this.capacity = capacity;
  }
}

type NumberSource = ArrayLike<number> & ({ subarray(start: number, end: number): ArrayLike<number> } | number[]);

/** Sources `Float64Array.set` copies natively: number typed arrays and plain arrays (values checked already). */
function copiesNatively(source: unknown): source is NumberSource {
  if (Array.isArray(source)) return true;
  return ArrayBuffer.isView(source) && !(source instanceof BigInt64Array || source instanceof BigUint64Array);
}

function prefix(source: NumberSource, n: number): ArrayLike<number> {
  return Array.isArray(source) ? source.slice(0, n) : (source as Float64Array).subarray(0, n);
}

/** Rows as columns keyed by camelCase column name; list columns as `ListValues`. */
export interface ColumnInput {
  readonly rowCount: number;
  readonly columns: Readonly<Record<string, ArrayLike<unknown> | ListValues | undefined>>;
}

/** Typed arrays whose every value fits a column type: no per-value check needed. */
const FITS: Readonly<Record<ColumnType, readonly (new (n: number) => ArrayLike<number>)[]>> = {
  u8: [Uint8Array],
  u16: [Uint8Array, Uint16Array],
  u32: [Uint8Array, Uint16Array, Uint32Array],
  u64: [Uint8Array, Uint16Array, Uint32Array],
  i32: [Uint8Array, Uint16Array, Int8Array, Int16Array, Int32Array],
  i64: [Uint8Array, Uint16Array, Uint32Array, Int8Array, Int16Array, Int32Array],
  f64: [Uint8Array, Uint16Array, Uint32Array, Int8Array, Int16Array, Int32Array],
  text: [],
};

function fitsColumn(source: ArrayLike<unknown>, type: ColumnType): boolean {
  for (const kind of FITS[type]) if (source instanceof kind) return true;
  return false;
}

/** `checkValue` over a column, inlined for numbers: one pass, no call per value. */
function checkColumn(
  table: TableDef,
  def: ColumnDef,
  source: ArrayLike<unknown>,
  at: { rows: number; firstRow: number },
): void {
  const type = def.type;
  if (type !== 'text' && type !== 'f64') {
    const [min, max] = INTEGER_RANGE[type];
    for (let r = 0; r < at.rows; r++) {
      const v = source[r];
      if (typeof v !== 'number' || !(v >= min && v <= max) || !Number.isInteger(v))
        checkValue(table, def, v, at.firstRow + r);
    }
    return;
  }
  for (let r = 0; r < at.rows; r++) checkValue(table, def, source[r], at.firstRow + r);
}

/** The lists of `rows` rows given for a list column, their items checked. */
function checkLists(
  table: TableDef,
  def: ColumnDef,
  source: unknown,
  at: { rows: number; firstRow: number },
): ListValues {
  const lists = source as Partial<ListValues> | undefined;
  const starts = lists?.starts;
  const values = lists?.values;
  if (starts === undefined || values === undefined || starts.length < at.rows + 1) {
    throw new TypeError(
      `Cannot write ${table.name} rows: list column ${def.name} needs starts for ${at.rows} rows and values`,
    );
  }
  for (let r = 0; r < at.rows; r++) {
    const from = starts[r]!;
    const to = starts[r + 1]!;
    if (!(Number.isInteger(from) && from >= 0 && to >= from && to <= values.length)) {
      throw new RangeError(
        `Cannot write ${table.name} row ${at.firstRow + r}: ${def.name} items ${from}..${to} are outside its ${values.length} values`,
      );
    }
  }
  if (!fitsColumn(values, def.type)) {
    const [min, max] = INTEGER_RANGE[def.type as Exclude<ColumnType, 'text' | 'f64'>] ?? [-Infinity, Infinity];
    for (let k = starts[0]!; k < starts[at.rows]!; k++) {
      const v = values[k];
      if (!(v! >= min && v! <= max) || !Number.isInteger(v))
        checkValue(table, def, v, at.firstRow + rowOfItem(starts, k));
    }
  }
  return { starts, values };
}

/** The row whose items include `values[item]` (binary search; errors only). */
function rowOfItem(starts: ArrayLike<number>, item: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= item) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Whether the table's view unnests list column `def`: such lists are read in step, so must be equally long. */
function unnested(table: TableDef, def: ColumnDef): boolean {
  return table.unnest?.[def.name] !== undefined;
}

/** Throws unless every row has as many items in both lists. */
function checkListsInStep(
  table: TableDef,
  def: ColumnDef,
  pair: readonly [ListValues, ListValues],
  at: { rows: number; firstRow: number },
): void {
  const [a, b] = pair;
  for (let r = 0; r < at.rows; r++) {
    const length = b.starts[r + 1]! - b.starts[r]!;
    checkStep(table, { def, items: a.starts[r + 1]! - a.starts[r]!, length, row: at.firstRow + r });
  }
}

/** The length of a row's lists so far (`items`, -1 before the first), which `length` must match. */
function checkStep(table: TableDef, list: { def: ColumnDef; items: number; length: number; row: number }): number {
  if (list.items >= 0 && list.items !== list.length) {
    throw new RangeError(
      `Cannot write ${table.name} row ${list.row}: ${list.def.name} has ${list.length} items, the row's other lists ${list.items}`,
    );
  }
  return list.length;
}

function checkValue(table: TableDef, column: ColumnDef, value: unknown, row: number): void {
  const type = column.type;
  if (type === 'text') {
    if (typeof value === 'string') return;
    throw new TypeError(
      `Cannot write ${table.name} row ${row}: ${column.name} must be a string, got ${describe(value)}`,
    );
  }
  if (type === 'f64') {
    if (typeof value === 'number' && Number.isFinite(value)) return;
    throw new TypeError(
      `Cannot write ${table.name} row ${row}: ${column.name} must be a finite number, got ${describe(value)}`,
    );
  }
  const [min, max] = INTEGER_RANGE[type];
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return;
  throw new RangeError(
    `Cannot write ${table.name} row ${row}: ${column.name} must be an integer in ${min}..${max}, got ${describe(value)}`,
  );
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
