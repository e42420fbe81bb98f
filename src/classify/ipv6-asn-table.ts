/**
 * @module
 * The IPv6 rows of the bundled ASN CSV as a table searched by halves, and
 * its copy in the data directory. Reading the CSV (11 MB, ~100k rows parsed
 * as 128-bit numbers) cost ~250 ms of CPU at the first IPv6 source of every
 * process; the cached table (~3.7 MB) is read and checked in a few ms.
 *
 * Addresses are kept as four 32-bit words, most significant first, so a
 * lookup compares numbers, not strings. The file is named by the CSV's
 * answers id (`geo-sources.ts`: package version, file sizes and times) and
 * this format's version; it is written to a temporary name and renamed, and
 * one that fails its checks is rebuilt and replaced, never trusted.
 */

import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { ARRAYS_AT, openSealed, seal, sealedBuffer } from './sealed-file.js';

const WORDS = 4;
const WORD_BITS = 32n;
const WORD_MASK = 0xffff_ffffn;

/** Disjoint ranges in address order: range `r`'s first and last address are words `4r … 4r + 3`. */
export interface Ipv6Table {
  readonly firsts: Uint32Array;
  readonly lasts: Uint32Array;
  readonly asns: Uint32Array;
}

/** The table of disjoint ranges given as 128-bit numbers in address order. */
export function ipv6Table(ranges: { firsts: bigint[]; lasts: bigint[]; asns: number[] }): Ipv6Table {
  const n = ranges.asns.length;
  const firsts = new Uint32Array(WORDS * n);
  const lasts = new Uint32Array(WORDS * n);
  for (let r = 0; r < n; r++) {
    putWords(firsts, r, ranges.firsts[r]!);
    putWords(lasts, r, ranges.lasts[r]!);
  }
  return { firsts, lasts, asns: Uint32Array.from(ranges.asns) };
}

function putWords(words: Uint32Array, r: number, address: bigint): void {
  for (let w = WORDS - 1, rest = address; w >= 0; w--, rest >>= WORD_BITS)
    words[WORDS * r + w] = Number(rest & WORD_MASK);
}

/** The address being looked up, as words (one lookup at a time: lookups are synchronous). */
const KEY = new Uint32Array(WORDS);

/** The ASN of the address at `bytes[offset … offset + 15]`, or `none` outside every range. */
export function lookupIpv6(table: Ipv6Table, bytes: Uint8Array, offset: number, none: number): number {
  const key = KEY;
  for (let w = 0, b = offset; w < WORDS; w++, b += 4)
    key[w] = ((bytes[b]! << 24) | (bytes[b + 1]! << 16) | (bytes[b + 2]! << 8) | bytes[b + 3]!) >>> 0;
  let lo = 0;
  let hi = table.asns.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(table.firsts, mid, key) > 0) hi = mid - 1;
    else if (compare(table.lasts, mid, key) < 0) lo = mid + 1;
    else return table.asns[mid]!;
  }
  return none;
}

/** Sign of address `r` of `words` minus `key`. */
function compare(words: Uint32Array, r: number, key: Uint32Array): number {
  for (let w = 0; w < WORDS; w++) {
    const d = words[WORDS * r + w]! - key[w]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** Bump when the file layout or the meaning of the answers changes. */
const FORMAT_VERSION = 1;
/** "TR6A". */
const KIND = { magic: 0x4136_5254, version: FORMAT_VERSION };
const HASH_CHARS = 24;
const RANGE_BYTES = 2 * WORDS * 4 + 4;

/** Where the table of the CSV answering as `answersId` is cached in `dataDir`. */
export function ipv6TablePath(dataDir: string, answersId: string): string {
  return join(dataDir, `ipv6-asn-${answersId.slice(0, HASH_CHARS)}-v${FORMAT_VERSION}.ranges`);
}

/** The table cached at `path`, or null when there is none intact (then the caller rebuilds it). */
export function readIpv6Table(path: string): Ipv6Table | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return null;
  }
  const n = openSealed(bytes, KIND, (count) => ARRAYS_AT + RANGE_BYTES * count);
  if (n === null) return null;
  const words = (at: number, count: number): Uint32Array => {
    const out = new Uint32Array(count);
    new Uint8Array(out.buffer).set(bytes.subarray(at, at + 4 * count));
    return out;
  };
  return {
    firsts: words(ARRAYS_AT, WORDS * n),
    lasts: words(ARRAYS_AT + 4 * WORDS * n, WORDS * n),
    asns: words(ARRAYS_AT + 8 * WORDS * n, n),
  };
}

/**
 * Writes `table` to `path` (sealed, `sealed-file.ts`: the first addresses'
 * words, the last addresses' words, the ASNs). Not on a big-endian machine, which rebuilds
 * the table in memory instead.
 */
export function writeIpv6Table(path: string, dataDir: string, table: Ipv6Table): void {
  if (endianness() !== 'LE') return;
  const n = table.asns.length;
  const out = sealedBuffer(KIND, n, ARRAYS_AT + RANGE_BYTES * n);
  let at = ARRAYS_AT;
  for (const words of [table.firsts, table.lasts, table.asns]) {
    out.set(new Uint8Array(words.buffer, words.byteOffset, words.byteLength), at);
    at += words.byteLength;
  }
  seal(out);
  mkdirSync(dataDir, { recursive: true });
  const tmp = `${path}.${randomUUID()}.tmp`;
  writeFileSync(tmp, out);
  renameSync(tmp, path);
}
