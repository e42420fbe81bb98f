import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import type { ExportColumn } from './export-tables.js';
import { EXPORT_FORMATS } from './table-writers.js';

const COLUMNS: ExportColumn[] = [
  { name: 'name', type: 'text', value: () => '' },
  { name: 'n', type: 'i64', value: () => 0 },
  { name: 'small', type: 'i32', value: () => 0 },
];
const ROWS = [
  ['plain', 2 ** 40, 1],
  ['a,"b"\nc', 0, -2],
] as const;

describe('table-writers', () => {
  it('EXPORT_FORMATS.csv quotes fields with commas, quotes or line breaks (RFC 4180)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teiten-writers-'));
    const path = join(dir, 'out.csv');
    const writer = await EXPORT_FORMATS.csv(path, COLUMNS);
    await writer.write(ROWS);
    await writer.finish();
    expect(readFileSync(path, 'utf8')).toBe(`name,n,small\r\nplain,${2 ** 40},1\r\n"a,""b""\nc",0,-2\r\n`);
    expect(readdirSync(dir)).toEqual(['out.csv']);
  });

  it('EXPORT_FORMATS.parquet writes typed columns DuckDB reads back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teiten-writers-'));
    const path = join(dir, 'out.parquet');
    const writer = await EXPORT_FORMATS.parquet(path, COLUMNS);
    await writer.write(ROWS);
    await writer.write([['third', 3, 3]]);
    await writer.finish();
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const read = await connection.prepare('SELECT name, n, small, typeof(n) AS t FROM read_parquet($1) ORDER BY small');
    read.bindVarchar(1, path);
    const rows = (await read.runAndReadAll()).getRowObjectsJS();
    connection.closeSync();
    instance.closeSync();
    expect(rows).toEqual([
      { name: 'a,"b"\nc', n: 0n, small: -2, t: 'BIGINT' },
      { name: 'plain', n: 2n ** 40n, small: 1, t: 'BIGINT' },
      { name: 'third', n: 3n, small: 3, t: 'BIGINT' },
    ]);
  });

  it('TableWriter.abort() leaves neither the target nor a partial file', async () => {
    for (const format of ['csv', 'parquet'] as const) {
      const dir = mkdtempSync(join(tmpdir(), 'teiten-writers-'));
      const writer = await EXPORT_FORMATS[format](join(dir, `out.${format}`), COLUMNS);
      await writer.write(ROWS);
      await writer.abort();
      expect(existsSync(join(dir, `out.${format}`))).toBe(false);
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  it('EXPORT_FORMATS.csv fails with ExportError naming a path it cannot create', async () => {
    await expect(EXPORT_FORMATS.csv('/nonexistent-dir/x.csv', COLUMNS)).rejects.toMatchObject({
      code: 'TEITEN_ANALYSE_EXPORT',
      path: '/nonexistent-dir/x.csv',
    });
  });
});
