import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type AnalyticsStore } from '../store/index.js';
import { UsageError } from './errors.js';
import { withStore } from './store-target.js';

describe('withStore', () => {
  let dir: string;
  let db: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'teiten-with-store-'));
    db = join(dir, 'store.duckdb');
    await (await openStore(db)).close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('hands what prepare made to fn with the open store, and closes the store after', async () => {
    let used: AnalyticsStore | undefined;
    const got = await withStore(
      { db },
      async (store, prepared: string) => {
        used = store;
        return `${prepared} ${(await store.listSensors()).length}`;
      },
      { prepare: async () => 'prepared' },
    );
    expect(got).toBe('prepared 0');
    await expect(used!.listSensors()).rejects.toThrow();
  });

  it('says there is no store, and prepares nothing, when the file is missing', async () => {
    let prepared = false;
    const run = withStore({ db: join(dir, 'typo.duckdb') }, async () => 'ran', {
      prepare: async () => {
        prepared = true;
      },
    });
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(/no store at .*typo\.duckdb/);
    expect(prepared).toBe(false);
  });

  it('reports prepare’s failure once the store is open, and runs nothing with it', async () => {
    let ran = false;
    const run = withStore(
      { db },
      async () => {
        ran = true;
      },
      {
        prepare: async () => {
          throw new RangeError('bad rules');
        },
      },
    );
    await expect(run).rejects.toThrow('bad rules');
    expect(ran).toBe(false);
  });
});
