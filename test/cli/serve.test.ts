/**
 * `teiten serve` as a user runs it: the simulated detector-check store in a
 * DuckDB file (and in a fresh ClickHouse database when `CLICKHOUSE_URL` is
 * set), `teiten stats --json` on it, then the built `teiten serve` on the
 * same store listening on an ephemeral port: `/api/top/{ports|countries|
 * sensors|country-ports}` must answer exactly what `stats --json --by …`
 * printed, and the server must stop cleanly on SIGTERM.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillServedStore, PERIOD, servedDuckDbFile } from '../../src/serve/testdata/served-store.js';
import { clickHouseTestDb, type ClickHouseTestDb } from '../../src/store/testdata/clickhouse-test-db.js';
import { openStore } from '../../src/store/index.js';
import { runCli, startCli } from './run-cli.js';

const clickHouseUrl = process.env['CLICKHOUSE_URL'];
/** `teiten stats --by` of each `/api/top/NAME`. */
const TABLES = { ports: 'service', countries: 'country', sensors: 'sensor', 'country-ports': 'country-service' } as const;
const TOP = '7';

/** `stats --json` for every table, then the same over HTTP from `teiten serve`; both printed and compared. */
async function compareWithStats(storeArgs: string[]): Promise<void> {
  const expected: Record<string, unknown> = {};
  for (const [name, by] of Object.entries(TABLES)) {
    const stats = await runCli(['stats', ...storeArgs, '--period', PERIOD, '--by', by, '--top', TOP, '--json']);
    expect(stats.stderr).toBe('');
    expect(stats.code).toBe(0);
    expected[name] = JSON.parse(stats.stdout);
  }
  const server = startCli(['serve', ...storeArgs, '--listen', '127.0.0.1:0', '--quiet']);
  try {
    await server.printed('teiten: serving ');
    const base = /serving (http:\/\/[^ ]+)\//.exec(server.output().stdout)![1]!;
    for (const name of Object.keys(TABLES)) {
      const answer = await fetch(`${base}/api/top/${name}?period=${PERIOD}&top=${TOP}`);
      expect(answer.status).toBe(200);
      const served = await answer.json();
      expect(served, name).toEqual(expected[name]);
    }
    const ranking = (expected['ports'] as { ranking: { table: { key: string; rounded: { current: number } }[] } }).ranking;
    console.log(`/api/top/ports = stats --json (${storeArgs.join(' ')}): ${ranking.table.map((r) => `${r.key} ${r.rounded.current}`).join(', ')}`);
  } finally {
    server.child.kill('SIGTERM');
  }
  const ended = await server.result;
  expect(ended.code).toBe(0);
}

describe('teiten serve', () => {
  let dbPath: string;

  beforeAll(async () => {
    dbPath = (await servedDuckDbFile()).path;
  }, 180_000);

  it('/api/top/* over DuckDB equals teiten stats --json for the same store and arguments', async () => {
    await compareWithStats(['--db', dbPath]);
  }, 120_000);

  it('serve refuses a missing store, a bad --listen or --rate-limit, and prints its options', async () => {
    const missing = await runCli(['serve', '--db', `${dbPath}.none`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no store at .*\.none/);
    const listen = await runCli(['serve', '--db', dbPath, '--listen', 'localhost']);
    expect(listen.code).toBe(2);
    expect(listen.stderr).toMatch(/--listen must be HOST:PORT/);
    const rate = await runCli(['serve', '--db', dbPath, '--rate-limit', 'lots']);
    expect(rate.code).toBe(2);
    expect(rate.stderr).toMatch(/--rate-limit must be a whole number/);
    const help = await runCli(['serve', '--help']);
    expect(help.stdout).toMatch(/--listen HOST:PORT/);
  });
});

describe.runIf(clickHouseUrl !== undefined)('teiten serve on ClickHouse', () => {
  let db: ClickHouseTestDb;

  beforeAll(async () => {
    db = clickHouseTestDb(clickHouseUrl!, 'serve');
    const store = await openStore(db.storeUrl, { timeZone: 'Asia/Tokyo' });
    try {
      await fillServedStore(store);
    } finally {
      await store.close();
    }
  }, 300_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('/api/top/* over ClickHouse equals teiten stats --json for the same store and arguments', async () => {
    await compareWithStats(['--store', db.storeUrl]);
  }, 120_000);
});
