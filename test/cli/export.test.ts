/**
 * `teiten export` as a user runs it, with the written Parquet read back by
 * DuckDB and the CSV parsed, both compared with the fixture's rows.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFixture, TIME_ZONE } from '../../src/analyse/testdata/fixture.js';
import { openStore } from '../../src/store/index.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'teiten-export-'));
const db = join(dir, 'fixture.duckdb');

beforeAll(async () => {
  const store = await openStore(db, { timeZone: TIME_ZONE });
  await loadFixture(store);
  await store.close();
});

async function readParquet(path: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const prepared = await connection.prepare(sql.replace('FILE', '$1'));
    prepared.bindVarchar(1, path);
    const reader = await prepared.runAndReadAll();
    return reader
      .getRowObjectsJS()
      .map((row) =>
        Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
      );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('teiten export', () => {
  it("export --format parquet writes the period's hourly rows, readable by DuckDB", async () => {
    const out = join(dir, 'traffic.parquet');
    const result = await runCli(['export', '--db', db, '--period', 'FY2010Q1', '--format', 'parquet', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`Wrote 13 traffic rows of FY2010Q1 (2010-04-01..2010-06-30) to ${out} (parquet)\n`);
    const [totals] = await readParquet(
      out,
      'SELECT COUNT(*) AS n, SUM(packets) AS packets, SUM(bytes) AS bytes, MIN(date) AS first, MAX(date) AS last FROM read_parquet(FILE)',
    );
    expect(totals).toEqual({ n: 13, packets: 1884, bytes: 1884 * 60, first: '2010-04-01', last: '2010-06-30' });
    const icmp = await readParquet(
      out,
      "SELECT sensor, date, hour, service, source_port, country, flag_class, packet_class, packets FROM read_parquet(FILE) WHERE service LIKE '%ICMP%' ORDER BY date",
    );
    expect(icmp).toEqual([
      {
        sensor: 'alpha',
        date: '2010-04-10',
        hour: 3,
        service: '8/ICMP',
        source_port: '8/ICMP',
        country: 'US',
        flag_class: 'NONE',
        packet_class: 'probe',
        packets: 100,
      },
      {
        sensor: 'alpha',
        date: '2010-05-20',
        hour: 1,
        service: '128/ICMPv6',
        source_port: '128/ICMPv6',
        country: 'US',
        flag_class: 'NONE',
        packet_class: 'probe',
        packets: 9,
      },
      {
        sensor: 'alpha',
        date: '2010-06-30',
        hour: 23,
        service: '11/ICMP',
        source_port: '11/ICMP',
        country: 'JP',
        flag_class: 'NONE',
        packet_class: 'icmp-error',
        packets: 300,
      },
    ]);
  });

  it('export --format csv writes source sets of one sensor with a header row', async () => {
    const out = join(dir, 'sources.csv');
    const result = await runCli([
      'export',
      '--db',
      db,
      '--period',
      'FY2009Q4',
      '--format',
      'csv',
      '--table',
      'sources',
      '--sensor',
      'beta',
      '--out',
      out,
      '--json',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      rows: 1,
      table: 'sources',
      format: 'csv',
      period: { label: 'FY2009Q4' },
    });
    expect(readFileSync(out, 'utf8')).toBe(
      'sensor,date,src,country,asn,service,packets\r\nbeta,2010-03-01,1.1.1.1,CN,0,445/TCP,90\r\n',
    );
  });

  it('export refuses an unknown format and a missing --out with exit code 2', async () => {
    const format = await runCli([
      'export',
      '--db',
      db,
      '--period',
      'FY2010Q1',
      '--format',
      'xlsx',
      '--out',
      join(dir, 'x'),
    ]);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/--format must be one of csv, parquet/);
    const out = await runCli(['export', '--db', db, '--period', 'FY2010Q1', '--format', 'csv']);
    expect(out.code).toBe(2);
  });
});
