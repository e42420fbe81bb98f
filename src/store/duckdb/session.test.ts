import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../index.js';
import { DuckDbSession } from './session.js';

/** The WAL's size after a close, 0 when the file is gone. */
function walSize(path: string): number {
  return statSync(`${path}.wal`, { throwIfNoEntry: false })?.size ?? 0;
}

describe('DuckDbSession.close() and the write-ahead log', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'teiten-wal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves a small WAL for the next open and checkpoints one past 32 KiB, losing nothing either way', async () => {
    const path = join(dir, 'store.duckdb');
    const small = await openStore(path);
    await small.setMeta('note', 'small');
    await small.close();
    // Every open replays the WAL, so it must not be left to grow (it used to, up to DuckDB's 16 MiB).
    const left = walSize(path);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(32 * 1024);

    const large = await openStore(path);
    expect(await large.getMeta('note')).toBe('small');
    for (let k = 0; k < 8; k++) await large.setMeta(`bulk${k}`, 'x'.repeat(8 * 1024));
    await large.close();
    expect(walSize(path)).toBe(0);

    const reopened = await openStore(path);
    expect(await reopened.getMeta('note')).toBe('small');
    expect(await reopened.getMeta('bulk7')).toBe('x'.repeat(8 * 1024));
    await reopened.close();
  });
});

describe('DuckDbSession.close() and other connections', () => {
  it('waits for a transaction and an ingest sink on their own connections before closing the database', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const session = new DuckDbSession(instance, await instance.connect());
    await session.run({ sql: 'CREATE TABLE t (v INTEGER)', params: [] });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = session.transaction(async (tx) => {
      await held;
      await tx.run({ sql: 'INSERT INTO t VALUES (1)', params: [] });
      return (await tx.all<{ n: number }>({ sql: 'SELECT count(*) AS n FROM t', params: [] }))[0]!.n;
    });
    const sink = await session.openIngest(1);
    const events: string[] = [];
    const closing = session.close().then(() => events.push('closed'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events).toEqual([]);
    release();
    expect(await transaction).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events).toEqual([]);
    await sink.rollback();
    await closing;
    expect(events).toEqual(['closed']);
  });
});
