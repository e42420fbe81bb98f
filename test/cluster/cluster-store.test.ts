/**
 * The store on a real ClickHouse cluster (issue 17), when
 * `CLICKHOUSE_CLUSTER_URL` names one (`npm run cluster:up` prints it; the
 * node directories are found as `cluster:up` made them, TEITEN_CLUSTER_DIR).
 * One simulated scenario is ingested into the cluster and into a DuckDB
 * file; the last capture goes into the cluster only during the fault.
 * Checked: every figure of the accuracy harness, both shards and every
 * replica holding the rows, a shard down failing queries with an error
 * naming it, a replica down refusing the commit and leaving the totals as
 * they were, and after it returns the CLI's `stats`, `detections` and
 * `report --format json` byte-identical with DuckDB's (the report's two
 * fields naming its store aside); then retention removing the first day
 * from every replica with every figure of a kept period unchanged, and the
 * commit lock across nodes: lock holders through all four nodes never
 * overlapping, and two `teiten ingest` of one capture through nodes of
 * different shards counting it once.
 *
 * The cases run in order in one file: the fault cases stop nodes that every
 * other case needs.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layoutFromEnv } from '../../scripts/cluster/layout.js';
import { awaitDdlQueue, restartNode, stopNode } from '../../scripts/cluster/local-cluster.js';
import { comparePeriod, loadCaptures, TruthTables } from '../../src/accuracy/index.js';
import { openCountryDb } from '../../src/classify/index.js';
import { ingestCapture } from '../../src/ingest/index.js';
import { readTruth, simulateScenario, type SimulatedFile } from '../../src/simulate/index.js';
import { openStore, type AnalyticsStore } from '../../src/store/index.js';
import { bulkCapture } from '../../src/ingest/testdata/bulk-capture.js';
import { keptByChain } from '../../src/analyse/testdata/threshold-kept.js';
import { testGeo, writeTemp } from '../../src/ingest/testdata/captures.js';
import { runCli, startCli } from '../cli/run-cli.js';
import { DIMENSION_NAMES, parsePeriod, periodSummary, rankingTables } from '../../src/analyse/index.js';
import { parseLocalDate, startOfLocalDay } from '../../src/util/tz.js';
import { withCommitLock } from '../../src/store/clickhouse/commit-lock.js';
import { ClickHouseDriver, parseClickHouseUrl } from '../../src/store/clickhouse/driver.js';

// Unset or empty: the tests are skipped (as when `npm test` runs without `npm run cluster:up`).
const CLUSTER_URL = process.env['CLICKHOUSE_CLUSTER_URL'] || undefined;
if (CLUSTER_URL === undefined)
  console.log(
    'cluster store: skipped, CLICKHOUSE_CLUSTER_URL is not set (npm run cluster:up prints it; .ci/run sets it)',
  );

const SCENARIO = 'detector-check';
const REPORT_STAMP = ['--generated-at', '2010-07-30T09:00:00+09:00', '--issued', '2010-07-30'];
/** Several seconds of ingest here: long enough to be killed once its first rows are in. */
const KILLED_PACKETS = 150_000;
const POLL_MS = 100;
/** About a second of ingest each: two processes started together are both well inside their ingest when either commits. */
const RACE_PACKETS = 60_000;
/** Long enough for the next holder's attempts to run into the lock. */
const LOCK_HOLD_MS = 50;

/** Packets, bytes and distinct sources over everything committed, from the rollups and the source sets. */
async function totals(store: AnalyticsStore): Promise<unknown> {
  const [traffic] = await store.query({
    sql: 'SELECT SUM(packets) AS packets, SUM(bytes) AS bytes FROM traffic_hour',
    params: [],
  });
  const [sources] = await store.query({
    sql: 'SELECT COUNT(DISTINCT src) AS sources, SUM(packets) AS packets FROM source_day',
    params: [],
  });
  const [ingests] = await store.query({ sql: 'SELECT COUNT(*) AS n FROM ingests', params: [] });
  return { traffic, sources, ingests };
}

/**
 * The report names its store (`source.store`, `source.database`); those two
 * fields are blanked before the byte comparison, everything else must match.
 */
function withoutStoreName(report: string): string {
  return report
    .replace(/("source": \{[^}]*?"database": )"[^"]*"/, '$1"…"')
    .replace(/("source": \{[^}]*?"store": )"[^"]*"/, '$1"…"');
}

/** The cluster URL with its database replaced by `database`, through the node at `httpPort` when given. */
function storeUrlFor(database: string, httpPort?: number): string {
  const url = new URL(CLUSTER_URL!);
  url.pathname = `/${database}`;
  if (httpPort !== undefined) url.port = String(httpPort);
  return url.toString();
}

