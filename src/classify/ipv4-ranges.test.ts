import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COUNTRY_UNKNOWN, packCountry } from './country-code.js';
import { openGeoResolver } from './geo-sources.js';
import { ASN_UNKNOWN, CountryDb, fillGeo } from './geoip.js';
import { useCachedIpv4Ranges } from './ipv4-range-cache.js';
import { Ipv4Ranges } from './ipv4-ranges.js';
import { MmdbDatabase } from './mmdb-database.js';
import { MmdbWriter } from './mmdb-writer.js';
import { isSpecialUseIpv4 } from './special-use.js';
import { makeBatch } from './testdata/make-batch.js';
import { parseIpv4 } from '../util/ip-address.js';

const MISSING = 7;

/** Networks as [first address, size, value], in address order. */
function rangesOf(networks: Array<[string, number, number]>): Ipv4Ranges {
  return Ipv4Ranges.build(MISSING, (sink) => {
    for (const [start, size, value] of networks) sink.add(parseIpv4(start), size, value);
  });
}

/** The answer by scanning the networks one by one: the table's independent reference. */
function scan(networks: Array<[string, number, number]>, addr: number): number {
  for (const [start, size, value] of networks) {
    const first = parseIpv4(start);
    if (addr >= first && addr < first + size) return value;
  }
  return MISSING;
}

describe('Ipv4Ranges', () => {
  const networks: Array<[string, number, number]> = [
    ['0.0.0.0', 256, 1],
    ['1.0.0.0', 2 ** 8, 2],
    ['1.0.1.0', 2 ** 8, 2],
    ['1.0.2.0', 1, 3],
    ['1.0.2.1', 1, 4],
    ['1.2.0.0', 2 ** 16, 5],
    ['1.3.255.255', 1, 6],
    ['200.0.0.0', 2 ** 24, 8],
    ['255.255.255.255', 1, 9],
  ];
  const table = rangesOf(networks);

  it('get() answers like a scan of the networks at every edge and for random addresses', () => {
    const probes: number[] = [];
    for (const [start, size] of networks) {
      const first = parseIpv4(start);
      probes.push(first, first + size - 1, Math.max(0, first - 1), Math.min(2 ** 32 - 1, first + size));
    }
    let seed = 99;
    for (let k = 0; k < 20_000; k++) probes.push((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0));
    // Dense probes inside the /16s that hold many ranges.
    for (let a = parseIpv4('1.0.0.0'); a < parseIpv4('1.0.3.0'); a++) probes.push(a);
    expect(probes.filter((a) => table.get(a) !== scan(networks, a))).toEqual([]);
  });

  it('build() merges neighbours with one answer and refuses networks out of order', () => {
    // 0.0.0.0/24 → 1, gap → 7, 1.0.0.0–1.0.1.255 → 2 (two networks, one range) …
    expect(Array.from(table.values.slice(0, 4))).toEqual([1, MISSING, 2, 3]);
    expect(() =>
      rangesOf([
        ['1.0.0.0', 256, 1],
        ['0.0.0.0', 256, 2],
      ]),
    ).toThrow(/comes after/);
  });

  it('merge() answers the combination of both tables everywhere', () => {
    const other: Array<[string, number, number]> = [
      ['1.0.0.128', 128, 20],
      ['1.2.128.0', 2 ** 15, 30],
      ['128.0.0.0', 2 ** 31, 40],
    ];
    const merged = Ipv4Ranges.merge(table, rangesOf(other), (a, b) => a * 1000 + b);
    let seed = 5;
    const probes = [
      0,
      parseIpv4('1.0.0.127'),
      parseIpv4('1.0.0.128'),
      parseIpv4('1.2.127.255'),
      parseIpv4('1.2.128.0'),
      2 ** 32 - 1,
    ];
    for (let k = 0; k < 20_000; k++) probes.push((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0));
    expect(probes.filter((a) => merged.get(a) !== scan(networks, a) * 1000 + scan(other, a))).toEqual([]);
  });

  it('fromArrays() refuses tables that do not cover the space in order', () => {
    expect(Ipv4Ranges.fromArrays(Uint32Array.of(0, 5, 5), Uint32Array.of(1, 2, 3))).toBeNull();
    expect(Ipv4Ranges.fromArrays(Uint32Array.of(1), Uint32Array.of(1))).toBeNull();
    expect(Ipv4Ranges.fromArrays(Uint32Array.of(0, 9), Uint32Array.of(1))).toBeNull();
    expect(Ipv4Ranges.fromArrays(Uint32Array.of(0, 9), Uint32Array.of(1, 2))?.get(9)).toBe(2);
  });
});

describe('useCachedIpv4Ranges()', () => {
  function countryDb(): CountryDb {
    const w = new MmdbWriter({
      databaseType: 'teiten-test',
      ipVersion: 4,
      buildEpoch: new Date('2024-05-06T00:00:00Z'),
    });
    w.insert('1.0.16.0/20', { country_code: 'JP' });
    w.insert('8.8.8.0/24', { country_code: 'US' });
    w.insert('10.1.2.0/25', { country_code: 'AA' });
    return new CountryDb(MmdbDatabase.fromBuffer(w.toBuffer(), 'tiny.mmdb'));
  }

  it('stores the table, reads it back, and rebuilds a damaged file instead of trusting it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teiten-ranges-'));
    try {
      const built = await useCachedIpv4Ranges(countryDb().lookup, { dataDir: dir, answer: 'country' });
      const [file] = readdirSync(dir);
      expect(file).toMatch(/^ipv4-country-[0-9a-f]{24}-v1\.ranges$/);
      const fresh = countryDb();
      const read = await useCachedIpv4Ranges(fresh.lookup, { dataDir: dir, answer: 'country' });
      expect(Array.from(read.starts)).toEqual(Array.from(built.starts));
      expect(Array.from(read.values)).toEqual(Array.from(built.values));
      expect(fresh.lookup.lookup4(parseIpv4('1.0.20.1'))).toBe(packCountry('JP'));
      writeFileSync(join(dir, file!), 'not a table');
      const rebuilt = await useCachedIpv4Ranges(countryDb().lookup, { dataDir: dir, answer: 'country' });
      expect(Array.from(rebuilt.values)).toEqual(Array.from(built.values));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('fillGeo() with the bundled databases', () => {
  it('the merged ranges answer what a tree walk of each database answers, special-use overrides included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teiten-ranges-'));
    try {
      const flat = await openGeoResolver({ dataDir: dir });
      const tree = await openGeoResolver({ dataDir: dir, ipv4Ranges: false });
      const addresses: number[] = [
        parseIpv4('192.168.1.1'),
        parseIpv4('172.16.5.5'),
        parseIpv4('8.8.8.8'),
        0,
        2 ** 32 - 1,
      ];
      let seed = 2024;
      while (addresses.length < 20_000) addresses.push((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0));
      const batch = makeBatch(addresses.map((a) => ({ src4: a })));
      const got = { country: new Uint16Array(batch.capacity), asn: new Uint32Array(batch.capacity) };
      fillGeo(batch, { geo: flat, ...got });
      const differ = addresses.filter((a, i) => {
        const country = isSpecialUseIpv4(a) ? COUNTRY_UNKNOWN : tree.country!.lookup.lookup4(a);
        return got.country[i] !== country || got.asn[i] !== tree.asn!.lookup.lookup4(a);
      });
      expect(differ).toEqual([]);
      expect(got.country[0]).toBe(COUNTRY_UNKNOWN);
      expect(Array.from(got.asn).some((a) => a !== ASN_UNKNOWN)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
