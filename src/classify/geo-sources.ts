/**
 * @module
 * Where the GeoIP databases come from: the bundled country MMDB
 * (`@ip-location-db/geo-whois-asn-country-mmdb`), the bundled ASN CSV files
 * of `@ip-location-db/asn` answered as they are (`asn-csv.ts`), or files the
 * user names (`--geoip FILE.mmdb`, `--asn-db FILE.mmdb`).
 */

import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { AsnCsvLookup } from './asn-csv.js';
import { GeoDbError, GeoDbErrorCode } from './errors.js';
import { ASN_SHAPES, AsnDb, COUNTRY_SHAPES, CountryDb, type GeoResolver } from './geoip.js';
import { useCachedMergedIpv4 } from './merged-range-cache.js';
import { MmdbDatabase } from './mmdb-database.js';
import { openStamped, writeStamp } from './mmdb-stamps.js';

const COUNTRY_PACKAGE = '@ip-location-db/geo-whois-asn-country-mmdb';
const COUNTRY_FILE = 'geo-whois-asn-country.mmdb';
const ASN_PACKAGE = '@ip-location-db/asn';
const ASN_IPV4_FILE = 'asn-ipv4-num.csv';
const ASN_IPV6_FILE = 'asn-ipv6-num.csv';
/** Bump when the CSV reader's answers change, so tables cached from older answers are not reused. */
const ASN_READER_VERSION = 1;

/** Attribution CC BY 4.0 requires for the bundled country database. */
export const COUNTRY_ATTRIBUTION =
  'Country data: ip-location-db geo-whois-asn-country (https://github.com/sapics/ip-location-db), ' +
  'from RIR WHOIS and ASN data by the Number Resource Organization (https://www.nro.net/), licensed CC BY 4.0.';

/** Attribution CC BY 4.0 requires for the bundled ASN data; DB-IP asks web pages to link https://db-ip.com. */
export const ASN_ATTRIBUTION =
  'ASN data: ip-location-db asn (https://github.com/sapics/ip-location-db), from RouteViews ' +
  '(https://www.routeviews.org/), DB-IP IP to ASN Lite (https://db-ip.com) and the Number Resource ' +
  'Organization (https://www.nro.net/), licensed CC BY 4.0.';

const GEOLITE_ATTRIBUTION =
  'This product includes GeoLite2 data created by MaxMind, available from https://www.maxmind.com.';

const require = createRequire(import.meta.url);

/** The data directory: `$TEITEN_DATA_DIR`, else `$XDG_CACHE_HOME/teiten`, else `~/.cache/teiten`. */
export function defaultDataDir(): string {
  const env = process.env;
  if (env['TEITEN_DATA_DIR']) return env['TEITEN_DATA_DIR'];
  return join(env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'teiten');
}

function packageFile(pkg: string, file: string): string {
  try {
    return require.resolve(`${pkg}/${file}`);
  } catch (cause) {
    throw new GeoDbError(GeoDbErrorCode.MISSING, `Cannot find ${file} of ${pkg}: is the package installed?`, { cause });
  }
}

/** Path of the bundled country MMDB. */
export function defaultCountryDbPath(): string {
  return packageFile(COUNTRY_PACKAGE, COUNTRY_FILE);
}

/** Attribution for a user-supplied file: GeoLite2's; else empty (the user knows their licence). */
function userAttribution(db: MmdbDatabase): string {
  return db.info.databaseType.startsWith('GeoLite2') ? GEOLITE_ATTRIBUTION : '';
}

/** Open the country database: `path`, or the bundled one. */
export function openCountryDb(path?: string): CountryDb {
  const db = MmdbDatabase.open(path ?? defaultCountryDbPath());
  return new CountryDb(db, { attribution: path === undefined ? COUNTRY_ATTRIBUTION : userAttribution(db) });
}

/** Version `2.3.2026061719` of ip-location-db packages encodes the data time YYYYMMDDHH (UTC). */
export function versionDate(version: string): Date | undefined {
  const m = /\.(\d{4})(\d{2})(\d{2})(\d{2})$/.exec(version);
  if (!m) return undefined;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4])));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * The bundled ASN CSV files, unread: their answers are named by the package
 * version and the files' sizes and times (a `stat` each), so tables cached
 * from them (in `dataDir`, when given) are found without reading 32 MB.
 */
