import { describe, expect, it } from 'vitest';
import { COUNTRY_NONE, COUNTRY_UNKNOWN, packCountry, unpackCountry } from './country-code.js';
import { GeoDbError } from './errors.js';
import { COUNTRY_ATTRIBUTION, openCountryDb } from './geo-sources.js';
import { ASN_UNKNOWN, AsnDb, CountryDb, fillGeo } from './geoip.js';
import { MmdbDatabase } from './mmdb-database.js';
import type { MmdbValue } from './mmdb-data.js';
import { MmdbWriter } from './mmdb-writer.js';
import { makeBatch } from './testdata/make-batch.js';
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from '../util/ip-address.js';

function tinyDb(entries: Array<[string, MmdbValue]>, ipVersion: 4 | 6 = 6): MmdbDatabase {
  const w = new MmdbWriter({ databaseType: 'teiten-test', ipVersion, buildEpoch: new Date('2024-05-06T00:00:00Z') });
  for (const [cidr, value] of entries) w.insert(cidr, value);
  return MmdbDatabase.fromBuffer(w.toBuffer(), 'tiny.mmdb');
}

const COUNTRY_ENTRIES: Array<[string, MmdbValue]> = [
  ['1.0.16.0/20', { country_code: 'JP' }],
  ['8.8.8.0/24', { country_code: 'US' }],
  ['10.1.2.0/25', { country_code: 'AA' }],
  ['10.1.2.128/25', { country_code: 'BB' }],
  ['2001:db8::/32', { country_code: 'CN' }],
  ['2001:db8:1::/48', { country_code: 'KR' }],
  ['2001:db8:2::/64', { country_code: 'TW' }],
];

describe('CountryDb', () => {
  const db = new CountryDb(tinyDb(COUNTRY_ENTRIES));
  const at4 = (ip: string): string => unpackCountry(db.lookup.lookup4(parseIpv4(ip)));
  const at6 = (ip: string): string => unpackCountry(db.lookup.lookup6(parseIpv6(ip), 0));

  it('CountryDb detects the country_code shape and answers at network boundaries', () => {
    expect(db.shape).toBe('country_code');
    expect(at4('1.0.16.0')).toBe('JP');
    expect(at4('1.0.31.255')).toBe('JP');
    expect(at4('1.0.32.0')).toBe('ZZ');
    expect(at4('8.8.8.8')).toBe('US');
    expect(at4('8.8.9.8')).toBe('ZZ');
  });

  it('CountryDb caches per /24 only where the network covers the /24', () => {
    expect(at4('10.1.2.1')).toBe('AA');
    expect(at4('10.1.2.200')).toBe('BB'); // same /24, other /25: must not reuse the cached AA
    expect(at4('10.1.2.127')).toBe('AA');
    const before = { ...db.lookup.stats };
    expect(at4('1.0.16.77')).toBe('JP'); // 1.0.16.0/24 cached by the first test
    expect(db.lookup.stats.hits).toBe(before.hits + 1);
    expect(at4('10.1.2.1')).toBe('AA'); // host entry
    expect(db.lookup.stats.hits).toBe(before.hits + 2);
  });

  it('CountryDb answers IPv6 per /48 and per address below it', () => {
    expect(at6('2001:db8::1')).toBe('CN');
    expect(at6('2001:db8:1::1')).toBe('KR');
    expect(at6('2001:db8:1:ffff::1')).toBe('KR');
    expect(at6('2001:db8:2::1')).toBe('TW');
    expect(at6('2001:db8:2:1::1')).toBe('CN'); // same /48 as the /64, outside it
    expect(at6('2001:db8:2::2')).toBe('TW');
    expect(at6('2001:db9::1')).toBe('ZZ');
  });

  it('CountryDb reads GeoLite2-style records, falling back to registered_country', () => {
    const geo = new CountryDb(
      tinyDb([
        [
          '1.0.0.0/8',
          { country: { iso_code: 'DE', names: { en: 'Germany' } }, registered_country: { iso_code: 'FR' } },
        ],
        ['2.0.0.0/8', { registered_country: { iso_code: 'NL' } }],
        ['3.0.0.0/8', { traits: { is_anonymous_proxy: true } }],
      ]),
    );
    expect(geo.shape).toBe('country.iso_code');
    expect(unpackCountry(geo.lookup.lookup4(parseIpv4('1.2.3.4')))).toBe('DE');
    expect(unpackCountry(geo.lookup.lookup4(parseIpv4('2.2.3.4')))).toBe('NL');
    expect(geo.lookup.lookup4(parseIpv4('3.2.3.4'))).toBe(COUNTRY_UNKNOWN);
  });

  it('CountryDb answers ZZ for IPv6 from an IPv4-only database', () => {
    const v4 = new CountryDb(tinyDb([['0.0.0.0/0', { country_code: 'JP' }]], 4));
    expect(v4.lookup.lookup6(parseIpv6('2001:db8::1'), 0)).toBe(COUNTRY_UNKNOWN);
    expect(unpackCountry(v4.lookup.lookup4(parseIpv4('203.0.113.1')))).toBe('JP');
  });

  it('CountryDb rejects a database without countries', () => {
    const asnOnly = tinyDb([['1.0.0.0/8', { autonomous_system_number: 1 }]]);
    expect(() => new CountryDb(asnOnly)).toThrow(GeoDbError);
    expect(() => new CountryDb(asnOnly)).toThrow(expect.objectContaining({ code: 'GEODB_SHAPE', path: 'tiny.mmdb' }));
  });
});

