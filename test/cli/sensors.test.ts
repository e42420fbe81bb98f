import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pcapOf, tempDir, testGeo, writeTemp } from '../../src/ingest/testdata/captures.js';
import { FRAMES } from '../../src/ingest/testdata/scenario.js';
import { besidesStaleGeo, runCli } from './run-cli.js';

const dir = tempDir('teiten-cli-sensors-');

describe('teiten sensors', () => {
  it('sensors add, down and list --json keep what was given', async () => {
    const db = join(dir, 'a.duckdb');
    const add = await runCli([
      'sensors',
      'add',
      'tokyo-1',
      '--address',
      '192.0.2.0/24',
      '--address',
      '2001:db8:1::/64',
      '--label',
      'Tokyo /24',
      '--tz',
      'Asia/Tokyo',
      '--from',
      '2010-04-01T00:00:00+09:00',
      '--db',
      db,
    ]);
    expect(add).toMatchObject({ code: 0, stderr: '' });
    expect(add.stdout).toMatch(/added sensor tokyo-1 — Tokyo \/24/);
    const down = await runCli([
      'sensors',
      'down',
      'tokyo-1',
      '--from',
      '2010-06-01T00:00:00Z',
      '--to',
      '1275415200',
      '--note',
      'power cut',
      '--db',
      db,
    ]);
    expect(down).toMatchObject({ code: 0, stderr: '' });
    expect(down.stdout).toMatch(/down 2010-06-01T00:00:00Z \.\. 2010-06-01T18:00:00Z \(power cut\)/);
    const list = await runCli(['sensors', 'list', '--json', '--db', db]);
    expect(list).toMatchObject({ code: 0, stderr: '' });
    const [sensor] = JSON.parse(list.stdout);
    expect(sensor).toMatchObject({
      name: 'tokyo-1',
      label: 'Tokyo /24',
      timeZone: 'Asia/Tokyo',
      addresses: [
        { cidr: '192.0.2.0/24', addressCount: 256 },
        { cidr: '2001:db8:1::/64', addressCount: 1 },
      ],
    });
    expect(sensor.intervals).toEqual([
      { kind: 'operating', fromSec: 1270047600, toSec: 253402214400, note: '', from: '2010-03-31T15:00:00Z', to: null },
      {
        kind: 'down',
        fromSec: 1275350400,
        toSec: 1275415200,
        note: 'power cut',
        from: '2010-06-01T00:00:00Z',
        to: '2010-06-01T18:00:00Z',
      },
    ]);
    const text = await runCli(['sensors', 'list', '--db', db]);
    expect(text.stdout).toMatch(
      /tokyo-1 — Tokyo \/24 \(id \d+, Asia\/Tokyo\)\n {2}addresses: 192\.0\.2\.0\/24, 2001:db8:1::\/64\n {2}operating 2010-03-31T15:00:00Z \.\. open/,
    );
  });

  it('sensors add refuses a taken name and a bad address, naming the field', async () => {
    const db = join(dir, 'b.duckdb');
    expect(
      await runCli(['sensors', 'add', 'a', '--from', '2000-01-01T00:00:00Z', '--address', '192.0.2.0/24', '--db', db]),
    ).toMatchObject({ code: 0, stderr: '' });
    const taken = await runCli([
      'sensors',
      'add',
      'a',
      '--from',
      '2000-01-01T00:00:00Z',
      '--address',
      '198.51.100.0/24',
      '--db',
      db,
    ]);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/TEITEN_STORE_SENSOR_CONFLICT/);
    const overlap = await runCli([
      'sensors',
      'add',
      'b',
      '--from',
      '2000-01-01T00:00:00Z',
      '--address',
      '192.0.2.128/25',
      '--db',
      db,
    ]);
    expect(overlap.stderr).toMatch(/TEITEN_STORE_SENSOR_CONFLICT/);
    const bad = await runCli([
      'sensors',
      'add',
      'c',
      '--from',
      '2000-01-01T00:00:00Z',
      '--address',
      '192.0.2.300',
      '--db',
      db,
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/addresses\[0\].*TEITEN_STORE_INVALID_SENSOR/);
    expect((await runCli(['sensors', 'add', 'd', '--db', db])).code).toBe(2);
    // The operating start is required, and checked before any store is made.
    const fresh = join(dir, 'no-from.duckdb');
    const noFrom = await runCli(['sensors', 'add', 'e', '--address', '192.0.2.0/24', '--db', fresh]);
    expect(noFrom.code).toBe(2);
    expect(noFrom.stderr).toMatch(/sensors add needs --from TIME: when the sensor started observing/);
    expect(existsSync(fresh)).toBe(false);
    expect((await runCli(['sensors', 'launch', '--db', db])).stderr).toMatch(
      /expected a subcommand: add, list, remove, down, enroll, revoke, status, got 'launch'/,
    );
  });

  it('sensors remove refuses a sensor with data unless --with-data', async () => {
    const db = join(dir, 'c.duckdb');
    await runCli([
      'sensors',
      'add',
      'tokyo',
      '--from',
      '2000-01-01T00:00:00Z',
      '--address',
      '192.0.2.0/24',
      '--db',
      db,
    ]);
    const file = writeTemp(dir, 'c.pcap', pcapOf(FRAMES));
    const { countryPath, asnPath } = await testGeo(dir);
    const ingested = await runCli([
      'ingest',
      '--db',
      db,
      '--sensor',
      'tokyo',
      '--geoip',
      countryPath,
      '--asn-db',
      asnPath,
      '--json',
      file,
    ]);
    expect(ingested.code).toBe(0);
    expect(besidesStaleGeo(ingested.stderr)).toBe('');
    const refused = await runCli(['sensors', 'remove', 'tokyo', '--db', db]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /Cannot remove sensor tokyo: it has 1 ingested capture\(s\); add --with-data to delete them with it \[TEITEN_STORE_SENSOR_IN_USE\]/,
    );
    const removed = await runCli(['sensors', 'remove', 'tokyo', '--with-data', '--db', db]);
    expect(removed.stdout).toMatch(/removed sensor tokyo and its data/);
    expect((await runCli(['sensors', 'list', '--json', '--db', db])).stdout.trim()).toBe('[]');
    expect((await runCli(['sensors', 'remove', 'tokyo', '--db', db])).stderr).toMatch(/No sensor "tokyo"/);
  });

  it('only sensors add creates a store: other commands name the missing store and leave nothing behind', async () => {
    const db = join(dir, 'typo.duckdb');
    for (const args of [
      ['sensors', 'list'],
      ['sensors', 'remove', 'x'],
      ['ingests'],
      ['telescopes', 'list'],
      ['ingest', '--sensor', 'x', join(dir, 'none.pcap')],
      ['stats', '--period', '2010-06'],
      ['detections', '--period', '2010-06'],
    ]) {
      const result = await runCli([...args, '--db', db]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/no store at .*typo\.duckdb: register a sensor first/);
      expect(existsSync(db), args.join(' ')).toBe(false);
    }
    const url = process.env['CLICKHOUSE_URL'];
    if (url === undefined || url === '') {
      console.log('skipped the ClickHouse half: CLICKHOUSE_URL is not set');
      return;
    }
    const database = `teiten_absent_${process.pid}`;
    const store = `${url.replace(/^http/, 'clickhouse')}/${database}`;
    const list = await runCli(['sensors', 'list', '--store', store]);
    expect(list.code).toBe(2);
    expect(list.stderr).toMatch(/no store at clickhouse:/);
    const databases = await fetch(
      `${url}/?query=${encodeURIComponent(`SELECT count() FROM system.databases WHERE name = '${database}'`)}`,
    );
    expect((await databases.text()).trim()).toBe('0');
  });

  it('sensors add refuses control characters in a label (escape sequences would reach terminals)', async () => {
    const db = join(dir, 'c.duckdb');
    const result = await runCli([
      'sensors',
      'add',
      'a',
      '--from',
      '2000-01-01T00:00:00Z',
      '--address',
      '192.0.2.0/24',
      '--label',
      'red\u001b[31m',
      '--db',
      db,
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/label must not contain control characters, found U\+001B/);
  });
});
