/**
 * @module
 * Country and ASN per source address. Any MaxMind-format file works: the
 * record shape is detected once when the database opens:
 * - country: `country_code` (ip-location-db), or `country.iso_code` falling back
 *   to `registered_country.iso_code` (GeoLite2/GeoIP2 Country and City);
 * - ASN: `autonomous_system_number` (GeoLite2-ASN, GeoIP2-ISP), or
 *   `traits.autonomous_system_number`; the bundled ASN CSV is answered
 *   without an MMDB (`asn-csv.ts`).
 *
 * Columns: country as a packed uint16 (`country-code.ts`: 0 = no lookup, `ZZ` =
 * not in the database); ASN as uint32 (0 = unknown, AS0 being reserved).
 */

import type { Response } from 'mmdb-lib';
import type { PacketBatch } from '../decode/index.js';
import { COUNTRY_NONE, COUNTRY_UNKNOWN, packCountry } from './country-code.js';
import { GeoDbError, GeoDbErrorCode } from './errors.js';
import type { MmdbDatabase, MmdbInfo } from './mmdb-database.js';
import { MmdbLookup } from './mmdb-lookup.js';
import type { AddressLookup } from './address-lookup.js';
import { AsnCsvLookup } from './asn-csv.js';
import { Ipv4Ranges } from './ipv4-ranges.js';
import { isSpecialUseIpv4, SPECIAL_USE_RANGES } from './special-use.js';
import { sampleRecords } from './mmdb-walk.js';
import { ipv4Tail, isIpv4Mapped } from '../util/ip-address.js';

export const ASN_UNKNOWN = 0;
/** Records inspected to detect the shape; some networks (anonymous proxies, satellites) lack a country. */
const SHAPE_SAMPLE_RECORDS = 64;

type Rec = Record<string, unknown>;
const asRec = (v: unknown): Rec | undefined => (typeof v === 'object' && v !== null ? (v as Rec) : undefined);

export const COUNTRY_SHAPES = ['country_code', 'country.iso_code'] as const;
export type CountryShape = (typeof COUNTRY_SHAPES)[number];
export const ASN_SHAPES = ['autonomous_system_number', 'traits.autonomous_system_number'] as const;
export type AsnShape = (typeof ASN_SHAPES)[number];

function countryCodeOf(record: Rec | undefined, shape: CountryShape): string | undefined {
  if (!record) return undefined;
  if (shape === 'country_code') return typeof record['country_code'] === 'string' ? record['country_code'] : undefined;
  const iso = asRec(record['country'])?.['iso_code'] ?? asRec(record['registered_country'])?.['iso_code'];
  return typeof iso === 'string' ? iso : undefined;
}

function asnOf(record: Rec | undefined, shape: AsnShape): number | undefined {
  if (!record) return undefined;
  const holder = shape === 'autonomous_system_number' ? record : asRec(record['traits']);
  const n = holder?.['autonomous_system_number'];
  return typeof n === 'number' && Number.isInteger(n) && n > 0 && n <= 0xffff_ffff ? n : undefined;
}

function detect<S extends string>(
  db: MmdbDatabase,
  what: string,
  shapes: readonly S[],
  test: (rec: Rec, shape: S) => boolean,
): S {
  const samples = sampleRecords(db, SHAPE_SAMPLE_RECORDS)
    .map(asRec)
    .filter((r): r is Rec => r !== undefined);
  const shape = shapes.find((s) => samples.some((r) => test(r, s)));
  if (shape === undefined) {
    throw new GeoDbError(
      GeoDbErrorCode.SHAPE,
      `Cannot use MMDB ${db.info.path} (${db.info.databaseType}) for ${what}: its records have none of ${shapes.join(', ')}`,
      { path: db.info.path },
    );
  }
  return shape;
}

/** What a database contributes, for ingest to record next to the data. */
export interface GeoDbDescription extends Pick<MmdbInfo, 'path' | 'databaseType' | 'buildEpoch' | 'description'> {
  /** Attribution the licence requires, or '' when unknown (user-supplied file). */
  attribution: string;
}

export class CountryDb {
  readonly shape: CountryShape;
  readonly lookup: MmdbLookup;
  readonly attribution: string;

