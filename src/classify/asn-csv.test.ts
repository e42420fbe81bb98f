import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Reader } from 'mmdb-lib';
import { describe, expect, it } from 'vitest';
import { ASN_DATABASE_TYPE, convertAsnCsv } from './asn-csv.js';
import { GeoDbError } from './errors.js';

const dir = mkdtempSync(join(tmpdir(), 'teiten-asn-csv-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const IPV4_NUM = [
  '16777216,16777471,13335,"Cloudflare, Inc."', // 1.0.0.0 - 1.0.0.255
  '16781312,16781567,2519,ARTERIA Networks Corporation', // 1.0.16.0/24
  '134744064,134744319,15169,Google LLC', // 8.8.8.0/24
  '3221225985,3221226238,64496,"The ""Quoted"" Org"', // 192.0.2.1 - 192.0.2.254
  '3325256704,3325256959,64497,', // 198.51.100.0/24, no organisation
  '',
].join('\r\n');
const IPV6_NUM = '42541956101370907050197289607612071936,42541956180599069564461627201156022271,15169,Google LLC\n'; // 2001:4860::/32
const IPV4_TEXT = '1.0.16.0,1.0.16.255,2519,ARTERIA Networks Corporation\n';
const IPV6_TEXT = '2001:200::,2001:200:ffff:ffff:ffff:ffff:ffff:ffff,2500,WIDE Project\n';

describe('convertAsnCsv()', () => {
  it('convertAsnCsv() builds a GeoLite2-ASN-shaped MMDB with exact ranges', async () => {
    const result = await convertAsnCsv(
      { ipv4: file('v4.csv', IPV4_NUM), ipv6: file('v6.csv', IPV6_NUM) },
      { buildEpoch: new Date('2026-06-17T19:00:00Z'), description: 'test asn' },
    );
    expect(result.rows).toBe(6);
    expect(result.distinctAsns).toBe(5);
    const r = new Reader(result.mmdb);
    expect(r.metadata.databaseType).toBe(ASN_DATABASE_TYPE);
    expect(r.metadata.buildEpoch.toISOString()).toBe('2026-06-17T19:00:00.000Z');
    expect(r.metadata.description).toEqual({ en: 'test asn' });
    expect(r.getWithPrefixLength('1.0.0.255')).toEqual([
      { autonomous_system_number: 13335, autonomous_system_organization: 'Cloudflare, Inc.' },
      24,
    ]);
    expect(r.get('1.0.1.0')).toBeNull();
    expect(r.get('8.8.8.8')).toEqual({ autonomous_system_number: 15169, autonomous_system_organization: 'Google LLC' });
    expect(r.get('192.0.2.0')).toBeNull();
    expect(r.getWithPrefixLength('192.0.2.1')).toEqual([
      { autonomous_system_number: 64496, autonomous_system_organization: 'The "Quoted" Org' },
      32,
    ]);
    expect(r.get('192.0.2.254')).toEqual({
      autonomous_system_number: 64496,
      autonomous_system_organization: 'The "Quoted" Org',
    });
    expect(r.get('192.0.2.255')).toBeNull();
    expect(r.get('198.51.100.9')).toEqual({ autonomous_system_number: 64497 });
    expect(r.getWithPrefixLength('2001:4860:4860::8888')).toEqual([
      { autonomous_system_number: 15169, autonomous_system_organization: 'Google LLC' },
      32,
    ]);
    expect(r.get('2001:4861::')).toBeNull();
    expect(r.get('::ffff:8.8.8.4')).toEqual({
      autonomous_system_number: 15169,
      autonomous_system_organization: 'Google LLC',
    });
  });

  it('convertAsnCsv() reads dotted and textual address columns', async () => {
    const { mmdb } = await convertAsnCsv({ ipv4: file('v4t.csv', IPV4_TEXT), ipv6: file('v6t.csv', IPV6_TEXT) });
    const r = new Reader(mmdb);
    expect(r.getWithPrefixLength('1.0.16.9')).toEqual([
      { autonomous_system_number: 2519, autonomous_system_organization: 'ARTERIA Networks Corporation' },
      24,
    ]);
    expect(r.getWithPrefixLength('2001:200:1::1')).toEqual([
      { autonomous_system_number: 2500, autonomous_system_organization: 'WIDE Project' },
      32,
    ]);
  });

  it('convertAsnCsv() names file and line of a bad row', async () => {
    const bad = file('bad.csv', '16777216,16777471,13335,x\n16777472,zzz,1,y\n');
    await expect(convertAsnCsv({ ipv4: bad })).rejects.toThrow(/bad\.csv line 2: "zzz" is not an IPv4 number/);
    await expect(convertAsnCsv({ ipv4: file('b2.csv', '1,2,AS1,x\n') })).rejects.toThrow(/line 1: ASN "AS1"/);
    await expect(convertAsnCsv({ ipv4: file('b3.csv', '1,2\n') })).rejects.toThrow(/line 1: fewer than 3 fields/);
    await expect(convertAsnCsv({ ipv4: file('b4.csv', '5,2,1,x\n') })).rejects.toThrow(RangeError);
    await expect(convertAsnCsv({ ipv6: file('b5.csv', '1::,2::x,1,x\n') })).rejects.toThrow(/not an IPv6 address/);
    await expect(convertAsnCsv({ ipv4: join(dir, 'missing.csv') })).rejects.toThrow(
      expect.objectContaining({ code: 'GEODB_READ' }),
    );
    await expect(convertAsnCsv({ ipv4: bad })).rejects.toBeInstanceOf(GeoDbError);
  });
});
