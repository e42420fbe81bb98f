/**
 * @module
 * `RowTable`: a growing table of fixed-width integer rows in one Int32Array.
 * Truth tables reach hundreds of thousands of rows; as JS arrays each row
 * would cost about ten times more memory than its four bytes per value.
 */

const INITIAL_ROWS = 1024;

export class RowTable {
  readonly width: number;
  length = 0;
  private data: Int32Array;

  constructor(width: number) {
    this.width = width;
    this.data = new Int32Array(width * INITIAL_ROWS);
  }

  /** Appends one row of `width` integers. */
  append(row: readonly number[]): void {
    if ((this.length + 1) * this.width > this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data.set(row, this.length * this.width);
    this.length++;
  }

  /** Row `k` as a new array (for tests and small tables). */
  row(k: number): number[] {
    return Array.from(this.data.subarray(k * this.width, (k + 1) * this.width));
  }

  /** Row `k` as JSON text, e.g. `[3,0,12,-1,5]`. */
  rowJson(k: number): string {
    return `[${this.data.subarray(k * this.width, (k + 1) * this.width).join(',')}]`;
  }

  toArrays(): number[][] {
    return Array.from({ length: this.length }, (_, k) => this.row(k));
  }
}