  constructor(
    db: MmdbDatabase,
    options: { attribution?: string; maxCacheEntries?: number; shape?: CountryShape } = {},
  ) {
    this.shape = options.shape ?? detect(db, 'countries', COUNTRY_SHAPES, (r, s) => countryCodeOf(r, s) !== undefined);
    const shape = this.shape;
    this.lookup = new MmdbLookup(db, {
      extract: (record: Response | null) => {
        const code = countryCodeOf(asRec(record), shape);
        return code === undefined ? COUNTRY_UNKNOWN : packCountry(code);
      },
      ...(options.maxCacheEntries === undefined ? {} : { maxEntries: options.maxCacheEntries }),
    });
    this.attribution = options.attribution ?? '';
  }

  get description(): GeoDbDescription {
    return { ...this.lookup.db.info, attribution: this.attribution };
  }
}

/**
 * ASN per address, from an MMDB (GeoLite2-ASN and the like) or straight from
 * the bundled ip-location-db CSV files (`asn-csv.ts`).
 */
export class AsnDb {
  readonly shape: AsnShape;
  readonly lookup: AddressLookup;
  readonly attribution: string;
  /** The CSV files answering, or the MMDB: one of the two is null. */
  readonly csv: AsnCsvLookup | null;
  readonly mmdb: MmdbDatabase | null;
  private readonly names = new Map<number, string>();

  constructor(
    source: MmdbDatabase | AsnCsvLookup,
    options: { attribution?: string; maxCacheEntries?: number; shape?: AsnShape } = {},
  ) {
    this.attribution = options.attribution ?? '';
    if (source instanceof AsnCsvLookup) {
      // The CSV's rows are GeoLite2-ASN-shaped: a number and an organisation.
      this.shape = 'autonomous_system_number';
      this.lookup = this.csv = source;
      this.mmdb = null;
      return;
    }
    this.csv = null;
    const db = (this.mmdb = source);
    this.shape = options.shape ?? detect(db, 'ASNs', ASN_SHAPES, (r, s) => asnOf(r, s) !== undefined);
    const shape = this.shape;
    this.lookup = new MmdbLookup(db, {
      extract: (record: Response | null) => {
        const rec = asRec(record);
        const asn = asnOf(rec, shape);
        if (asn === undefined) return ASN_UNKNOWN;
        const holder = shape === 'autonomous_system_number' ? rec : asRec(rec?.['traits']);
        const org = holder?.['autonomous_system_organization'];
        if (typeof org === 'string' && !this.names.has(asn)) this.names.set(asn, org);
        return asn;
      },
      ...(options.maxCacheEntries === undefined ? {} : { maxEntries: options.maxCacheEntries }),
    });
  }

  /** Organisation of an ASN seen so far: in an uncached MMDB lookup (it has no ASN → name index), or in the CSV rows read. */
  organization(asn: number): string | undefined {
    return this.csv !== null ? this.csv.organization(asn) : this.names.get(asn);
  }

  get description(): GeoDbDescription {
    const { path, databaseType, buildEpoch, description } = (this.csv ?? this.mmdb!).info;
    return { path, databaseType, buildEpoch, description, attribution: this.attribution };
  }
}

/** The databases enrichment uses; either may be absent (its column is then all 0). */
export interface GeoResolver {
  country: CountryDb | null;
  asn: AsnDb | null;
}

export interface GeoColumns {
  /** Packed country of the source address. */
  country: Uint16Array;
  /** ASN of the source address. */
  asn: Uint32Array;
}

/**
 * Fill country and ASN of the source address for packets `[0, batch.length)`.
 * Packets without an IP header get COUNTRY_NONE and ASN 0; IPv4-mapped IPv6
 * sources are looked up as IPv4; special-use IPv4 sources (private, test
 * nets, …) get COUNTRY_UNKNOWN whatever the database says (`special-use.ts`).
 * Runs of packets from one source (a scanner's burst) reuse the previous
 * answer. When both databases answer IPv4 from flattened ranges (as
 * `openGeoResolver` sets them up), one merged table answers country and ASN
 * with one search.
 */
