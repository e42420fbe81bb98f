/**
 * @module
 * `DistinctCounter`: how many different 32-bit values (addresses, service
 * keys) were added, in bounded memory. Detectors keep one per source or per
 * flow, so most counters see a handful of values and a few see millions:
 *
 * - up to `EXACT_LIMIT` values the counter is exact (an open-addressing table
 *   in a `Uint32Array`, at most 2 KiB);
 * - past that it turns into a HyperLogLog sketch (Flajolet et al. 2007) with
 *   2^11 one-byte registers, so it never grows beyond 2 KiB. Its standard
 *   error is 1.04 / sqrt(2048) ≈ 2.3 %; below 2.5 × 2048 values the linear
 *   counting correction keeps it under that.
 *
 * `add` allocates nothing once the table has reached its size for the load.
 *
 * The state is a function of the *set* of values added, whatever their
 * order or repeats: the exact table holds the set, and each sketch register
 * is the maximum rank over the set's values. `toText()` writes it
 * canonically (sorted values, or the registers) and `mergeText()` adds
 * another counter's state, giving exactly the state of the union: scanner
 * evidence stored in pieces (files, sensors, flushes) merges to the counter
 * one pass over all the values would hold.
 */

import { mix32 } from '../util/random.js';

/** Values kept exactly before the counter switches to the sketch. */
export const EXACT_LIMIT = 256;
const FIRST_TABLE = 8;
const HLL_INDEX_BITS = 11;
const HLL_REGISTERS = 1 << HLL_INDEX_BITS;
const HLL_VALUE_BITS = 32 - HLL_INDEX_BITS;
const HLL_ALPHA = 0.7213 / (1 + 1.079 / HLL_REGISTERS);
/** Below this estimate, linear counting over empty registers is more accurate. */
const LINEAR_COUNTING_LIMIT = 2.5 * HLL_REGISTERS;
/** First character of a sketch's text (not in the base64 alphabet). */
const SKETCH_MARK = '~';
const VALUE_BYTES = 4;

export class DistinctCounter {
  /**
   * The first value, kept inline (-1: none yet): most sources and flows
   * never see a second one, and a table per counter would cost more than
   * the counting (an allocation per new source).
   */
  private first = -1;
  /** Exact values, slot = mix32(value) & mask; 0 marks an empty slot (value 0 is `hasZero`). */
  private table: Uint32Array | null = null;
  private hasZero = false;
  private exactCount = 0;
  private registers: Uint8Array | null = null;

  /** Whether `size` is an exact count (false once the sketch took over). */
  get exact(): boolean {
    return this.registers === null;
  }

  add(value: number): void {
    const v = value >>> 0;
    if (v === this.first) return;
    if (this.exactCount === 0) {
      this.first = v;
      this.exactCount = 1;
      return;
    }
    if (this.registers !== null) {
      addToSketch(this.registers, v);
      return;
    }
    if (v === 0) {
      if (this.table === null) this.moveFirstToTable();
      if (!this.hasZero) {
        this.hasZero = true;
        this.grew();
      }
      return;
    }
    let table = this.table;
    if (table === null) table = this.moveFirstToTable();
    const mask = table.length - 1;
    for (let slot = mix32(v) & mask; ; slot = (slot + 1) & mask) {
      const held = table[slot]!;
      if (held === v) return;
      if (held === 0) {
        table[slot] = v;
        this.grew();
        return;
      }
    }
  }

  /**
   * The state as text: '' for no values, the sorted values as big-endian
   * 32-bit words in base64 while exact, else `~` and the registers in base64.
   */
  toText(): string {
    if (this.registers !== null)
      return (
        SKETCH_MARK +
        Buffer.from(this.registers.buffer, this.registers.byteOffset, this.registers.byteLength).toString('base64')
      );
    if (this.exactCount === 0) return '';
    const values = new Uint32Array(this.exactCount);
    let n = 0;
    if (this.table === null) values[n++] = this.first;
    else {
      if (this.hasZero) values[n++] = 0;
      for (const v of this.table) if (v !== 0) values[n++] = v;
    }
    return exactText(values.sort(), n);
  }

