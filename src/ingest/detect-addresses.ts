/**
 * @module
 * `SourceWords`: a packet's source address as one 32-bit key word for the
 * detection rollups: the IPv4 address itself, or the dense number of an IPv6
 * address interned in a 4-word table (a key then carries a flag saying
 * which). Text is made once per stored row, as in `source-rollup.ts`.
 */

import { type PacketBatch } from '../decode/index.js';
import { WordKeyTable } from '../util/word-key-table.js';
import { formatIpv4, formatIpv6 } from '../util/ip-address.js';

const IPV6_BYTES = 16;
const IPV6_WORDS = 4;
const INITIAL_V6 = 64;
const BYTE = 0xff;

export class SourceWords {
  private readonly v6 = new WordKeyTable(IPV6_WORDS, INITIAL_V6);
  private readonly v6Key = new Uint32Array(IPV6_WORDS);
  private readonly v6Bytes = new Uint8Array(IPV6_BYTES);

  /** Bytes the interned IPv6 addresses hold. */
  get bytes(): number {
    return this.v6.bytes;
  }

  /** Packet `i`'s source (or destination) as a word; the packet's IP version says how to read it back. */
  word(batch: PacketBatch, i: number, side: 'src' | 'dst' = 'src'): number {
    if (batch.ipVersion[i] !== 6) return side === 'src' ? batch.src4[i]! : batch.dst4[i]!;
    const bytes = side === 'src' ? batch.src6 : batch.dst6;
    const at = i * IPV6_BYTES;
    const k = this.v6Key;
    for (let w = 0; w < IPV6_WORDS; w++) {
      const o = at + 4 * w;
      k[w] = ((bytes[o]! << 24) | (bytes[o + 1]! << 16) | (bytes[o + 2]! << 8) | bytes[o + 3]!) >>> 0;
    }
    return this.v6.insert(k);
  }

  /** Canonical text of every interned IPv6 address, by word. */
  ipv6Texts(): string[] {
    return Array.from({ length: this.v6.size }, (_, word) => this.text(word, true));
  }

  /** Canonical text of a word from `word()`. */
  text(word: number, v6: boolean): string {
    if (!v6) return formatIpv4(word);
    const out = this.v6Bytes;
    for (let w = 0; w < IPV6_WORDS; w++) {
      const value = this.v6.word(word, w);
      out[4 * w] = value >>> 24;
      out[4 * w + 1] = (value >>> 16) & BYTE;
      out[4 * w + 2] = (value >>> 8) & BYTE;
      out[4 * w + 3] = value & BYTE;
    }
    return formatIpv6(out, 0);
  }
}
