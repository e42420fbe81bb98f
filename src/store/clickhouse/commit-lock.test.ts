/**
 * `withCommitLock()` on a ClickHouse server (`CLICKHOUSE_URL`): holders never
 * overlap, a lock left by a dead process of this host or older than
 * `STALE_AFTER_SEC` is broken, and a live holder's lock is waited for.
 */

import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickHouseTestDb, type ClickHouseTestDb } from '../testdata/clickhouse-test-db.js';
import { STALE_AFTER_SEC, withCommitLock } from './commit-lock.js';
import { ClickHouseDriver, parseClickHouseUrl } from './driver.js';

const url = process.env['CLICKHOUSE_URL'];
const needs = url === undefined || url === '';
if (needs) console.log('commit-lock tests skipped: set CLICKHOUSE_URL (e.g. http://127.0.0.1:8123) to a server');
const HOLDERS = 6;
const HOLD_MS = 30;
const MS_PER_SECOND = 1000;
/** "At once": far below STALE_AFTER_SEC. */
const QUICK_MS = 5000;

describe.skipIf(needs)('withCommitLock()', () => {
  let db: ClickHouseTestDb;
  let drivers: ClickHouseDriver[];

  beforeAll(async () => {
    db = clickHouseTestDb(url!, 'lock');
    const boot = new ClickHouseDriver(parseClickHouseUrl(db.storeUrl), { database: 'default' });
    await boot.run({ sql: `CREATE DATABASE ${db.database}`, params: [] });
    await boot.close();
    drivers = Array.from({ length: HOLDERS }, () => new ClickHouseDriver(parseClickHouseUrl(db.storeUrl)));
  });
  afterAll(async () => {
    for (const d of drivers) await d.close();
    await db.drop();
  });

  /** Leaves a lock table behind as a holder `holder` that took it `ageSec` ago would. */
  async function leaveLock(name: string, holder: string, ageSec: number): Promise<void> {
    await drivers[0]!.run({
      sql: `CREATE TABLE teiten_lock_${name} (holder String DEFAULT ?, acquired_sec String DEFAULT ?) ENGINE = Memory`,
      params: [holder, String(Math.floor(Date.now() / MS_PER_SECOND) - ageSec)],
    });
  }

  it('withCommitLock() lets one holder at a time in, over separate connections', async () => {
    let inside = 0;
    let most = 0;
    await Promise.all(
      drivers.map((d) =>
        withCommitLock(d, { name: 'overlap' }, async () => {
          inside++;
          most = Math.max(most, inside);
          await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
  });

  it('withCommitLock() breaks a lock left by a dead process of this host at once', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    await leaveLock('dead', `${hostname()}:${dead}:abc`, 0);
    const started = Date.now();
    expect(await withCommitLock(drivers[1]!, { name: 'dead' }, async () => 'in')).toBe('in');
    expect(Date.now() - started).toBeLessThan(QUICK_MS);
  });

  it('withCommitLock() breaks a lock older than STALE_AFTER_SEC, and waits for a live holder', async () => {
    await leaveLock('old', 'elsewhere:1:abc', STALE_AFTER_SEC + 1);
    expect(await withCommitLock(drivers[2]!, { name: 'old' }, async () => 'in')).toBe('in');
    // A live process of this host (the test runner's parent) holding it now: the lock is waited for until released.
    await leaveLock('live', `${hostname()}:${process.ppid}:abc`, 0);
    let entered = false;
    const waiting = withCommitLock(drivers[3]!, { name: 'live' }, async () => {
      entered = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 10 * HOLD_MS));
    expect(entered).toBe(false);
    await drivers[0]!.run({ sql: 'DROP TABLE teiten_lock_live', params: [] });
    await waiting;
    expect(entered).toBe(true);
  });
});
