/**
 * `teiten serve` as a user runs it: the simulated detector-check store in a
 * DuckDB file (and in a fresh ClickHouse database when `CLICKHOUSE_URL` is
 * set), `teiten stats --json` on it, then the built `teiten serve` on the
 * same store listening on an ephemeral port: `/api/top/{ports|countries|
 * sensors|country-ports}` must answer exactly what `stats --json --by …`
 * printed; with the report's selection (top 5, movers 5) `/api/top/ports`
 * must also hold exactly the rows of the report's table 2-1 (`teiten report
 * --format json`); a page of the rows (`--offset/--limit`, `offset=&limit=`)
 * must be the same page from both; and the server must stop cleanly on SIGTERM.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillServedStore, PERIOD, servedDuckDbFile } from '../../src/serve/testdata/served-store.js';
import { clickHouseTestDb, type ClickHouseTestDb } from '../../src/store/testdata/clickhouse-test-db.js';
import { openStore } from '../../src/store/index.js';
import { runCli, startCli } from './run-cli.js';

const clickHouseUrl = process.env['CLICKHOUSE_URL'];
/** `teiten stats --by` of each `/api/top/NAME`. */
const TABLES = {
  ports: 'service',
  countries: 'country',
  sensors: 'sensor',
  'country-ports': 'country-service',
} as const;
const TOP = '7';
/** The quarterly report's selection of its ranking tables (`report/compose/quarterly-data.ts`). */
const REPORT_TOP = '5';
const REPORT_MOVERS = '5';
/** A page of `ranking.rows` away from the start. */
const PAGE_OFFSET = '3';
const PAGE_LIMIT = '4';

interface ReportTableRow {
  key: string;
  cells: {
    rank: number;
    previousRank: number | null;
    current: number;
    change: { abs: number; pct: number | null };
    increaseRank: number | null;
    decreaseRank: number | null;
  };
}

/** The table numbered `number` anywhere in a report document's JSON. */
function reportTable(doc: unknown, number: string): ReportTableRow[] | undefined {
  if (typeof doc !== 'object' || doc === null) return undefined;
  const node = doc as { kind?: unknown; number?: unknown; rows?: ReportTableRow[] };
  if (node.kind === 'table' && node.number === number) return node.rows;
  for (const child of Object.values(doc)) {
    const found = reportTable(child, number);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** `stats --json` for every table, then the same over HTTP from `teiten serve`; both printed and compared. */
async function compareWithStats(storeArgs: string[]): Promise<void> {
  const expected: Record<string, unknown> = {};
  for (const [name, by] of Object.entries(TABLES)) {
    const stats = await runCli(['stats', ...storeArgs, '--period', PERIOD, '--by', by, '--top', TOP, '--json']);
    expect(stats.stderr).toBe('');
    expect(stats.code).toBe(0);
    expected[name] = JSON.parse(stats.stdout);
  }
  // A page of the rows (`ranking.page`) other than the first: the same page from both.
  const paged = JSON.parse(
    (
      await runCli([
        'stats',
        ...storeArgs,
        '--period',
        PERIOD,
        '--by',
        'country-service',
        '--offset',
        PAGE_OFFSET,
        '--limit',
        PAGE_LIMIT,
        '--json',
      ])
    ).stdout,
  );
  expect(paged.ranking.page).toMatchObject({ offset: Number(PAGE_OFFSET), limit: Number(PAGE_LIMIT) });
  expect(paged.ranking.rows).toHaveLength(Number(PAGE_LIMIT));
  const reportSelection = ['--top', REPORT_TOP, '--movers', REPORT_MOVERS];
  const statsPorts = JSON.parse(
    (await runCli(['stats', ...storeArgs, '--period', PERIOD, '--by', 'service', ...reportSelection, '--json'])).stdout,
  );
  const report = await runCli(['report', ...storeArgs, '--period', PERIOD, '--format', 'json']);
  expect(report.code, report.stderr).toBe(0);
  const table21 = reportTable(JSON.parse(report.stdout), '2-1');
  expect(table21?.length).toBeGreaterThan(0);
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
    const pagedAnswer = await fetch(
      `${base}/api/top/country-ports?period=${PERIOD}&offset=${PAGE_OFFSET}&limit=${PAGE_LIMIT}`,
    );
    expect(await pagedAnswer.json()).toEqual(paged);
    expect(pagedAnswer.headers.get('x-total-count')).toBe(String(paged.ranking.page.total));
    const selected = (await (
      await fetch(`${base}/api/top/ports?period=${PERIOD}&top=${REPORT_TOP}&movers=${REPORT_MOVERS}`)
    ).json()) as {
      ranking: {
        table: {
          key: string;
          rank: number;
          previousRank: number | null;
          current: number;
          changeAbs: number;
          changePct: number | null;
          increaseRank: number | null;
          decreaseRank: number | null;
        }[];
      };
    };
    expect(selected).toEqual(statsPorts);
    // The seed's seven columns are the API's numbers; the interval and q-value columns are the report's text of `ranking.uncertainty`.
    const seedCells = table21!.map((row) => {
      const { interval: _interval, qValue: _qValue, ...cells } = row.cells as Record<string, unknown>;
      return { ...row, cells };
    });
    expect(
      selected.ranking.table.map((r) => ({
        key: r.key,
        cells: {
          rank: r.rank,
          previousRank: r.previousRank,
          item: r.key,
          current: r.current,
          change: { abs: r.changeAbs, pct: r.changePct },
          increaseRank: r.increaseRank,
          decreaseRank: r.decreaseRank,
        },
      })),
    ).toEqual(seedCells);
    const tested = (
      selected as unknown as { ranking: { uncertainty: { rows: { key: string }[] } } }
    ).ranking.uncertainty.rows.map((r) => r.key);
    expect(
      table21!
        .filter((row) => typeof (row.cells as Record<string, unknown>)['qValue'] === 'string')
        .map((row) => row.key)
        .every((key) => tested.includes(key)),
    ).toBe(true);
    const ranking = (expected['ports'] as { ranking: { table: { key: string; rounded: { current: number } }[] } })
      .ranking;
    console.log(
      `/api/top/ports = stats --json (${storeArgs.join(' ')}): ${ranking.table.map((r) => `${r.key} ${r.rounded.current}`).join(', ')}`,
    );
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

  it("/api/top/* over DuckDB equals teiten stats --json, and /api/top/ports the report's table 2-1, for the same store and arguments", async () => {
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

  it("/api/top/* over ClickHouse equals teiten stats --json, and /api/top/ports the report's table 2-1, for the same store and arguments", async () => {
    await compareWithStats(['--store', db.storeUrl]);
  }, 120_000);
});
