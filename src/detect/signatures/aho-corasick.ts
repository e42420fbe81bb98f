/**
 * @module
 * Aho–Corasick multi-pattern prefilter: one pass over a payload finds every
 * rule whose fast pattern occurs in it, whatever the number of rules.
 *
 * Patterns are ASCII-folded, and so is the scanned text (through the byte
 * class table), so one automaton serves `nocase` and case-sensitive
 * patterns alike; the rule check that follows compares exact bytes. The
 * automaton is a full DFA over byte classes (bytes that occur in no pattern
 * share class 0), so the scan is one table read per payload byte: entries
 * hold the next state's row offset, negated (minus one) when that state has
 * outputs, so the common no-output step costs no further load. At the root,
 * a table of the two-byte pattern starts skips every byte where no pattern
 * can begin, with one load (most bytes of most payloads).
 */
import { FOLD } from './content-bytes.js';

export class AhoCorasick {
  /** Number of patterns. */
  readonly size: number;
  /** Number of states. */
  readonly states: number;
  /** Byte → class (ASCII-folded). */
  readonly classOf: Uint16Array;
  readonly classes: number;
  /** Row offset (state * classes) of the next state, or -(offset + 1) when it has outputs. */
  readonly delta: Int32Array;
  /** Outputs of state s: `outList[outStart[s] .. outStart[s+1])`, pattern ids. */
  readonly outStart: Int32Array;
  readonly outList: Int32Array;
  /**
   * 1 at `(b0 << 8) | b1` when a pattern starts with those two bytes (either
   * case), or is the single byte b0: elsewhere no pattern begins at b0.
   */
  readonly pairStarts: Uint8Array;

  /** `patterns[id]` is matched as pattern `id`; each must be non-empty. */
  constructor(patterns: readonly Uint8Array[]) {
    this.size = patterns.length;
    const folded = patterns.map((p) => {
      if (p.length === 0) throw new RangeError('Cannot build a pattern matcher: empty pattern');
      return p.map((b) => FOLD[b]!);
    });
    this.classOf = new Uint16Array(256);
    let classes = 1;
    for (const p of folded) {
      for (const b of p) if (this.classOf[b] === 0) this.classOf[b] = classes++;
    }
    for (let b = 0; b < 256; b++) this.classOf[b] = this.classOf[FOLD[b]!]!;
    this.classes = classes;

    // Trie: -1 marks a missing edge until the breadth-first pass fills it.
    let maxStates = 1;
    for (const p of folded) maxStates += p.length;
    const delta = new Int32Array(maxStates * classes).fill(-1);
    const own: number[][] = [[]];
    let states = 1;
    folded.forEach((p, id) => {
      let s = 0;
      for (const b of p) {
        const at = s * classes + this.classOf[b]!;
        if (delta[at] === -1) {
          delta[at] = states++;
          own.push([]);
        }
        s = delta[at]!;
      }
      own[s]!.push(id);
    });

    const fail = new Int32Array(states);
    const outputs: number[][] = own.map((list) => [...list]);
    const queue: number[] = [];
    for (let c = 0; c < classes; c++) {
      const t = delta[c]!;
      if (t === -1) delta[c] = 0;
      else if (t !== 0) {
        fail[t] = 0;
        queue.push(t);
      }
    }
    for (let head = 0; head < queue.length; head++) {
      const s = queue[head]!;
      for (let c = 0; c < classes; c++) {
        const at = s * classes + c;
        const t = delta[at]!;
        const viaFail = delta[fail[s]! * classes + c]!;
        if (t === -1) {
          delta[at] = viaFail;
          continue;
        }
        fail[t] = viaFail;
        if (outputs[viaFail]!.length > 0) outputs[t]!.push(...outputs[viaFail]!);
        queue.push(t);
      }
    }
    this.states = states;
    this.delta = delta.slice(0, states * classes);
    for (let k = 0; k < this.delta.length; k++) {
      const t = this.delta[k]!;
      this.delta[k] = outputs[t]!.length > 0 ? -(t * classes) - 1 : t * classes;
    }
    this.pairStarts = pairStarts(folded);
    this.outStart = new Int32Array(states + 1);
    let total = 0;
    for (let s = 0; s < states; s++) {
      this.outStart[s] = total;
      total += outputs[s]!.length;
    }
    this.outStart[states] = total;
    this.outList = new Int32Array(total);
    outputs.forEach((list, s) => this.outList.set(list, this.outStart[s]!));
  }

  /**
   * Scans `data[start, end)` and calls `hit(patternId)` for every occurrence
   * (a pattern found twice is reported twice; callers deduplicate). The
   * signature engine runs the same loop inline over the public tables.
   */
  scan(data: Uint8Array, start: number, end: number, hit: (pattern: number) => void): void {
    const { classOf, classes, delta, outStart, outList, pairStarts } = this;
    let row = 0;
    for (let i = start; i < end; i++) {
      if (row === 0) {
        while (i + 1 < end && pairStarts[(data[i]! << 8) | data[i + 1]!] === 0) i++;
      }
      row = delta[row + classOf[data[i]!]!]!;
      if (row < 0) {
        row = -row - 1;
        const state = row / classes;
        const to = outStart[state + 1]!;
        for (let k = outStart[state]!; k < to; k++) hit(outList[k]!);
      }
    }
  }
}

/** Raw bytes whose ASCII fold is `b` (one or two of them). */
function unfold(b: number): number[] {
  return b >= 0x61 && b <= 0x7a ? [b, b - 0x20] : [b];
}

function pairStarts(folded: readonly Uint8Array[]): Uint8Array {
  const table = new Uint8Array(0x10000);
  for (const p of folded) {
    for (const b0 of unfold(p[0]!)) {
      if (p.length === 1) table.fill(1, b0 << 8, (b0 << 8) + 0x100);
      else for (const b1 of unfold(p[1]!)) table[(b0 << 8) | b1] = 1;
    }
  }
  return table;
}
