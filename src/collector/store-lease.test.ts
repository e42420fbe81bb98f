import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../store/index.js';
import { StoreLease } from './store-lease.js';

describe('StoreLease on a DuckDB file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'teiten-lease-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // The idle close checkpoints a WAL past 32 KiB; a request arriving meanwhile
  // used to open a second instance of the file in this process, and the two
  // wrote over each other: a collector lost segments and heartbeats it had
  // acknowledged.
  it('a request during the idle close reopens the file after the close, and every write survives', async () => {
    const path = join(dir, 'collector.duckdb');
    const lease = new StoreLease(path);
    const bulk = 'x'.repeat(8 * 1024);
    for (let round = 0; round < 5; round++) {
      await lease.use(async (store) => {
        for (let k = 0; k < 8; k++) await store.setMeta(`r${round}-${k}`, bulk);
      });
      const closing = lease.close();
      await lease.use((store) => store.setMeta(`r${round}-after`, String(round)));
      await closing;
    }
    await lease.close();

    const store = await openStore(path);
    try {
      for (let round = 0; round < 5; round++) {
        expect(await store.getMeta(`r${round}-7`)).toBe(bulk);
        expect(await store.getMeta(`r${round}-after`)).toBe(String(round));
      }
    } finally {
      await store.close();
    }
  });
});
