/**
 * @module
 * A small MaxMind DB (MMDB v2.0) writer: networks go into a binary trie, values
 * into the data section (`mmdb-data.ts`), and `toBuffer()` lays out search tree,
 * 16-byte separator, data and metadata so that any MMDB reader (mmdb-lib,
 * libmaxminddb) can read it. Used to build test databases with known answers
 * (teiten reads the bundled ASN CSV as it is: `asn-csv.ts`).
 *
 * IPv4 in an IPv6 tree lives at ::a.b.c.d/96+n as the spec prescribes, and
 * (by default) ::ffff:0:0/96 is aliased to that subtree so IPv4-mapped
 * addresses answer like plain IPv4, as MaxMind's own databases do.
 *
 * Later inserts win where networks overlap. The trie is held in one Int32Array
 * (two records per node) because the ASN conversion builds millions of nodes.
 */

import { GeoDbError, GeoDbErrorCode } from './errors.js';
import { MmdbDataEncoder, MmdbTyped, type MmdbValue } from './mmdb-data.js';
import { type Cidr, parseCidr } from '../util/ip-address.js';

export type RecordSize = 24 | 28 | 32;

export interface MmdbWriterOptions {
  /** `database_type` metadata, e.g. `GeoLite2-ASN` or `teiten-test`. */
  databaseType: string;
  /** 4 or 6 (default 6: IPv4 under ::/96). */
  ipVersion?: 4 | 6;
  /** Bits per record; default the smallest of 24, 28, 32 that fits. */
  recordSize?: RecordSize;
  /** `description` metadata by language, e.g. `{ en: 'ASN from RouteViews' }`. */
  description?: Readonly<Record<string, string>>;
  languages?: readonly string[];
  /** `build_epoch` metadata (default now). */
  buildEpoch?: Date;
  /** Join sibling networks with equal values into their parent (default true). */
  mergeAdjacent?: boolean;
  /** Alias ::ffff:0:0/96 to the IPv4 subtree in an IPv6 tree (default true). */
  aliasIpv4Mapped?: boolean;
}

const DATA_SEPARATOR_BYTES = 16;
const METADATA_MARKER = Buffer.from('abcdef4d61784d696e642e636f6d', 'hex'); // "\xAB\xCD\xEFMaxMind.com"
const FORMAT_MAJOR = 2;
const FORMAT_MINOR = 0;
const IPV4_IN_IPV6_DEPTH = 96;
/** ::ffff:0:0 — 80 zero bits then 16 one bits. */
const MAPPED_DEPTH_ZEROS = 80;
const IPV6_BYTES = 16;
const RECORD_SIZES: readonly RecordSize[] = [24, 28, 32];
const INITIAL_NODES = 1 << 12;
const EMPTY = 0;

export class MmdbWriter {
  private readonly options: MmdbWriterOptions;
  private readonly ipVersion: 4 | 6;
  private readonly data = new MmdbDataEncoder();
  /** rec[2n] / rec[2n+1]: left / right record of node n. 0 empty, >0 node, <0 data at -(v+1). */
  private rec = new Int32Array(2 * INITIAL_NODES);
  private nodes = 1;
  /** Cached node at ::/96 (IPv6 trees), or -1. */
  private ipv4Node = -1;
  private finished = false;
  private readonly scratch = new Uint8Array(IPV6_BYTES);

  constructor(options: MmdbWriterOptions) {
    this.options = options;
    this.ipVersion = options.ipVersion ?? 6;
    if (this.ipVersion !== 4 && this.ipVersion !== 6)
      throw new RangeError(`Cannot write MMDB: ip_version ${String(options.ipVersion)}`);
  }

  /** Insert a network in text form: `1.0.16.0/20`, `2001:db8::/32`, or a bare address. */
  insert(cidr: string, value: MmdbValue): void {
    this.insertNetwork(parseCidr(cidr), value);
  }

  /** Insert a parsed network (low bits past the prefix are ignored). */
  insertNetwork(net: Cidr, value: MmdbValue): void {
    this.assertOpen();
    this.setPrefix(net, -(this.data.add(value) + 1));
  }

