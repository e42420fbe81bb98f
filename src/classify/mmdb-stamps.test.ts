import {
  copyFileSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultCountryDbPath, openGeoResolver } from './geo-sources.js';
import { GeoDbError } from './errors.js';
import { openStamped } from './mmdb-stamps.js';

let dir = '';
let mmdb = '';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'teiten-stamps-'));
  mmdb = join(dir, 'country.mmdb');
  copyFileSync(defaultCountryDbPath(), mmdb);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('MMDB stamps', () => {
  it('a second open uses the recorded metadata and shape, and answers as the first', async () => {
    const first = await openGeoResolver({ geoip: mmdb, dataDir: dir, asn: false });
    expect(readdirSync(dir).filter((f) => f.endsWith('.stamp.json'))).toHaveLength(1);
    const stamped = openStamped(mmdb, dir);
    expect(stamped).not.toBeNull();
    expect(stamped!.db.info).toEqual(first.country!.lookup.db.info);
    expect(stamped!.db.digest).toBe(first.country!.lookup.db.digest);
    const second = await openGeoResolver({ geoip: mmdb, dataDir: dir, asn: false });
    expect(second.country!.shape).toBe(first.country!.shape);
    expect(second.country!.description).toEqual(first.country!.description);
    // A lookup that needs the tree reads the file then, and gets the tree's answer.
    expect(second.country!.lookup.lookupText('1.1.1.1')).toBe(first.country!.lookup.lookupText('1.1.1.1'));
  }, 60_000);

  it('a file changed under an unchanged size, time and inode is caught when read', async () => {
    // Whole seconds, so the time can be set back exactly.
    const when = new Date(Math.floor(statSync(mmdb).mtimeMs / 1000) * 1000);
    utimesSync(mmdb, when, when);
    await openGeoResolver({ geoip: mmdb, dataDir: dir, asn: false });
    const fd = openSync(mmdb, 'r+');
    writeSync(fd, Buffer.from([0x55]), 0, 1, 100);
    closeSync(fd);
    utimesSync(mmdb, when, when);
    const stamped = openStamped(mmdb, dir)!;
    expect(() => stamped.db.bytes).toThrow(GeoDbError);
    expect(() => stamped.db.bytes).toThrow(/changed while teiten was using it/);
  }, 60_000);

  it('a new modification time makes the stamp stale: the file is read again', async () => {
    await openGeoResolver({ geoip: mmdb, dataDir: dir, asn: false });
    const later = new Date(statSync(mmdb).mtimeMs + 5_000);
    utimesSync(mmdb, later, later);
    expect(openStamped(mmdb, dir)).toBeNull();
    await openGeoResolver({ geoip: mmdb, dataDir: dir, asn: false });
    expect(openStamped(mmdb, dir)).not.toBeNull();
  }, 60_000);
});
