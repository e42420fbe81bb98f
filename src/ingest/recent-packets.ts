/**
 * @module
 * `RecentPackets`: exact "was this packet among the last N?" for copies of
 * one frame inside a capture. Copies carry the same timestamp, so only
 * packets with the packet's own timestamp need a full comparison:
 *
 * - a ring holds the identities (`packet-identity.ts`) of the last N packets;
 * - an index maps a hash of the timestamp to the newest ring position with
 *   that hash, and each position links to the previous one with the same
 *   hash, so following the chain visits every packet in the window that may
 *   share the timestamp (usually none or one) and nothing else;
 * - a chain ends at a position older than N packets, so the ring can be
 *   overwritten without cleaning up.
 *
 * Per packet that is one write of its identity into the ring, a 2-word hash
 * and one index probe: no probing of a large table, no allocation.
 */

import { PACKET_KEY_WORDS } from './packet-identity.js';

/** Index slots per ring position: short chains of unrelated timestamps. */
const INDEX_SLOTS_PER_PACKET = 4;
const NONE = -1;
const MIX_1 = 0x9e3779b1;
const MIX_2 = 0x85ebca6b;

export class RecentPackets {
  /** Ring capacity: how many recent packets are remembered. */
  readonly window: number;
  /** Ring of identities; the caller fills `keyAt(next)` before `check()`. */
  readonly ring: Uint32Array;
  /** Per position: sequence number of the previous packet with the same timestamp hash. */
  private readonly prevSeq: Float64Array;
  private readonly index: Float64Array;
  private readonly indexMask: number;
  /** Sequence number of the next packet (its ring position is `seq % window`). */
  private seq = 0;

  constructor(window: number) {
    if (!Number.isSafeInteger(window) || window < 1)
      throw new RangeError(`Cannot remember recent packets: window is ${window}`);
    this.window = window;
    this.ring = new Uint32Array(window * PACKET_KEY_WORDS);
    this.prevSeq = new Float64Array(window).fill(NONE);
    let slots = 1;
    while (slots < window * INDEX_SLOTS_PER_PACKET) slots *= 2;
    this.index = new Float64Array(slots).fill(NONE);
    this.indexMask = slots - 1;
  }

  /** Word offset in `ring` where the next packet's identity goes. */
  get nextOffset(): number {
    return (this.seq % this.window) * PACKET_KEY_WORDS;
  }

  /**
   * The identity at `nextOffset` is the next packet: true when an identical
   * one is among the last `window` packets (the packet is then not kept, so
   * a third copy still matches the first); otherwise it is kept.
   */
  check(): boolean {
    const ring = this.ring;
    const at = this.nextOffset;
    const slot = (Math.imul(Math.imul(ring[at]!, MIX_1) ^ ring[at + 1]!, MIX_2) >>> 0) & this.indexMask;
    const oldest = this.seq - this.window;
    for (let s = this.index[slot]!; s > oldest && s >= 0; s = this.prevSeq[s % this.window]!) {
      if (sameIdentity(ring, (s % this.window) * PACKET_KEY_WORDS, at)) return true;
    }
    const position = this.seq % this.window;
    this.prevSeq[position] = this.index[slot]!;
    this.index[slot] = this.seq;
    this.seq++;
    return false;
  }
}

function sameIdentity(ring: Uint32Array, a: number, b: number): boolean {
  for (let w = 0; w < PACKET_KEY_WORDS; w++) if (ring[a + w] !== ring[b + w]) return false;
  return true;
}
