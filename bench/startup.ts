/**
 * @module
 * `npm run bench:startup`: what one `teiten ingest` of a one-packet capture
 * costs from process start to exit, the per-segment cost of a collector
 * (issue 12: < 0.5 s). `BENCH_INGESTS` (default 30) one-packet captures,
 * each a minute after the last, are ingested one call each into the same
 * DuckDB store, as a collector does; the first and last fifth are compared,
 * because each call opens what the earlier calls left (the WAL, the grown
 * file). `BENCH_BASELINE=DIR` (another build's package root, with its
 * `bin/teiten.js`) runs that build too, call for call alternately with this
 * one into a store of its own, so both see the same load on a shared
 * machine. Reference, same run: `tcpdump -r` of the same one-packet file,
 * and `node -e 0` (Node's own start-up, part of every teiten call).
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDarknetPcap } from './darknet-pcap.js';
import { best, measure, type Measured } from './measure.js';

const dir = fileURLToPath(new URL('../../.bench/startup/', import.meta.url));
const THIS_BUILD = fileURLToPath(new URL('../../bin/teiten.js', import.meta.url));
const BASELINE = process.env['BENCH_BASELINE'];
const INGESTS = Number(process.env['BENCH_INGESTS'] ?? 30);
const REFERENCE_RUNS = 5;
const T0 = 1_275_350_400;
const TARGET_SECONDS = 0.5;
const MIB = 2 ** 20;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const fmt = (s: number): string => `${s.toFixed(2)} s`;

interface Build {
  name: string;
  bin: string;
  db: string;
  runs: Measured[];
}

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const builds: Build[] = [{ name: 'this build', bin: THIS_BUILD, db: join(dir, 'store.duckdb'), runs: [] }];
if (BASELINE !== undefined)
  builds.push({ name: `baseline`, bin: join(BASELINE, 'bin/teiten.js'), db: join(dir, 'baseline.duckdb'), runs: [] });
for (const b of builds) {
  const args = ['sensors', 'add', 'darknet', '--db', b.db, '--address', '192.0.2.0/24', '--from', '2010-01-01T00:00Z'];
  measure('node', [b.bin, ...args]);
}

const loads: number[] = [];
for (let k = 0; k < INGESTS; k++) {
  const file = join(dir, `segment-${k}.pcap`);
  await writeDarknetPcap(file, 1, { seed: k + 1, startSec: T0 + 60 * k });
  // Alternate which build goes first, so neither always follows the other's writes.
  for (const b of k % 2 === 0 ? builds : [...builds].reverse()) {
    const m = measure('node', [b.bin, 'ingest', '--db', b.db, '--sensor', 'darknet', '--json', file]);
    const [summary] = JSON.parse(m.stdout) as Array<{ ok: boolean; packetsCounted: number }>;
    if (summary?.ok !== true || summary.packetsCounted !== 1)
      throw new Error(`${b.name}: ingest ${k} did not count its one packet: ${m.stdout}`);
    b.runs.push(m);
  }
  loads.push(loadavg()[0]!);
}
const one = join(dir, 'segment-0.pcap');
const tcpdump = best(REFERENCE_RUNS, 'tcpdump', ['-r', one, '-w', '/dev/null']);
const node = best(REFERENCE_RUNS, 'node', ['-e', '0']);

const fifth = Math.max(1, Math.floor(INGESTS / 5));
console.log(
  `one-packet ingests into one DuckDB store per build, ${INGESTS} calls each ` +
    `(1-minute load ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)})`,
);
console.log('| build | calls | best | median | median CPU | peak RSS |');
console.log('|---|---|---|---|---|---|');
for (const b of builds) {
  const parts = [
    ['all', b.runs],
    [`first ${fifth}`, b.runs.slice(0, fifth)],
    [`last ${fifth}`, b.runs.slice(-fifth)],
  ] as const;
  for (const [name, runs] of parts) {
    const wall = runs.map((r) => r.seconds);
    const peak = Math.max(...runs.map((r) => r.maxRssKiB)) / 1024;
    console.log(
      `| ${b.name} | ${name} | ${fmt(Math.min(...wall))} | ${fmt(median(wall))} | ` +
        `${fmt(median(runs.map((r) => r.cpuSeconds)))} | ${peak.toFixed(0)} MiB |`,
    );
  }
}
for (const b of builds) {
  const wal = statSync(`${b.db}.wal`, { throwIfNoEntry: false })?.size ?? 0;
  console.log(`${b.name}: store ${(statSync(b.db).size / MIB).toFixed(1)} MiB, WAL ${(wal / 1024).toFixed(1)} KiB`);
}
console.log(`reference: tcpdump -r (same file) ${fmt(tcpdump.seconds)}, node -e 0 ${fmt(node.seconds)}`);
const ours = median(builds[0]!.runs.map((r) => r.seconds));
const verdict = ours < TARGET_SECONDS ? 'met' : 'NOT met';
console.log(
  `target: median < ${TARGET_SECONDS} s — ${verdict} (${fmt(ours)}); teiten ÷ node start-up ${(ours / node.seconds).toFixed(1)}×`,
);
