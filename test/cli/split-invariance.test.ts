/**
 * Issue 12's acceptance: the figures do not depend on how traffic was cut
 * into files or which sensor's captures came first. The `detector-check`
 * scenario (three sensors, three days, DoS attacks whose answers reach every
 * sensor, scanners probing several sensors) is ingested once as whole files
 * and again cut by `editcap -i 3600` and by `editcap -i 60` inside a
 * half-hour slice (the rest as two pieces): every piece its own `teiten
 * ingest` call, each sensor's pieces in time order, sensors one after
 * another. `stats --json` and `detections --json` (the attack list derived
 * over the telescope with the same recorded thresholds, the scanners derived
 * from the merged scanner evidence of all sensors, and threshold rules
 * decided over the matches of all sensors and files) must be identical. The
 * scenario's scanners are too slow for the bundled threshold rules (20 SYNs
 * in 60 s), so the ingests add three of their own (`THRESHOLD_RULES`) whose
 * chains run across files and sensors.
 *
 * About 300 ingest calls, each its own `teiten ingest` run (own store open,
 * ingest, commit and close) through the built CLI's `main()` in this
 * process: as separate processes they took 12–21 minutes here, nearly all
 * of it Node and module start-up. Queries run as separate processes.
 */

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../src/ingest/testdata/captures.js';
import { haveCommand } from '../../src/util/have-command.js';
import { besidesStaleGeo, runCli, runCliInProcess } from './run-cli.js';

const EDITCAP = haveCommand('editcap');
if (!EDITCAP) console.log('split-invariance: skipped, editcap (Debian package tshark) is not installed');

/** Loose enough that the scenario's small planted episodes are attacks, recorded by `detect --rerun`. */
const THRESHOLDS = ['--attack-min-packets', '10', '--attack-min-duration', '60', '--attack-min-window-packets', '1'];
const PERIOD = '2010-06-01..2010-06-03';
/** The slice cut by the minute: 2010-06-01T15:00Z .. 15:30Z (the scenario's second local day). */
const SLICE = [1_275_404_400, 1_275_406_200] as const;
/** Threshold rules the scenario's sources trip, each tracking a source across sensors and files. */
const THRESHOLD_RULES = `
alert tcp any any -> any any (msg:"SPLIT SYN 4 in 60 s"; flags:S,12; threshold:type both, track by_src, count 4, seconds 60; classtype:network-scan; sid:9900001; rev:1;)
alert udp any any -> any any (msg:"SPLIT UDP every 2nd in 3600 s"; threshold:type threshold, track by_src, count 2, seconds 3600; classtype:network-scan; sid:9900002; rev:1;)
alert tcp any any -> any any (msg:"SPLIT SYN first 2 in 600 s"; flags:S,12; threshold:type limit, track by_src, count 2, seconds 600; classtype:network-scan; sid:9900003; rev:1;)
`;
const THRESHOLD_SIDS = [9900001, 9900002, 9900003];

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

/** A store with the sensors, each file ingested by its own call (sensor by sensor), then the thresholds recorded. */
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
    for (const file of filesOf(s.name)) {
      // A minute cut can hold only packets to other hosts (the scenarios send some): stored as they are, not refused.
      const ingest = await runCliInProcess([
        'ingest',
        '--db',
        db,
        '--sensor',
        s.name,
        '--json',
        '--allow-empty',
        '--rules',
        join(dir, 'split.rules'),
        file,
      ]);
      expect(besidesStaleGeo(ingest.stderr)).toBe('');
      expect(ingest.code).toBe(0);
    }
  }
  const rerun = await runCli(['detect', '--db', db, '--period', PERIOD, '--rerun', ...THRESHOLDS]);
  expect(rerun.code).toBe(0);
  return db;
}

interface Detections {
  signatures: { signatures: Array<{ sid: number; packets: number }> };
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
    writeFileSync(join(dir, 'split.rules'), THRESHOLD_RULES);
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
    const wholeDb = await storeOf('whole', (s) => [whole(s)]);
    const base = await figures(wholeDb);
    // The threshold rules alert, and over the telescope: each sensor alone would give other counts.
    const alerts = (d: Detections): number[] =>
      THRESHOLD_SIDS.map((sid) => d.signatures.signatures.find((s) => s.sid === sid)?.packets ?? 0);
    expect(alerts(base.detections).every((n) => n > 0)).toBe(true);
    const perSensor = new Array<number>(THRESHOLD_SIDS.length).fill(0);
    for (const s of sensors) {
      const d = await runCli([
        'detections',
        '--db',
        wholeDb,
        '--period',
        PERIOD,
        '--sensor',
        s.name,
        '--top',
        '1000',
        '--json',
      ]);
      expect(d.code).toBe(0);
      alerts(JSON.parse(d.stdout) as Detections).forEach((n, k) => (perSensor[k]! += n));
    }
    console.log(
      `split-invariance: threshold alerts ${alerts(base.detections).join('/')} telescope-wide, ${perSensor.join('/')} summed per sensor`,
    );
    expect(perSensor).not.toEqual(alerts(base.detections));
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
    expect(minuteFiles.get('check-b')!.length).toBeGreaterThan(20);
    expect(await figures(await storeOf('minutes', (s) => minuteFiles.get(s)!))).toEqual(base);
  }, 1_500_000);
});
