import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { unpackCountry } from './country-code.js';
import { GeoDbError } from './errors.js';
import {
  ASN_ATTRIBUTION,
  defaultDataDir,
  ensureAsnMmdb,
  openAsnDb,
  openCountryDb,
  openGeoResolver,
  versionDate,
} from './geo-sources.js';
import { MmdbWriter } from './mmdb-writer.js';
import { formatIpv4, parseIpv4 } from '../util/ip-address.js';

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
  let path = '';
  beforeAll(async () => {
    path = await ensureAsnMmdb(dataDir);
  }, 120_000);

  it('ensureAsnMmdb() converts once into the data directory and reuses the file', async () => {
    expect(path.startsWith(dataDir)).toBe(true);
    expect(path).toMatch(/asn-\d+\.\d+\.\d+-v1\.mmdb$/);
    const mtime = statSync(path).mtimeMs;
    expect(await ensureAsnMmdb(dataDir)).toBe(path);
    expect(statSync(path).mtimeMs).toBe(mtime);
  });

  it('openAsnDb() resolves well-known networks and describes the data', async () => {
    const asn = await openAsnDb({ dataDir });
    expect(asn.lookup.lookup4(parseIpv4('8.8.8.8'))).toBe(15169);
    expect(asn.organization(15169)).toMatch(/Google/);
    expect(asn.lookup.lookup4(parseIpv4('1.1.1.1'))).toBe(13335);
    expect(asn.lookup.lookup4(parseIpv4('10.0.0.1'))).toBe(0);
    expect(asn.lookup.lookupText('2001:4860:4860::8888')).toBe(15169);
    expect(asn.description.attribution).toBe(ASN_ATTRIBUTION);
    expect(asn.description.databaseType).toBe('teiten-ASN');
    expect(asn.description.description).toMatch(/^ip-location-db asn \d/);
    expect(asn.description.buildEpoch.getUTCFullYear()).toBeGreaterThanOrEqual(2024);
  });

  it('AsnDb cached answers equal mmdb-lib text lookups for random addresses', async () => {
    const asn = await openAsnDb({ dataDir });
    let seed = 3;
    const rand = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let k = 0; k < 5000; k++) {
      const base = rand();
      for (const addr of [base, (base ^ 0x3f) >>> 0, (base ^ 0xc0) >>> 0]) {
        expect(asn.lookup.lookup4(addr), formatIpv4(addr)).toBe(asn.lookup.lookupText(formatIpv4(addr)));
      }
    }
    expect(asn.lookup.stats.hits).toBeGreaterThan(5000);
  });

  it('openGeoResolver() opens both databases, or a user file in place of one', async () => {
    const geo = await openGeoResolver({ dataDir });
    expect(unpackCountry(geo.country!.lookup.lookup4(parseIpv4('8.8.8.8')))).toBe('US');
    expect(geo.asn!.lookup.lookup4(parseIpv4('8.8.8.8'))).toBe(15169);
    const noAsn = await openGeoResolver({ asn: false });
    expect(noAsn.asn).toBeNull();
    const user = await openGeoResolver({ asnDb: path });
    expect(user.asn!.description.attribution).toBe(ASN_ATTRIBUTION); // recognised as converted ip-location-db data
    expect(user.asn!.description.path).toBe(path);
    await expect(openGeoResolver({ asnDb: '/nonexistent.mmdb' })).rejects.toThrow(
      expect.objectContaining({ code: 'GEODB_READ' }),
    );
    await expect(openGeoResolver({ geoip: path, asn: false })).rejects.toThrow(
      expect.objectContaining({ code: 'GEODB_SHAPE' }),
    );
  });
});