  /** Lay out the database. The writer cannot take more inserts afterwards. */
  toBuffer(): Buffer {
    this.assertOpen();
    this.finished = true;
    if (this.options.mergeAdjacent ?? true) this.mergeChildren(0);
    if (this.ipVersion === 6 && (this.options.aliasIpv4Mapped ?? true)) this.aliasMapped();
    const order = this.numberNodes();
    const nodeCount = order.length;
    const data = this.data.bytes();
    const recordSize = this.pickRecordSize(nodeCount + DATA_SEPARATOR_BYTES + data.length);
    const meta = new MmdbDataEncoder({ pointers: false });
    meta.write({
      node_count: new MmdbTyped('uint32', nodeCount),
      record_size: new MmdbTyped('uint16', recordSize),
      ip_version: new MmdbTyped('uint16', this.ipVersion),
      database_type: this.options.databaseType,
      languages: [...(this.options.languages ?? [])],
      binary_format_major_version: new MmdbTyped('uint16', FORMAT_MAJOR),
      binary_format_minor_version: new MmdbTyped('uint16', FORMAT_MINOR),
      build_epoch: new MmdbTyped(
        'uint64',
        BigInt(Math.floor((this.options.buildEpoch ?? new Date()).getTime() / 1000)),
      ),
      description: { ...(this.options.description ?? {}) },
    });
    const nodeBytes = recordSize / 4;
    const treeSize = nodeCount * nodeBytes;
    const metaBytes = meta.bytes();
    const out = Buffer.alloc(treeSize + DATA_SEPARATOR_BYTES + data.length + METADATA_MARKER.length + metaBytes.length);
    const index = new Int32Array(this.nodes).fill(-1);
    order.forEach((node, k) => {
      index[node] = k;
    });
    const value = (r: number): number =>
      r > 0 ? index[r]! : r === EMPTY ? nodeCount : nodeCount + DATA_SEPARATOR_BYTES - r - 1;
    for (let k = 0; k < nodeCount; k++) {
      const node = order[k]!;
      writeNode(out, {
        at: k * nodeBytes,
        recordSize,
        left: value(this.rec[2 * node]!),
        right: value(this.rec[2 * node + 1]!),
      });
    }
    let at = treeSize + DATA_SEPARATOR_BYTES;
    out.set(data, at);
    at += data.length;
    out.set(METADATA_MARKER, at);
    out.set(metaBytes, at + METADATA_MARKER.length);
    return out;
  }

  /** Point the prefix's record at `ref`, splitting data records on the way down. */
  private setPrefix(net: Cidr, ref: number): void {
    const addr = this.scratch;
    let prefixLen: number;
    if (net.version === 4) {
      if (net.prefixLen < 0 || net.prefixLen > 32)
        throw new RangeError(`Cannot insert IPv4 network: prefix length ${net.prefixLen}`);
      const lead = this.ipVersion === 6 ? IPV4_IN_IPV6_DEPTH / 8 : 0;
      addr.fill(0, 0, lead);
      addr[lead] = net.start >>> 24;
      addr[lead + 1] = (net.start >>> 16) & 0xff;
      addr[lead + 2] = (net.start >>> 8) & 0xff;
      addr[lead + 3] = net.start & 0xff;
      prefixLen = net.prefixLen + lead * 8;
    } else {
      if (this.ipVersion === 4) throw new RangeError('Cannot insert an IPv6 network into an IPv4 MMDB');
      if (net.prefixLen < 0 || net.prefixLen > 128)
        throw new RangeError(`Cannot insert IPv6 network: prefix length ${net.prefixLen}`);
      addr.set(net.bytes.subarray(0, IPV6_BYTES));
      prefixLen = net.prefixLen;
    }
    if (prefixLen === 0) {
      this.rec[0] = this.rec[1] = ref;
      this.ipv4Node = -1;
      return;
    }
    let node = 0;
    let d = 0;
    if (prefixLen <= IPV4_IN_IPV6_DEPTH) {
      this.ipv4Node = -1; // this insert may replace the node at ::/96
    } else if (net.version === 4) {
      node = this.ipv4Root();
      d = IPV4_IN_IPV6_DEPTH;
    }
    for (; d < prefixLen - 1; d++) {
      const slot = 2 * node + ((addr[d >> 3]! >> (7 - (d & 7))) & 1);
      let next = this.rec[slot]!;
      if (next <= 0) {
        const child = this.newNode();
        this.rec[2 * child] = this.rec[2 * child + 1] = next;
        this.rec[slot] = next = child;
      }
      node = next;
    }
    this.rec[2 * node + ((addr[d >> 3]! >> (7 - (d & 7))) & 1)] = ref;
  }

