import { describe, expect, it } from 'vitest';
import { unpackCountry } from './country-code.js';
import { ipv4NetworksByCountry } from './country-networks.js';
import { GeoDbError } from './errors.js';
import { openCountryDb } from './geo-sources.js';
import { MmdbDatabase } from './mmdb-database.js';
import { Ipv4Networks, sampleRecords, walkIpv4Networks } from './mmdb-walk.js';
import { MmdbWriter, type RecordSize } from './mmdb-writer.js';
import { CountryDb } from './geoip.js';
import { formatIpv4, parseIpv4 } from '../util/ip-address.js';

function tiny(ipVersion: 4 | 6, recordSize?: RecordSize): MmdbDatabase {
  const w = new MmdbWriter({ databaseType: 't', ipVersion, ...(recordSize ? { recordSize } : {}) });
  w.insert('10.0.0.0/8', { country_code: 'AA' });
  w.insert('10.1.2.128/25', { country_code: 'BB' });
  w.insert('1.0.16.0/20', { country_code: 'JP' });
  w.insert('255.255.255.255/32', { country_code: 'JP' });
  if (ipVersion === 6) w.insert('2001:db8::/32', { country_code: 'CN' });
  return MmdbDatabase.fromBuffer(w.toBuffer(), `tiny-v${ipVersion}.mmdb`);
}

function networks(db: MmdbDatabase): string[] {
  const out: string[] = [];
  walkIpv4Networks(db, (start, len) => out.push(`${formatIpv4(start)}/${len}`));
  return out;
}

describe('walkIpv4Networks()', () => {
  for (const [ipVersion, recordSize] of [
    [4, 24],
    [6, 24],
    [6, 28],
    [6, 32],
  ] as const) {
    it(`walkIpv4Networks() lists every IPv4 network in order (IPv${ipVersion}, ${recordSize}-bit)`, () => {
      expect(networks(tiny(ipVersion, recordSize))).toEqual([
        '1.0.16.0/20',
        '10.0.0.0/16',
        '10.1.0.0/23',
        '10.1.2.0/25',
        '10.1.2.128/25',
        '10.1.3.0/24',
        '10.1.4.0/22',
        '10.1.8.0/21',
        '10.1.16.0/20',
        '10.1.32.0/19',
        '10.1.64.0/18',
        '10.1.128.0/17',
        '10.2.0.0/15',
        '10.4.0.0/14',
        '10.8.0.0/13',
        '10.16.0.0/12',
        '10.32.0.0/11',
        '10.64.0.0/10',
        '10.128.0.0/9',
        '255.255.255.255/32',
      ]);
    });
  }

  it('walkIpv4Networks() reports one network when a record covers all of IPv4', () => {
    const w = new MmdbWriter({ databaseType: 't' });
    w.insert('::/64', { country_code: 'XX' });
    expect(networks(MmdbDatabase.fromBuffer(w.toBuffer(), 'x'))).toEqual(['0.0.0.0/0']);
  });

  it('walkIpv4Networks() rejects a data pointer past the end of the file', () => {
    const w = new MmdbWriter({ databaseType: 't', ipVersion: 4, recordSize: 24 });
    w.insert('128.0.0.0/1', 'x');
    const buf = w.toBuffer();
    buf.writeUIntBE(0xfffff0, 0, 3); // root's left record → far past the data section
    const db = MmdbDatabase.fromBuffer(buf, 'corrupt.mmdb');
    expect(() => networks(db)).toThrow(GeoDbError);
    expect(() => networks(db)).toThrow(/corrupt\.mmdb.*points past the file/);
  });
});

describe('Ipv4Networks', () => {
  it('Ipv4Networks.addressAt() maps indexes across network boundaries', () => {
    const n = new Ipv4Networks(
      Uint32Array.from([parseIpv4('10.0.0.0'), parseIpv4('192.0.2.0')]),
      Uint8Array.from([30, 24]),
    );
    expect(n.count).toBe(2);
    expect(n.total).toBe(4 + 256);
    expect(formatIpv4(n.addressAt(0))).toBe('10.0.0.0');
    expect(formatIpv4(n.addressAt(3))).toBe('10.0.0.3');
    expect(formatIpv4(n.addressAt(4))).toBe('192.0.2.0');
    expect(formatIpv4(n.addressAt(259))).toBe('192.0.2.255');
    expect(() => n.addressAt(260)).toThrow(RangeError);
    expect(() => n.addressAt(-1)).toThrow(RangeError);
  });
});

describe('sampleRecords()', () => {
  it('sampleRecords() returns distinct records, IPv4 first', () => {
    expect(sampleRecords(tiny(6), 10)).toEqual([
      { country_code: 'JP' },
      { country_code: 'AA' },
      { country_code: 'BB' },
      { country_code: 'CN' },
    ]);
    expect(sampleRecords(tiny(6), 1)).toHaveLength(1);
  });
});

describe('ipv4NetworksByCountry()', () => {
  it('ipv4NetworksByCountry() groups a tiny database by country, leaving out special-use networks', () => {
    const byCountry = ipv4NetworksByCountry(new CountryDb(tiny(6)));
    // AA and BB live only in 10.0.0.0/8, and 255.255.255.255 is reserved: no draw may land there.
    expect([...byCountry.keys()].sort()).toEqual(['JP']);
    expect(byCountry.get('JP')!.total).toBe(4096);
  });

  it("ipv4NetworksByCountry() keeps the bundled database's private-block answers out of AU", () => {
    const au = ipv4NetworksByCountry(openCountryDb()).get('AU')!;
    const inPrivate = [...au.starts].filter(
      (s) => s >>> 20 === parseIpv4('172.16.0.0') >>> 20 || s >>> 16 === parseIpv4('192.168.0.0') >>> 16,
    );
    expect(inPrivate).toEqual([]);
    expect(au.total).toBeGreaterThan(10_000_000);
  });

  it('ipv4NetworksByCountry() draws addresses that resolve back to their country in the bundled database', () => {
    const db = openCountryDb();
    const byCountry = ipv4NetworksByCountry(db);
    expect(byCountry.size).toBeGreaterThan(200);
    expect(byCountry.has('ZZ')).toBe(false);
    expect(byCountry.get('JP')!.total).toBeGreaterThan(100_000_000);
    expect(byCountry.get('US')!.total).toBeGreaterThan(1_000_000_000);
    let seed = 7;
    const random = (): number => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    for (const code of ['JP', 'CN', 'US', 'RU', 'TW', 'BR', 'GB', 'KR', 'HK', 'PE']) {
      const nets = byCountry.get(code)!;
      for (let k = 0; k < 500; k++) {
        const addr = nets.addressAt(Math.floor(random() * nets.total));
        expect(unpackCountry(db.lookup.lookup4(addr)), `${code} ${formatIpv4(addr)}`).toBe(code);
      }
    }
  });
});