describe('AsnDb', () => {
  it('AsnDb answers numbers and remembers organisations', () => {
    const asn = new AsnDb(
      tinyDb([
        ['8.8.8.0/24', { autonomous_system_number: 15169, autonomous_system_organization: 'Google LLC' }],
        ['2001:4860::/32', { autonomous_system_number: 15169, autonomous_system_organization: 'Google LLC' }],
      ]),
    );
    expect(asn.shape).toBe('autonomous_system_number');
    expect(asn.organization(15169)).toBeUndefined();
    expect(asn.lookup.lookup4(parseIpv4('8.8.8.8'))).toBe(15169);
    expect(asn.organization(15169)).toBe('Google LLC');
    expect(asn.lookup.lookup6(parseIpv6('2001:4860:4860::8888'), 0)).toBe(15169);
    expect(asn.lookup.lookup4(parseIpv4('9.9.9.9'))).toBe(ASN_UNKNOWN);
  });

  it('AsnDb reads traits.autonomous_system_number', () => {
    const asn = new AsnDb(tinyDb([['1.0.0.0/8', { traits: { autonomous_system_number: 2519 } }]]));
    expect(asn.shape).toBe('traits.autonomous_system_number');
    expect(asn.lookup.lookup4(parseIpv4('1.0.16.1'))).toBe(2519);
  });
});

