import { describe, expect, test } from 'vitest';
import { StoreErrorCode } from '../errors.js';
import { parseClickHouseUrl } from './driver.js';

describe('parseClickHouseUrl()', () => {
  test('parseClickHouseUrl() reads host, port and database of a clickhouse:// URL', () => {
    expect(parseClickHouseUrl('clickhouse://127.0.0.1:8123/teiten')).toEqual({
      url: 'http://127.0.0.1:8123',
      database: 'teiten',
      username: 'default',
      password: '',
    });
  });

  test('parseClickHouseUrl() fills the default port and database', () => {
    expect(parseClickHouseUrl('clickhouse://db.example')).toMatchObject({
      url: 'http://db.example:8123',
      database: 'teiten',
    });
    expect(parseClickHouseUrl('https://db.example/obs')).toMatchObject({ url: 'https://db.example', database: 'obs' });
  });

  test('parseClickHouseUrl() decodes credentials', () => {
    expect(parseClickHouseUrl('clickhouse://ana:p%40ss@h:9000/x')).toMatchObject({
      username: 'ana',
      password: 'p@ss',
      url: 'http://h:9000',
    });
  });

  test('parseClickHouseUrl() rejects other schemes and unsafe database names', () => {
    expect(() => parseClickHouseUrl('postgres://h/x')).toThrow(/scheme postgres/);
    expect(() => parseClickHouseUrl('clickhouse://h/x;DROP')).toThrow(
      expect.objectContaining({ code: StoreErrorCode.OPEN }),
    );
    expect(() => parseClickHouseUrl('not a url')).toThrow(/not a URL/);
  });
});
