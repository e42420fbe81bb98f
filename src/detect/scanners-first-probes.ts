/**
 * @module
 * `FirstProbes`: the sources of the current window that sent one probe so
 * far, in columns. On a darknet most sources never send a second probe, and
 * a `SourceState` (with its address counter and service tally: three
 * objects, ~300 bytes of heap) per such source was most of the scanner
 * detector's time and memory: allocating it, collecting it, and turning it
 * into an evidence row. Here a first probe costs ~40 bytes of typed arrays
 * and no object; a second probe from the same source promotes it to an
 * open source (`scanners-open.ts`), and at a spill the rest become evidence
 * rows directly.
 */

import { mix32 } from '../util/random.js';

const FIRST_CAPACITY = 1024;
/** An index slot holding no row. */
const EMPTY = -1;

/** One source's only probe, as handed back by `take`. */
export interface FirstProbe {
  ts: number;
  dst: number;
  service: number;
  /** Matching tool rules, a bit per `TOOL_RULES` entry. */
  tools: number;
  country: number;
  asn: number;
}

/** The held first probes as columns (`FirstProbes.held`). */
export interface HeldProbes {
  count: number;
  src: Uint32Array;
  ts: Float64Array;
  dst: Uint32Array;
  service: Uint32Array;
  tools: Uint8Array;
  country: Uint16Array;
  asn: Uint32Array;
}

export class FirstProbes {
  /** Open addressing over source → row (`EMPTY`: free); rows are never removed before `forget`. */
  private index = new Int32Array(2 * FIRST_CAPACITY).fill(EMPTY);
  private src = new Uint32Array(FIRST_CAPACITY);
  private ts = new Float64Array(FIRST_CAPACITY);
  private dst = new Uint32Array(FIRST_CAPACITY);
  private service = new Uint32Array(FIRST_CAPACITY);
  private tools = new Uint8Array(FIRST_CAPACITY);
  private country = new Uint16Array(FIRST_CAPACITY);
  private asn = new Uint32Array(FIRST_CAPACITY);
  /** 1 once the row's source sent a second probe and became an open source. */
  private taken = new Uint8Array(FIRST_CAPACITY);
  private rows = 0;
  private takenCount = 0;

  /** Sources whose only probe is held. */
  get size(): number {
    return this.rows - this.takenCount;
  }

  get bytes(): number {
    return this.index.byteLength + this.src.length * ROW_BYTES;
  }

  /** The row of `src`'s first probe, or -1 (also once taken). */
  find(src: number): number {
    const { index } = this;
    const mask = index.length - 1;
    for (let slot = mix32(src) & mask; ; slot = (slot + 1) & mask) {
      const row = index[slot]!;
      if (row === EMPTY) return EMPTY;
      if (this.src[row] === src) return this.taken[row] === 1 ? EMPTY : row;
    }
  }

  /** Holds `src`'s first probe (`src` not held yet). */
  add(src: number, probe: FirstProbe): void {
    if (this.rows === this.src.length) this.growRows();
    if ((this.rows + 1) * 2 > this.index.length) this.rebuildIndex(this.index.length * 2);
    const row = this.rows++;
    this.src[row] = src;
    this.ts[row] = probe.ts;
    this.dst[row] = probe.dst;
    this.service[row] = probe.service;
    this.tools[row] = probe.tools;
    this.country[row] = probe.country;
    this.asn[row] = probe.asn;
    this.place(src, row);
  }

  /** Hands `row`'s probe to `out` and forgets it (its source got a second probe). */
  take(row: number, out: FirstProbe): FirstProbe {
    this.taken[row] = 1;
    this.takenCount++;
    return this.read(row, out);
  }

  /**
   * The sources still holding one probe, as columns of their first `count`
   * rows (taken rows moved out): views, valid until the next `add` or
   * `forget`.
   */
  held(): HeldProbes {
    if (this.takenCount > 0) this.compact();
    const n = this.rows;
    return {
      count: n,
      src: this.src.subarray(0, n),
      ts: this.ts.subarray(0, n),
      dst: this.dst.subarray(0, n),
      service: this.service.subarray(0, n),
      tools: this.tools.subarray(0, n),
      country: this.country.subarray(0, n),
      asn: this.asn.subarray(0, n),
    };
  }

  /** Forgets every held probe. */
  forget(): void {
    // Back to the first size: a window's million sources should not pin their arrays for the next one.
    if (this.src.length > FIRST_CAPACITY) this.resizeRows(FIRST_CAPACITY);
    this.index = new Int32Array(2 * FIRST_CAPACITY).fill(EMPTY);
    this.taken.fill(0);
    this.rows = 0;
    this.takenCount = 0;
  }

  /** Moves the rows not taken to the front, in order, and rebuilds the index. */
  private compact(): void {
    let kept = 0;
    for (let row = 0; row < this.rows; row++) {
      if (this.taken[row] === 1) continue;
      if (kept !== row) {
        this.src[kept] = this.src[row]!;
        this.ts[kept] = this.ts[row]!;
        this.dst[kept] = this.dst[row]!;
        this.service[kept] = this.service[row]!;
        this.tools[kept] = this.tools[row]!;
        this.country[kept] = this.country[row]!;
        this.asn[kept] = this.asn[row]!;
      }
      kept++;
    }
    this.taken.fill(0);
    this.rows = kept;
    this.takenCount = 0;
    this.rebuildIndex(this.index.length);
  }

  private read(row: number, out: FirstProbe): FirstProbe {
    out.ts = this.ts[row]!;
    out.dst = this.dst[row]!;
    out.service = this.service[row]!;
    out.tools = this.tools[row]!;
    out.country = this.country[row]!;
    out.asn = this.asn[row]!;
    return out;
  }

  private place(src: number, row: number): void {
    const { index } = this;
    const mask = index.length - 1;
    let slot = mix32(src) & mask;
    while (index[slot] !== EMPTY) slot = (slot + 1) & mask;
    index[slot] = row;
  }

  private rebuildIndex(slots: number): void {
    this.index = new Int32Array(slots).fill(EMPTY);
    for (let row = 0; row < this.rows; row++) this.place(this.src[row]!, row);
  }

  private growRows(): void {
    this.resizeRows(this.src.length * 2);
  }

  private resizeRows(capacity: number): void {
    const grown = <A extends Uint32Array | Float64Array | Uint8Array | Uint16Array>(
      a: A,
      make: (n: number) => A,
    ): A => {
      const b = make(capacity);
      b.set(a.subarray(0, Math.min(this.rows, capacity)));
      return b;
    };
    this.src = grown(this.src, (n) => new Uint32Array(n));
    this.ts = grown(this.ts, (n) => new Float64Array(n));
    this.dst = grown(this.dst, (n) => new Uint32Array(n));
    this.service = grown(this.service, (n) => new Uint32Array(n));
    this.tools = grown(this.tools, (n) => new Uint8Array(n));
    this.country = grown(this.country, (n) => new Uint16Array(n));
    this.asn = grown(this.asn, (n) => new Uint32Array(n));
    this.taken = grown(this.taken, (n) => new Uint8Array(n));
  }
}

/** Bytes a row's columns take (the index adds 8 more per row at most). */
const ROW_BYTES = 4 + 8 + 4 + 4 + 1 + 2 + 4 + 1;
