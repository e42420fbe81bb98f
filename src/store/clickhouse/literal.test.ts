import { createClient } from '@clickhouse/client';
import { describe, expect, test } from 'vitest';
import { encodeLiteral, quoteString, renderClickHouseSql, splitPlaceholders } from './literal.js';

describe('splitPlaceholders()', () => {
  test('splitPlaceholders() cuts at each bare ?', () => {
    expect(splitPlaceholders('a = ? AND b IN (?, ?)')).toEqual(['a = ', ' AND b IN (', ', ', ')']);
    expect(splitPlaceholders('SELECT 1')).toEqual(['SELECT 1']);
  });

  test('splitPlaceholders() ignores ? in strings, identifiers and comments', () => {
    const sql = "SELECT '?', 'it\\'s ?', 'a''?', \"q?\", `b?` -- ?\n /* ? */ FROM t WHERE x = ?";
    const pieces = splitPlaceholders(sql);
    expect(pieces).toHaveLength(2);
    expect(pieces[1]).toBe('');
  });

  test('splitPlaceholders() rejects an unclosed string or comment', () => {
    expect(() => splitPlaceholders("SELECT 'abc")).toThrow(/quoted text opened at offset 7 is not closed/);
    expect(() => splitPlaceholders('SELECT 1 /* x')).toThrow(/comment opened at offset 9/);
  });
});

describe('encodeLiteral()', () => {
  test('encodeLiteral() writes numbers, parenthesising negatives', () => {
    expect(encodeLiteral(42)).toBe('42');
    expect(encodeLiteral(-5)).toBe('(-5)');
    expect(encodeLiteral(-0)).toBe('(0)');
    expect(encodeLiteral(0.1)).toBe('0.1');
    expect(encodeLiteral(1e-7)).toBe('1e-7');
    expect(encodeLiteral(2 ** 53 - 1)).toBe('9007199254740991');
    expect(encodeLiteral(-(2n ** 63n))).toBe('(-9223372036854775808)');
    expect(encodeLiteral(true)).toBe('1');
    expect(encodeLiteral(null)).toBe('NULL');
  });

  test('encodeLiteral() rejects values that have no literal', () => {
    expect(() => encodeLiteral(Number.NaN, 3)).toThrow(RangeError);
    expect(() => encodeLiteral(Number.POSITIVE_INFINITY)).toThrow(/not a finite number/);
    expect(() => encodeLiteral(undefined, 2)).toThrow(/parameter 2 is undefined/);
    expect(() => encodeLiteral({ a: 1 })).toThrow(TypeError);
    expect(() => encodeLiteral(new Date(0))).toThrow(TypeError);
    expect(() => encodeLiteral([1, {}])).toThrow(TypeError);
  });

  test('encodeLiteral() escapes backslash, quote and control characters', () => {
    expect(quoteString("it's")).toBe("'it\\'s'");
    expect(quoteString('a\\b')).toBe("'a\\\\b'");
    expect(quoteString('\n\t\0\x7f')).toBe("'\\x0a\\x09\\x00\\x7f'");
    expect(quoteString('日本')).toBe("'日本'");
    expect(encodeLiteral(new Uint8Array([0, 0x27, 0xff]))).toBe("'\\x00\\x27\\xff'");
    expect(encodeLiteral([1, -2, 'x'])).toBe("[1, (-2), 'x']");
  });
});

describe('renderClickHouseSql()', () => {
  test('renderClickHouseSql() never lets a negative number open a comment', () => {
    expect(renderClickHouseSql('SELECT 10 -?', [-3])).toBe('SELECT 10 -(-3)');
  });

  test('renderClickHouseSql() keeps an injected quote inside the literal', () => {
    expect(renderClickHouseSql('SELECT * FROM t WHERE name = ?', ["x' OR 1=1 --"])).toBe(
      "SELECT * FROM t WHERE name = 'x\\' OR 1=1 --'",
    );
  });

  test('renderClickHouseSql() checks the number of parameters', () => {
    expect(() => renderClickHouseSql('SELECT ?, ?', [1])).toThrow(/2 placeholders but 1 parameters/);
    expect(() => renderClickHouseSql('SELECT 1', [1])).toThrow(/0 placeholders but 1 parameters/);
  });
});

const url = process.env['CLICKHOUSE_URL'];

describe.skipIf(url === undefined || url === '')('renderClickHouseSql() against a real server', () => {
  test('renderClickHouseSql() round-trips every character and byte through the server', async () => {
    const client = createClient({ url });
    try {
      const all = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('') + "日本語 😀 '\\'";
      const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
      const sql = renderClickHouseSql('SELECT ? AS s, hex(?) AS h, ? AS n, ? AS a', [all, bytes, -7, [1, 2]]);
      const result = await client.query({ query: sql, format: 'JSONEachRow' });
      const [row] = (await result.json()) as { s: string; h: string; n: number; a: number[] }[];
      expect(row!.s).toBe(Buffer.from(all, 'utf8').toString('utf8'));
      expect(row!.h).toBe(Buffer.from(bytes).toString('hex').toUpperCase());
      expect(row!.n).toBe(-7);
      expect(row!.a).toEqual([1, 2]);
    } finally {
      await client.close();
    }
  });
});
