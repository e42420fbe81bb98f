/**
 * `teiten report` as a user runs it: the report fixture written into a
 * DuckDB file in-process, then the built CLI on that file.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath } from '../../src/report/pdf.js';
import { openStore } from '../../src/store/index.js';
import { detectionsFixture } from '../report/detections-fixture.js';
import { loadReportFixture, TIME_ZONE } from '../report/report-fixture.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'teiten-report-'));
const db = join(dir, 'fixture.duckdb');
const hasChromium = existsSync(chromiumPath());
if (!hasChromium) console.warn(`Skipping the PDF test of teiten report: ${chromiumPath()} is absent`);

beforeAll(async () => {
  const store = await openStore(db, { timeZone: TIME_ZONE });
  await loadReportFixture(store);
  await store.close();
});

describe('teiten report', () => {
  it('report --format json writes the quarterly document of a fiscal quarter', async () => {
    const out = join(dir, 'q.json');
    const result = await runCli(['report', '--db', db, '--period', 'FY2010Q1', '--format', 'json', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Wrote the quarterly report of FY2010Q1 \(ja, json, \d+ bytes\) to .*q\.json\n$/);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.meta).toMatchObject({
      kind: 'quarterly',
      language: 'ja',
      source: { store: 'duckdb', database: 'fixture.duckdb' },
    });
    const ports = doc.sections[1].sections[0].blocks.find((b: { id?: string }) => b.id === 't2-1');
    expect(ports.columns.map((c: { label: string }) => c.label)).toEqual([
      '今期順位',
      '前期順位',
      'ポート',
      '今期件数(一日・1IP当たり)',
      '95%区間',
      '前期比',
      'q値',
      '増加順位',
      '減少順位',
    ]);
    expect(ports.rows[0]).toMatchObject({
      key: '445/TCP',
      cells: {
        rank: 1,
        previousRank: 1,
        item: '445/TCP',
        current: 12,
        change: { abs: -4, pct: -25 },
        increaseRank: null,
        decreaseRank: 1,
      },
    });
    expect(Object.keys(ports.rows[0].cells)).toHaveLength(9);
  });

  it('report gives byte-identical HTML for the same store and period, stamped only when asked', async () => {
    const a = join(dir, 'a.html');
    const b = join(dir, 'b.html');
    for (const out of [a, b])
      expect((await runCli(['report', '--db', db, '--period', 'FY2010Q1', '--out', out])).code).toBe(0);
    const html = readFileSync(a);
    expect(html.equals(readFileSync(b))).toBe(true);
    expect(html.toString('utf8')).not.toContain('作成日時');
    expect(html.toString('utf8')).toContain('Tokyo &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.toString('utf8')).not.toMatch(/<script/i);
    const stamped = join(dir, 'stamped.html');
    const result = await runCli([
      'report',
      '--db',
      db,
      '--period',
      'FY2010Q1',
      '--out',
      stamped,
      '--generated-at',
      '2010-07-30T09:00:00+09:00',
      '--issued',
      '2010-07-30',
    ]);
    expect(result.code).toBe(0);
    const text = readFileSync(stamped, 'utf8');
    expect(text).toContain('<dt>作成日時</dt><dd>2010-07-30T09:00:00+09:00</dd>');
    expect(text).toContain('<p class="issued">2010年7月30日</p>');
  });

  it('report picks the monthly layout for a month and writes Markdown to stdout', async () => {
    const result = await runCli(['report', '--db', db, '--period', '2010-06', '--lang', 'en', '--format', 'md']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^# Internet darknet observation: monthly report\n/);
    expect(result.stdout).toContain('**your computer receives 34 unsolicited accesses a day from 13 strangers**');
    expect(result.stdout).toContain('Table 4.1: The most accessed ports of June 2010');
  });

  it('report --detections draws §3 and §4 from a JSON file and names the field of a bad one', async () => {
    const file = join(dir, 'detections.json');
    writeFileSync(file, JSON.stringify(detectionsFixture()));
    const good = await runCli(['report', '--db', db, '--period', 'FY2010Q1', '--format', 'md', '--detections', file]);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('**表3-1 攻撃手法別検知件数**');
    expect(good.stdout).toContain('各センサーには、シグネチャが 3,035 種類登録されている。');
    const broken = detectionsFixture();
    (broken.signatures!.byCategory[1] as { current: number }).current = -1;
    writeFileSync(file, JSON.stringify(broken));
    const bad = await runCli(['report', '--db', db, '--period', 'FY2010Q1', '--format', 'md', '--detections', file]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /Invalid detection input .*detections\.json at signatures\.byCategory\.1\.current: .* \[TEITEN_REPORT_DETECTION_INPUT\]/,
    );
  });

  it('report refuses a range without --kind, an unknown kind, pdf to stdout and a missing store with exit code 2', async () => {
    const range = await runCli(['report', '--db', db, '--period', '2010-04-01..2010-04-30', '--format', 'json']);
    expect(range.code).toBe(2);
    expect(range.stderr).toMatch(/kind cannot be inferred from the range 2010-04-01\.\.2010-04-30/);
    const ranged = await runCli([
      'report',
      '--db',
      db,
      '--period',
      '2010-04-01..2010-04-30',
      '--kind',
      'quarterly',
      '--format',
      'json',
    ]);
    expect(ranged.code).toBe(0);
    expect(JSON.parse(ranged.stdout).meta.previousPeriod).toMatchObject({ start: '2010-03-02', end: '2010-03-31' });
    const kind = await runCli(['report', '--db', db, '--period', 'FY2010Q1', '--kind', 'weekly']);
    expect(kind.code).toBe(2);
    expect(kind.stderr).toMatch(/--kind must be one of quarterly, monthly, got 'weekly'/);
    const pdf = await runCli(['report', '--db', db, '--period', 'FY2010Q1', '--format', 'pdf']);
    expect(pdf.code).toBe(2);
    expect(pdf.stderr).toMatch(/--format pdf needs --out FILE/);
    const missing = await runCli(['report', '--db', join(dir, 'none.duckdb'), '--period', 'FY2010Q1']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no store at .*none\.duckdb/);
  });

  it.skipIf(!hasChromium)('report --format pdf prints the report with Chromium', async () => {
    const out = join(dir, 'q.pdf');
    const result = await runCli([
      'report',
      '--db',
      db,
      '--period',
      'FY2010Q1',
      '--lang',
      'en',
      '--format',
      'pdf',
      '--out',
      out,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(readFileSync(out).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});