function bundledAsnCsv(dataDir?: string): AsnCsvLookup {
  const pkgJson = packageFile(ASN_PACKAGE, 'package.json');
  const version = String((JSON.parse(readFileSync(pkgJson, 'utf8')) as { version?: unknown }).version ?? 'unknown');
  const dir = dirname(pkgJson);
  const sources = { ipv4: join(dir, ASN_IPV4_FILE), ipv6: join(dir, ASN_IPV6_FILE) };
  const id = createHash('sha256').update(`ip-location-db asn ${version}\nreader v${ASN_READER_VERSION}\n`);
  let newest = 0;
  for (const path of [sources.ipv4, sources.ipv6]) {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats === undefined)
      throw new GeoDbError(GeoDbErrorCode.MISSING, `Cannot find ${path} of ${ASN_PACKAGE}`, { path });
    id.update(`${path}\n${stats.size}\n${stats.mtimeMs}\n`);
    newest = Math.max(newest, stats.mtimeMs);
  }
  return new AsnCsvLookup(
    sources,
    {
      path: sources.ipv4,
      databaseType: 'ip-location-db asn CSV',
      // The version names the data's date; a version without one falls back to the files' time.
      buildEpoch: versionDate(version) ?? new Date(newest),
      description: `ip-location-db asn ${version}`,
    },
    id.digest('hex'),
    dataDir === undefined ? {} : { dataDir },
  );
}

/** Open the ASN database: the MMDB at `path`, or the bundled CSV files. */
export function openAsnDb(options: { path?: string } = {}): AsnDb {
  if (options.path !== undefined) {
    const db = MmdbDatabase.open(options.path);
    return new AsnDb(db, { attribution: userAttribution(db) });
  }
  return new AsnDb(bundledAsnCsv(), { attribution: ASN_ATTRIBUTION });
}

export interface GeoOptions {
  /** Country MMDB (`--geoip`); default the bundled one. */
  geoip?: string;
  /** ASN MMDB (`--asn-db`); default the bundled CSV. */
  asnDb?: string;
  /** Where what earlier runs learned is kept (stamps, IPv4 tables, the IPv6 ASN table); default `defaultDataDir()`. */
  dataDir?: string;
  /** Set false to skip ASN enrichment (column all 0). */
  asn?: boolean;
  /**
   * Answer IPv4 lookups from flattened tables cached in the data directory
   * (`ipv4-range-cache.ts`; default true): what an ingest of millions of
   * distinct sources needs. False walks the tree per uncached address.
   */
  ipv4Ranges?: boolean;
}

/** Open the databases enrichment needs. */
export async function openGeoResolver(options: GeoOptions = {}): Promise<GeoResolver> {
  const dataDir = options.dataDir ?? defaultDataDir();
  const country = await openRecorded(
    options.geoip ?? defaultCountryDbPath(),
    dataDir,
    COUNTRY_SHAPES,
    (db, shape) =>
      new CountryDb(db, {
        attribution: options.geoip === undefined ? COUNTRY_ATTRIBUTION : userAttribution(db),
        ...shapeOption(shape),
      }),
  );
  const asn =
    options.asn === false
      ? null
      : options.asnDb === undefined
        ? new AsnDb(bundledAsnCsv(dataDir), { attribution: ASN_ATTRIBUTION })
        : await openRecorded(
            options.asnDb,
            dataDir,
            ASN_SHAPES,
            (db, shape) => new AsnDb(db, { attribution: userAttribution(db), ...shapeOption(shape) }),
          );
  const geo = { country, asn };
  if (options.ipv4Ranges !== false) await useCachedMergedIpv4(geo, { dataDir });
  return geo;
}

function shapeOption<S>(shape: S | undefined): { shape?: S } {
  return shape === undefined ? {} : { shape };
}

/**
 * Opens the database at `path` from what an earlier run recorded of it
 * (`mmdb-stamps.ts`: nothing read until a lookup needs the tree), or reads
 * it, detects its shape and records both for the next run.
 */
async function openRecorded<S extends string, T extends CountryDb | AsnDb>(
  path: string,
  dataDir: string,
  shapes: readonly S[],
  make: (db: MmdbDatabase, shape: S | undefined) => T,
): Promise<T> {
  const stamped = openStamped(path, dataDir);
  const shape = shapes.find((s) => s === stamped?.shape);
  if (stamped !== null && shape !== undefined) return make(stamped.db, shape);
  const db = MmdbDatabase.open(path);
  const made = make(db, undefined);
  await writeStamp(path, dataDir, db, made.shape);
  return made;
}