describe.runIf(CLUSTER_URL !== undefined)('ClickHouse cluster store', () => {
  const layout = layoutFromEnv();
  const work = mkdtempSync(join(tmpdir(), 'teiten-cluster-'));
  const database = `teiten_cluster_${process.pid}_${Date.now()}`;
  // Collected even when skipped: no URL to parse then.
  const clusterUrl = CLUSTER_URL === undefined ? '' : storeUrlFor(database);
  const duckPath = join(work, 'store.duckdb');
  let truth: ReturnType<typeof readTruth>;
  let held: SimulatedFile;
  let store: AnalyticsStore;
  let period: string;

  const stats = async (target: string[]): Promise<string> => {
    const result = await runCli(['stats', ...target, '--period', period, '--json']);
    expect(result.stderr).toBe('');
    return result.stdout;
  };

  beforeAll(async () => {
    const simulated = await simulateScenario(SCENARIO, { outDir: join(work, 'captures') });
    truth = readTruth(simulated.truthPath);
    // The month of the scenario's days: a period every command takes (a range leaves the report's kind open).
    period = truth.days[0]!.slice(0, 7);
    held = simulated.files[simulated.files.length - 1]!;
    const duck = await openStore(duckPath, { timeZone: truth.scenario.timeZone });
    try {
      await loadCaptures(duck, truth, simulated.files);
    } finally {
      await duck.close();
    }
    store = await openStore(clusterUrl, { timeZone: truth.scenario.timeZone });
    await loadCaptures(
      store,
      truth,
      simulated.files.filter((f) => f !== held),
    );
  }, 180_000);

  afterAll(async () => {
    await store?.close();
    // The databases on every node, through the first one.
    for (const name of [database, `${database}_kill`, `${database}_race`]) {
      await fetch(`http://127.0.0.1:${layout.nodes[0]!.httpPort}/`, {
        method: 'POST',
        body: `DROP DATABASE IF EXISTS ${name} ON CLUSTER ${layout.name}`,
      });
    }
  });

  it('teiten ingest killed with SIGKILL once its rows are in counts nothing, and the same command then ingests it whole', async () => {
    const target = storeUrlFor(`${database}_kill`);
    const { countryPath, asnPath } = await testGeo(work);
    const capture = writeTemp(
      work,
      'long.pcap',
      bulkCapture({
        packets: KILLED_PACKETS,
        startSec: Date.parse('2010-06-01T00:00:00Z') / 1000,
        perSecond: 20,
        format: 'pcap',
      }),
    );
    const args = [
      'ingest',
      '--store',
      target,
      '--sensor',
      'tokyo',
      '--geoip',
      countryPath,
      '--asn-db',
      asnPath,
      '--no-signatures',
      capture,
    ];
    expect(
      await runCli([
        'sensors',
        'add',
        'tokyo',
        '--from',
        '2000-01-01T00:00:00Z',
        '--address',
        '192.0.2.0/24',
        '--store',
        target,
      ]),
    ).toMatchObject({ code: 0 });
    const killed = await openStore(target);
    try {
      const count = async (sql: string): Promise<number> =>
        (await killed.query<{ n: number }>({ sql, params: [] }))[0]!.n;
      const run = startCli(args);
      while (run.child.exitCode === null && (await count('SELECT count() AS n FROM packet_rows')) === 0)
        await new Promise((r) => setTimeout(r, POLL_MS));
      expect(run.child.exitCode, 'the ingest ended before it could be killed').toBeNull();
      run.child.kill('SIGKILL');
      expect((await run.result).signal).toBe('SIGKILL');
      expect(await count('SELECT count() AS n FROM packet_rows')).toBeGreaterThan(0);
      expect([
        await count('SELECT count() AS n FROM ingests'),
        await count('SELECT count() AS n FROM traffic_hour'),
        await count('SELECT count() AS n FROM packets'),
      ]).toEqual([0, 0, 0]);
      const again = await runCli([...args.slice(0, -1), '--json', capture]);
      expect(again.code, again.stderr).toBe(0);
      expect(await count('SELECT SUM(packets) AS n FROM traffic_hour')).toBe(KILLED_PACKETS);
      expect(await count('SELECT count() AS n FROM packets')).toBe(KILLED_PACKETS);
    } finally {
      await killed.close();
    }
  }, 120_000);

  it('every shard holds rows, and every replica of a shard the same rows', async () => {
    const counts = await store.query<{ address: string; n: number }>({
      sql: `SELECT address, n FROM (${layout.nodes.map(() => 'SELECT ? AS address, count() AS n FROM remote(?, ?, ?)').join(' UNION ALL ')}) ORDER BY address`,
      params: layout.nodes.flatMap((n) => [n.name, `127.0.0.1:${n.tcpPort}`, database, 'source_list_day_rows_local']),
    });
    const byNode = new Map(counts.map((c) => [c.address, c.n]));
    const [total] = await store.query<{ n: number }>({
      sql: 'SELECT count() AS n FROM source_list_day_rows',
      params: [],
    });
    console.log(
      `source_list_day_rows per node: ${counts.map((c) => `${c.address} ${c.n}`).join(', ')}; through Distributed ${total?.n}`,
    );
    for (const shard of new Set(layout.nodes.map((n) => n.shard))) {
      const replicas = layout.nodes.filter((n) => n.shard === shard).map((n) => byNode.get(n.name));
      expect(replicas[0], `shard ${shard}`).toBeGreaterThan(0);
      expect(new Set(replicas).size, `replicas of shard ${shard}`).toBe(1);
    }
    const shardSum = layout.nodes.filter((n) => n.replica === 1).reduce((sum, n) => sum + byNode.get(n.name)!, 0);
    expect(shardSum).toBe(total?.n);
  });

  it('a shard down fails the query with an error naming the shard, never a partial figure', async () => {
    const shard2 = layout.nodes.filter((n) => n.shard === 2);
    for (const node of shard2) await stopNode(layout, node.name, 'SIGKILL');
    try {
      await expect(store.query({ sql: 'SELECT count() AS n FROM traffic_hour', params: [] })).rejects.toThrow(
        new RegExp(
          `shard 2 of cluster ${layout.name} \\(127\\.0\\.0\\.1:${shard2[0]!.tcpPort}, 127\\.0\\.0\\.1:${shard2[1]!.tcpPort}\\) unreachable`,
        ),
      );
      const cli = await runCli(['stats', '--store', clusterUrl, '--period', period, '--json']);
      expect(cli.code).not.toBe(0);
      expect(cli.stdout).toBe('');
      expect(cli.stderr).toMatch(/shard 2 of cluster \w+ .*unreachable/);
    } finally {
      for (const node of shard2) await restartNode(layout, node.name);
      await awaitDdlQueue(layout);
    }
  }, 60_000);

  it('a replica down during an ingest refuses its commit, the totals stay as they were, and the ingest succeeds once it returns', async () => {
    const before = await totals(store);
    const geo = { country: openCountryDb(), asn: null };
    await stopNode(layout, 's1r2', 'SIGKILL');
    try {
      await expect(ingestCapture(store, held.sensor, held.path, { geo })).rejects.toThrow(/127\.0\.0\.1:\d+/);
      expect(await totals(store)).toEqual(before);
    } finally {
      await restartNode(layout, 's1r2');
      await awaitDdlQueue(layout);
    }
    expect(await totals(store)).toEqual(before);
    await ingestCapture(store, held.sensor, held.path, { geo });
    const duck = await openStore(duckPath);
    try {
      expect(await totals(store)).toEqual(await totals(duck));
    } finally {
      await duck.close();
    }
    expect(await totals(store)).not.toEqual(before);
  }, 90_000);

  it('the accuracy harness finds no differing figure on the cluster', async () => {
    const tables = new TruthTables(truth);
    const checks = [];
    for (const p of tables.periods()) checks.push(...(await comparePeriod(store, tables, p)));
    console.log(`cluster ${SCENARIO}: ${checks.length} figures compared, ${checks.filter((c) => !c.ok).length} differ`);
    expect(checks.length).toBeGreaterThan(50);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
  }, 60_000);

  it('stats --json, detections --json and report --format json are byte-identical with DuckDB', async () => {
    const outputs: Record<string, string[]> = {};
    for (const [name, target] of [
      ['duckdb', ['--db', duckPath]],
      ['cluster', ['--store', clusterUrl]],
    ] as const) {
      const detections = await runCli(['detections', ...target, '--period', period, '--json']);
      const out = join(work, `report-${name}.json`);
      const report = await runCli([
        'report',
        ...target,
        '--period',
        period,
        '--format',
        'json',
        '--out',
        out,
        ...REPORT_STAMP,
      ]);
      expect(detections.code, detections.stderr).toBe(0);
      expect(report.code, report.stderr).toBe(0);
      outputs[name] = [await stats([...target]), detections.stdout, withoutStoreName(readFileSync(out, 'utf8'))];
    }
    const [stat, detections, report] = outputs['cluster']!;
    expect(stat).toBe(outputs['duckdb']![0]);
    expect(detections).toBe(outputs['duckdb']![1]);
    expect(report).not.toBe(readFileSync(join(work, 'report-cluster.json'), 'utf8'));
    expect(report).toBe(outputs['duckdb']![2]);
    console.log(
      `cluster = DuckDB byte for byte: stats ${stat!.length} B, detections ${detections!.length} B, report ${report!.length} B`,
    );
  }, 120_000);

  it('applyRetention() on the cluster removes the days before the cutoff from every replica and changes no figure of a kept period', async () => {
    const days = truth.days.map((d) => parseLocalDate(d));
    const cutoffDay = days[1]!;
    const lastDate = truth.days[truth.days.length - 1]!;
    // Noon of the last day with every day but the first kept: its period and the one before it stay whole.
    const now = startOfLocalDay(days[days.length - 1]!, truth.scenario.timeZone) + 12 * 3600;
    const keep = days[days.length - 1]! - cutoffDay;
    const kept = parsePeriod(lastDate, { timeZone: truth.scenario.timeZone });
    const figures = async (s: AnalyticsStore): Promise<unknown> => ({
      summary: await periodSummary(s, { period: kept }),
      rankings: await rankingTables(s, { period: kept, by: DIMENSION_NAMES }),
    });
    const tables = ['packet_rows', 'traffic_hour_rows', 'source_list_day_rows', 'signature_day_rows'];
    /** Per node and table, rows before the cutoff and from it, as each replica holds them. */
    const perReplica = async (): Promise<string[]> => {
      const rows = await store.query<{ node: string; t: string; old_rows: number; kept_rows: number }>({
        sql: layout.nodes
          .flatMap(() =>
            tables.map(
              () =>
                'SELECT ? AS node, ? AS t, countIf(local_day < ?) AS old_rows, countIf(local_day >= ?) AS kept_rows FROM remote(?, ?, ?)',
            ),
          )
          .join(' UNION ALL '),
        params: layout.nodes.flatMap((n) =>
          tables.flatMap((t) => [n.name, t, cutoffDay, cutoffDay, `127.0.0.1:${n.tcpPort}`, database, `${t}_local`]),
        ),
      });
      return rows.map((r) => `${r.node} ${r.t} ${r.old_rows} ${r.kept_rows}`).sort();
    };
    const before = await perReplica();
    const figuresBefore = await figures(store);
    const cutoffSec = startOfLocalDay(cutoffDay, truth.scenario.timeZone);
    const matchesBefore = async (): Promise<number> => {
      const [row] = await store.query<{ n: number }>({
        sql: 'SELECT count() AS n FROM signature_match_rows WHERE us < ?',
        params: [cutoffSec * 1e6],
      });
      return Number(row!.n);
    };
    const keptMatches = await keptByChain(store, cutoffSec);
    console.log(`threshold matches before the cutoff to keep: ${JSON.stringify(keptMatches)}`);
    expect(keptMatches.exact).toBeGreaterThan(0);
    const pruning = await openStore(clusterUrl, {
      now: () => now,
      retention: { packets: keep, hourly: keep, sources: keep, evidence: keep },
    });
    try {
      const run = await pruning.applyRetention();
      expect(run.serverTtl).toBe(false);
      expect(run.steps.find((s) => s.table === 'traffic_hour_rows')).toMatchObject({ keptFromDay: cutoffDay });
      for (const table of tables) expect(run.steps.find((s) => s.table === table)!.rows, table).toBeGreaterThan(0);
      // Threshold matches go by chain, through a subquery over every shard inside each replica's mutation.
      expect(run.steps.find((s) => s.table === 'signature_match_rows')!.rows).toBeGreaterThan(0);
    } finally {
      await pruning.close();
    }
    // Chains running at the cutoff keep their open window's seconds, written to a table every node's mutation reads.
    expect(await matchesBefore()).toBe(keptMatches.exact);
    const matchesPerReplica = await store.query<{ node: string; n: number }>({
      sql: layout.nodes.map(() => 'SELECT ? AS node, count() AS n FROM remote(?, ?, ?)').join(' UNION ALL '),
      params: layout.nodes.flatMap((n) => [n.name, `127.0.0.1:${n.tcpPort}`, database, 'signature_match_rows_local']),
    });
    for (const shard of new Set(layout.nodes.map((n) => n.shard))) {
      const names = new Set(layout.nodes.filter((n) => n.shard === shard).map((n) => n.name));
      const counts = matchesPerReplica.filter((r) => names.has(r.node)).map((r) => Number(r.n));
      expect(new Set(counts).size, `threshold matches on the replicas of shard ${shard}`).toBe(1);
    }
    const after = await perReplica();
    expect(after).toEqual(
      before.map((line) => {
        const [node, t, , from] = line.split(' ');
        return `${node} ${t} 0 ${from}`;
      }),
    );
    expect(before.some((line) => line.split(' ')[2] !== '0')).toBe(true);
    expect(await figures(store)).toEqual(figuresBefore);
  }, 120_000);

  // Last: a loser's rollback is an ALTER … ON CLUSTER on replicated tables, which can stop a node's
  // 18.16 DDL worker for good (README); nothing after it depends on distributed DDL.
  it("withCommitLock() on a cluster: holders through every node never overlap, and a dead holder's lock is broken on every node", async () => {
    const drivers = layout.nodes.flatMap((node) =>
      [1, 2].map(() => new ClickHouseDriver(parseClickHouseUrl(storeUrlFor(database, node.httpPort)))),
    );
    try {
      let inside = 0;
      let most = 0;
      let entered = 0;
      await Promise.all(
        drivers.map((d) =>
          withCommitLock(d, { name: 'race', cluster: layout.name }, async () => {
            inside++;
            entered++;
            most = Math.max(most, inside);
            await new Promise((resolve) => setTimeout(resolve, LOCK_HOLD_MS));
            inside--;
          }),
        ),
      );
      expect([most, entered]).toEqual([1, drivers.length]);
      // A holder of this host that has exited, as SIGKILL would leave it: on every node.
      const dead = spawnSync(process.execPath, ['-e', '0']).pid;
      await drivers[0]!.run({
        sql: `CREATE TABLE ${database}.teiten_lock_dead ON CLUSTER ${layout.name} (holder String DEFAULT ?, acquired_sec String DEFAULT ?) ENGINE = Memory`,
        params: [`${hostname()}:${dead}:abc`, String(Math.floor(Date.now() / 1000))],
      });
      const last = drivers[drivers.length - 1]!;
      expect(await withCommitLock(last, { name: 'dead', cluster: layout.name }, async () => 'in')).toBe('in');
      const left = await last.all<{ n: number }>({
        sql: `SELECT count() AS n FROM remote(?, system.tables) WHERE database = ? AND name LIKE 'teiten_lock_%'`,
        params: [layout.nodes.map((n) => `127.0.0.1:${n.tcpPort}`).join(','), database],
      });
      expect(left).toEqual([{ n: 0 }]);
    } finally {
      for (const d of drivers) await d.close();
    }
  });

  it('teiten ingest of one capture twice at once through nodes of different shards: one counts it, the other is refused as a duplicate', async () => {
    const race = `${database}_race`;
    const { countryPath, asnPath } = await testGeo(work);
    const capture = writeTemp(
      work,
      'race.pcap',
      bulkCapture({
        packets: RACE_PACKETS,
        startSec: Date.parse('2010-06-01T00:00:00Z') / 1000,
        perSecond: 20,
        format: 'pcap',
      }),
    );
    const add = ['sensors', 'add', 'tokyo', '--from', '2000-01-01T00:00:00Z', '--address', '192.0.2.0/24'];
    expect(await runCli([...add, '--store', storeUrlFor(race)])).toMatchObject({ code: 0 });
    // s1r1 and s2r1: each process's commit lock, checks and ingests row go through its own node.
    const nodes = [layout.nodes[0]!, layout.nodes.find((n) => n.shard === 2)!];
    const runs = nodes.map((node) =>
      startCli([
        'ingest',
        '--store',
        storeUrlFor(race, node.httpPort),
        '--sensor',
        'tokyo',
        '--geoip',
        countryPath,
        '--asn-db',
        asnPath,
        '--no-signatures',
        '--json',
        capture,
      ]),
    );
    const reports = (await Promise.all(runs.map((r) => r.result))).map((r) => {
      expect(r.stdout, r.stderr).toMatch(/^\[/);
      return (JSON.parse(r.stdout) as { ok: boolean; packetsCounted: number; error: { code: string } | null }[])[0]!;
    });
    expect(reports.filter((r) => r.ok).map((r) => r.packetsCounted)).toEqual([RACE_PACKETS]);
    expect(reports.find((r) => !r.ok)!.error!.code).toBe('TEITEN_STORE_DUPLICATE_INGEST');
    const raced = await openStore(storeUrlFor(race));
    try {
      const [row] = await raced.query<{ n: number; ingests: number }>({
        sql: 'SELECT COALESCE(SUM(packets), 0) AS n, (SELECT count() FROM ingests) AS ingests FROM traffic_hour',
        params: [],
      });
      expect(row).toEqual({ n: RACE_PACKETS, ingests: 1 });
    } finally {
      await raced.close();
    }
  }, 120_000);
});
