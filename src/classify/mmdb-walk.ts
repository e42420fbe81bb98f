/**
 * @module
 * Walks an MMDB search tree from the raw file bytes: enumerates every IPv4
 * network that has data (so the simulator can draw source addresses from a
 * country's real address space) and samples records (so `geoip.ts` can detect
 * a database's record shape). Records are still decoded by mmdb-lib — for each
 * distinct data pointer the walker asks the reader for the network's first
 * address — so there is one decoder for lookups and walks alike.
 */

import type { Response } from 'mmdb-lib';
import { GeoDbError, GeoDbErrorCode } from './errors.js';
import type { MmdbDatabase } from './mmdb-database.js';
import { MmdbTree } from './mmdb-tree.js';
import { formatIpv4, formatIpv6 } from '../util/ip-address.js';

const IPV4_BITS = 32;
const IPV6_BITS = 128;
/** Sampling stops after this many nodes even if it found fewer records. */
const SAMPLE_NODE_LIMIT = 1_000_000;

/**
 * Call `visit(start, prefixLen, pointer)` for every IPv4 network with data, in
 * address order. `pointer` is the raw record value, equal for networks that
 * share one data record.
 */
export function walkIpv4Networks(
  db: MmdbDatabase,
  visit: (start: number, prefixLen: number, pointer: number) => void,
): void {
  const tree = new MmdbTree(db);
  const { nodeCount } = tree;
  if (tree.ipv4Start >= nodeCount) {
    // The tree ends above ::/96: one record covers all of IPv4 (or none of it).
    if (tree.ipv4Start > nodeCount) visit(0, 0, tree.ipv4Start);
    return;
  }
  // Explicit stack of nodes to expand and leaves to emit. Right is pushed before
  // left so entries pop in address order; each pop pushes at most two, so the
  // stack never holds more than two entries per level.
  const cap = 2 * IPV4_BITS + 2;
  const records = new Uint32Array(cap);
  const depths = new Uint8Array(cap);
  const starts = new Float64Array(cap);
  const leaf = new Uint8Array(cap);
  records[0] = tree.ipv4Start;
  let top = 1;
  while (top > 0) {
    top--;
    const record = records[top]!;
    const depth = depths[top]!;
    const start = starts[top]!;
    if (leaf[top] === 1) {
      visit(start, depth, record);
      continue;
    }
    if (depth >= IPV4_BITS) {
      throw new GeoDbError(
        GeoDbErrorCode.FORMAT,
        `Cannot walk MMDB ${db.info.path}: IPv4 tree deeper than 32 bits at node ${record}`,
        { path: db.info.path },
      );
    }
    for (let side = 1; side >= 0; side--) {
      const child = tree.read(record, side);
      if (child === nodeCount) continue;
      if (child > nodeCount) tree.checkPointer(child);
      records[top] = child;
      depths[top] = depth + 1;
      starts[top] = start + side * 2 ** (IPV4_BITS - depth - 1);
      leaf[top] = child > nodeCount ? 1 : 0;
      top++;
    }
  }
}

/** IPv4 networks of one group (e.g. one country) for drawing addresses. */
export class Ipv4Networks {
  readonly starts: Uint32Array;
  readonly prefixLens: Uint8Array;
  /** Addresses in networks `[0, k]`, cumulative. */
  private readonly ends: Float64Array;

  constructor(starts: Uint32Array, prefixLens: Uint8Array) {
    this.starts = starts;
    this.prefixLens = prefixLens;
    this.ends = new Float64Array(starts.length);
    let sum = 0;
    for (let k = 0; k < starts.length; k++) this.ends[k] = sum += 2 ** (IPV4_BITS - prefixLens[k]!);
  }

  get count(): number {
    return this.starts.length;
  }

  /** Number of addresses in all networks. */
  get total(): number {
    return this.ends.length === 0 ? 0 : this.ends[this.ends.length - 1]!;
  }

  /** The `index`-th address (0 ≤ index < total) in address order: `addressAt(floor(random * total))` draws uniformly. */
  addressAt(index: number): number {
    if (!(index >= 0 && index < this.total))
      throw new RangeError(`Cannot pick address ${index}: ${this.total} addresses`);
    let lo = 0;
    let hi = this.ends.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ends[mid]! > index) hi = mid;
      else lo = mid + 1;
    }
    const before = lo === 0 ? 0 : this.ends[lo - 1]!;
    return (this.starts[lo]! + Math.floor(index - before)) >>> 0;
  }
}

/**
 * Group every IPv4 network with data by `key(record)`, e.g. the packed country.
 * The record of each distinct data pointer is decoded once, through mmdb-lib.
 */
export function ipv4NetworksBy(db: MmdbDatabase, key: (record: Response | null) => number): Map<number, Ipv4Networks> {
  const keyOfPointer = new Map<number, number>();
  const groups = new Map<number, { starts: number[]; lens: number[] }>();
  walkIpv4Networks(db, (start, prefixLen, pointer) => {
    let k = keyOfPointer.get(pointer);
    if (k === undefined) {
      k = key(db.reader.get(formatIpv4(start)));
      keyOfPointer.set(pointer, k);
    }
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { starts: [], lens: [] }));
    g.starts.push(start);
    g.lens.push(prefixLen);
  });
  const out = new Map<number, Ipv4Networks>();
  for (const [k, g] of groups) out.set(k, new Ipv4Networks(Uint32Array.from(g.starts), Uint8Array.from(g.lens)));
  return out;
}

/** Up to `max` records with distinct data pointers, found depth-first from the low end of the tree (IPv4 first in an IPv6 tree). */
export function sampleRecords(db: MmdbDatabase, max: number): Response[] {
  const tree = new MmdbTree(db);
  const { nodeCount, ipVersion } = db.info;
  const bits = ipVersion === 4 ? IPV4_BITS : IPV6_BITS;
  const seen = new Set<number>();
  const out: Response[] = [];
  const stack: Array<{ node: number; depth: number; start: bigint }> = [{ node: 0, depth: 0, start: 0n }];
  for (let steps = 0; stack.length > 0 && out.length < max && steps < SAMPLE_NODE_LIMIT; steps++) {
    const { node, depth, start } = stack.pop()!;
    if (depth >= bits) break;
    for (let side = 1; side >= 0; side--) {
      const record = tree.read(node, side);
      const childStart = start | (BigInt(side) << BigInt(bits - depth - 1));
      if (record < nodeCount) stack.push({ node: record, depth: depth + 1, start: childStart });
      else if (record > nodeCount && !seen.has(record)) {
        tree.checkPointer(record);
        seen.add(record);
        const rec = db.reader.get(addressText(childStart, bits));
        if (rec !== null) out.push(rec);
      }
    }
  }
  return out.slice(0, max);
}

function addressText(addr: bigint, bits: number): string {
  if (bits === IPV4_BITS) return formatIpv4(Number(addr));
  return formatIpv6(Buffer.from(addr.toString(16).padStart(32, '0'), 'hex'));
}
