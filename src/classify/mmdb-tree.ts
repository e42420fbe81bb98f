/**
 * @module
 * Reads an MMDB search tree straight from the file bytes: records of a node
 * (24, 28 or 32 bits), the IPv4 start node, and the walk of one address to
 * its terminal record. mmdb-lib does the same walk but only from address text
 * (format, split, parse per lookup: ~4 µs); walking the uint32/bytes columns
 * directly costs ~0.1 µs. The record a walk ends on is still decoded by
 * mmdb-lib, once per distinct data pointer (`mmdb-lookup.ts`).
 *
 * Semantics match mmdb-lib's `getWithPrefixLength`: IPv4 in an IPv6 tree
 * starts at the node after 96 zero bits, and `depth` is the prefix length of
 * the network the address falls in (IPv4-relative for IPv4).
 */

import { GeoDbError, GeoDbErrorCode } from './errors.js';
import type { MmdbDatabase } from './mmdb-database.js';

const IPV4_BITS = 32;
const IPV6_BITS = 128;
const IPV4_IN_IPV6_DEPTH = 96;
const DATA_SEPARATOR_BYTES = 16;

export class MmdbTree {
  readonly nodeCount: number;
  /** Node (or terminal record) where IPv4 lookups start. */
  readonly ipv4Start: number;
  /** Prefix length of the last `walk4`/`walk6`, like mmdb-lib's second tuple element. */
  depth = 0;
  private readonly b: Buffer;
  private readonly recordSize: number;
  private readonly nodeBytes: number;
  private readonly searchTreeSize: number;
  private readonly path: string;

  constructor(db: MmdbDatabase) {
    this.b = db.bytes;
    this.nodeCount = db.info.nodeCount;
    this.recordSize = db.info.recordSize;
    this.nodeBytes = this.recordSize / 4;
    this.searchTreeSize = this.nodeCount * this.nodeBytes;
    this.path = db.info.path;
    if (this.recordSize !== 24 && this.recordSize !== 28 && this.recordSize !== 32) {
      throw new GeoDbError(GeoDbErrorCode.FORMAT, `Cannot read MMDB ${this.path}: record size ${this.recordSize}`, {
        path: this.path,
      });
    }
    let start = 0;
    if (db.info.ipVersion === 6) {
      for (let d = 0; d < IPV4_IN_IPV6_DEPTH && start < this.nodeCount; d++) start = this.read(start, 0);
    }
    this.ipv4Start = start;
  }

  /** Record `side` (0 left, 1 right) of `node`. */
  read(node: number, side: number): number {
    const b = this.b;
    const at = node * this.nodeBytes;
    if (this.recordSize === 24) {
      const o = at + side * 3;
      return (b[o]! << 16) | (b[o + 1]! << 8) | b[o + 2]!;
    }
    if (this.recordSize === 28) {
      // The middle byte holds the top nibble of each record: left's high, right's low.
      const o = at + side * 4;
      const top = side === 0 ? b[at + 3]! >>> 4 : b[at + 3]! & 0x0f;
      return top * 0x100_0000 + ((b[o]! << 16) | (b[o + 1]! << 8) | b[o + 2]!);
    }
    const o = at + side * 4;
    return b[o]! * 0x100_0000 + ((b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!);
  }

  /**
   * Terminal record for the IPv4 address `addr`: above `nodeCount` a data
   * pointer, `nodeCount` itself "no data". Sets `depth`.
   */
  walk4(addr: number): number {
    const nodeCount = this.nodeCount;
    let node = this.ipv4Start;
    let depth = 0;
    for (; depth < IPV4_BITS && node < nodeCount; depth++) node = this.read(node, (addr >>> (31 - depth)) & 1);
    this.depth = depth;
    return node < nodeCount ? nodeCount : node;
  }

  /** Terminal record for the IPv6 address in the 16 bytes at `bytes[offset]`. Sets `depth`. */
  walk6(bytes: Uint8Array, offset: number): number {
    const nodeCount = this.nodeCount;
    let node = 0;
    let depth = 0;
    for (; depth < IPV6_BITS && node < nodeCount; depth++) {
      node = this.read(node, (bytes[offset + (depth >>> 3)]! >>> (7 - (depth & 7))) & 1);
    }
    this.depth = depth;
    return node < nodeCount ? nodeCount : node;
  }

  /** Throw unless the data pointer `record` points inside the file. */
  checkPointer(record: number): void {
    const offset = record - this.nodeCount - DATA_SEPARATOR_BYTES + this.searchTreeSize + DATA_SEPARATOR_BYTES;
    if (offset >= this.b.length) {
      throw new GeoDbError(
        GeoDbErrorCode.FORMAT,
        `Cannot read MMDB ${this.path}: data pointer ${record} points past the file`,
        { path: this.path },
      );
    }
  }
}