describe('fillGeo()', () => {
  it('fillGeo() fills both columns for IPv4, IPv6, mapped and non-IP sources', () => {
    const country = new CountryDb(tinyDb(COUNTRY_ENTRIES));
    const asn = new AsnDb(tinyDb([['8.8.8.0/24', { autonomous_system_number: 15169 }]]));
    const mapped = parseIpv6('::ffff:8.8.8.8');
    const batch = makeBatch([
      { src4: parseIpv4('1.0.16.1') },
      { src4: parseIpv4('8.8.8.8') },
      { src4: parseIpv4('8.8.8.8') },
      { ipVersion: 6, src6: parseIpv6('2001:db8:1::5') },
      { ipVersion: 6, src6: mapped },
      { ipVersion: 0 },
      { src4: parseIpv4('192.0.2.1') },
    ]);
    const cols = { country: new Uint16Array(batch.capacity), asn: new Uint32Array(batch.capacity) };
    fillGeo(batch, { geo: { country, asn }, ...cols });
    expect([...cols.country].map(unpackCountry)).toEqual(['JP', 'US', 'US', 'KR', 'US', '', 'ZZ']);
    expect([...cols.asn]).toEqual([0, 15169, 15169, 0, 15169, 0, 0]);
    fillGeo(batch, { geo: { country: null, asn: null }, ...cols });
    expect([...cols.country].every((v) => v === COUNTRY_NONE)).toBe(true);
  });

  it('fillGeo() gives special-use sources no country even where the database names one', () => {
    // The bundled whois-derived database answers AU for both private blocks.
    const country = new CountryDb(
      tinyDb([
        ['172.16.0.0/12', { country_code: 'AU' }],
        ['192.168.0.0/16', { country_code: 'AU' }],
        ['172.32.0.0/11', { country_code: 'US' }],
      ]),
    );
    const batch = makeBatch(
      ['172.16.0.8', '192.168.1.1', '172.31.255.255', '172.32.0.1'].map((ip) => ({ src4: parseIpv4(ip) })),
    );
    const cols = { country: new Uint16Array(batch.capacity), asn: new Uint32Array(batch.capacity) };
    fillGeo(batch, { geo: { country, asn: null }, ...cols });
    expect([...cols.country].map(unpackCountry)).toEqual(['ZZ', 'ZZ', 'ZZ', 'US']);
  });

  it('fillGeo() rejects short columns', () => {
    const batch = makeBatch([{}, {}]);
    expect(() =>
      fillGeo(batch, { geo: { country: null, asn: null }, country: new Uint16Array(1), asn: new Uint32Array(2) }),
    ).toThrow(RangeError);
  });
});

describe('bundled country database', () => {
  const db = openCountryDb();
  const at = (ip: string): string => unpackCountry(db.lookup.lookupText(ip));

  it('openCountryDb() resolves well-known addresses', () => {
    expect(db.shape).toBe('country_code');
    expect(at('8.8.8.8')).toBe('US');
    expect(at('1.0.16.1')).toBe('JP'); // APNIC space delegated to Japan
    expect(at('133.1.1.1')).toBe('JP'); // 133/8, Japanese academic networks
    expect(at('114.114.114.114')).toBe('CN');
    expect(at('10.0.0.1')).toBe('ZZ');
    expect(at('2001:4860:4860::8888')).toBe('US');
  });

  it('openCountryDb() describes the database for ingest', () => {
    const d = db.description;
    expect(d.attribution).toBe(COUNTRY_ATTRIBUTION);
    expect(db.lookup.db.info.ipVersion).toBe(6);
    expect(d.buildEpoch.getTime()).toBeGreaterThan(Date.UTC(2024, 0, 1));
    expect(d.path).toMatch(/geo-whois-asn-country\.mmdb$/);
  });

  it('MmdbLookup cached answers equal uncached ones for random and neighbouring addresses', () => {
    let seed = 12345;
    const rand = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let k = 0; k < 5000; k++) {
      const base = rand();
      for (const addr of [base, (base ^ 0x7f) >>> 0, (base ^ 0xff) >>> 0]) {
        expect(db.lookup.lookup4(addr), formatIpv4(addr)).toBe(db.lookup.lookupText(formatIpv4(addr)));
      }
      const v6 = new Uint8Array(16);
      for (let b = 0; b < 16; b++) v6[b] = rand() & 0xff;
      v6[0] = 0x20 | (v6[0]! & 0x0f); // 2000::/4, where the allocations are
      for (const last of [0, 0xff]) {
        v6[15] = last;
        v6[8] = last;
        expect(db.lookup.lookup6(v6, 0), formatIpv6(v6)).toBe(db.lookup.lookupText(formatIpv6(v6)));
      }
    }
    expect(db.lookup.stats.hits).toBeGreaterThan(0);
    expect(packCountry('US')).toBe(db.lookup.lookup4(parseIpv4('8.8.8.8')));
  });
});
