/**
 * @module
 * `ListColumn`: the items of a list column (`ColumnDef.list`) for many rows,
 * kept flat in two growing arrays rather than as an array object per row,
 * since the ingest writes up to one list row per packet.
 */

/**
 * Lists of numbers for `starts.length - 1` rows, flat: row `r`'s items are
 * `values[starts[r]] … values[starts[r + 1] - 1]`.
 */
export interface ListValues {
  readonly starts: ArrayLike<number>;
  readonly values: ArrayLike<number>;
}

const INITIAL_ROWS = 256;
const INITIAL_ITEMS = 1024;

export class ListColumn {
  /** `starts[r]`: index in `values` of row r's first item; `starts[rows]` is the item count. */
  private starts: Float64Array = new Float64Array(INITIAL_ROWS + 1);
  private values: Float64Array = new Float64Array(INITIAL_ITEMS);
  private rows = 0;

  /** Appends one row whose items are `items[from] … items[to - 1]` (already checked). */
  push(items: ArrayLike<number>, from: number, to: number): void {
    const at = this.starts[this.rows]!;
    const end = at + (to - from);
    if (this.rows + 2 > this.starts.length) this.starts = grown(this.starts, this.rows + 2);
    if (end > this.values.length) this.values = grown(this.values, end);
    const values = this.values;
    for (let k = from, v = at; k < to; k++, v++) values[v] = items[k]!;
    this.starts[++this.rows] = end;
  }

  /** The rows so far; the column starts empty again. */
  take(): ListValues {
    const rows = this.rows;
    const lists = { starts: this.starts.subarray(0, rows + 1), values: this.values.subarray(0, this.starts[rows]!) };
    this.starts = new Float64Array(this.starts.length);
    this.values = new Float64Array(this.values.length);
    this.rows = 0;
    return lists;
  }
}

/** A copy of `array` with room for at least `needed` values (doubling). */
function grown(array: Float64Array, needed: number): Float64Array {
  let capacity = array.length;
  while (capacity < needed) capacity *= 2;
  const out = new Float64Array(capacity);
  out.set(array);
  return out;
}
