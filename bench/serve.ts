/**
 * @module
 * `npm run bench:serve`: latency of every API route and page of `teiten
 * serve` under 20 concurrent clients on loopback, over the ranking
 * benchmark's store (100 sensors × 181 days of rollups, FY2009Q4 +
 * FY2010Q1; made by `bench/ranking.ts` when missing, so both benchmarks
 * read the same file). Target (issue 14): p95 < 300 ms.
 *
 * The server is the built CLI in a child process (`teiten serve --rate-limit
 * 0`: the clients share one address); the clients are a bounded loop of
 * `fetch` in this process. The first request of a route computes its
 * answer (printed as "first answer"); the server keeps finished answers a
 * minute (`serve/answer-cache.ts`), so the measured requests after it are
 * what the next 20 visitors of that URL wait. Before any time is printed the served
 * `/api/top/ports` is checked against the generator's planted packets: a
 * fast wrong answer is not a result.
 *
 * Options (env): BENCH_SENSORS, BENCH_TRAFFIC_ROWS, BENCH_SOURCE_ROWS (as
 * bench:ranking), BENCH_CLIENTS (20), BENCH_REQUESTS per route (60).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { SCHEMA_VERSION } from '../src/store/index.js';

const PERIOD = 'FY2010Q1';
const TARGET_P95_MS = 300;
const PERCENT_50 = 0.5;
const PERCENT_95 = 0.95;

const sensors = Number(process.env.BENCH_SENSORS ?? 100);
const trafficPerDay = Number(process.env.BENCH_TRAFFIC_ROWS ?? 600);
const sourcesPerDay = Number(process.env.BENCH_SOURCE_ROWS ?? 150);
const clients = Number(process.env.BENCH_CLIENTS ?? 20);
const requests = Number(process.env.BENCH_REQUESTS ?? 60);
const dir = fileURLToPath(new URL('../../.bench/', import.meta.url));
const rankingBench = fileURLToPath(new URL('./ranking.js', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/teiten.js', import.meta.url));

/** What bench:ranking planted (its `.json` beside the store). */
interface Planted {
  q1Packets: number;
}

const ROUTES: readonly string[] = [
  '/api/summary', '/api/top/ports', '/api/top/countries', '/api/top/sensors', '/api/top/country-ports', '/api/top/country-ports?rows=table',
  '/api/port/445-TCP',
  '/api/country/CN', '/api/ip/100.0.0.1', '/api/backscatter', '/api/scanners', '/api/findings', '/api/openapi.json',
  '/', '/ports', '/countries', '/ports/445-TCP', '/countries/CN', '/ip/100.0.0.1', '/backscatter', '/scanners', '/findings',
];

/** The store file bench:ranking uses for these parameters (its naming, kept in step by hand). */
function storePath(): { path: string; truth: string } {
  const name = `ranking-s${SCHEMA_VERSION}-${sensors}x${trafficPerDay}x${sourcesPerDay}`;
  return { path: `${dir}${name}.duckdb`, truth: `${dir}${name}.json` };
}

async function startServer(path: string): Promise<{ base: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [bin, 'serve', '--db', path, '--listen', '127.0.0.1:0', '--rate-limit', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const base = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /serving (http:\/\/[^ ]+)\//.exec(out);
      if (match !== null) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`teiten serve exited (${code}) before listening`)));
  });
  return {
    base,
    stop: async () => {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

/** `requests` GETs of `url` by `clients` concurrent loops; each answer must be a 200. */
async function load(url: string): Promise<{ first: number; p50: number; p95: number; perSecond: number; bytes: number }> {
  const t = performance.now();
  const warm = await fetch(url);
  if (warm.status !== 200) throw new Error(`${url} answered ${warm.status}: ${await warm.text()}`);
  const bytes = (await warm.arrayBuffer()).byteLength;
  const first = performance.now() - t;
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < requests) {
      next += 1;
      const t0 = performance.now();
      const answer = await fetch(url);
      await answer.arrayBuffer();
      if (answer.status !== 200) throw new Error(`${url} answered ${answer.status}`);
      latencies.push(performance.now() - t0);
    }
  }));
  const wall = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { first, p50: quantile(latencies, PERCENT_50), p95: quantile(latencies, PERCENT_95), perSecond: latencies.length / wall, bytes };
}

async function main(): Promise<void> {
  const { path, truth } = storePath();
  if (!existsSync(path) || !existsSync(truth)) {
    console.log(`no ${path} yet: bench:ranking makes it`);
    const made = spawnSync(process.execPath, [rankingBench], { stdio: 'inherit', env: { ...process.env, BENCH_RUNS: '1' } });
    if (made.status !== 0) throw new Error(`bench:ranking failed (${made.status})`);
  }
  const planted = JSON.parse(readFileSync(truth, 'utf8')) as Planted;
  const server = await startServer(path);
  try {
    const top = (await (await fetch(`${server.base}/api/top/ports?period=${PERIOD}`)).json()) as { ranking: { rows: { packets: number }[] } };
    const served = top.ranking.rows.reduce((n, r) => n + r.packets, 0);
    if (served !== planted.q1Packets) throw new Error(`Benchmark aborted: /api/top/ports holds ${served} packets, the generator planted ${planted.q1Packets}`);
    const lines: string[] = [];
    let worst = 0;
    for (const route of ROUTES) {
      const r = await load(`${server.base}${route}${route.includes('?') ? '&' : '?'}period=${PERIOD}`);
      worst = Math.max(worst, r.p95);
      lines.push(`| \`${route}\` | ${r.first.toFixed(0)} | ${r.p50.toFixed(0)} | ${r.p95.toFixed(0)} | ${r.perSecond.toFixed(1)} | ${(r.bytes / 1024).toFixed(0)} |`);
    }
    console.log([
      `serve benchmark: ${sensors} sensors × 181 days (FY2009Q4 + FY2010Q1), period ${PERIOD}, ${clients} concurrent clients, ${requests} requests per route, node ${process.version}`,
      '',
      '| route | first answer ms | p50 ms | p95 ms | requests/s | answer KiB |',
      '|---|---:|---:|---:|---:|---:|',
      ...lines,
      '',
      `worst p95 ${worst.toFixed(0)} ms; load average ${loadavg()[0]!.toFixed(1)}; target p95 < ${TARGET_P95_MS} ms: ${worst < TARGET_P95_MS ? 'met' : 'NOT met'}`,
    ].join('\n'));
  } finally {
    await server.stop();
  }
}

await main();
