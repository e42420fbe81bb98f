/**
 * @module
 * Cached numeric lookups: an address (uint32, or 16 bytes) to one number such
 * as a packed country or an ASN.
 *
 * Path of a lookup: (1) the network cache; (2) on a miss, `MmdbTree` walks the
 * search tree from the raw bytes to the terminal record and the network's
 * prefix length; (3) the record's number comes from a per-pointer table, and
 * only the first time a data pointer is met is the record decoded — by
 * mmdb-lib, from the same address — and turned into a number by `extract`.
 * So every record is decoded by mmdb-lib, whoever supplied the file.
 *
 * Network cache: an IPv4 answer whose network is /24 or wider is stored under
 * the /24 (exact for every address in it, as the whole /24 lies in that
 * network); a narrower network is stored per address. Both IPv4 caches are
 * two-way set-associative tables in a Float64Array (a hit costs a few tens
 * of ns and never allocates; a Map of 50k entries cost ~100 ns and more once
 * it outgrows the CPU caches, and bounding it cost more again).
 * IPv6 works the same with /48 (48 bits still fit a double exactly) and per
 * address, in two-generation Maps: when the young Map fills it becomes the
 * old one and the previous old one is dropped; a hit in the old one moves up
 * (deleting Map entries one by one degrades badly in V8).
 */

import type { Response } from 'mmdb-lib';
import type { AddressLookup } from './address-lookup.js';
import type { MmdbDatabase } from './mmdb-database.js';
import { Ipv4Ranges } from './ipv4-ranges.js';
import { MmdbTree } from './mmdb-tree.js';
import { walkIpv4Networks } from './mmdb-walk.js';
import { formatIpv4, formatIpv6 } from '../util/ip-address.js';

/** Slots of the IPv4 /24 cache; the per-address cache gets 1/8 of it. */
export const DEFAULT_CACHE_ENTRIES = 1 << 18;
/** Entries of each IPv6 cache (IPv6 sources are rare on a darknet). */
const IPV6_CACHE_ENTRIES = 1 << 16;
/** 2^32 / golden ratio: multiplicative hashing spreads neighbouring /24s over the table. */
const GOLDEN = 0x9e37_79b1;
const HOST_CACHE_FRACTION_BITS = 3;

const IPV4_BITS = 32;
const NET4_BITS = 24;
const NET4_SHIFT = 32 - NET4_BITS;
const NET6_BITS = 48;
const TWO_16 = 0x1_0000;
/** Distinct data records remembered; a database has far fewer (≈250 countries, ≈90k ASN records). */
const MAX_POINTERS = 1 << 21;

/** Turns a record (or null: address not in the database) into the cached number. */
export type RecordExtractor = (record: Response | null) => number;

/** Hit/miss counters, for measuring; not needed for correctness. */
export interface LookupStats {
  hits: number;
  misses: number;
}

/**
 * Two-way set-associative cache from a uint32 key to a uint32 value in one
 * typed array: a hit is a multiply, a shift and a compare or two within one
 * cache line, with no allocation. A new key goes into the first way and pushes
 * the previous occupant into the second, so a set keeps its two latest keys.
 */
class SetCache {
  /** Per set: key0, value0, key1, value1. */
  private readonly table: Float64Array;
  private readonly shift: number;

  /** `bits`: log2 of the entries (two per set). */
  constructor(bits: number) {
    this.table = new Float64Array(2 << bits).fill(-1);
    this.shift = 32 - (bits - 1);
  }

  /** The cached value, or -1. */
  get(key: number): number {
    const t = this.table;
    const at = (Math.imul(key, GOLDEN) >>> this.shift) << 2;
    if (t[at] === key) return t[at + 1]!;
    return t[at + 2] === key ? t[at + 3]! : -1;
  }

  set(key: number, value: number): void {
    const t = this.table;
    const at = (Math.imul(key, GOLDEN) >>> this.shift) << 2;
    t[at + 2] = t[at]!;
    t[at + 3] = t[at + 1]!;
    t[at] = key;
    t[at + 1] = value;
  }
}

/** Two-generation bounded Map for IPv6 keys (see module comment). */
class GenerationCache<K> {
  private young = new Map<K, number>();
  private old = new Map<K, number>();
  constructor(private readonly half: number) {}

  get(key: K): number | undefined {
    const v = this.young.get(key);
    if (v !== undefined) return v;
    const o = this.old.get(key);
    if (o !== undefined) this.set(key, o);
    return o;
  }

  set(key: K, value: number): void {
    if (this.young.size >= this.half) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }
}

export class MmdbLookup implements AddressLookup {
  readonly db: MmdbDatabase;
  readonly stats: LookupStats = { hits: 0, misses: 0 };
  private readonly extract: RecordExtractor;
  private readonly notFound: number;
  private readonly byPointer = new Map<number, number>();
  /**
   * The tree and the IPv4 caches are made on the first lookup that needs
   * them: with cached IPv4 ranges most runs never do, and making them reads
   * the whole file and fills megabytes (~60 ms of a one-packet ingest).
   */
  private treeMade: MmdbTree | undefined;
  private caches4: { net: SetCache; host: SetCache } | undefined;
  private readonly cacheBits: number;
  private readonly net6: GenerationCache<number>;
  private readonly host6: GenerationCache<string>;
  /** An IPv4-only database holds no IPv6: answer "not found" without walking. */
  private readonly v4Only: boolean;
  private ranges4: Ipv4Ranges | undefined;

