import { mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AsnCsvLookup } from './asn-csv.js';
import { parseIpv6 } from '../util/ip-address.js';

const INFO = { path: 'x', databaseType: 'test', buildEpoch: new Date('2026-06-17T19:00:00Z'), description: 'test' };

/** 2001:db8::/112 AS1 with 2001:db8::10–1f AS2 laid over it, then 2001:4860::/32 AS15169 and 2001:4861:: alone AS64500. */
const IPV6_CSV = [
  '2001:db8::,2001:db8::ffff,1,a',
  '2001:db8::10,2001:db8::1f,2,b',
  '42541956101370907050197289607612071936,42541956180599069564461627201156022271,15169,Google LLC',
  '42541956180599069564461627201156022272,42541956180599069564461627201156022272,64500,One',
  '',
].join('\n');
/** Each address with its ASN as read by hand from the rows above. */
const EXPECTED: [string, number][] = [
  ['::', 0],
  ['2001:485f:ffff:ffff:ffff:ffff:ffff:ffff', 0],
  ['2001:4860::', 15169],
  ['2001:4860:4860::8888', 15169],
  ['2001:4860:ffff:ffff:ffff:ffff:ffff:ffff', 15169],
  ['2001:4861::', 64500],
  ['2001:4861::1', 0],
  ['2001:db7:ffff:ffff:ffff:ffff:ffff:ffff', 0],
  ['2001:db8::', 1],
  ['2001:db8::f', 1],
  ['2001:db8::10', 2],
  ['2001:db8::1f', 2],
  ['2001:db8::20', 1],
  ['2001:db8::ffff', 1],
  ['2001:db8::1:0', 0],
  ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 0],
];

function lookup(ipv6: string, dataDir?: string): AsnCsvLookup {
  const sources = { ipv4: join(tmpdir(), 'never-read.csv'), ipv6 };
  return new AsnCsvLookup(sources, INFO, 'a'.repeat(64), dataDir === undefined ? {} : { dataDir });
}

const answers = (asn: AsnCsvLookup): number[] => EXPECTED.map(([ip]) => asn.lookup6(parseIpv6(ip), 0));

describe('IPv6 ASN table in the data directory', () => {
  it('is written at the first IPv6 lookup and answers the next process without the CSV, as the CSV does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'teiten-ipv6-asn-'));
    const csv = join(dir, 'asn-ipv6-num.csv');
    writeFileSync(csv, IPV6_CSV);
    const dataDir = join(dir, 'data');
    const expected = EXPECTED.map(([, asn]) => asn);
    expect(answers(lookup(csv))).toEqual(expected);
    expect(answers(lookup(csv, dataDir))).toEqual(expected);
    const [cached] = readdirSync(dataDir);
    expect(cached).toMatch(/^ipv6-asn-a{24}-v1\.ranges$/);
    // The CSV gone, only the cached table can answer.
    renameSync(csv, `${csv}.gone`);
    expect(answers(lookup(csv, dataDir))).toEqual(expected);
    expect(() => lookup(csv).lookup6(parseIpv6('2001:db8::'), 0)).toThrow(/Cannot read ASN CSV/);
  });

  it('answers from the CSV when the data directory cannot be written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'teiten-ipv6-asn-'));
    const csv = join(dir, 'asn-ipv6-num.csv');
    writeFileSync(csv, IPV6_CSV);
    // A file where the directory should be: nothing can be made under it.
    const notADir = join(dir, 'file');
    writeFileSync(notADir, '');
    expect(answers(lookup(csv, notADir))).toEqual(EXPECTED.map(([, asn]) => asn));
  });

  it('is rebuilt from the CSV when damaged, never trusted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'teiten-ipv6-asn-'));
    const csv = join(dir, 'asn-ipv6-num.csv');
    writeFileSync(csv, IPV6_CSV);
    const dataDir = join(dir, 'data');
    answers(lookup(csv, dataDir));
    const path = join(dataDir, readdirSync(dataDir)[0]!);
    const good = readFileSync(path);
    const bad = Buffer.from(good);
    // One bit of an ASN (AS15169 → AS15168), which only the checksum can tell.
    bad[bad.length - 8]! ^= 1;
    writeFileSync(path, bad);
    expect(answers(lookup(csv, dataDir))).toEqual(EXPECTED.map(([, asn]) => asn));
    expect(readFileSync(path).equals(good)).toBe(true);
  });

  it('answers the bundled CSV as the CSV does at every row’s first and last address and the one after', () => {
    const csv = createRequire(import.meta.url).resolve('@ip-location-db/asn/asn-ipv6-num.csv');
    const dataDir = mkdtempSync(join(tmpdir(), 'teiten-ipv6-asn-'));
    const uncached = new AsnCsvLookup({ ipv4: csv, ipv6: csv }, INFO, 'b'.repeat(64));
    // Makes the cached table; the lookup below has no CSV to fall back on.
    new AsnCsvLookup({ ipv4: csv, ipv6: csv }, INFO, 'b'.repeat(64), { dataDir }).lookup6(new Uint8Array(16), 0);
    const cached = new AsnCsvLookup({ ipv4: csv, ipv6: join(dataDir, 'no-csv') }, INFO, 'b'.repeat(64), { dataDir });
    const bytes = new Uint8Array(16);
    let rows = 0;
    let differing = 0;
    for (const line of readFileSync(csv, 'utf8').split('\n')) {
      if (line === '') continue;
      rows++;
      const [first, last] = line.split(',');
      for (const address of [BigInt(first!), BigInt(last!), BigInt(last!) + 1n]) {
        if (address >= 1n << 128n) continue;
        for (let b = 15, rest = address; b >= 0; b--, rest >>= 8n) bytes[b] = Number(rest & 0xffn);
        if (cached.lookup6(bytes, 0) !== uncached.lookup6(bytes, 0)) differing++;
      }
    }
    expect(rows).toBeGreaterThan(50_000);
    expect(differing).toBe(0);
  });
});
