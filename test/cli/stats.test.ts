/**
 * `teiten stats` as a user runs it: the analytics fixture written into a
 * DuckDB file in-process, then the built CLI on that file.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFixture, TIME_ZONE } from '../../src/analyse/testdata/fixture.js';
import { openStore } from '../../src/store/index.js';
import { runCli } from './run-cli.js';
import { displayWidth } from '../../src/cli/text-table.js';

const dir = mkdtempSync(join(tmpdir(), 'teiten-stats-'));
const db = join(dir, 'fixture.duckdb');

beforeAll(async () => {
  const store = await openStore(db, { timeZone: TIME_ZONE });
  await loadFixture(store);
  await store.close();
});

describe('teiten stats', () => {
  it('stats --json prints the period summary and the ranking table', async () => {
    const result = await runCli([
      'stats',
      '--db',
      db,
      '--period',
      'FY2010Q1',
      '--by',
      'service',
      '--top',
      '3',
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const { summary, ranking } = JSON.parse(result.stdout);
    expect(summary.period.label).toBe('FY2010Q1');
    expect(summary.current).toMatchObject({ packets: 1884, addressDays: 899.75, observedDays: 91, sources: 10 });
    expect(summary.previous).toMatchObject({ packets: 1273, addressDays: 900 });
    expect(ranking.selection).toEqual({ top: 3, movers: 5 });
    expect(ranking.table.map((r: { key: string }) => r.key)).toEqual([
      '445/TCP',
      '11/ICMP',
      '33000/UDP',
      '8/ICMP',
      '1433/TCP',
      '9415/TCP',
      '135/TCP',
    ]);
    expect(ranking.shares.map((s: { key: string }) => s.key)).toEqual(['445/TCP', '11/ICMP', '33000/UDP', 'other']);
    expect(ranking.rows[0].rounded).toEqual({ current: 1.13, previous: 0.88, changeAbs: 0.25, changePct: 28.5 });
    // Issue 18: bounds and tests beside the figures (computed and checked in analyse.case.test.ts).
    const total = summary.uncertainty.current;
    expect(total.low).toBeLessThan(summary.current.perDayPerAddress);
    expect(total.high).toBeGreaterThan(summary.current.perDayPerAddress);
    expect(ranking.uncertainty.compared).toBe(ranking.rows.length);
    // Every item fits in the default page (1,000), which says so.
    expect(ranking.page).toEqual({ offset: 0, limit: 1000, total: ranking.rows.length, next: null });
    expect(ranking.uncertainty.rows.map((r: { key: string }) => r.key)).toEqual(
      ranking.rows.map((r: { key: string }) => r.key),
    );
  });

  it('stats prints aligned text with Japanese country names and applies filters', async () => {
    const result = await runCli([
      'stats',
      '--db',
      db,
      '--period',
      'FY2010Q1',
      '--by',
      'country',
      '--lang',
      'ja',
      '--sensor',
      'beta',
    ]);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[1]).toBe('Sensors: beta (1 address)');
    // beta: 190 packets / 80.75 address-days = 2.35; FY2009Q4 90 / 90 = 1.00.
    expect(result.stdout).toMatch(/Accesses per day per address\s+2\.35\s+1\.00\s+\+1\.35\s+\+135\.3%/);
    expect(result.stdout).toMatch(/Observed days\s+81\/91\s+90\/90/);
    // Three busy days out of 81: the interval is wide and a 135 % rise is not told apart from noise.
    expect(result.stdout).toMatch(
      /Accesses per day per address .* \d+\.\d\d–\d+\.\d\d  no significant change \(q 0\.\d{3}\)/,
    );
    // beta's CN: (10 + 100 + 60) / 80.75 = 2.11; wide characters count double, so the column ends line up.
    const header = lines.find((l) => l.includes('Per day/addr'))!;
    const cn = lines.find((l) => l.includes('中国 (CN)'))!;
    const end = (line: string, text: string): number => displayWidth(line.slice(0, line.indexOf(text) + text.length));
    expect(end(cn, '2.11')).toBe(end(header, 'Per day/addr'));
  });

  it('stats refuses an unknown sensor, a bad period and a missing store with exit code 2', async () => {
    const sensor = await runCli(['stats', '--db', db, '--period', 'FY2010Q1', '--sensor', 'nosuch']);
    expect(sensor.code).toBe(2);
    expect(sensor.stderr).toMatch(/sensors "nosuch" is not a registered sensor/);
    const period = await runCli(['stats', '--db', db, '--period', 'FY2010Q5']);
    expect(period.code).toBe(2);
    expect(period.stderr).toMatch(/--period: Cannot parse period "FY2010Q5"/);
    const missing = await runCli(['stats', '--db', join(dir, 'none.duckdb'), '--period', '2010-04']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no store at .*none\.duckdb/);
  });
});
