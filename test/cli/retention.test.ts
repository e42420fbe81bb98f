/**
 * `teiten retention` on a DuckDB store holding one 2010 capture (older than
 * any retention today): a dry run counts the rows the recorded and given
 * retention would remove and removes none; a run with `--retention` records
 * it and removes exactly the rows counted; a later run with no option
 * applies the recorded settings; `stats` of a pruned period says so on
 * stderr; a spec it cannot read is a usage error.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { tempDir, writeTemp } from '../../src/ingest/testdata/captures.js';
import { bulkCapture } from '../../src/ingest/testdata/bulk-capture.js';
import { runCli } from './run-cli.js';

const PACKETS = 500;
const START_SEC = Date.parse('2010-06-01T00:00:00Z') / 1000;

interface RetentionJson {
  retention: Record<string, number | null>;
  dryRun: boolean;
  serverTtl: boolean;
  steps: { class: string; table: string; keptDays: number; rows: number }[];
}

let db = '';

/** Rows of the base tables retention reads. */
async function rows(): Promise<Record<string, number>> {
  const store = await openStore(db);
  try {
    const counts: Record<string, number> = {};
    for (const table of ['packet_rows', 'traffic_hour_rows', 'source_list_day_rows']) {
      const [row] = await store.query<{ n: number }>({ sql: `SELECT COUNT(*) AS n FROM ${table}`, params: [] });
      counts[table] = Number(row!.n);
    }
    return counts;
  } finally {
    await store.close();
  }
}

async function retention(args: string[]): Promise<RetentionJson> {
  const result = await runCli(['retention', '--db', db, '--json', ...args]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as RetentionJson;
}

beforeAll(async () => {
  const dir = tempDir('teiten-cli-retention-');
  db = join(dir, 'store.duckdb');
  const add = ['sensors', 'add', 'tokyo', '--from', '2000-01-01T00:00:00Z', '--address', '192.0.2.0/24', '--db', db];
  expect(await runCli(add)).toMatchObject({ code: 0 });
  const capture = writeTemp(
    dir,
    'old.pcap',
    bulkCapture({ packets: PACKETS, startSec: START_SEC, perSecond: 10, format: 'pcap' }),
  );
  const ingest = await runCli(['ingest', '--db', db, '--sensor', 'tokyo', '--no-signatures', capture]);
  expect(ingest.code, ingest.stderr).toBe(0);
});

describe('teiten retention', () => {
  it('teiten retention --dry-run counts, a run with --retention records it and removes those rows, a later run applies it again', async () => {
    const stored = await rows();
    expect(stored['packet_rows']).toBe(PACKETS);
    const dry = await retention(['--retention', 'hourly=1y', '--dry-run']);
    expect(dry).toMatchObject({
      dryRun: true,
      serverTtl: false,
      retention: { packets: 30, hourly: 365, sources: null },
    });
    expect(dry.steps.map((s) => [s.table, s.rows])).toEqual([
      ['packet_rows', stored['packet_rows']],
      ['traffic_hour_rows', stored['traffic_hour_rows']],
    ]);
    expect(await rows()).toEqual(stored);

    const text = await runCli(['retention', '--db', db, '--retention', 'hourly=1y,sources=400d']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('retention: packets=30d, hourly=365d, sources=400d, evidence=forever');
    expect(text.stdout).toMatch(/hourly +traffic_hour_rows +keeps \d{4}-\d\d-\d\d on: removed [\d,]+ rows/);
    expect(text.stdout).toContain('run teiten retention periodically');
    expect(await rows()).toEqual({ packet_rows: 0, traffic_hour_rows: 0, source_list_day_rows: 0 });

    // A period command says what is missing: the rollups and source sets of those days are gone, not zero.
    const stats = await runCli(['stats', '--db', db, '--period', '2010-06', '--json']);
    expect(stats.code, stats.stderr).toBe(0);
    expect(stats.stderr).toMatch(
      /^note: retention removed packets before \d{4}-\d\d-\d\d, hourly before \d{4}-\d\d-\d\d, sources before \d{4}-\d\d-\d\d; figures of 2010-06 or of the period before it that come from those rows are missing, not zero\n$/,
    );

    const again = await retention([]);
    expect(again.retention).toEqual({ packets: 30, hourly: 365, sources: 400, evidence: null });
    expect(again.steps.map((s) => s.rows)).toEqual([0, 0, 0]);
  });

  it('teiten retention refuses a spec it cannot read, naming the part', async () => {
    const result = await runCli(['retention', '--db', db, '--retention', 'hourly=2 years']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/--retention: Cannot read retention hourly=2 years/);
  });
});
