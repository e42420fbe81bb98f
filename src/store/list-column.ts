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
  /** Arrays of lists handed back by `recycle`, for the rows after the next `take`. */
  private spare: { starts: Float64Array; values: Float64Array } | null = null;

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

  /** The rows so far; the column starts empty again, with the same room (or a recycled block's). */
  take(): ListValues {
    const rows = this.rows;
    const lists = { starts: this.starts.subarray(0, rows + 1), values: this.values.subarray(0, this.starts[rows]!) };
    const spare = this.spare;
    this.spare = null;
    this.starts =
      spare !== null && spare.starts.length >= this.starts.length ? spare.starts : new Float64Array(this.starts.length);
    this.values =
      spare !== null && spare.values.length >= this.values.length ? spare.values : new Float64Array(this.values.length);
    this.starts[0] = 0;
    this.rows = 0;
    return lists;
  }

  /** Hands back lists `take` made, once nothing reads them: their arrays hold the rows after the next `take`. */
  recycle(lists: ListValues): void {
    if (lists.starts instanceof Float64Array && lists.values instanceof Float64Array)
      this.spare = { starts: new Float64Array(lists.starts.buffer), values: new Float64Array(lists.values.buffer) };
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
