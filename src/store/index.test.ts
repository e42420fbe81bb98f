import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { duckDbPath } from './duckdb/index.js';
import { openStore, StoreErrorCode, STORES, storeKindOf } from './index.js';

describe('openStore()', () => {
  test('close() of a DuckDB store twice is harmless, and a file store keeps what was written (no checkpoint on close, the WAL replays)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'teiten-close-'));
    try {
      const path = join(dir, 'twice.duckdb');
      const store = await openStore(path);
      await store.addSensor({ name: 'a', addresses: ['192.0.2.0/24'] });
      await store.close();
      await expect(store.close()).resolves.toBeUndefined();
      const again = await openStore(path);
      expect((await again.listSensors()).map((x) => x.name)).toEqual(['a']);
      await again.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('storeKindOf() sends clickhouse and http URLs to ClickHouse, everything else to DuckDB', () => {
    expect(storeKindOf('clickhouse://127.0.0.1:8123/teiten')).toBe('clickhouse');
    expect(storeKindOf('http://db:8123/x')).toBe('clickhouse');
    expect(storeKindOf('teiten.duckdb')).toBe('duckdb');
    expect(storeKindOf(':memory:')).toBe('duckdb');
    expect(Object.keys(STORES)).toEqual(['duckdb', 'clickhouse']);
  });

  test('duckDbPath() accepts duckdb: URLs and plain paths', () => {
    expect(duckDbPath('duckdb:///var/lib/t.db')).toBe('/var/lib/t.db');
    expect(duckDbPath('duckdb:t.db')).toBe('t.db');
    expect(duckDbPath('duckdb::memory:')).toBe(':memory:');
    expect(() => duckDbPath('duckdb:')).toThrow(expect.objectContaining({ code: StoreErrorCode.OPEN }));
  });

  test('openStore() creates a DuckDB file that keeps its data across reopening', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'teiten-open-'));
    try {
      const path = join(dir, 'obs.duckdb');
      const first = await openStore(path, { timeZone: 'UTC' });
      await first.addSensor({ name: 'a', addresses: ['192.0.2.1'] });
      await first.close();
      const second = await openStore(`duckdb:${path}`);
      expect(second.settings.timeZone).toBe('UTC');
      expect((await second.listSensors()).map((s) => s.name)).toEqual(['a']);
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('openStore() reports a target it cannot open as StoreOpenError', async () => {
    await expect(openStore('/nonexistent-dir/for/teiten.duckdb')).rejects.toMatchObject({ code: StoreErrorCode.OPEN });
    await expect(openStore('clickhouse://127.0.0.1:1/teiten')).rejects.toMatchObject({ code: StoreErrorCode.OPEN });
    await expect(openStore('clickhouse://h/bad-name')).rejects.toMatchObject({ code: StoreErrorCode.OPEN });
    await expect(openStore(':memory:', { rawRetentionDays: -1 })).rejects.toThrow(RangeError);
    await expect(openStore(':memory:', { timeZone: 'Nowhere/City' })).rejects.toThrow(/not an IANA time zone/);
  });
});
