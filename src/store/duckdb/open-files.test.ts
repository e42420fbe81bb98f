import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreLockedError } from '../errors.js';
import { openStore } from '../index.js';

describe('one open instance per DuckDB file in a process', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'teiten-open-files-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a second open of the same file is refused with the holder named, as another process would be', async () => {
    const path = join(dir, 'store.duckdb');
    const first = await openStore(path);
    try {
      const second = openStore(join(dir, '.', 'store.duckdb'));
      await expect(second).rejects.toBeInstanceOf(StoreLockedError);
      await expect(second).rejects.toThrow(`this process (pid ${process.pid})`);
    } finally {
      await first.close();
    }
    // Closed, the file is free again.
    const again = await openStore(path);
    await again.close();
  });

  it('a second open waits for the first to close and then reads everything it wrote', async () => {
    const path = join(dir, 'store.duckdb');
    const first = await openStore(path);
    let waitedFor: string | undefined;
    const second = openStore(path, { lockWaitSec: 10, onLockWait: (holder) => (waitedFor = holder) });
    for (let k = 0; k < 8; k++) await first.setMeta(`bulk${k}`, 'x'.repeat(8 * 1024));
    await first.close();
    const store = await second;
    try {
      expect(waitedFor).toBe(`this process (pid ${process.pid})`);
      expect(await store.getMeta('bulk7')).toBe('x'.repeat(8 * 1024));
    } finally {
      await store.close();
    }
  });

  it('an in-memory store is never shared, so any number open at once', async () => {
    const a = await openStore(':memory:');
    const b = await openStore(':memory:');
    await a.setMeta('k', 'a');
    expect(await b.getMeta('k')).toBeUndefined();
    await Promise.all([a.close(), b.close()]);
  });
});
