import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pcapOf, tempDir, testGeo, writeTemp } from '../../src/ingest/testdata/captures.js';
import { CURRENT_FRAMES, DETECT_PERIOD, PREVIOUS_FRAMES } from '../../src/ingest/testdata/detection-scenario.js';
import { besidesStaleGeo, runCli } from './run-cli.js';

let dir = '';
let geoArgs: string[] = [];
let files: string[] = [];

beforeAll(async () => {
  dir = tempDir('teiten-cli-detections-');
  const { countryPath, asnPath } = await testGeo(dir);
  geoArgs = ['--geoip', countryPath, '--asn-db', asnPath];
  files = [
    writeTemp(dir, 'previous.pcap', pcapOf(PREVIOUS_FRAMES)),
    writeTemp(dir, 'current.pcap', pcapOf(CURRENT_FRAMES)),
  ];
});

async function newStore(name: string): Promise<string> {
  const db = join(dir, name);
  const added = await runCli([
    'sensors',
    'add',
    'tokyo',
    '--from',
    '2000-01-01T00:00:00Z',
    '--address',
    '192.0.2.0/29',
    '--address',
    '2001:db8:1::1',
    '--db',
    db,
  ]);
  expect(added).toMatchObject({ code: 0, stderr: '' });
  return db;
}

describe('teiten ingest with detection, and teiten detections', () => {
  it('ingest states the signatures loaded and what each capture gave; detections prints §3 and §4 tables', async () => {
    const db = await newStore('text.duckdb');
    const ingest = await runCli(['ingest', '--db', db, '--sensor', 'tokyo', ...geoArgs, ...files]);
    expect(ingest.code).toBe(0);
    expect(besidesStaleGeo(ingest.stderr)).toBe('');
    expect(ingest.stdout).toMatch(/^detection: 36 signatures loaded from teiten-darknet\.rules \(36\)/);
    expect(ingest.stdout).toMatch(
      /detected 10 signature alerts on 10 packets, 128 backscatter packets, \d+ backscatter and 4 scanner evidence rows/,
    );
    const result = await runCli(['detections', '--db', db, '--period', DETECT_PERIOD]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(
      /Detection ran for 1 of 1 ingests with packets in the period; rules: 36 signatures from teiten-darknet\.rules/,
    );
    expect(result.stdout).toMatch(/Detections per day per address +0\.56 +0\.11 +\+0\.44 +\+400\.0%/);
    expect(result.stdout).toMatch(/ +1 +1 +Worm +0\.28 +\+150\.0% +50\.0 +5 +1\.5/);
    expect(result.stdout).toMatch(/6667\/TCP +120 +93\.8 +1/);
    // Eight addresses: too few to extrapolate from (withheld, n/a).
    expect(result.stdout).toMatch(/2010-06-01T03:00:10Z +61\.5\.5\.5 +China \(CN\) +6667\/TCP +120 +119 +1\.00 +n\/a/);
    expect(result.stdout).toMatch(/zmap +1 +16 +China \(CN\) 1/);
  });

  it('ingest --no-signatures and --rules change what runs; detections --json gives the statistics', async () => {
    const db = await newStore('json.duckdb');
    const rules = writeTemp(
      dir,
      'dht.rules',
      Buffer.from('alert udp any any -> any 6881 (msg:"TEST DHT port"; sid:1000001; rev:1;)\n'),
    );
    const off = await runCli([
      'ingest',
      '--db',
      db,
      '--sensor',
      'tokyo',
      ...geoArgs,
      '--json',
      '--no-signatures',
      files[0]!,
    ]);
    expect(off.code).toBe(0);
    expect(JSON.parse(off.stdout)[0].detection).toMatchObject({ alerts: 0, backscatterPackets: 10 });
    const on = await runCli([
      'ingest',
      '--db',
      db,
      '--sensor',
      'tokyo',
      ...geoArgs,
      '--json',
      '--no-bundled',
      '--rules',
      rules,
      files[1]!,
    ]);
    expect(on.code).toBe(0);
    expect(JSON.parse(on.stdout)[0].detection).toMatchObject({ alerts: 2, signaturePackets: 2 });
    const result = await runCli(['detections', '--db', db, '--period', DETECT_PERIOD, '--json']);
    expect(result.code).toBe(0);
    const { signatures, backscatter, scanners } = JSON.parse(result.stdout);
    expect(signatures.categories.map((c: { category: string; packets: number }) => [c.category, c.packets])).toEqual([
      ['Others', 2],
    ]);
    expect(signatures.method.ruleSets[0]).toMatchObject({ rulesLoaded: 1, files: [{ file: rules, rules: 1 }] });
    expect(backscatter.current).toMatchObject({ packets: 128, attacks: 1 });
    expect(scanners.byTool[0]).toMatchObject({ tool: 'zmap', sources: 1 });
  });

  it('ingest refuses a rule file with a syntax error, and detections a filter or period it cannot use', async () => {
    const db = await newStore('bad.duckdb');
    const bad = writeTemp(dir, 'bad.rules', Buffer.from('alert udp any any -> (msg:"broken"; sid:2;)\n'));
    const ingest = await runCli(['ingest', '--db', db, '--sensor', 'tokyo', ...geoArgs, '--rules', bad, files[0]!]);
    expect(ingest.code).toBe(2);
    expect(ingest.stderr).toMatch(/Cannot load signatures: 1 rule syntax error\(s\), first: .*bad\.rules/);
    const missing = await runCli([
      'ingest',
      '--db',
      db,
      '--sensor',
      'tokyo',
      ...geoArgs,
      '--rules',
      join(dir, 'nope.rules'),
      files[0]!,
    ]);
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.stderr).toMatch(/--rules .*nope\.rules: no such file/);
    const period = await runCli(['detections', '--db', db, '--period', '2010-13']);
    expect(period.code).toBe(2);
  });
});
