import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import type { TableDef } from '../schema.js';
import { appendBlock, duckDbAll, duckDbRun } from './driver.js';

const TABLE: TableDef = {
  name: 'numbers',
  columns: [
    { name: 'a', type: 'i64' },
    { name: 'b', type: 'u64' },
    { name: 'c', type: 'u32' },
    { name: 'd', type: 'i32' },
    { name: 'e', type: 'u8' },
    { name: 'f', type: 'text' },
  ],
  orderBy: ['a'],
};

describe('appendBlock()', () => {
  it('appendBlock() writes 64-bit values exactly, negative ones included, across chunks', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await duckDbRun(connection, {
      sql: 'CREATE TABLE numbers (a BIGINT, b UBIGINT, c UINTEGER, d INTEGER, e UTINYINT, f VARCHAR)',
      params: [],
    });
    const edge = [
      -1,
      0,
      1,
      2 ** 32 - 1,
      2 ** 32,
      -(2 ** 32),
      Number.MAX_SAFE_INTEGER,
      Number.MIN_SAFE_INTEGER,
      1_234_567_890_123,
    ];
    // 5,000 rows: three data chunks of 2,048, the edge values first.
    const rows = 5000;
    const a = Array.from({ length: rows }, (_, r) => edge[r] ?? r * 3_000_000_017);
    const b = a.map((v) => Math.abs(v));
    const block = {
      table: TABLE,
      rowCount: rows,
      columns: [
        a,
        b,
        a.map((_, r) => 0xffff_ffff - r),
        a.map((_, r) => -r),
        a.map((_, r) => r & 0xff),
        a.map((_, r) => `row ${r}`),
      ],
    };
    const appender = await connection.createAppender('numbers');
    appendBlock(appender, block);
    appender.closeSync();
    const back = await duckDbAll<Record<string, number | string>>(connection, {
      sql: 'SELECT * FROM numbers',
      params: [],
    });
    expect(back.map((r) => r['a'])).toEqual(a);
    expect(back.map((r) => r['b'])).toEqual(b);
    expect(back[4999]).toEqual({
      a: a[4999],
      b: b[4999],
      c: 0xffff_ffff - 4999,
      d: -4999,
      e: 4999 & 0xff,
      f: 'row 4999',
    });
    connection.closeSync();
    instance.closeSync();
  });
});