export function fillGeo(batch: PacketBatch, target: GeoColumns & { geo: GeoResolver }): void {
  const n = batch.length;
  const { country, asn, geo } = target;
  if (country.length < n || asn.length < n) {
    throw new RangeError(
      `Cannot fill geo columns: columns hold ${Math.min(country.length, asn.length)} of ${n} packets`,
    );
  }
  const cdb = geo.country?.lookup;
  const adb = geo.asn?.lookup;
  const table = mergedIpv4(geo);
  const { ipVersion, src4, src6 } = batch;
  let lastAddr = -1;
  let lastCountry = COUNTRY_NONE;
  let lastAsn = ASN_UNKNOWN;
  for (let i = 0; i < n; i++) {
    const v = ipVersion[i];
    let addr = -1;
    if (v === 4) addr = src4[i]!;
    else if (v === 6 && isIpv4Mapped(src6, i * 16)) addr = ipv4Tail(src6, i * 16);
    if (addr >= 0) {
      if (addr !== lastAddr) {
        lastAddr = addr;
        if (table !== null) {
          const packed = table.get(addr);
          lastCountry = Math.floor(packed / TWO_32);
          lastAsn = packed - lastCountry * TWO_32;
        } else {
          lastCountry = !cdb ? COUNTRY_NONE : isSpecialUseIpv4(addr) ? COUNTRY_UNKNOWN : cdb.lookup4(addr);
          lastAsn = adb ? adb.lookup4(addr) : ASN_UNKNOWN;
        }
      }
      country[i] = lastCountry;
      asn[i] = lastAsn;
    } else if (v === 6) {
      country[i] = cdb ? cdb.lookup6(src6, i * 16) : COUNTRY_NONE;
      asn[i] = adb ? adb.lookup6(src6, i * 16) : ASN_UNKNOWN;
    } else {
      country[i] = COUNTRY_NONE;
      asn[i] = ASN_UNKNOWN;
    }
  }
}

const TWO_32 = 2 ** 32;

/**
 * The packed country `fillGeo` gives an IPv4 source, for addresses met
 * elsewhere (a backscatter victim): from the merged table when there is one,
 * so no per-database table need be read.
 */
export function ipv4CountryOf(geo: GeoResolver): (addr: number) => number {
  const cdb = geo.country?.lookup;
  if (!cdb) return () => COUNTRY_NONE;
  return (addr) => {
    const table = mergedIpv4(geo);
    if (table !== null) return Math.floor(table.get(addr) / TWO_32);
    return isSpecialUseIpv4(addr) ? COUNTRY_UNKNOWN : cdb.lookup4(addr);
  };
}
const merged = new WeakMap<
  GeoResolver,
  { country: Ipv4Ranges | undefined; asn: Ipv4Ranges | undefined; table: Ipv4Ranges }
>();

/**
 * Country × 2^32 + ASN of every IPv4 address, special-use overrides applied;
 * null unless each database present answers from ranges. Made once per
 * resolver and pair of tables.
 */
export function mergedIpv4(geo: GeoResolver): Ipv4Ranges | null {
  // Without databases every answer is "none": the caller's fallback gives it without a search per packet.
  if (geo.country === null && geo.asn === null) return null;
  const countryRanges = geo.country?.lookup.builtIpv4Ranges;
  const asnRanges = geo.asn?.lookup.builtIpv4Ranges;
  // A table given with `useMergedIpv4` stands while the databases' own tables are the ones it was given with (none, when read from a cache).
  const known = merged.get(geo);
  if (known !== undefined && known.country === countryRanges && known.asn === asnRanges) return known.table;
  if ((geo.country !== null && countryRanges === undefined) || (geo.asn !== null && asnRanges === undefined))
    return null;
  const countries =
    countryRanges === undefined
      ? Ipv4Ranges.constant(COUNTRY_NONE)
      : Ipv4Ranges.merge(countryRanges, SPECIAL_USE_RANGES, (c, special) => (special === 1 ? COUNTRY_UNKNOWN : c));
  const table = Ipv4Ranges.merge(countries, asnRanges ?? Ipv4Ranges.constant(ASN_UNKNOWN), (c, a) => c * TWO_32 + a);
  merged.set(geo, { country: countryRanges, asn: asnRanges, table });
  return table;
}

/**
 * Gives `geo` (whose databases answer from the same ranges as those `table`
 * was merged from) the merged table instead of merging again: a copy of a
 * resolver on another thread (`geo-transfer.ts`) saves the ~0.2 s merge.
 */
export function useMergedIpv4(geo: GeoResolver, table: Ipv4Ranges): void {
  merged.set(geo, { country: geo.country?.lookup.builtIpv4Ranges, asn: geo.asn?.lookup.builtIpv4Ranges, table });
}
