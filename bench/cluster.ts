/**
 * @module
 * `npm run bench:cluster`: the ranking benchmark's rollups (`ranking-data.ts`)
 * ingested into a local ClickHouse cluster of one shard and then into one of
 * two shards (one replica each, separate clickhouse-server processes, started
 * and stopped here under `.bench/cluster-N/`): ingest rate in rows/s, bytes
 * on disk per row, and the FY2010Q1 ranking tables' latency (best of
 * BENCH_RUNS, each checked against the planted packets first).
 *
 * Options (env): BENCH_SENSORS (2), BENCH_TRAFFIC_ROWS (2000), BENCH_SOURCE_ROWS (500), BENCH_RUNS (3).
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { clusterStoreUrl, layoutFromEnv } from '../scripts/cluster/layout.js';
import { parsePeriod, rankingTables } from '../src/analyse/index.js';
import { openStore } from '../src/store/index.js';
import { DIMENSIONS, generateRankingData, PERIOD } from './ranking-data.js';

const size = {
  sensors: Number(process.env.BENCH_SENSORS ?? 2),
  trafficPerDay: Number(process.env.BENCH_TRAFFIC_ROWS ?? 2000),
  sourcesPerDay: Number(process.env.BENCH_SOURCE_ROWS ?? 500),
};
const runs = Number(process.env.BENCH_RUNS ?? 3);
const dir = fileURLToPath(new URL('../../.bench/', import.meta.url));
/** Away from `npm run cluster:up`'s 19100 block and from each other. */
const PORT_BASE = 19_200;
const PORT_STEP = 100;
const DATABASE = 'bench';
const CLUSTER_SCRIPT = fileURLToPath(new URL('../scripts/cluster.js', import.meta.url));

/**
 * `cluster.js up|down` in a process of its own, as a user runs it (it waits
 * for the servers to settle: `scripts/cluster/local-cluster.ts`).
 */
function clusterScript(command: 'up' | 'down', env: NodeJS.ProcessEnv): void {
  const run = spawnSync(process.execPath, [CLUSTER_SCRIPT, command], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`cluster.js ${command} failed (${run.status}): ${run.stderr}`);
}

interface Measured {
  version: string;
  shards: number;
  rows: number;
  rowsPerSecond: number;
  bytesPerRow: number;
  rankingSeconds: number;
}

async function measure(shards: number): Promise<Measured> {
  const env = {
    TEITEN_CLUSTER_DIR: `${dir}cluster-${shards}`,
    TEITEN_CLUSTER_PORT_BASE: String(PORT_BASE + PORT_STEP * shards),
    TEITEN_CLUSTER_SHARDS: String(shards),
    TEITEN_CLUSTER_REPLICAS: '1',
  };
  const layout = layoutFromEnv(env);
  clusterScript('up', env);
  try {
    const url = clusterStoreUrl(layout, DATABASE);
    const planted = await generateRankingData(url, size);
    const rows = planted.trafficRows + planted.sourceRows;
    const store = await openStore(url);
    try {
      const [disk] = await store.query<{ bytes: number }>({
        sql: `SELECT sum(bytes_on_disk) AS bytes FROM remote(?, system.parts)
          WHERE database = ? AND active AND table IN ('traffic_hour_rows_local', 'source_list_day_rows_local')`,
        params: [layout.nodes.map((n) => `127.0.0.1:${n.tcpPort}`).join(','), DATABASE],
      });
      const [server] = await store.query<{ version: string }>({ sql: 'SELECT version() AS version', params: [] });
      const period = parsePeriod(PERIOD, { timeZone: store.settings.timeZone });
      let best = Infinity;
      for (let k = 0; k < runs; k++) {
        const started = performance.now();
        const tables = await rankingTables(store, { period, by: DIMENSIONS, top: 10, movers: 5 });
        const seconds = (performance.now() - started) / 1000;
        for (const t of tables) {
          const [now, before] = [
            t.rows.reduce((n, r) => n + r.packets, 0),
            t.rows.reduce((n, r) => n + r.previousPackets, 0),
          ];
          if (now !== planted.q1Packets || before !== planted.q4Packets) {
            throw new Error(
              `Benchmark aborted: ${t.by} table holds ${now}/${before} packets on ${shards} shard(s), the generator planted ${planted.q1Packets}/${planted.q4Packets}`,
            );
          }
        }
        best = Math.min(best, seconds);
      }
      return {
        version: server?.version ?? '?',
        shards,
        rows,
        rowsPerSecond: rows / planted.loadSeconds,
        bytesPerRow: (disk?.bytes ?? 0) / rows,
        rankingSeconds: best,
      };
    } finally {
      await store.close();
    }
  } finally {
    clusterScript('down', env);
  }
}

const results: Measured[] = [];
for (const shards of [1, 2]) {
  results.push(await measure(shards));
  console.error(`measured ${shards} shard(s): ${JSON.stringify(results[results.length - 1])}`);
}
console.log(
  [
    `cluster benchmark: ${size.sensors} sensors × 181 days, ${size.trafficPerDay} traffic + ${size.sourcesPerDay} source rows per sensor-day,` +
      ` one ingest per sensor-week through IngestWriter, ClickHouse ${results[0]!.version} (one replica per shard, ZooKeeper), node ${process.version}`,
    ...results.map(
      (r) =>
        `${r.shards} shard${r.shards > 1 ? 's' : ''}: ingest ${(r.rowsPerSecond / 1e3).toFixed(1)} k rows/s (${r.rows.toLocaleString('en')} rows),` +
        ` ${r.bytesPerRow.toFixed(1)} B/row on disk, ${PERIOD} ranking tables (4 dimensions, both quarters) best of ${runs}: ${r.rankingSeconds.toFixed(2)} s`,
    ),
    `load average ${loadavg()[0]!.toFixed(1)} (other agents share the 2 cores)`,
  ].join('\n'),
);
