/**
 * @module
 * The ip-location-db ASN CSV files (`first,last,asn,org`, inclusive ranges in
 * ascending order; numeric `asn-ipv4-num.csv`/`asn-ipv6-num.csv` or textual
 * `asn-ipv4.csv`/`asn-ipv6.csv`) answered as they are: the IPv4 rows become
 * an `Ipv4Ranges` table and the IPv6 rows a sorted array searched by halves,
 * with no MMDB in between. Each file is read on the first lookup that needs
 * it (an ingest answered from the cached merged IPv4 table reads neither;
 * the IPv4 file, 21 MB, takes ~0.3 s); given a data directory, the IPv6
 * table is kept there once made (`ipv6-asn-table.ts`).
 *
 * Rows must come in order of their first address, but a row may overlap the
 * rows before it (the npm data of June 2026 has one: a DoD block in IPv4):
 * the later row takes the addresses it covers, as in an MMDB built row by
 * row, which is how teiten read these files before.
 */

import { readFileSync } from 'node:fs';
import { GeoDbError, GeoDbErrorCode } from './errors.js';
import { Ipv4Ranges } from './ipv4-ranges.js';
import {
  ipv6Table,
  ipv6TablePath,
  lookupIpv6,
  readIpv6Table,
  writeIpv6Table,
  type Ipv6Table,
} from './ipv6-asn-table.js';
import { parseIpv4, parseIpv6 } from '../util/ip-address.js';

/** No ASN (AS0 is reserved), as `geoip.ts` `ASN_UNKNOWN`. */
const NO_ASN = 0;
const MAX_UINT32 = 0xffff_ffff;

export interface AsnCsvSources {
  /** IPv4 CSV path (numeric or dotted addresses). */
  ipv4: string;
  /** IPv6 CSV path (numeric or textual addresses). */
  ipv6: string;
}

/** What the files are, for ingest to record and the report to cite. */
export interface AsnCsvInfo {
  /** The IPv4 file (named in records and warnings). */
  path: string;
  databaseType: string;
  /** Date of the data. */
  buildEpoch: Date;
  description: string;
}

/** Answers from the CSV files: an `AddressLookup` (`address-lookup.ts`). */
export class AsnCsvLookup {
  readonly sources: AsnCsvSources;
  readonly info: AsnCsvInfo;
  readonly answersId: string;
  /** Where the IPv6 table is kept between runs; none: read from the CSV by every process. */
  readonly dataDir: string | undefined;
  private ranges4: Ipv4Ranges | undefined;
  private table6: Ipv6Table | undefined;
  private readonly names = new Map<number, string>();

  /** `answersId` names the answers (cached tables made from them): it must change when the files do. */
  constructor(sources: AsnCsvSources, info: AsnCsvInfo, answersId: string, options: { dataDir?: string } = {}) {
    this.sources = sources;
    this.info = info;
    this.answersId = answersId;
    this.dataDir = options.dataDir;
  }

  lookup4(addr: number): number {
    return this.ipv4Ranges().get(addr);
  }

  lookup6(bytes: Uint8Array, offset: number): number {
    return lookupIpv6((this.table6 ??= this.ipv6Table()), bytes, offset, NO_ASN);
  }

  ipv4Ranges(): Ipv4Ranges {
    return (this.ranges4 ??= readIpv4(this.sources.ipv4, this.names));
  }

  get builtIpv4Ranges(): Ipv4Ranges | undefined {
    return this.ranges4;
  }

  useIpv4Ranges(ranges: Ipv4Ranges): void {
    this.ranges4 = ranges;
  }

  /** The IPv6 table from the data directory, or read from the CSV (and then kept there). */
  private ipv6Table(): Ipv6Table {
    const path = this.dataDir === undefined ? undefined : ipv6TablePath(this.dataDir, this.answersId);
    const cached = path === undefined ? null : readIpv6Table(path);
    if (cached !== null) return cached;
    const table = readIpv6(this.sources.ipv6, this.names);
    try {
      if (path !== undefined) writeIpv6Table(path, this.dataDir!, table);
    } catch {
      // Only the next process's time is lost: this lookup runs mid-ingest, and a data directory it cannot write must not fail it.
    }
    return table;
  }

  /** Organisation of `asn` in the rows read so far (none from a cached table). */
  organization(asn: number): string | undefined {
    return this.names.get(asn);
  }
}

interface Row {
  first: string;
  last: string;
  asn: number;
  org: string;
  path: string;
  line: number;
}

/**
 * Disjoint ranges in address order, each later row laid over the earlier
 * ones it overlaps (they are cut around it). Rows must not start before the
 * previous row's start.
 */
class RangeOverlay<T extends number | bigint> {
  readonly firsts: T[] = [];
  readonly lasts: T[] = [];
  readonly asns: number[] = [];
  private lastStart: T | undefined;

  constructor(private readonly step: { next: (x: T) => T; prev: (x: T) => T }) {}

