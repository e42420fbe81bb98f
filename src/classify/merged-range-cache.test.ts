import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openGeoResolver } from './geo-sources.js';
import { ipv4CountryOf, mergedIpv4 } from './geoip.js';
import { COUNTRY_UNKNOWN } from './country-code.js';
import { isSpecialUseIpv4 } from './special-use.js';

function bytesOf(a: Uint32Array | Float64Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

describe('useCachedMergedIpv4()', () => {
  it('stores the merged table on first open, later opens read only it, and a damaged file is rebuilt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teiten-merged-'));
    try {
      const first = await openGeoResolver({ dataDir: dir, asn: false });
      const merged = readdirSync(dir).filter((f) => f.startsWith('ipv4-merged-'));
      expect(merged).toHaveLength(1);
      expect(merged[0]).toMatch(/^ipv4-merged-[0-9a-f]{24}-v2\.ranges$/);
      const built = mergedIpv4(first)!;
      const second = await openGeoResolver({ dataDir: dir, asn: false });
      const read = mergedIpv4(second)!;
      // Only the merged file is read when it is there.
      expect(second.country?.lookup.builtIpv4Ranges).toBeUndefined();
      expect(read).not.toBe(built);
      expect(read.size).toBe(built.size);
      expect(bytesOf(read.starts).equals(bytesOf(built.starts))).toBe(true);
      expect(bytesOf(read.values).equals(bytesOf(built.values))).toBe(true);
      // A flipped bit anywhere in the arrays fails the checksum: the table is rebuilt, never read.
      const file = join(dir, merged[0]!);
      const bytes = readFileSync(file);
      bytes[bytes.length - 3]! ^= 1;
      writeFileSync(file, bytes);
      expect(Array.from(mergedIpv4(await openGeoResolver({ dataDir: dir, asn: false }))!.values)).toEqual(
        Array.from(built.values),
      );
      writeFileSync(join(dir, merged[0]!), 'not a table');
      const third = await openGeoResolver({ dataDir: dir, asn: false });
      const rebuilt = mergedIpv4(third)!;
      expect(Array.from(rebuilt.values)).toEqual(Array.from(built.values));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('ipv4CountryOf() answers from the merged table as the tree does, special-use blocks unknown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teiten-merged-'));
    try {
      await openGeoResolver({ dataDir: dir, asn: false });
      const cached = await openGeoResolver({ dataDir: dir, asn: false });
      expect(mergedIpv4(cached)).not.toBeNull();
      const tree = await openGeoResolver({ asn: false, ipv4Ranges: false });
      const fromTable = ipv4CountryOf(cached);
      const fromTree = ipv4CountryOf(tree);
      let state = 12345;
      for (let i = 0; i < 20_000; i++) {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        const addr = i < 3 ? [0x0a000001, 0xc0000201, 0x7f000001][i]! : state;
        const expected = isSpecialUseIpv4(addr) ? COUNTRY_UNKNOWN : tree.country!.lookup.lookup4(addr);
        expect(fromTable(addr)).toBe(expected);
        expect(fromTree(addr)).toBe(expected);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
