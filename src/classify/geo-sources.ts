/**
 * @module
 * Where the GeoIP databases come from: the bundled country MMDB
 * (`@ip-location-db/geo-whois-asn-country-mmdb`), the ASN MMDB converted once
 * from `@ip-location-db/asn` into a cache file under the data directory, or
 * files the user names (`--geoip FILE.mmdb`, `--asn-db FILE.mmdb`).
 *
 * The ASN package ships CSV only, so the first run converts it (about 4 s for
 * ~515k rows on one core) and writes `asn-<package version>-v<N>.mmdb` into the
 * data directory; later runs open that file directly. A new package version
 * gets a new file name, so a stale cache is never read.
 */

import { mkdir, rename, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { ASN_DATABASE_TYPE, convertAsnCsv } from './asn-csv.js';
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
/** Bump when the conversion's output changes, so old cache files are not reused. */
const ASN_CONVERTER_VERSION = 1;
const ASN_DESCRIPTION_PREFIX = 'ip-location-db asn ';

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

/**
 * Attribution for a user-supplied file: GeoLite2, or an ASN file teiten
 * converted from ip-location-db; else empty (the user knows their licence).
 */
function userAttribution(db: MmdbDatabase): string {
  if (db.info.databaseType.startsWith('GeoLite2')) return GEOLITE_ATTRIBUTION;
  if (db.info.databaseType === ASN_DATABASE_TYPE && db.info.description.startsWith(ASN_DESCRIPTION_PREFIX))
    return ASN_ATTRIBUTION;
  return '';
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
 * Path of the converted ASN MMDB in `dataDir`, converting the bundled CSV
 * first when the file is not there yet.
 */
export async function ensureAsnMmdb(dataDir: string = defaultDataDir()): Promise<string> {
  const pkgJson = packageFile(ASN_PACKAGE, 'package.json');
  const version = String((JSON.parse(readFileSync(pkgJson, 'utf8')) as { version?: unknown }).version ?? 'unknown');
  const target = join(dataDir, `asn-${version}-v${ASN_CONVERTER_VERSION}.mmdb`);
  if (existsSync(target)) return target;
  const dir = dirname(pkgJson);
  const { mmdb } = await convertAsnCsv(
    { ipv4: join(dir, ASN_IPV4_FILE), ipv6: join(dir, ASN_IPV6_FILE) },
    { buildEpoch: versionDate(version) ?? new Date(), description: `${ASN_DESCRIPTION_PREFIX}${version}` },
  );
  await mkdir(dataDir, { recursive: true });
  // Write then rename, so a concurrent or interrupted run never sees half a file.
  const tmp = `${target}.${process.pid}.tmp`;
  await writeFile(tmp, mmdb);
  await rename(tmp, target);
  return target;
}

/** Open the ASN database: `path`, or the bundled data converted into `dataDir`. */
export async function openAsnDb(options: { path?: string; dataDir?: string } = {}): Promise<AsnDb> {
  if (options.path !== undefined) {
    const db = MmdbDatabase.open(options.path);
    return new AsnDb(db, { attribution: userAttribution(db) });
  }
  return new AsnDb(MmdbDatabase.open(await ensureAsnMmdb(options.dataDir)), { attribution: ASN_ATTRIBUTION });
}

export interface GeoOptions {
  /** Country MMDB (`--geoip`); default the bundled one. */
  geoip?: string;
  /** ASN MMDB (`--asn-db`); default the converted bundled CSV. */
  asnDb?: string;
  /** Where the converted ASN MMDB is cached; default `defaultDataDir()`. */
  dataDir?: string;
  /** Set false to skip ASN enrichment (no conversion, column all 0). */
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
      : await openRecorded(
          options.asnDb ?? (await ensureAsnMmdb(dataDir)),
          dataDir,
          ASN_SHAPES,
          (db, shape) =>
            new AsnDb(db, {
              attribution: options.asnDb === undefined ? ASN_ATTRIBUTION : userAttribution(db),
              ...shapeOption(shape),
            }),
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
  const made = make(MmdbDatabase.open(path), undefined);
  await writeStamp(path, dataDir, made.lookup.db, made.shape);
  return made;
}
