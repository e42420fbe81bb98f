import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AsnCsvLookup } from './asn-csv.js';
import { GeoDbError } from './errors.js';
import { parseIpv4, parseIpv6 } from '../util/ip-address.js';

const dir = mkdtempSync(join(tmpdir(), 'teiten-asn-csv-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
const INFO = { path: 'x', databaseType: 'test', buildEpoch: new Date('2026-06-17T19:00:00Z'), description: 'test' };
const EMPTY6 = file('empty6.csv', '');
function lookup(ipv4: string, ipv6 = EMPTY6): AsnCsvLookup {
  return new AsnCsvLookup({ ipv4, ipv6 }, INFO, 'test');
}

const IPV4_NUM = [
  '16777216,16777471,13335,"Cloudflare, Inc."', // 1.0.0.0 - 1.0.0.255
  '16781312,16781567,2519,ARTERIA Networks Corporation', // 1.0.16.0/24
  '134744064,134744319,15169,Google LLC', // 8.8.8.0/24
  '3221225985,3221226238,64496,"The ""Quoted"" Org"', // 192.0.2.1 - 192.0.2.254
  '3221226239,3221226239,64499,', // 192.0.2.255, next to the row before
  '3325256704,3325256959,64497,', // 198.51.100.0/24, no organisation
  '',
].join('\r\n');
const IPV6_NUM = [
  '42541956101370907050197289607612071936,42541956180599069564461627201156022271,15169,Google LLC', // 2001:4860::/32
  '42541956180599069564461627201156022272,42541956180599069564461627201156022272,64500,One', // 2001:4861::, alone
  '',
].join('\n');
const IPV4_TEXT = '1.0.16.0,1.0.16.255,2519,ARTERIA Networks Corporation\n';
const IPV6_TEXT = '2001:200::,2001:200:ffff:ffff:ffff:ffff:ffff:ffff,2500,WIDE Project\n';

describe('AsnCsvLookup', () => {
  const asn = lookup(file('v4.csv', IPV4_NUM), file('v6.csv', IPV6_NUM));
  const at4 = (ip: string): number => asn.lookup4(parseIpv4(ip));
  const at6 = (ip: string): number => asn.lookup6(parseIpv6(ip), 0);

  it('AsnCsvLookup answers IPv4 rows at their first and last address, and 0 in the gaps', () => {
    expect(at4('0.0.0.0')).toBe(0);
    expect(at4('0.255.255.255')).toBe(0);
    expect(at4('1.0.0.0')).toBe(13335);
    expect(at4('1.0.0.255')).toBe(13335);
    expect(at4('1.0.1.0')).toBe(0);
    expect(at4('1.0.16.0')).toBe(2519);
    expect(at4('1.0.17.0')).toBe(0);
    expect(at4('8.8.8.8')).toBe(15169);
    expect(at4('192.0.2.0')).toBe(0);
    expect(at4('192.0.2.1')).toBe(64496);
    expect(at4('192.0.2.254')).toBe(64496);
    expect(at4('192.0.2.255')).toBe(64499);
    expect(at4('192.0.3.0')).toBe(0);
    expect(at4('198.51.100.9')).toBe(64497);
    expect(at4('255.255.255.255')).toBe(0);
    expect(asn.organization(13335)).toBe('Cloudflare, Inc.');
    expect(asn.organization(64496)).toBe('The "Quoted" Org');
    expect(asn.organization(64497)).toBeUndefined();
  });

  it('AsnCsvLookup answers IPv6 rows from the numeric file, read only when an IPv6 address is asked', () => {
    const fresh = lookup(file('v4b.csv', IPV4_NUM), file('v6b.csv', IPV6_NUM));
    expect(fresh.organization(15169)).toBeUndefined();
    expect(fresh.lookup6(parseIpv6('2001:4860::'), 0)).toBe(15169);
    expect(fresh.organization(15169)).toBe('Google LLC');
    expect(at6('2001:4860:4860::8888')).toBe(15169);
    expect(at6('2001:4860:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(15169);
    expect(at6('2001:4861::')).toBe(64500);
    expect(at6('2001:4861::1')).toBe(0);
    expect(at6('2001:485f:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(0);
    expect(at6('::')).toBe(0);
    // At an offset inside a larger buffer, as the batch columns hold them.
    const bytes = new Uint8Array(48);
    bytes.set(parseIpv6('2001:4860::1'), 16);
    expect(asn.lookup6(bytes, 16)).toBe(15169);
  });

  it('AsnCsvLookup reads dotted and textual address columns', () => {
    const text = lookup(file('v4t.csv', IPV4_TEXT), file('v6t.csv', IPV6_TEXT));
    expect(text.lookup4(parseIpv4('1.0.16.9'))).toBe(2519);
    expect(text.lookup4(parseIpv4('1.0.15.255'))).toBe(0);
    expect(text.lookup6(parseIpv6('2001:200:1::1'), 0)).toBe(2500);
    expect(text.lookup6(parseIpv6('2001:201::'), 0)).toBe(0);
  });

  it('AsnCsvLookup builds the IPv4 table once and uses a table it is given', () => {
    const once = lookup(file('v4c.csv', IPV4_NUM));
    expect(once.builtIpv4Ranges).toBeUndefined();
    const ranges = once.ipv4Ranges();
    expect(once.builtIpv4Ranges).toBe(ranges);
    expect(once.ipv4Ranges()).toBe(ranges);
    const other = lookup(join(dir, 'never-read.csv'));
    other.useIpv4Ranges(ranges);
    expect(other.lookup4(parseIpv4('8.8.8.8'))).toBe(15169);
  });

  it('AsnCsvLookup lays a row over the earlier rows it overlaps, as an MMDB built row by row', () => {
    // 10-20 AS1, then 15-17 AS2 inside it, then 16-30 AS3 over both; 40-50 AS4, then 40-45 AS5 from the same start.
    const v4 = lookup(file('overlap4.csv', '10,20,1,a\n15,17,2,b\n16,30,3,c\n40,50,4,d\n40,45,5,e\n'));
    const got = [9, 10, 14, 15, 16, 17, 18, 20, 30, 31, 39, 40, 45, 46, 50, 51].map((a) => v4.lookup4(a));
    expect(got).toEqual([0, 1, 1, 2, 3, 3, 3, 3, 3, 0, 0, 5, 5, 4, 4, 0]);
    const v6 = lookup(EMPTY6, file('overlap6.csv', '2001:db8::,2001:db8::ffff,1,a\n2001:db8::10,2001:db8::1f,2,b\n'));
    const at = (ip: string): number => v6.lookup6(parseIpv6(ip), 0);
    const addresses = [
      '2001:db8::',
      '2001:db8::f',
      '2001:db8::10',
      '2001:db8::1f',
      '2001:db8::20',
      '2001:db8::ffff',
      '2001:db8::1:0',
    ];
    expect(addresses.map(at)).toEqual([1, 1, 2, 2, 1, 1, 0]);
  });

  it('AsnCsvLookup names file and line of a bad row', () => {
    const bad = file('bad.csv', '16777216,16777471,13335,x\n16777472,zzz,1,y\n');
    expect(() => lookup(bad).lookup4(0)).toThrow(/bad\.csv line 2: "zzz" is not an IPv4 number/);
    expect(() => lookup(bad).lookup4(0)).toThrow(GeoDbError);
    expect(() => lookup(file('b2.csv', '1,2,AS1,x\n')).lookup4(0)).toThrow(/line 1: ASN "AS1"/);
    expect(() => lookup(file('b3.csv', '1,2\n')).lookup4(0)).toThrow(/line 1: fewer than 3 fields/);
    expect(() => lookup(file('b4.csv', '5,2,1,x\n')).lookup4(0)).toThrow(/line 1: range ends \(2\) before it starts/);
    expect(() => lookup(file('b6.csv', '10,20,1,x\n5,8,2,y\n')).lookup4(0)).toThrow(
      /line 2: range starts \(5\) before the previous row's start/,
    );
    expect(() => lookup(EMPTY6, file('b5.csv', '1::,2::x,1,x\n')).lookup6(new Uint8Array(16), 0)).toThrow(
      /not an IPv6 address/,
    );
    expect(() => lookup(join(dir, 'missing.csv')).lookup4(0)).toThrow(expect.objectContaining({ code: 'GEODB_READ' }));
  });
});
