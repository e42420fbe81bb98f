/**
 * @module
 * `npm run bench:startup`: what one `teiten ingest` of a one-packet capture
 * costs from process start to exit, the per-segment cost of a collector
 * (issue 12: < 0.5 s). `BENCH_INGESTS` (default 30) one-packet captures,
 * each a minute after the last, are ingested one call each into the same
 * DuckDB store, as a collector does; the first and last fifth are compared,
 * because each call's open replays what earlier calls left in the WAL.
 * Reference, same run: `tcpdump -r` of the same one-packet file, and
 * `node -e 0` (Node's own start-up, part of every teiten call).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDarknetPcap } from './darknet-pcap.js';
import { best, measure, type Measured } from './measure.js';

const dir = fileURLToPath(new URL('../../.bench/startup/', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/teiten.js', import.meta.url));
const INGESTS = Number(process.env['BENCH_INGESTS'] ?? 30);
const REFERENCE_RUNS = 5;
const T0 = 1_275_350_400;
const TARGET_SECONDS = 0.5;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const fmt = (s: number): string => `${s.toFixed(2)} s`;

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const db = join(dir, 'store.duckdb');
measure('node', [
  BIN,
  'sensors',
  'add',
  'darknet',
  '--db',
  db,
  '--address',
  '192.0.2.0/24',
  '--from',
  '2010-01-01T00:00Z',
]);

const runs: Measured[] = [];
for (let k = 0; k < INGESTS; k++) {
  const file = join(dir, `segment-${k}.pcap`);
  await writeDarknetPcap(file, 1, { seed: k + 1, startSec: T0 + 60 * k });
  const m = measure('node', [BIN, 'ingest', '--db', db, '--sensor', 'darknet', '--json', file]);
  const [summary] = JSON.parse(m.stdout) as Array<{ ok: boolean; packetsCounted: number }>;
  if (summary?.ok !== true || summary.packetsCounted !== 1)
    throw new Error(`ingest ${k} did not count its one packet: ${m.stdout}`);
  runs.push(m);
}
const one = join(dir, 'segment-0.pcap');
const tcpdump = best(REFERENCE_RUNS, 'tcpdump', ['-r', one, '-w', '/dev/null']);
const node = best(REFERENCE_RUNS, 'node', ['-e', '0']);

const seconds = runs.map((r) => r.seconds);
const fifth = Math.max(1, Math.floor(INGESTS / 5));
const rows = [
  ['all', seconds],
  [`first ${fifth}`, seconds.slice(0, fifth)],
  [`last ${fifth}`, seconds.slice(-fifth)],
] as const;
console.log(
  `one-packet ingests into one DuckDB store, ${INGESTS} calls (load ${(await import('node:os')).loadavg()[0]!.toFixed(1)})`,
);
console.log('| calls | best | median | peak RSS |');
console.log('|---|---|---|---|');
for (const [name, xs] of rows) {
  const peak = Math.max(...runs.filter((r) => xs.includes(r.seconds)).map((r) => r.maxRssKiB));
  console.log(`| ${name} | ${fmt(Math.min(...xs))} | ${fmt(median(xs))} | ${(peak / 1024).toFixed(0)} MiB |`);
}
console.log(`reference: tcpdump -r (same file) ${fmt(tcpdump.seconds)}, node -e 0 ${fmt(node.seconds)}`);
const verdict = median(seconds) < TARGET_SECONDS ? 'met' : 'NOT met';
console.log(
  `target: median < ${TARGET_SECONDS} s — ${verdict}; teiten ÷ node start-up ${(median(seconds) / node.seconds).toFixed(1)}×`,
);
