import { Reader } from 'mmdb-lib';
import { describe, expect, it } from 'vitest';
import { GeoDbError } from './errors.js';
import { MmdbTyped } from './mmdb-data.js';
import { MmdbWriter, type RecordSize } from './mmdb-writer.js';

type Rec = Record<string, unknown>;

function read(buf: Buffer): Reader<never> {
  return new Reader<never>(buf);
}

function lookup(reader: Reader<never>, ip: string): [unknown, number] {
  return reader.getWithPrefixLength(ip) as [unknown, number];
}

function sampleDb(opts: { ipVersion: 4 | 6; recordSize?: RecordSize }): Buffer {
  const w = new MmdbWriter({ databaseType: 'teiten-test', ...opts, buildEpoch: new Date('2024-01-02T03:04:05Z') });
  w.insert('1.0.16.0/20', { country_code: 'JP' });
  w.insert('8.8.8.0/24', { country_code: 'US' });
  w.insert('10.0.0.0/8', { country_code: 'AA' });
  w.insert('10.1.2.128/25', { country_code: 'BB' }); // carves a hole into 10/8
  if (opts.ipVersion === 6) w.insert('2001:db8::/32', { country_code: 'CC' });
  return w.toBuffer();
}

describe('MmdbWriter', () => {
  for (const recordSize of [24, 28, 32] as const) {
    for (const ipVersion of [4, 6] as const) {
      it(`MmdbWriter writes IPv${ipVersion} trees with ${recordSize}-bit records that mmdb-lib reads exactly`, () => {
        const r = read(sampleDb({ ipVersion, recordSize }));
        expect(r.metadata.recordSize).toBe(recordSize);
        expect(r.metadata.ipVersion).toBe(ipVersion);
        expect(lookup(r, '1.0.16.0')).toEqual([{ country_code: 'JP' }, 20]);
        expect(lookup(r, '1.0.31.255')).toEqual([{ country_code: 'JP' }, 20]);
        expect(lookup(r, '1.0.32.0')[0]).toBeNull();
        expect(lookup(r, '1.0.15.255')[0]).toBeNull();
        expect(lookup(r, '8.8.8.8')).toEqual([{ country_code: 'US' }, 24]);
        expect(lookup(r, '8.8.9.0')[0]).toBeNull();
        expect(lookup(r, '10.1.2.127')).toEqual([{ country_code: 'AA' }, 25]);
        expect(lookup(r, '10.1.2.128')).toEqual([{ country_code: 'BB' }, 25]);
        expect(lookup(r, '10.1.2.255')).toEqual([{ country_code: 'BB' }, 25]);
        expect(lookup(r, '10.1.3.0')).toEqual([{ country_code: 'AA' }, 24]);
        expect(lookup(r, '10.255.255.255')).toEqual([{ country_code: 'AA' }, 9]); // the hole splits 10/8
        if (ipVersion === 6) {
          expect(lookup(r, '2001:db8::1')).toEqual([{ country_code: 'CC' }, 32]);
          expect(lookup(r, '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff')).toEqual([{ country_code: 'CC' }, 32]);
          expect(lookup(r, '2001:db9::')[0]).toBeNull();
          expect(lookup(r, '::ffff:8.8.8.8')).toEqual([{ country_code: 'US' }, 120]);
          expect(lookup(r, '::8.8.8.8')).toEqual([{ country_code: 'US' }, 120]);
        }
      });
    }
  }

  it('MmdbWriter stores build epoch, type, languages and description', () => {
    const w = new MmdbWriter({
      databaseType: 'GeoLite2-ASN',
      languages: ['en'],
      description: { en: 'Test ASN', ja: 'テスト' },
      buildEpoch: new Date('2026-06-17T19:51:40Z'),
    });
    w.insert('1.2.3.0/24', { autonomous_system_number: 13335 });
    const m = read(w.toBuffer()).metadata;
    expect(m.buildEpoch.toISOString()).toBe('2026-06-17T19:51:40.000Z');
    expect(m.databaseType).toBe('GeoLite2-ASN');
    expect(m.languages).toEqual(['en']);
    expect(m.description).toEqual({ en: 'Test ASN', ja: 'テスト' });
    expect(m.binaryFormatMajorVersion).toBe(2);
  });

  it('MmdbWriter round-trips every data type and long strings', () => {
    const long29 = 'x'.repeat(29);
    const long300 = 'y'.repeat(300);
    const long70k = 'z'.repeat(70_000);
    const value = {
      s: 'hello',
      u8: 'ü日本',
      l29: long29,
      l300: long300,
      l70k: long70k,
      u16: new MmdbTyped('uint16', 65535),
      u32: 4_294_967_295,
      zero: 0,
      neg: -5,
      i32: new MmdbTyped('int32', 7),
      u64: 2n ** 64n - 1n,
      u128: 2n ** 127n + 3n,
      dbl: 1.5,
      flt: new MmdbTyped('float', 0.25),
      yes: true,
      no: false,
      bytes: new Uint8Array([0, 1, 255]),
      arr: ['a', 1, ['b']],
      map: { nested: { deep: 'x' } },
    };
    const w = new MmdbWriter({ databaseType: 't', ipVersion: 4 });
    w.insert('0.0.0.0/1', value);
    const got = lookup(read(w.toBuffer()), '1.1.1.1')[0] as Rec;
    expect(got).toEqual({
      ...value,
      u16: 65535,
      i32: 7,
      flt: 0.25,
      bytes: Buffer.from([0, 1, 255]),
    });
  });

  it('MmdbWriter writes repeated strings as pointers that decode back', () => {
    const w = new MmdbWriter({ databaseType: 't', ipVersion: 4, mergeAdjacent: false });
    for (let k = 0; k < 3000; k++) {
      w.insert(`0.${k >> 8}.${k & 255}.0/24`, {
        autonomous_system_number: k,
        autonomous_system_organization: `Org ${k % 7}`,
      });
    }
    const buf = w.toBuffer();
    const r = read(buf);
    expect(lookup(r, '0.0.10.1')).toEqual([
      { autonomous_system_number: 10, autonomous_system_organization: 'Org 3' },
      24,
    ]);
    expect(lookup(r, '0.11.183.255')).toEqual([
      { autonomous_system_number: 2999, autonomous_system_organization: 'Org 3' },
      24,
    ]);
    // 3000 records with two 30-byte keys each would need 180 kB inline.
    expect(r.metadata.searchTreeSize + 16 + 3000 * 60).toBeGreaterThan(buf.length);
  });

  it('MmdbWriter merges equal siblings unless told not to', () => {
    const build = (mergeAdjacent: boolean): Reader<never> => {
      const w = new MmdbWriter({ databaseType: 't', ipVersion: 4, mergeAdjacent });
      w.insert('192.0.2.0/25', 'x');
      w.insert('192.0.2.128/25', 'x');
      return read(w.toBuffer());
    };
    expect(lookup(build(true), '192.0.2.200')).toEqual(['x', 24]);
    expect(lookup(build(false), '192.0.2.200')).toEqual(['x', 25]);
  });

  it('MmdbWriter lets a later insert override part of an earlier one', () => {
    const w = new MmdbWriter({ databaseType: 't', ipVersion: 4 });
    w.insert('0.0.0.0/0', 'all');
    w.insert('203.0.113.7', 'host');
    const r = read(w.toBuffer());
    expect(lookup(r, '203.0.113.7')).toEqual(['host', 32]);
    expect(lookup(r, '203.0.113.6')).toEqual(['all', 32]);
    expect(lookup(r, '128.0.0.0')).toEqual(['all', 2]); // 203/8 splits 128/1
    expect(lookup(r, '0.0.0.1')).toEqual(['all', 1]);
  });

  it('MmdbWriter encodes 28-bit records whose top nibble is set', () => {
    const w = new MmdbWriter({ databaseType: 't', ipVersion: 4, recordSize: 28 });
    // Two 9 MB values push later data past 2^24.
    w.insert('1.0.0.0/8', new Uint8Array(9_000_000));
    w.insert('3.0.0.0/8', new Uint8Array(9_000_000).fill(1));
    w.insert('2.0.0.0/8', 'far');
    const r = read(w.toBuffer());
    expect(lookup(r, '2.3.4.5')).toEqual(['far', 8]);
    expect((lookup(r, '3.2.3.4')[0] as Buffer)[8_999_999]).toBe(1);
  });

  it('MmdbWriter rejects a record size that is too small and IPv6 in an IPv4 tree', () => {
    const w = new MmdbWriter({ databaseType: 't', ipVersion: 4, recordSize: 24 });
    w.insert('1.0.0.0/8', new Uint8Array(9_000_000));
    w.insert('3.0.0.0/8', new Uint8Array(9_000_000).fill(1));
    expect(() => w.toBuffer()).toThrow(RangeError);
    expect(() => new MmdbWriter({ databaseType: 't', ipVersion: 4 }).insert('2001:db8::/32', 'x')).toThrow(RangeError);
  });

  it('MmdbWriter refuses inserts after toBuffer()', () => {
    const w = new MmdbWriter({ databaseType: 't' });
    w.toBuffer();
    expect(() => w.insert('1.0.0.0/8', 'x')).toThrow(GeoDbError);
    expect(() => w.toBuffer()).toThrow(expect.objectContaining({ code: 'GEODB_WRITER_FINISHED' }));
  });
});
