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

  it('appendBlock() writes text of every length and script as DuckDB stores it, inline or not', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await duckDbRun(connection, { sql: 'CREATE TABLE texts (n INTEGER, t VARCHAR)', params: [] });
    const samples = [
      '',
      ...Array.from({ length: 40 }, (_, k) => 'abcdefghijklmnopqrstuvwxyz0123456789ABCD'.slice(0, k + 1)),
      'é',
      '東京',
      '😀 12 bytes?',
      'twelve bytes',
      'thirteen byte',
      'a\u0000b',
      '203.0.113.250',
      '10.0.0.1',
    ];
    // 4,500 rows: three data chunks, every sample in each.
    const texts = Array.from({ length: 4500 }, (_, r) => samples[r % samples.length]!);
    const table: TableDef = {
      name: 'texts',
      columns: [
        { name: 'n', type: 'i32' },
        { name: 't', type: 'text' },
      ],
      orderBy: ['n'],
    };
    const appender = await connection.createAppender('texts');
    appendBlock(appender, { table, rowCount: texts.length, columns: [texts.map((_, r) => r), texts] });
    appender.closeSync();
    const back = await duckDbAll<{ t: string }>(connection, { sql: 'SELECT t FROM texts ORDER BY n', params: [] });
    expect(back.map((r) => r.t)).toEqual(texts);
    // Comparisons, grouping and lengths see the same strings a literal makes.
    const counted = await duckDbAll<{ distinct: number; twelve: number; long: number; utf8: number }>(connection, {
      sql: `SELECT COUNT(DISTINCT t) AS "distinct", COUNT(*) FILTER (WHERE t = 'twelve bytes') AS twelve,
              COUNT(*) FILTER (WHERE t = '203.0.113.250') AS long, SUM(strlen(t)) AS utf8 FROM texts`,
      params: [],
    });
    const utf8 = texts.reduce((sum, t) => sum + Buffer.byteLength(t), 0);
    const count = (text: string): number => texts.filter((t) => t === text).length;
    expect(counted[0]).toEqual({
      distinct: samples.length,
      twelve: count('twelve bytes'),
      long: count('203.0.113.250'),
      utf8,
    });
    connection.closeSync();
    instance.closeSync();
  });

  it('appendBlock() reuses its chunk across calls on one appender: long lists, long text, then short ones', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await duckDbRun(connection, {
      sql: 'CREATE TABLE mixed (n INTEGER, items UINTEGER[], t VARCHAR, w USMALLINT)',
      params: [],
    });
    const table: TableDef = {
      name: 'mixed',
      columns: [
        { name: 'n', type: 'i32' },
        { name: 'items', type: 'u32', list: true },
        { name: 't', type: 'text' },
        { name: 'w', type: 'u16' },
      ],
      orderBy: ['n'],
    };
    const expected: { n: number; items: number[]; t: string; w: number }[] = [];
    const appender = await connection.createAppender('mixed');
    // 3,000 rows of up to 40 items and 30-character text, then 100 of at most one item and none.
    for (const [from, rows, width] of [
      [0, 3000, 40],
      [3000, 100, 1],
    ] as const) {
      const part = Array.from({ length: rows }, (_, k) => {
        const n = from + k;
        const items = Array.from({ length: n % (width + 1) }, (_, i) => n * 7 + i);
        return { n, items, t: width > 1 ? `row ${n} `.padEnd(30, '.') : '', w: n % 65_536 };
      });
      expected.push(...part);
      const starts = [0];
      for (const row of part) starts.push(starts[starts.length - 1]! + row.items.length);
      appendBlock(appender, {
        table,
        rowCount: rows,
        columns: [
          part.map((r) => r.n),
          { starts, values: part.flatMap((r) => r.items) },
          part.map((r) => r.t),
          part.map((r) => r.w),
        ],
      });
    }
    appender.closeSync();
    const back = await duckDbAll<{ n: number; items: number[]; t: string; w: number }>(connection, {
      sql: 'SELECT n, items, t, w FROM mixed ORDER BY n',
      params: [],
    });
    expect(back).toEqual(expected);
    connection.closeSync();
    instance.closeSync();
  });
});
