import { describe, expect, it } from 'vitest';
import { geoAgeDays, staleGeoWarnings } from './geo-age.js';
import { AsnDb, CountryDb } from './geoip.js';
import { MmdbDatabase } from './mmdb-database.js';
import { MmdbWriter } from './mmdb-writer.js';

function db(name: string, built: string, value: Record<string, string | number>): MmdbDatabase {
  const w = new MmdbWriter({ databaseType: 'teiten-test', buildEpoch: new Date(built) });
  w.insert('1.0.0.0/8', value);
  return MmdbDatabase.fromBuffer(w.toBuffer(), `/some/dir/${name}`);
}

const NOW = new Date('2026-12-07T08:00:00Z');

describe('geoAgeDays()', () => {
  it('geoAgeDays() counts whole days, none for a database built later', () => {
    // 2026-09-08T08:00Z is exactly 90 days before NOW (Sept 22 + Oct 31 + Nov 30 + Dec 7 days).
    expect(geoAgeDays(new Date('2026-09-08T08:00:00Z'), NOW)).toBe(90);
    expect(geoAgeDays(new Date('2026-09-08T08:00:01Z'), NOW)).toBe(89);
    expect(geoAgeDays(new Date('2026-12-08T00:00:00Z'), NOW)).toBe(0);
  });
});

describe('staleGeoWarnings()', () => {
  it('staleGeoWarnings() names each database older than 90 days with its build date and age', () => {
    const geo = {
      country: new CountryDb(db('old-country.mmdb', '2026-06-17T19:51:40Z', { country_code: 'AU' })),
      asn: new AsnDb(db('old-asn.mmdb', '2010-05-02T00:00:00Z', { autonomous_system_number: 13335 })),
    };
    expect(staleGeoWarnings(geo, NOW)).toEqual([
      // June 17 19:51 → Dec 7 08:00: 13 + 31 + 31 + 30 + 31 + 30 + 6 days and 12 h = 172 whole days.
      'warning: the GeoIP country database old-country.mmdb was built 2026-06-17, 172 days ago (more than 90): ' +
        'countries of sources may be out of date; give a newer database with --geoip FILE',
      // 2010-05-02 → 2026-05-02 is 16 years with 4 leap days (2012, 2016, 2020, 2024): 5844 days; + 219 to Dec 7.
      'warning: the GeoIP ASN database old-asn.mmdb was built 2010-05-02, 6063 days ago (more than 90): ' +
        'ASNs of sources may be out of date; give a newer database with --asn-db FILE',
    ]);
  });

  it('staleGeoWarnings() says nothing for 90 days or less, nor for an absent database', () => {
    const geo = { country: new CountryDb(db('c.mmdb', '2026-09-08T08:00:00Z', { country_code: 'AU' })), asn: null };
    expect(staleGeoWarnings(geo, NOW)).toEqual([]);
    expect(staleGeoWarnings({ country: null, asn: null }, NOW)).toEqual([]);
  });
});
