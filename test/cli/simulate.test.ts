import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'teiten-cli-sim-'));

describe('teiten simulate', () => {
  it('simulate prints the sensors add lines that make its captures ingest with every packet counted', async () => {
    const out = tmp();
    const result = await runCli(['simulate', '--scenario', 'detector-check', '--out', out, '--scale', '0.05']);
    expect(result.code).toBe(0);
    const commands = result.stdout
      .split('\n')
      .filter((l) => l.startsWith('  teiten sensors '))
      .map((l) => l.trim());
    expect(commands.length).toBeGreaterThanOrEqual(3);
    const db = join(out, 'store.duckdb');
    for (const command of commands) {
      // The printed arguments, quotes as a shell reads them (no quote inside these labels).
      const args = [...command.slice('teiten '.length).matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
      const run = await runCli([...args, '--db', db]);
      expect(run.code, `${command}: ${run.stderr}`).toBe(0);
    }
    const truth = JSON.parse(readFileSync(join(out, 'truth.json'), 'utf8')) as {
      sensors: { name: string; file: string; packets: number }[];
      /** [day, sensor, packets] the generator sent to other hosts in the sensor's file. */
      excluded: [number, number, number][];
    };
    for (const [k, sensor] of truth.sensors.entries()) {
      const ingest = await runCli(['ingest', '--db', db, '--sensor', sensor.name, '--json', join(out, sensor.file)]);
      expect(ingest.code, ingest.stderr).toBe(0);
      const toOthers = truth.excluded.filter((e) => e[1] === k).reduce((sum, e) => sum + e[2], 0);
      expect(JSON.parse(ingest.stdout)[0]).toMatchObject({
        packetsCounted: sensor.packets - toOthers,
        excludedNotObserving: 0,
      });
    }
  }, 120_000);

  it('simulate --json writes one capture per sensor and truth.json and says so', async () => {
    const out = tmp();
    const result = await runCli([
      'simulate',
      '--scenario',
      'detector-check',
      '--out',
      out,
      '--seed',
      '3',
      '--scale',
      '0.5',
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({
      scenario: 'detector-check',
      seed: 3,
      scale: 0.5,
      days: 3,
      truthPath: join(out, 'truth.json'),
    });
    expect(summary.files.map((f: { sensor: string }) => f.sensor)).toEqual(['check-a', 'check-b', 'check-c']);
    for (const file of summary.files) expect(existsSync(file.path)).toBe(true);
    const truth = JSON.parse(readFileSync(summary.truthPath, 'utf8'));
    expect(truth.totals.packets).toBe(summary.packets);
    expect(summary.written).toBe(summary.packets + summary.excluded);
    const capinfo = await runCli(['capinfo', '--json', summary.files[0].path]);
    expect(JSON.parse(capinfo.stdout)[0].packets).toBe(summary.files[0].packets);
  });

  it('simulate prints the files, packets and truth path as text, in pcapng on request', async () => {
    const out = tmp();
    const result = await runCli([
      'simulate',
      '--scenario',
      'detector-check',
      '--out',
      out,
      '--scale',
      '0.2',
      '--format',
      'pcapng',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Simulated detector-check \(seed 7, scale 0\.2\): 3 days, 3 sensors, [\d,]+ packets/,
    );
    expect(result.stdout).toMatch(/check-b\.pcapng +[\d,]+ packets/);
    expect(result.stdout).toMatch(/Truth: .*truth\.json/);
    expect(readFileSync(join(out, 'check-a.pcapng')).readUInt32LE(0)).toBe(0x0a0d0d0a);
  });

  it('simulate reports a scenario problem with its field path and exit code 1', async () => {
    const dir = tmp();
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'name: bad\nperiod: {start: 2010-06-01, end: 2010-06-02}\nsensors: [{name: a, addresses: 192.0.2.1}]\npopulations:\n  - {name: x, family: syn-scan, services: 445/TCP, rate: 1, countries: {QQ: 1}, sources: 1}\n',
    );
    const result = await runCli(['simulate', '--scenario', file, '--out', join(dir, 'out')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /populations\[0\]\.countries\.QQ: the GeoIP database has no IPv4 networks for QQ \[TEITEN_SCENARIO_INVALID\]/,
    );
  });

  it('simulate checks its options and lists the bundled scenarios', async () => {
    expect((await runCli(['simulate', '--out', tmp()])).stderr).toMatch(
      /--scenario FILE\|NAME is required \(bundled: .*quarterly-2010q1fy/,
    );
    const badScale = await runCli(['simulate', '--scenario', 'detector-check', '--out', tmp(), '--scale', 'lots']);
    expect(badScale.code).toBe(2);
    expect(badScale.stderr).toMatch(/--scale must be a number above 0/);
    expect((await runCli(['simulate', '--scenario', 'detector-check', '--out', tmp(), '--seed', '-1'])).code).toBe(2);
    const list = await runCli(['simulate', '--list', '--json']);
    expect(JSON.parse(list.stdout)).toEqual(
      expect.arrayContaining(['quarterly-2010q1fy', 'monthly-2007-07', 'detector-check']),
    );
  });
});
