/**
 * Issue 12's acceptance: the figures do not depend on how traffic was cut
 * into files or which sensor's captures came first. The `detector-check`
 * scenario (three sensors, three days, DoS attacks whose answers reach every
 * sensor) is ingested once as whole files and again cut by `editcap -i 3600`
 * (every hour its own ingest, sensors one after another, each sensor's
 * pieces in one `teiten ingest` call) and cut by `editcap -i 60` inside a
 * two-hour slice (the rest as two pieces). `stats --json` and `detections
 * --json` (the attack list derived over the telescope with the same recorded
 * thresholds, and the scanners derived from the merged scanner evidence of
 * all sensors) must be identical.
 */

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../src/ingest/testdata/captures.js';
import { haveCommand } from '../../src/util/have-command.js';
import { besidesStaleGeo, runCli } from './run-cli.js';

const EDITCAP = haveCommand('editcap');
if (!EDITCAP) console.log('split-invariance: skipped, editcap (Debian package tshark) is not installed');

/** Loose enough that the scenario's small planted episodes are attacks, recorded by `detect --rerun`. */
const THRESHOLDS = ['--attack-min-packets', '10', '--attack-min-duration', '60', '--attack-min-window-packets', '1'];
const PERIOD = '2010-06-01..2010-06-03';
/** The slice cut by the minute: 2010-06-01T15:00Z .. 17:00Z (the scenario's second local day). */
const SLICE = [1_275_404_400, 1_275_411_600] as const;

interface Sensor {
  name: string;
  addresses: string[];
}

let dir = '';
let sensors: Sensor[] = [];

function editcap(args: string[]): void {
  execFileSync('editcap', ['-F', 'pcap', ...args], { stdio: 'ignore' });
}

/** A pcap of the global header alone: editcap writes one for every empty minute. */
const EMPTY_PCAP_BYTES = 24;

/**
 * The pieces editcap wrote, empty ones left out: all empty pieces have the
 * same bytes, and the store refuses a capture it already holds.
 */
function pieces(folder: string): string[] {
  return readdirSync(folder)
    .sort()
    .map((f) => join(folder, f))
    .filter((f) => statSync(f).size > EMPTY_PCAP_BYTES);
}

/** A store with the sensors, each sensor's files ingested by one call, then the thresholds recorded. */
async function storeOf(name: string, filesOf: (sensor: string) => string[]): Promise<string> {
  const db = join(dir, `${name}.duckdb`);
  for (const s of sensors) {
    const added = await runCli([
      'sensors',
      'add',
      s.name,
      '--from',
      '2000-01-01T00:00:00Z',
      '--db',
      db,
      ...s.addresses.flatMap((a) => ['--address', a]),
    ]);
    expect(added.code).toBe(0);
  }
  for (const s of sensors) {
    // A minute cut can hold only packets to other hosts (the scenarios send some): stored as they are, not refused.
    const ingest = await runCli([
      'ingest',
      '--db',
      db,
      '--sensor',
      s.name,
      '--json',
      '--allow-empty',
      ...filesOf(s.name),
    ]);
    expect(besidesStaleGeo(ingest.stderr)).toBe('');
    expect(ingest.code).toBe(0);
  }
  const rerun = await runCli(['detect', '--db', db, '--period', PERIOD, '--rerun', ...THRESHOLDS]);
  expect(rerun.code).toBe(0);
  return db;
}

interface Detections {
  signatures: unknown;
  backscatter: { attacks: Array<{ sensors: unknown[] }> };
  scanners: { windows: number; top: Array<{ sensors: unknown[]; tools: string[] }> };
  reflection: unknown;
}

async function figures(db: string): Promise<{ stats: unknown[]; detections: Detections }> {
  const stats = [];
  for (const by of ['service', 'country', 'sensor']) {
    const r = await runCli(['stats', '--db', db, '--period', PERIOD, '--by', by, '--json']);
    expect(r.code).toBe(0);
    stats.push(JSON.parse(r.stdout));
  }
  const d = await runCli(['detections', '--db', db, '--period', PERIOD, '--top', '1000', '--json']);
  expect(d.code).toBe(0);
  const { signatures, backscatter, scanners, reflection } = JSON.parse(d.stdout);
  // The method record counts ingests, which cutting multiplies by design.
  delete signatures.method;
  delete signatures.previousMethod;
  delete backscatter.method;
  delete backscatter.previousMethod;
  return { stats, detections: { signatures, backscatter, scanners, reflection } };
}

describe.skipIf(!EDITCAP)('split invariance (editcap -i 3600 and -i 60)', () => {
  beforeAll(async () => {
    dir = tempDir('teiten-split-');
    const sim = await runCli(['simulate', '--scenario', 'detector-check', '--out', join(dir, 'sim')]);
    expect(sim.code).toBe(0);
    const truth = JSON.parse(readFileSync(join(dir, 'sim', 'truth.json'), 'utf8')) as { sensors: Sensor[] };
    sensors = truth.sensors.map((s) => ({ name: s.name, addresses: s.addresses }));
  }, 60_000);

  it('stats and detections are the same for whole files, hourly pieces and minute pieces', async () => {
    const whole = (sensor: string): string => join(dir, 'sim', `${sensor}.pcap`);
    const hourly = (sensor: string): string[] => {
      const out = join(dir, `h-${sensor}`);
      execFileSync('mkdir', ['-p', out]);
      editcap(['-i', '3600', whole(sensor), join(out, 'p.pcap')]);
      return pieces(out);
    };
    const minutes = (sensor: string): string[] => {
      const out = join(dir, `m-${sensor}`);
      execFileSync('mkdir', ['-p', out]);
      editcap(['-B', String(SLICE[0]), whole(sensor), join(out, 'a-before.pcap')]);
      editcap(['-A', String(SLICE[1]), whole(sensor), join(out, 'z-after.pcap')]);
      const slice = join(dir, `slice-${sensor}.pcap`);
      editcap(['-A', String(SLICE[0]), '-B', String(SLICE[1]), whole(sensor), slice]);
      editcap(['-i', '60', slice, join(out, 'm.pcap')]);
      return pieces(out);
    };
    const base = await figures(await storeOf('whole', (s) => [whole(s)]));
    // Sanity: the comparison has attacks seen by more than one sensor, and hourly cuts give many ingests.
    expect(base.detections.backscatter.attacks.length).toBeGreaterThan(0);
    expect(base.detections.backscatter.attacks.some((a) => a.sensors.length > 1)).toBe(true);
    // … and scanners, tool-tagged ones and ones whose probes reached more than one sensor.
    const { scanners } = base.detections;
    console.log(
      `split-invariance: ${scanners.windows} scanners, ${scanners.top.filter((s) => s.sensors.length > 1).length} of the top ${scanners.top.length} seen by several sensors`,
    );
    expect(scanners.top.some((s) => s.tools.length > 0)).toBe(true);
    expect(scanners.top.some((s) => s.sensors.length > 1)).toBe(true);
    const hourlyFiles = new Map(sensors.map((s) => [s.name, hourly(s.name)]));
    expect(hourlyFiles.get('check-b')!.length).toBeGreaterThan(60);
    expect(await figures(await storeOf('hourly', (s) => hourlyFiles.get(s)!))).toEqual(base);
    const minuteFiles = new Map(sensors.map((s) => [s.name, minutes(s.name)]));
    expect(minuteFiles.get('check-b')!.length).toBeGreaterThan(60);
    expect(await figures(await storeOf('minutes', (s) => minuteFiles.get(s)!))).toEqual(base);
  }, 600_000);
});