  /** The node at ::/96 in an IPv6 tree, created if needed; cached because every IPv4 insert starts there. */
  private ipv4Root(): number {
    if (this.ipv4Node >= 0) return this.ipv4Node;
    let node = 0;
    for (let d = 0; d < IPV4_IN_IPV6_DEPTH; d++) {
      let next = this.rec[2 * node]!;
      if (next <= 0) {
        const child = this.newNode();
        this.rec[2 * child] = this.rec[2 * child + 1] = next;
        this.rec[2 * node] = next = child;
      }
      node = next;
    }
    return (this.ipv4Node = node);
  }

  private assertOpen(): void {
    if (this.finished)
      throw new GeoDbError(GeoDbErrorCode.WRITER_FINISHED, 'Cannot use MMDB writer: toBuffer() already called');
  }

  private newNode(): number {
    if (2 * this.nodes >= this.rec.length) {
      const grown = new Int32Array(this.rec.length * 2);
      grown.set(this.rec);
      this.rec = grown;
    }
    return this.nodes++;
  }

  /** Post-order: a node whose two records are the same data (or both empty) becomes that record. */
  private mergeChildren(node: number): void {
    for (let side = 0; side < 2; side++) {
      const child = this.rec[2 * node + side]!;
      if (child <= 0) continue;
      this.mergeChildren(child);
      const l = this.rec[2 * child]!;
      if (l <= 0 && l === this.rec[2 * child + 1]) this.rec[2 * node + side] = l;
    }
  }

  private aliasMapped(): void {
    let ref = 0;
    let depth = 0;
    for (let node = 0; depth < IPV4_IN_IPV6_DEPTH; depth++) {
      ref = this.rec[2 * node]!;
      if (ref <= 0) break;
      node = ref;
    }
    // Empty IPv4 space: nothing to alias. A record ending by depth 80 already covers ::ffff:0:0/96.
    if (ref === EMPTY || depth < MAPPED_DEPTH_ZEROS) return;
    const mapped = new Uint8Array(IPV6_BYTES);
    mapped[10] = mapped[11] = 0xff;
    this.setPrefix({ version: 6, bytes: mapped, prefixLen: IPV4_IN_IPV6_DEPTH }, ref);
  }

  /** Breadth-first order of the reachable nodes; the alias may reach one node twice. */
  private numberNodes(): Int32Array {
    const seen = new Uint8Array(this.nodes);
    const order = new Int32Array(this.nodes);
    let count = 1;
    seen[0] = 1;
    for (let k = 0; k < count; k++) {
      const node = order[k]!;
      for (let side = 0; side < 2; side++) {
        const child = this.rec[2 * node + side]!;
        if (child > 0 && seen[child] === 0) {
          seen[child] = 1;
          order[count++] = child;
        }
      }
    }
    return order.subarray(0, count);
  }

  private pickRecordSize(maxRecord: number): RecordSize {
    const wanted = this.options.recordSize;
    const fits = (size: RecordSize): boolean => maxRecord < 2 ** size;
    if (wanted !== undefined) {
      if (!RECORD_SIZES.includes(wanted))
        throw new RangeError(`Cannot write MMDB: record size ${String(wanted)} is not 24, 28 or 32`);
      if (!fits(wanted))
        throw new RangeError(`Cannot write MMDB: record value ${maxRecord} does not fit ${wanted} bits`);
      return wanted;
    }
    const size = RECORD_SIZES.find(fits);
    if (size === undefined) throw new RangeError(`Cannot write MMDB: record value ${maxRecord} does not fit 32 bits`);
    return size;
  }
}

function writeNode(out: Buffer, node: { at: number; recordSize: RecordSize; left: number; right: number }): void {
  const { at, recordSize, left, right } = node;
  if (recordSize === 24) {
    out.writeUIntBE(left, at, 3);
    out.writeUIntBE(right, at + 3, 3);
  } else if (recordSize === 28) {
    // The middle byte holds the top nibble of each record: left's high, right's low.
    out.writeUIntBE(left & 0xff_ffff, at, 3);
    out[at + 3] = ((left >>> 24) << 4) | (right >>> 24);
    out.writeUIntBE(right & 0xff_ffff, at + 4, 3);
  } else {
    out.writeUInt32BE(left, at);
    out.writeUInt32BE(right, at + 4);
  }
}
