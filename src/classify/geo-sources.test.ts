import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { unpackCountry } from './country-code.js';
import { GeoDbError } from './errors.js';
import {
  ASN_ATTRIBUTION,
  defaultDataDir,
  openAsnDb,
  openCountryDb,
  openGeoResolver,
  versionDate,
} from './geo-sources.js';
import { MmdbWriter } from './mmdb-writer.js';
import { parseIpv4, parseIpv6 } from '../util/ip-address.js';

describe('versionDate()', () => {
  it('versionDate() reads YYYYMMDDHH from ip-location-db versions', () => {
    expect(versionDate('2.3.2026061719')?.toISOString()).toBe('2026-06-17T19:00:00.000Z');
    expect(versionDate('1.0.0')).toBeUndefined();
  });
});

describe('defaultDataDir()', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('defaultDataDir() prefers TEITEN_DATA_DIR, then XDG_CACHE_HOME', () => {
    process.env['TEITEN_DATA_DIR'] = '/srv/teiten';
    expect(defaultDataDir()).toBe('/srv/teiten');
    delete process.env['TEITEN_DATA_DIR'];
    process.env['XDG_CACHE_HOME'] = '/var/cache/u';
    expect(defaultDataDir()).toBe('/var/cache/u/teiten');
  });
});

describe('openCountryDb()', () => {
  it('openCountryDb() reports a missing file with its path', () => {
    expect(() => openCountryDb('/nonexistent/x.mmdb')).toThrow(
      expect.objectContaining({ code: 'GEODB_READ', path: '/nonexistent/x.mmdb' }),
    );
  });

  it('openCountryDb() opens a user file and credits GeoLite2 data', () => {
    const w = new MmdbWriter({ databaseType: 'GeoLite2-Country', buildEpoch: new Date('2025-01-02T00:00:00Z') });
    w.insert('1.0.16.0/20', { country: { iso_code: 'JP' } });
    const file = join(mkdtempSync(join(tmpdir(), 'teiten-geo-')), 'GeoLite2-Country.mmdb');
    writeFileSync(file, w.toBuffer());
    const db = openCountryDb(file);
    expect(unpackCountry(db.lookup.lookup4(parseIpv4('1.0.16.1')))).toBe('JP');
    expect(db.description.attribution).toMatch(/GeoLite2 data created by MaxMind/);
    expect(db.description.buildEpoch.toISOString()).toBe('2025-01-02T00:00:00.000Z');
  });

  it('openCountryDb() reports a file that is no MMDB', () => {
    expect(() => openCountryDb(new URL(import.meta.url).pathname)).toThrow(GeoDbError);
    expect(() => openCountryDb(new URL(import.meta.url).pathname)).toThrow(
      expect.objectContaining({ code: 'GEODB_FORMAT' }),
    );
  });
});

