/**
 * @module
 * Stateful `threshold` and `detection_filter` decisions, kept across batches
 * per rule and tracked address, in packet time. As in Suricata, time is
 * counted in whole seconds: a window opens at the first match and holds
 * every match less than `seconds` later; a later match opens a new one.
 *
 * - limit: alert on the first `count` matches of each window.
 * - threshold: alert on every `count`-th match within a window.
 * - both: alert once per window, on the `count`-th match.
 * - detection_filter: alert on every match after the first `count` in the window.
 *
 * IPv4 keys live in an open-addressing table of 32-bit words, 16 bytes a
 * window (no object per tracked source: darknet scans bring millions of
 * them); IPv6 keys in a Map. A table is rebuilt with only its unexpired
 * windows when it fills, so memory follows the sources active within a
 * window, not the capture.
 */
import type { PacketBatch } from '../../decode/index.js';
import type { ThresholdSpec } from './rule-types.js';

const INITIAL_SLOTS = 1024;
/** Rebuild when more than this share of slots is taken… */
const MAX_LOAD = 0.7;
/** …into a table this full at most. */
const REBUILT_LOAD = 0.35;

/** A window: its start second and the matches it counted. */
export interface Entry {
  start: number;
  count: number;
}

/** Decides a match for a window (mutating it); `fresh` when the window is new. */
export function decide(spec: ThresholdSpec, state: Entry, now: number, fresh: boolean): boolean {
  if (fresh || now - state.start >= spec.seconds) {
    state.start = now;
    state.count = 1;
    switch (spec.type) {
      case 'limit':
        return true;
      case 'threshold':
        if (spec.count > 1) return false;
        state.count = 0;
        return true;
      case 'both':
        return spec.count === 1;
      case 'detection_filter':
        return spec.count === 0;
    }
  }
  state.count++;
  switch (spec.type) {
    case 'limit':
      return state.count <= spec.count;
    case 'threshold':
      if (state.count < spec.count) return false;
      state.count = 0;
      return true;
    case 'both':
      return state.count === spec.count;
    case 'detection_filter':
      return state.count > spec.count;
  }
}

/** Words of one window: key (two words), start second + 1 (0 marks a free slot), count. */
const HI = 0;
const LO = 1;
const START = 2;
const COUNT = 3;
const STRIDE = 4;

/** Windows keyed by two 32-bit numbers (source and/or destination IPv4, or 0). */
class NumericWindows {
  private mask = INITIAL_SLOTS - 1;
  private slots = new Uint32Array(INITIAL_SLOTS * STRIDE);
  size = 0;
  /** Scratch passed to `decide` (one object, reused). */
  private readonly state: Entry = { start: 0, count: 0 };

  allow(spec: ThresholdSpec, hi: number, lo: number, now: number): boolean {
    let at = this.find(hi, lo);
    const fresh = this.slots[at + START] === 0;
    if (fresh) {
      if (this.size + 1 > (this.mask + 1) * MAX_LOAD) {
        this.rebuild(now, spec.seconds);
        at = this.find(hi, lo);
      }
      this.slots[at + HI] = hi;
      this.slots[at + LO] = lo;
      this.size++;
    }
    const state = this.state;
    state.start = this.slots[at + START]! - 1;
    state.count = this.slots[at + COUNT]!;
    const alert = decide(spec, state, now, fresh);
    this.slots[at + START] = state.start + 1;
    this.slots[at + COUNT] = state.count;
    return alert;
  }

  /** Offset of the key's window, or of the free slot where it belongs. */
  private find(hi: number, lo: number): number {
    const slots = this.slots;
    let slot = (Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> 0) & this.mask;
    for (;;) {
      const at = slot * STRIDE;
      if (slots[at + START] === 0 || (slots[at + LO] === lo && slots[at + HI] === hi)) return at;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Keeps unexpired windows only. */
  private rebuild(now: number, seconds: number): void {
    const old = this.slots;
    const expired = (k: number): boolean => old[k + START] === 0 || now - (old[k + START]! - 1) >= seconds;
    let live = 0;
    for (let k = 0; k < old.length; k += STRIDE) if (!expired(k)) live++;
    let slots = INITIAL_SLOTS;
    while (slots * REBUILT_LOAD < live + 1) slots *= 2;
    this.mask = slots - 1;
    this.slots = new Uint32Array(slots * STRIDE);
    this.size = 0;
    for (let k = 0; k < old.length; k += STRIDE) {
      if (expired(k)) continue;
      this.slots.set(old.subarray(k, k + STRIDE), this.find(old[k + HI]!, old[k + LO]!));
      this.size++;
    }
  }
}

function ipv6Key(batch: PacketBatch, i: number, source: boolean): string {
  const column = source ? batch.src6 : batch.dst6;
  return Buffer.from(column.buffer, column.byteOffset + i * 16, 16).toString('hex');
}

interface RuleWindows {
  v4: NumericWindows;
  /** IPv6 (rare on darknets): string keys, swept when the map doubles. */
  v6: Map<string, Entry>;
  v6SweepAt: number;
}

export class ThresholdTable {
  /** Per rule index; created at a rule's first match. */
  private rules: Array<RuleWindows | undefined> = [];

  /** Records a match of rule `rule` by packet `i` and says whether it alerts. */
  allow(rule: number, spec: ThresholdSpec, batch: PacketBatch, i: number): boolean {
    const now = batch.tsSec[i]!;
    let windows = this.rules[rule];
    if (windows === undefined) {
      windows = { v4: new NumericWindows(), v6: new Map(), v6SweepAt: INITIAL_SLOTS };
      this.rules[rule] = windows;
    }
    if (spec.track === 'by_rule') return windows.v4.allow(spec, 0, 0, now);
    if (batch.ipVersion[i] === 4) {
      const src = batch.src4[i]!;
      const dst = batch.dst4[i]!;
      if (spec.track === 'by_src') return windows.v4.allow(spec, 0, src, now);
      if (spec.track === 'by_dst') return windows.v4.allow(spec, 0, dst, now);
      return windows.v4.allow(spec, src, dst, now);
    }
    const key =
      spec.track === 'by_src'
        ? ipv6Key(batch, i, true)
        : spec.track === 'by_dst'
          ? ipv6Key(batch, i, false)
          : `${ipv6Key(batch, i, true)}/${ipv6Key(batch, i, false)}`;
    let entry = windows.v6.get(key);
    const fresh = entry === undefined;
    if (entry === undefined) {
      if (windows.v6.size >= windows.v6SweepAt) {
        for (const [k, e] of windows.v6) if (now - e.start >= spec.seconds) windows.v6.delete(k);
        windows.v6SweepAt = Math.max(INITIAL_SLOTS, windows.v6.size * 2);
      }
      entry = { start: now, count: 0 };
      windows.v6.set(key, entry);
    }
    return decide(spec, entry, now, fresh);
  }

  /** Forgets all state (a new, unrelated capture). */
  clear(): void {
    this.rules = [];
  }

  /** Tracked windows across all rules (for tests and memory checks). */
  get size(): number {
    let n = 0;
    for (const windows of this.rules) if (windows !== undefined) n += windows.v4.size + windows.v6.size;
    return n;
  }
}
