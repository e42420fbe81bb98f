import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openGeoResolver } from './geo-sources.js';
import { mergedIpv4 } from './geoip.js';

describe('useCachedMergedIpv4()', () => {
  it('stores the merged table on first open, later opens read the same table, and a damaged file is rebuilt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teiten-merged-'));
    try {
      const first = await openGeoResolver({ dataDir: dir, asn: false });
      const merged = readdirSync(dir).filter((f) => f.startsWith('ipv4-merged-'));
      expect(merged).toHaveLength(1);
      expect(merged[0]).toMatch(/^ipv4-merged-[0-9a-f]{24}-v1\.ranges$/);
      const built = mergedIpv4(first)!;
      const second = await openGeoResolver({ dataDir: dir, asn: false });
      const read = mergedIpv4(second)!;
      expect(read).not.toBe(built);
      expect(read.size).toBe(built.size);
      expect(Buffer.from(read.starts.buffer).equals(Buffer.from(built.starts.buffer))).toBe(true);
      expect(Buffer.from(read.values.buffer).equals(Buffer.from(built.values.buffer))).toBe(true);
      writeFileSync(join(dir, merged[0]!), 'not a table');
      const third = await openGeoResolver({ dataDir: dir, asn: false });
      const rebuilt = mergedIpv4(third)!;
      expect(Array.from(rebuilt.values)).toEqual(Array.from(built.values));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
