/**
 * `teiten ingest --keep-truncated` and `teiten ingests`: a capture its writer
 * left cut inside a record is refused whole by default (file and offset in
 * the error, the store as before) and the same command succeeds once the file
 * is complete; with --keep-truncated its complete records are counted and
 * `ingests` shows where it was cut, in text and JSON.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pcapOf, tempDir, testGeo, writeTemp } from '../../src/ingest/testdata/captures.js';
import { FRAMES } from '../../src/ingest/testdata/scenario.js';
import { besidesStaleGeo, runCli } from './run-cli.js';

let dir = '';
let geoArgs: string[] = [];
/** Bytes of the last record left in a cut file. */
const KEPT_OF_LAST = 20;

beforeAll(async () => {
  dir = tempDir('teiten-cli-ingests-');
  const { countryPath, asnPath } = await testGeo(dir);
  geoArgs = ['--geoip', countryPath, '--asn-db', asnPath];
});

async function newStore(name: string): Promise<string> {
  const db = join(dir, name);
  expect(
    await runCli([
      'sensors',
      'add',
      'tokyo',
      '--from',
      '2000-01-01T00:00:00Z',
      '--address',
      '192.0.2.0/24',
      '--address',
      '2001:db8:1::/64',
      '--db',
      db,
    ]),
  ).toMatchObject({ code: 0 });
  return db;
}

const lastRecordAt = pcapOf(FRAMES.slice(0, -1)).length;
const cutBytes = (): Buffer => pcapOf(FRAMES).subarray(0, lastRecordAt + KEPT_OF_LAST);

describe('teiten ingest of a capture cut inside a record', () => {
  it('ingest refuses it naming file and offset, leaves the store as it was, and the same command succeeds once the file is complete', async () => {
    const db = await newStore('cut.duckdb');
    const file = writeTemp(dir, 'growing.pcap', cutBytes());
    const args = ['ingest', '--db', db, '--sensor', 'tokyo', ...geoArgs, file];
    const refused = await runCli(args);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `Cannot ingest ${file}, nothing of it was stored: Cannot read capture ${file} at byte ${lastRecordAt}`,
    );
    expect(besidesStaleGeo(refused.stderr)).toMatch(/--keep-truncated \[TEITEN_CAPTURE_TRUNCATED\]\n$/);
    const none = await runCli(['ingests', '--db', db, '--json']);
    expect(JSON.parse(none.stdout)).toEqual([]);
    writeFileSync(file, pcapOf(FRAMES));
    const again = await runCli(args);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/read 10, counted 7/);
  });

  it('ingest --keep-truncated counts the complete records; ingests shows the truncation in text and JSON', async () => {
    const db = await newStore('keep.duckdb');
    const file = writeTemp(dir, 'cut.pcap', cutBytes());
    const kept = await runCli([
      'ingest',
      '--db',
      db,
      '--sensor',
      'tokyo',
      ...geoArgs,
      '--keep-truncated',
      '--json',
      file,
    ]);
    expect(kept.code, kept.stderr).toBe(0);
    expect(JSON.parse(kept.stdout)[0]).toMatchObject({
      ok: true,
      packetsRead: FRAMES.length - 1,
      truncatedAt: lastRecordAt,
    });
    const json = await runCli(['ingests', '--db', db, '--json']);
    expect(json.code).toBe(0);
    const [ingest] = JSON.parse(json.stdout);
    expect(ingest).toMatchObject({
      sensor: 'tokyo',
      fileName: file,
      truncated: true,
      truncatedAt: lastRecordAt,
      packetsRead: FRAMES.length - 1,
      bytes: cutBytes().length,
    });
    const text = await runCli(['ingests', '--db', db, '--sensor', 'tokyo']);
    expect(text.stdout).toContain(
      `truncated: the capture ends inside a record at byte ${lastRecordAt.toLocaleString('en')}`,
    );
    const complete = writeTemp(dir, 'complete.pcap', pcapOf(FRAMES.slice(0, 2)));
    expect((await runCli(['ingest', '--db', db, '--sensor', 'tokyo', ...geoArgs, complete])).code).toBe(0);
    const both = JSON.parse((await runCli(['ingests', '--db', db, '--json'])).stdout) as {
      truncated: boolean;
      truncatedAt: number;
    }[];
    expect(both.map((r) => [r.truncated, r.truncatedAt])).toEqual([
      [true, lastRecordAt],
      [false, 0],
    ]);
  });

  it('ingests refuses an unknown sensor', async () => {
    const db = await newStore('unknown.duckdb');
    const result = await runCli(['ingests', '--db', db, '--sensor', 'osaka']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/No sensor "osaka"/);
  });
});
