/**
 * @module
 * Converts the ip-location-db ASN CSV files (`start,end,asn,org` with inclusive
 * ranges; numeric `asn-ipv4-num.csv`/`asn-ipv6-num.csv` or textual
 * `asn-ipv4.csv`/`asn-ipv6.csv`) into a GeoLite2-ASN-shaped MMDB:
 * `{ autonomous_system_number, autonomous_system_organization }`, the record
 * shape of MaxMind's GeoLite2-ASN, so the same reader code serves both.
 */

import { readFile } from 'node:fs/promises';
import { GeoDbError, GeoDbErrorCode } from './errors.js';
import type { MmdbValue } from './mmdb-data.js';
import { MmdbWriter } from './mmdb-writer.js';
import { parseIpv4, parseIpv6 } from '../util/ip-address.js';

/** Records are shaped like GeoLite2-ASN; the type names teiten, as GeoIP/GeoLite names are MaxMind's. */
export const ASN_DATABASE_TYPE = 'teiten-ASN';

export interface AsnCsvSources {
  /** IPv4 CSV path (numeric or dotted addresses). */
  ipv4?: string;
  /** IPv6 CSV path (numeric or textual addresses). */
  ipv6?: string;
}

export interface AsnConvertOptions {
  /** `build_epoch` of the output (default now): the date of the source data. */
  buildEpoch?: Date;
  /** English `description` metadata. */
  description?: string;
}

/** Counts from a conversion, for logs and the report's data notes. */
export interface AsnConvertResult {
  mmdb: Buffer;
  rows: number;
  distinctAsns: number;
}

const MAX_UINT32 = 0xffff_ffff;

/** Build the MMDB from the CSV files. Throws `GeoDbError` (READ, CSV_ROW) naming file and line. */
export async function convertAsnCsv(
  sources: AsnCsvSources,
  options: AsnConvertOptions = {},
): Promise<AsnConvertResult> {
  const writer = new MmdbWriter({
    databaseType: ASN_DATABASE_TYPE,
    ipVersion: 6,
    languages: ['en'],
    description: { en: options.description ?? 'ASN by IP range' },
    buildEpoch: options.buildEpoch ?? new Date(),
  });
  // One value object per (asn, org) so the writer dedupes by identity, not by
  // content. Most ASNs have one organisation, so look up by number first.
  const byAsn = new Map<number, { org: string; value: MmdbValue }>();
  const byAsnOrg = new Map<string, MmdbValue>();
  let rows = 0;
  for (const [path, v6] of [
    [sources.ipv4, false],
    [sources.ipv6, true],
  ] as const) {
    if (path === undefined) continue;
    const text = await readText(path);
    rows += eachRow(text, path, (row) => {
      const first = byAsn.get(row.asn);
      let value = first?.org === row.org ? first.value : byAsnOrg.get(`${row.asn}\t${row.org}`);
      if (value === undefined) {
        value =
          row.org === ''
            ? { autonomous_system_number: row.asn }
            : { autonomous_system_number: row.asn, autonomous_system_organization: row.org };
        if (first === undefined) byAsn.set(row.asn, { org: row.org, value });
        else byAsnOrg.set(`${row.asn}\t${row.org}`, value);
      }
      if (v6) writer.insertRange6({ first: toBigint6(row.first, row), last: toBigint6(row.last, row) }, value);
      else writer.insertRange4({ first: toUint32(row.first, row), last: toUint32(row.last, row) }, value);
    });
  }
  return { mmdb: writer.toBuffer(), rows, distinctAsns: byAsn.size };
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new GeoDbError(GeoDbErrorCode.READ, `Cannot read ASN CSV ${path}: ${(cause as Error).message}`, {
      path,
      cause,
    });
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

function rowError(row: { path: string; line: number }, what: string): GeoDbError {
  return new GeoDbError(GeoDbErrorCode.CSV_ROW, `Cannot parse ASN CSV ${row.path} line ${row.line}: ${what}`, {
    path: row.path,
  });
}

/** Call `fn` per data row; returns the row count. Blank lines are skipped. */
function eachRow(text: string, path: string, fn: (row: Row) => void): number {
  let count = 0;
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
    count++;
  }
  return count;
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