  constructor(db: MmdbDatabase, options: { extract: RecordExtractor; maxEntries?: number }) {
    this.db = db;
    this.extract = options.extract;
    this.notFound = options.extract(null);
    const max = options.maxEntries ?? DEFAULT_CACHE_ENTRIES;
    if (!(max >= 1 && max <= 2 ** 30)) throw new RangeError(`Cannot create lookup cache of ${max} entries`);
    this.cacheBits = Math.max(HOST_CACHE_FRACTION_BITS + 1, Math.ceil(Math.log2(max)));
    this.net6 = new GenerationCache(IPV6_CACHE_ENTRIES / 2);
    this.host6 = new GenerationCache(IPV6_CACHE_ENTRIES / 2);
    this.v4Only = db.info.ipVersion === 4;
  }

  /** Answer for the IPv4 address `addr` (uint32). */
  lookup4(addr: number): number {
    if (this.ranges4 !== undefined) return this.ranges4.get(addr);
    const netKey = addr >>> NET4_SHIFT;
    const caches = (this.caches4 ??= {
      net: new SetCache(this.cacheBits),
      host: new SetCache(this.cacheBits - HOST_CACHE_FRACTION_BITS),
    });
    let v = caches.net.get(netKey);
    if (v < 0) v = caches.host.get(addr);
    if (v >= 0) {
      this.stats.hits++;
      return v;
    }
    this.stats.misses++;
    const record = this.tree.walk4(addr);
    v = this.answer(record, addr, null, 0);
    if (this.tree.depth <= NET4_BITS) caches.net.set(netKey, v);
    else caches.host.set(addr, v);
    return v;
  }

  /** Answer for the IPv6 address in the 16 bytes at `bytes[offset]`. */
  lookup6(bytes: Uint8Array, offset: number): number {
    if (this.v4Only) return this.notFound;
    const hi =
      ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;
    const netKey = hi * TWO_16 + ((bytes[offset + 4]! << 8) | bytes[offset + 5]!);
    let v = this.net6.get(netKey);
    let text: string | undefined;
    if (v === undefined) {
      text = formatIpv6(bytes, offset);
      v = this.host6.get(text);
    }
    if (v !== undefined) {
      this.stats.hits++;
      return v;
    }
    this.stats.misses++;
    const record = this.tree.walk6(bytes, offset);
    v = this.answer(record, 0, bytes, offset);
    if (this.tree.depth <= NET6_BITS) this.net6.set(netKey, v);
    else this.host6.set(text!, v);
    return v;
  }

  /**
   * Every IPv4 answer as ranges (`ipv4-ranges.ts`), built on first use by one
   * walk of the IPv4 tree, each data record decoded once as in a lookup.
   */
  ipv4Ranges(): Ipv4Ranges {
    this.ranges4 ??= Ipv4Ranges.build(this.notFound, (sink) => {
      walkIpv4Networks(this.db, (start, prefixLen, pointer) => {
        sink.add(start, 2 ** (IPV4_BITS - prefixLen), this.answer(pointer, start, null, 0));
      });
    });
    return this.ranges4;
  }

  /** The IPv4 ranges lookups use, if built or given. */
  get builtIpv4Ranges(): Ipv4Ranges | undefined {
    return this.ranges4;
  }

  /** Answers IPv4 lookups from `ranges` (this database's, e.g. read back from a cache) instead of the tree. */
  useIpv4Ranges(ranges: Ipv4Ranges): void {
    this.ranges4 = ranges;
  }

  /** The database's SHA-256: the answers change only with the file. */
  get answersId(): string {
    return this.db.digest;
  }

  /** Answer for an address in text form, straight through mmdb-lib (CLI, tests); not cached. */
  lookupText(address: string): number {
    return this.extract(this.db.reader.get(address));
  }

  /** The number this lookup makes of a record (as from `reader.get`). */
  extractRecord(record: Response | null): number {
    return this.extract(record);
  }

  private get tree(): MmdbTree {
    return (this.treeMade ??= new MmdbTree(this.db));
  }

  /** Number for a terminal record; decodes through mmdb-lib the first time a pointer is seen. */
  private answer(record: number, addr4: number, bytes6: Uint8Array | null, offset: number): number {
    if (record <= this.tree.nodeCount) return this.notFound;
    let v = this.byPointer.get(record);
    if (v === undefined) {
      this.tree.checkPointer(record);
      const text = bytes6 === null ? formatIpv4(addr4) : formatIpv6(bytes6, offset);
      v = this.extract(this.db.reader.get(text));
      if (this.byPointer.size >= MAX_POINTERS) this.byPointer.clear();
      this.byPointer.set(record, v);
    }
    return v;
  }
}
