import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../index.js';

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
