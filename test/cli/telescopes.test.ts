import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pcapOf, tempDir, testGeo, writeTemp } from '../../src/ingest/testdata/captures.js';
import { CURRENT_FRAMES, DETECT_PERIOD, PREVIOUS_FRAMES } from '../../src/ingest/testdata/detection-scenario.js';
import { runCli } from './run-cli.js';

let db = '';

beforeAll(async () => {
  const dir = tempDir('teiten-cli-telescopes-');
  const { countryPath, asnPath } = await testGeo(dir);
  db = join(dir, 'store.duckdb');
  const files = [
    writeTemp(dir, 'previous.pcap', pcapOf(PREVIOUS_FRAMES)),
    writeTemp(dir, 'current.pcap', pcapOf(CURRENT_FRAMES)),
  ];
  for (const [name, cidr] of [
    ['tokyo', '192.0.2.0/29'],
    ['osaka', '198.51.100.0/28'],
    ['nagoya', '203.0.113.0/30'],
  ] as const) {
    expect(
      await runCli(['sensors', 'add', name, '--from', '2000-01-01T00:00:00Z', '--address', cidr, '--db', db]),
    ).toMatchObject({ code: 0, stderr: '' });
  }
  const ingest = await runCli([
    'ingest',
    '--db',
    db,
    '--sensor',
    'tokyo',
    '--geoip',
    countryPath,
    '--asn-db',
    asnPath,
    ...files,
  ]);
  expect(ingest.code).toBe(0);
}, 120_000);

describe('teiten telescopes and --telescope', () => {
  it('a telescope selects exactly its sensors in stats, detections and detect --period', async () => {
    const added = await runCli([
      'telescopes',
      'add',
      'kanto',
      '--sensor',
      'tokyo',
      '--sensor',
      'nagoya',
      '--label',
      'east',
      '--db',
      db,
    ]);
    expect(added).toMatchObject({ code: 0, stderr: '', stdout: 'kanto — east: nagoya, tokyo\n' });
    const list = await runCli(['telescopes', 'list', '--json', '--db', db]);
    expect(JSON.parse(list.stdout)).toEqual([{ name: 'kanto', label: 'east', sensors: ['nagoya', 'tokyo'] }]);
    for (const command of [['stats', '--by', 'service'], ['detections'], ['detect']]) {
      const byTelescope = await runCli([
        ...command,
        '--db',
        db,
        '--period',
        DETECT_PERIOD,
        '--json',
        '--telescope',
        'kanto',
      ]);
      const bySensors = await runCli([
        ...command,
        '--db',
        db,
        '--period',
        DETECT_PERIOD,
        '--json',
        '--sensor',
        'tokyo',
        '--sensor',
        'nagoya',
      ]);
      const all = await runCli([...command, '--db', db, '--period', DETECT_PERIOD, '--json']);
      expect(byTelescope.code, byTelescope.stderr).toBe(0);
      expect(byTelescope.stdout).toBe(bySensors.stdout);
      if (command[0] === 'stats') {
        // osaka's 16 idle addresses are outside the telescope: its per-address figures are larger than the whole store's.
        const perAddress = (out: string): number => JSON.parse(out).summary.current.perDayPerAddress;
        expect(perAddress(byTelescope.stdout)).toBeGreaterThan(perAddress(all.stdout));
      }
    }
  }, 120_000);

  it('refuses unknown telescopes and sensors, --sensor with --telescope, and a telescope whose sensor was removed', async () => {
    const unknown = await runCli(['stats', '--db', db, '--period', DETECT_PERIOD, '--telescope', 'nowhere']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--telescope: No telescope named 'nowhere'/);
    const both = await runCli([
      'detections',
      '--db',
      db,
      '--period',
      DETECT_PERIOD,
      '--telescope',
      'kanto',
      '--sensor',
      'tokyo',
    ]);
    expect(both).toMatchObject({ code: 2 });
    expect(both.stderr).toMatch(/give --sensor or --telescope, not both/);
    const badSensor = await runCli(['telescopes', 'add', 'x', '--sensor', 'kobe', '--db', db]);
    expect(badSensor.code).toBe(2);
    expect(badSensor.stderr).toMatch(/Telescope 'x': no sensor named 'kobe'/);
    expect((await runCli(['telescopes', 'add', 'west', '--sensor', 'osaka', '--db', db])).code).toBe(0);
    expect((await runCli(['sensors', 'remove', 'osaka', '--db', db])).code).toBe(0);
    const stale = await runCli(['detections', '--db', db, '--period', DETECT_PERIOD, '--telescope', 'west']);
    expect(stale.code).toBe(2);
    expect(stale.stderr).toMatch(/Telescope 'west': no sensor named 'osaka'/);
    expect(await runCli(['telescopes', 'remove', 'west', '--db', db])).toMatchObject({
      code: 0,
      stdout: 'removed telescope west\n',
    });
    const list = await runCli(['telescopes', 'list', '--db', db]);
    expect(list.stdout).toBe('kanto — east: nagoya, tokyo\n');
  }, 120_000);
});