describe('bundled ASN database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'teiten-asn-'));
  const csvDir = dirname(createRequire(import.meta.url).resolve('@ip-location-db/asn/package.json'));
  const version = (JSON.parse(readFileSync(join(csvDir, 'package.json'), 'utf8')) as { version: string }).version;

  it('openAsnDb() resolves well-known networks from the CSV and describes the data', () => {
    const asn = openAsnDb();
    expect(asn.csv).not.toBeNull();
    expect(asn.lookup.lookup4(parseIpv4('8.8.8.8'))).toBe(15169);
    expect(asn.organization(15169)).toMatch(/Google/);
    expect(asn.lookup.lookup4(parseIpv4('1.1.1.1'))).toBe(13335);
    expect(asn.lookup.lookup4(parseIpv4('10.0.0.1'))).toBe(0);
    expect(asn.lookup.lookup6(parseIpv6('2001:4860:4860::8888'), 0)).toBe(15169);
    expect(asn.description).toEqual({
      path: join(csvDir, 'asn-ipv4-num.csv'),
      databaseType: 'ip-location-db asn CSV',
      description: `ip-location-db asn ${version}`,
      buildEpoch: versionDate(version),
      attribution: ASN_ATTRIBUTION,
    });
  });

  /** Rows of a bundled CSV file as the file says them, split by the test itself. */
  function rows(name: string): { first: bigint; last: bigint; asn: number }[] {
    return readFileSync(join(csvDir, name), 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const [first, last, asn] = line.split(',');
        return { first: BigInt(first!), last: BigInt(last!), asn: Number(asn) };
      });
  }

  /** The ASN of `addr` in row `i` of `rows`: that row's, unless a later row overlapping it covers `addr` (the last such wins). */
  function expected(rows: { first: bigint; last: bigint; asn: number }[], i: number, addr: bigint): number {
    let asn = rows[i]!.asn;
    for (let j = i + 1; j < rows.length && rows[j]!.first <= addr; j++) if (rows[j]!.last >= addr) asn = rows[j]!.asn;
    return asn;
  }

  it("openAsnDb() answers every sampled row's first, middle and last address, and 0 just outside a row with a gap", () => {
    const asn = openAsnDb();
    let seed = 3;
    const rand = (n: number): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
    const v4 = rows('asn-ipv4-num.csv');
    // The DoD row the npm data overlaps with the next (3596550144-3607166975 AS749 under 3607101440-… AS721).
    const overlapped = v4.findIndex((r) => r.first === 3596550144n);
    const sampled = [overlapped, ...Array.from({ length: 3000 }, () => rand(v4.length))];
    for (const i of sampled) {
      const { first, last } = v4[i]!;
      for (const addr of [first, (first + last) / 2n, last])
        expect(asn.lookup.lookup4(Number(addr)), `${addr}`).toBe(expected(v4, i, addr));
      if (i + 1 < v4.length && v4[i + 1]!.first > last + 1n) expect(asn.lookup.lookup4(Number(last + 1n))).toBe(0);
    }
    expect(asn.lookup.lookup4(3607166975)).toBe(721);
    expect(asn.lookup.lookup4(3607101439)).toBe(749);
    const v6 = rows('asn-ipv6-num.csv');
    const bytes = (n: bigint): Uint8Array => Buffer.from(n.toString(16).padStart(32, '0'), 'hex');
    for (let k = 0; k < 1000; k++) {
      const i = rand(v6.length);
      const { first, last } = v6[i]!;
      for (const addr of [first, last])
        expect(asn.lookup.lookup6(bytes(addr), 0), `${addr}`).toBe(expected(v6, i, addr));
    }
  });

  it('openGeoResolver() opens both databases writing no MMDB, or a user file in place of one', async () => {
    const geo = await openGeoResolver({ dataDir });
    expect(unpackCountry(geo.country!.lookup.lookup4(parseIpv4('8.8.8.8')))).toBe('US');
    expect(geo.asn!.lookup.lookup4(parseIpv4('8.8.8.8'))).toBe(15169);
    // Stamps and IPv4 tables only: the ASN data reaches the lookup without an MMDB in between.
    expect(readdirSync(dataDir).filter((f) => f.endsWith('.mmdb'))).toEqual([]);
    expect(readdirSync(dataDir).some((f) => f.startsWith('ipv4-asn-'))).toBe(true);
    const noAsn = await openGeoResolver({ asn: false });
    expect(noAsn.asn).toBeNull();
    const w = new MmdbWriter({ databaseType: 'GeoLite2-ASN', buildEpoch: new Date('2025-01-02T00:00:00Z') });
    w.insert('8.8.8.0/24', { autonomous_system_number: 15169 });
    const path = join(dataDir, 'user-asn.mmdb');
    writeFileSync(path, w.toBuffer());
    const user = await openGeoResolver({ asnDb: path, dataDir });
    expect(user.asn!.description.attribution).toMatch(/GeoLite2 data created by MaxMind/);
    expect(user.asn!.description.path).toBe(path);
    expect(user.asn!.lookup.lookup4(parseIpv4('8.8.8.8'))).toBe(15169);
    expect(user.asn!.lookup.lookup4(parseIpv4('1.1.1.1'))).toBe(0);
    await expect(openGeoResolver({ asnDb: '/nonexistent.mmdb' })).rejects.toThrow(
      expect.objectContaining({ code: 'GEODB_READ' }),
    );
    await expect(openGeoResolver({ geoip: path, asn: false })).rejects.toThrow(
      expect.objectContaining({ code: 'GEODB_SHAPE' }),
    );
  });
});