  /** Adds the values of a state written by `toText()`: the result is the state of the union. */
  mergeText(text: string): void {
    if (text === '') return;
    if (text.startsWith(SKETCH_MARK)) {
      const registers = Buffer.from(text.slice(SKETCH_MARK.length), 'base64');
      if (registers.length !== HLL_REGISTERS) {
        throw new SyntaxError(
          `Cannot read a distinct-count sketch: ${registers.length} registers, expected ${HLL_REGISTERS}`,
        );
      }
      if (this.registers === null) this.toSketch();
      const own = this.registers!;
      for (let j = 0; j < HLL_REGISTERS; j++) if (registers[j]! > own[j]!) own[j] = registers[j]!;
      return;
    }
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length === 0 || bytes.length % VALUE_BYTES !== 0) {
      throw new SyntaxError(
        `Cannot read a distinct-count state: ${bytes.length} bytes is not a whole number of 32-bit values`,
      );
    }
    for (let j = 0; j < bytes.length; j += VALUE_BYTES) this.add(bytes.readUInt32BE(j));
  }

  /** Number of distinct values added: exact, or the sketch's estimate rounded. */
  get size(): number {
    if (this.registers === null) return this.exactCount;
    let sum = 0;
    let zeros = 0;
    for (let j = 0; j < HLL_REGISTERS; j++) {
      const r = this.registers[j]!;
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const raw = (HLL_ALPHA * HLL_REGISTERS * HLL_REGISTERS) / sum;
    const estimate = raw <= LINEAR_COUNTING_LIMIT && zeros > 0 ? HLL_REGISTERS * Math.log(HLL_REGISTERS / zeros) : raw;
    // The sketch took over after EXACT_LIMIT distinct values, so fewer is impossible.
    return Math.max(EXACT_LIMIT + 1, Math.round(estimate));
  }

  /** Creates the table and moves the inline first value into it (counted already). */
  private moveFirstToTable(): Uint32Array {
    const table = new Uint32Array(FIRST_TABLE);
    this.table = table;
    const v = this.first;
    if (v === 0) this.hasZero = true;
    else if (v > 0) table[mix32(v) & (FIRST_TABLE - 1)] = v;
    return table;
  }

  /** Called after a new value was stored exactly: grow the table or switch to the sketch. */
  private grew(): void {
    this.exactCount++;
    if (this.exactCount > EXACT_LIMIT) {
      this.toSketch();
      return;
    }
    const table = this.table;
    // Keep the load at most 1/2 so probes stay short.
    if (table !== null && (this.exactCount - (this.hasZero ? 1 : 0)) * 2 > table.length) this.rehash(table.length * 2);
  }

  private rehash(size: number): void {
    const old = this.table!;
    const table = new Uint32Array(size);
    const mask = size - 1;
    for (const v of old) {
      if (v === 0) continue;
      let slot = mix32(v) & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = v;
    }
    this.table = table;
  }

  private toSketch(): void {
    this.exactCount = Math.max(this.exactCount, EXACT_LIMIT + 1);
    const registers = new Uint8Array(HLL_REGISTERS);
    if (this.table === null) this.moveFirstToTable();
    if (this.hasZero) addToSketch(registers, 0);
    if (this.table !== null) for (const v of this.table) if (v !== 0) addToSketch(registers, v);
    this.registers = registers;
    this.table = null;
  }
}

function addToSketch(registers: Uint8Array, value: number): void {
  const h = mix32(value);
  const index = h >>> HLL_VALUE_BITS;
  const rest = (h << HLL_INDEX_BITS) >>> 0;
  // Position of the first 1 bit in the remaining 21 bits (22 when they are all 0).
  const rank = rest === 0 ? HLL_VALUE_BITS + 1 : Math.clz32(rest) + 1;
  if (rank > registers[index]!) registers[index] = rank;
}

/**
 * The text of an exact state holding `sorted[0..n)` (distinct values,
 * ascending, at most `EXACT_LIMIT`): what `toText()` writes for it, also
 * for callers that collect a set their own way (`scanners-open.ts`).
 */
export function exactText(sorted: Uint32Array, n: number): string {
  const bytes = Buffer.allocUnsafe(n * VALUE_BYTES);
  for (let j = 0; j < n; j++) bytes.writeUInt32BE(sorted[j]!, j * VALUE_BYTES);
  return bytes.toString('base64');
}
