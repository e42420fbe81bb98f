/**
 * @module
 * `SourceBlock`: up to `capacity` `source_day` rows as the writer takes
 * them (`SourceKeyColumns`), filled row by row, a row's services and packets
 * flat in arrays that grow with the items (a scanner may reach every port of
 * a sensor in a day).
 */

import type { SourceKeyColumns } from '../store/index.js';

const INITIAL_ITEMS_PER_ROW = 4;

export class SourceBlock {
  rowCount = 0;
  readonly localDay: Int32Array;
  readonly src: Float64Array;
  readonly country: Uint16Array;
  readonly asn: Uint32Array;
  /** `starts[r]`: row r's first item; `starts[rowCount]` = items. */
  private readonly starts: Float64Array;
  private services: Uint32Array;
  private packets: Float64Array;

  constructor(capacity: number) {
    this.localDay = new Int32Array(capacity);
    this.src = new Float64Array(capacity);
    this.country = new Uint16Array(capacity);
    this.asn = new Uint32Array(capacity);
    this.starts = new Float64Array(capacity + 1);
    this.services = new Uint32Array(capacity * INITIAL_ITEMS_PER_ROW);
    this.packets = new Float64Array(capacity * INITIAL_ITEMS_PER_ROW);
  }

  /** Opens the next row and returns its index; fill `localDay[r]` … yourself, then `addItem`. */
  startRow(): number {
    const r = this.rowCount++;
    this.starts[r + 1] = this.starts[r]!;
    return r;
  }

  /** Adds one service and its packets to the open row. */
  addItem(service: number, packets: number): void {
    const at = this.starts[this.rowCount]!;
    if (at >= this.services.length) this.grow();
    this.services[at] = service;
    this.packets[at] = packets;
    this.starts[this.rowCount] = at + 1;
  }

  /** The rows as columns (views of this block's arrays: use them before `reset`). */
  columns(): SourceKeyColumns {
    const rows = this.rowCount;
    const starts = this.starts.subarray(0, rows + 1);
    const items = starts[rows]!;
    return {
      rowCount: rows,
      columns: {
        localDay: this.localDay.subarray(0, rows),
        src: this.src.subarray(0, rows),
        country: this.country.subarray(0, rows),
        asn: this.asn.subarray(0, rows),
        services: { starts, values: this.services.subarray(0, items) },
        packets: { starts, values: this.packets.subarray(0, items) },
      },
    };
  }

  /** Empties the block for the next rows. */
  reset(): void {
    this.rowCount = 0;
  }

  private grow(): void {
    const services = new Uint32Array(this.services.length * 2);
    services.set(this.services);
    const packets = new Float64Array(this.packets.length * 2);
    packets.set(this.packets);
    this.services = services;
    this.packets = packets;
  }
}
