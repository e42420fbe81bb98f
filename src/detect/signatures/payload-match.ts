/**
 * @module
 * Payload keywords of one rule against one packet's payload, with
 * Suricata's semantics: relative keywords start at the end of the previous
 * match (`distance`, `within` counted from there plus `distance`); when a
 * later relative keyword fails, the previous content or pcre is retried at
 * its next occurrence; a search budget bounds the retries (Suricata's
 * recursion limit), after which the rule does not match.
 *
 * Positions are offsets into the payload (`0..len`); `base` is where the
 * payload starts in the batch's data. pcre runs on the payload's latin1 text,
 * built at most once per packet and only when a pcre is reached.
 */
import { findBytes } from './content-bytes.js';
import { compareNumber } from './numeric-test.js';
import {
  ByteTestOp,
  type ByteJump,
  type ByteRead,
  type ContentMatch,
  type PayloadMatch,
  type PcreMatch,
} from './rule-types.js';

/** Steps per rule and packet before giving up (Suricata's default inspection recursion limit). */
export const SEARCH_BUDGET = 3000;
const TWO_32 = 2 ** 32;
const ALIGN = 4;

export class PayloadMatcher {
  private data: Uint8Array = new Uint8Array(0);
  private base = 0;
  private len = 0;
  private text: string | null = null;
  private steps = 0;
  private list: readonly PayloadMatch[] = [];

  /** Sets the payload of the packet about to be checked (drops the cached text). */
  setPayload(data: Uint8Array, base: number, len: number): void {
    this.data = data;
    this.base = base;
    this.len = len;
    this.text = null;
  }

  matches(list: readonly PayloadMatch[]): boolean {
    if (list.length === 0) return true;
    this.list = list;
    this.steps = 0;
    return this.from(0, 0);
  }

  private nextIsRelative(k: number): boolean {
    const next = this.list[k + 1];
    return next !== undefined && next.relative;
  }

  private from(k: number, cursor: number): boolean {
    const m = this.list[k];
    if (m === undefined) return true;
    if (++this.steps > SEARCH_BUDGET) return false;
    switch (m.kind) {
      case 'content':
        return this.content(m, k, cursor);
      case 'pcre':
        return this.pcre(m, k, cursor);
      case 'isdataat': {
        const has = m.relative ? cursor + m.at <= this.len : m.at < this.len;
        return has !== m.negated && this.from(k + 1, cursor);
      }
      case 'byte_test': {
        const value = this.read(m, cursor);
        if (value < 0) return false;
        return testByte(m.op, value, m.value) !== m.negated && this.from(k + 1, cursor);
      }
      case 'byte_jump': {
        const target = this.jump(m, cursor);
        return target >= 0 && this.from(k + 1, target);
      }
    }
  }

  private content(m: ContentMatch, k: number, cursor: number): boolean {
    const len = this.len;
    let start: number;
    let end = len;
    if (m.relative) {
      start = cursor + m.distance;
      if (start < 0) start = 0;
      if (m.within !== 0) end = Math.min(end, cursor + m.distance + m.within);
    } else {
      start = m.offset;
      if (m.depth !== 0) end = Math.min(end, m.offset + m.depth);
    }
    const n = m.bytes.length;
    if (m.endsWith && end < len) return m.negated && this.from(k + 1, cursor);
    let from = start;
    for (;;) {
      const at =
        from + n > end ? -1 : findBytes(this.data, this.base + from, this.base + end, m.bytes, m.nocase) - this.base;
      if (at < 0) return m.negated && this.from(k + 1, cursor);
      const matchEnd = at + n;
      if (m.endsWith && matchEnd !== len) {
        from = at + 1;
        continue;
      }
      if (m.negated) return false;
      if (this.from(k + 1, matchEnd)) return true;
      if (!this.nextIsRelative(k) || this.steps > SEARCH_BUDGET) return false;
      from = at + 1;
    }
  }

  private latin1(): string {
    if (this.text === null) {
      this.text = Buffer.from(this.data.buffer, this.data.byteOffset + this.base, this.len).toString('latin1');
    }
    return this.text;
  }

  private pcre(m: PcreMatch, k: number, cursor: number): boolean {
    const text = m.relative ? this.latin1().substring(cursor) : this.latin1();
    const shift = m.relative ? cursor : 0;
    const { regex } = m;
    regex.lastIndex = 0;
    for (;;) {
      const found = regex.exec(text);
      if (found === null) return m.negated && this.from(k + 1, cursor);
      if (m.negated) return false;
      if (this.from(k + 1, shift + found.index + found[0].length)) return true;
      if (regex.sticky || !this.nextIsRelative(k) || this.steps > SEARCH_BUDGET) return false;
      regex.lastIndex = found.index + 1;
    }
  }

  /** The number `byte_test`/`byte_jump` reads, or -1 when it is not there. */
  private read(m: ByteRead, cursor: number): number {
    let at = m.offset;
    if (m.relative) {
      if (this.len - cursor <= 0) return -1;
      at += cursor;
    }
    if (at < 0 || m.bytes > this.len - at) return -1;
    const data = this.data;
    const start = this.base + at;
    let value = 0;
    if (m.base === 0) {
      for (let k = 0; k < m.bytes; k++) {
        const b = data[m.bigEndian ? start + k : start + m.bytes - 1 - k]!;
        value = value * 256 + b;
      }
    } else {
      let digits = 0;
      let k = 0;
      while (k < m.bytes && data[start + k] === 0x20) k++;
      for (; k < m.bytes; k++) {
        const digit = digitValue(data[start + k]!);
        if (digit >= m.base) break;
        value = value * m.base + digit;
        digits++;
      }
      if (digits === 0) return -1;
    }
    if (m.bitmask !== 0) {
      value = and32(value, m.bitmask);
      let mask = m.bitmask;
      while ((mask & 1) === 0) {
        mask = mask / 2;
        value = Math.floor(value / 2);
      }
    }
    return value;
  }

  /** The cursor after `byte_jump`, or -1 when the jump leaves the payload. */
  private jump(m: ByteJump, cursor: number): number {
    if (this.len === 0) return -1;
    const value = this.read(m, cursor);
    if (value < 0) return -1;
    const at = (m.relative ? cursor : 0) + m.offset;
    let distance = value * m.multiplier;
    if (m.align && distance % ALIGN !== 0) distance += ALIGN - (distance % ALIGN);
    distance += m.postOffset;
    let target = m.fromBeginning ? distance : m.fromEnd ? this.len + distance : at + m.bytes + distance;
    if (target < 0) target = 0;
    else if (target >= this.len) return -1;
    return target;
  }
}

function digitValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x61 && b <= 0x66) return b - 0x61 + 10;
  if (b >= 0x41 && b <= 0x46) return b - 0x41 + 10;
  return 99;
}

/** `a & b` for `b` below 2^32 and `a` up to 2^53 (JavaScript `&` is 32-bit). */
function and32(a: number, b: number): number {
  return ((a % TWO_32) & b) >>> 0;
}

function testByte(op: number, value: number, operand: number): boolean {
  if (op === ByteTestOp.AND) {
    return operand < TWO_32 ? and32(value, operand) !== 0 : (BigInt(value) & BigInt(operand)) !== 0n;
  }
  if (op === ByteTestOp.OR) return value !== operand; // Suricata's `^` tests value ^ operand != 0.
  return compareNumber(op, value, operand, 0);
}