  add(first: T, last: T, asn: number, row: Row): void {
    if (last < first) throw rowError(row, `range ends (${row.last}) before it starts (${row.first})`);
    if (this.lastStart !== undefined && first < this.lastStart)
      throw rowError(row, `range starts (${row.first}) before the previous row's start`);
    this.lastStart = first;
    const { firsts, lasts, asns } = this;
    const after: [T, T, number][] = [];
    while (lasts.length > 0 && lasts[lasts.length - 1]! >= first) {
      const s = firsts.pop()!;
      const e = lasts.pop()!;
      const a = asns.pop()!;
      if (e > last) after.unshift([s > last ? s : this.step.next(last), e, a]);
      if (s < first) {
        this.push(s, this.step.prev(first), a);
        break;
      }
    }
    this.push(first, last, asn);
    for (const [s, e, a] of after) this.push(s, e, a);
  }

  private push(first: T, last: T, asn: number): void {
    this.firsts.push(first);
    this.lasts.push(last);
    this.asns.push(asn);
  }
}

function readIpv4(path: string, names: Map<number, string>): Ipv4Ranges {
  const text = readText(path);
  const rows = new RangeOverlay<number>({ next: (x) => x + 1, prev: (x) => x - 1 });
  eachRow(text, path, (row) => {
    name(names, row);
    rows.add(toUint32(row.first, row), toUint32(row.last, row), row.asn, row);
  });
  return Ipv4Ranges.build(NO_ASN, (sink) => {
    for (let r = 0; r < rows.asns.length; r++) {
      const first = rows.firsts[r]!;
      if (rows.asns[r] !== NO_ASN) sink.add(first, rows.lasts[r]! - first + 1, rows.asns[r]!);
    }
  });
}

function readIpv6(path: string, names: Map<number, string>): Ipv6Table {
  const text = readText(path);
  const rows = new RangeOverlay<bigint>({ next: (x) => x + 1n, prev: (x) => x - 1n });
  eachRow(text, path, (row) => {
    name(names, row);
    rows.add(toBigint6(row.first, row), toBigint6(row.last, row), row.asn, row);
  });
  return ipv6Table(rows);
}

function name(names: Map<number, string>, row: Row): void {
  if (row.org !== '' && !names.has(row.asn)) names.set(row.asn, row.org);
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    throw new GeoDbError(GeoDbErrorCode.READ, `Cannot read ASN CSV ${path}: ${(cause as Error).message}`, {
      path,
      cause,
    });
  }
}

function rowError(row: { path: string; line: number }, what: string): GeoDbError {
  return new GeoDbError(GeoDbErrorCode.CSV_ROW, `Cannot parse ASN CSV ${row.path} line ${row.line}: ${what}`, {
    path: row.path,
  });
}

/** Call `fn` per data row. Blank lines are skipped. */
function eachRow(text: string, path: string, fn: (row: Row) => void): void {
  let line = 0;
  for (let at = 0; at < text.length;) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    line++;
    const raw = text.charCodeAt(end - 1) === 0x0d ? text.slice(at, end - 1) : text.slice(at, end);
    at = end + 1;
    if (raw === '') continue;
    const c1 = raw.indexOf(',');
    const c2 = raw.indexOf(',', c1 + 1);
    const c3 = raw.indexOf(',', c2 + 1);
    if (c1 < 0 || c2 < 0) throw rowError({ path, line }, 'fewer than 3 fields');
    const asnText = c3 < 0 ? raw.slice(c2 + 1) : raw.slice(c2 + 1, c3);
    const asn = Number(asnText);
    if (!/^\d+$/.test(asnText) || asn > MAX_UINT32) throw rowError({ path, line }, `ASN "${asnText}" is not a uint32`);
    fn({
      first: raw.slice(0, c1),
      last: raw.slice(c1 + 1, c2),
      asn,
      org: c3 < 0 ? '' : unquote(raw.slice(c3 + 1), { path, line }),
      path,
      line,
    });
  }
}

/** A CSV field: bare, or in double quotes with `""` for a quote. */
function unquote(field: string, at: { path: string; line: number }): string {
  if (!field.startsWith('"')) return field;
  if (field.length < 2 || !field.endsWith('"')) throw rowError(at, 'unterminated quoted field');
  return field.slice(1, -1).replaceAll('""', '"');
}

function toUint32(text: string, row: Row): number {
  if (text.includes('.')) {
    try {
      return parseIpv4(text);
    } catch {
      throw rowError(row, `"${text}" is not an IPv4 address`);
    }
  }
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > MAX_UINT32) throw rowError(row, `"${text}" is not an IPv4 number`);
  return n;
}

function toBigint6(text: string, row: Row): bigint {
  if (text.includes(':')) {
    try {
      return BigInt(`0x${Buffer.from(parseIpv6(text)).toString('hex')}`);
    } catch {
      throw rowError(row, `"${text}" is not an IPv6 address`);
    }
  }
  if (!/^\d+$/.test(text)) throw rowError(row, `"${text}" is not an IPv6 number`);
  const n = BigInt(text);
  if (n >= 1n << 128n) throw rowError(row, `"${text}" is above 2^128`);
  return n;
}
