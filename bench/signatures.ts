/**
 * @module
 * `npm run bench:signatures`: the signature engine's matching rate with 0
 * rules, the bundled set, bundled + Emerging Threats (as loaded statelessly,
 * and with flow:established assumed) and a 3,000+ rule set, against
 * `tcpdump -r FILE -w /dev/null` on the same darknet capture with payloads.
 * Each rule set runs twice, each time as its own process under GNU time
 * (best of N): streaming (decode and match batch by batch, as `teiten rules
 * match` does) for the end-to-end rate and peak RSS, and with the capture
 * decoded into memory first, for the rate of matching alone (wall and CPU
 * time). Alert counts of the planted payloads are checked against the
 * generator, in both runs, before any rate is printed.
 *
 * Options (env): BENCH_PACKETS (default 1,000,000), BENCH_RUNS (default 2),
 * BENCH_SOURCES (source pool, default 200,000), TEITEN_ET_RULES (default
 * /work/shared/rules/et-open; ET sets skipped when absent).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { haveCommand } from '../src/util/have-command.js';
import { best, type Measured } from './measure.js';
import { writeSignaturePcap, type PlantedAlerts } from './signature-pcap.js';

const packets = Number(process.env.BENCH_PACKETS ?? 1_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 2);
const sources = Number(process.env.BENCH_SOURCES ?? 200_000);
const etDir = process.env.TEITEN_ET_RULES ?? '/work/shared/rules/et-open';
const dir = fileURLToPath(new URL('../../.bench/', import.meta.url));
const worker = fileURLToPath(new URL('./signature-worker.js', import.meta.url));
const SETS = ['none', 'bundled', 'bundled+et', 'bundled+et-established', 'scaled'] as const;

interface WorkerResult {
  ruleSet: string;
  mode: string;
  rules: number;
  packets: number;
  compileSeconds: number;
  decodeSeconds: number;
  /** Streaming: decode and match; memory: match alone. */
  runSeconds: number;
  /** CPU time of the same: steadier than wall time on a shared machine. */
  runCpuSeconds: number;
  alerts: number;
  bySid: Record<string, number>;
}

async function capture(): Promise<{ path: string; planted: PlantedAlerts }> {
  mkdirSync(dir, { recursive: true });
  const path = `${dir}signatures-${packets}-${sources}.pcap`;
  const truthPath = `${path}.json`;
  if (!existsSync(path) || !existsSync(truthPath)) {
    const started = Date.now();
    const planted = await writeSignaturePcap(path, packets, { sources });
    writeFileSync(truthPath, JSON.stringify(planted));
    console.log(
      `generated ${path} (${packets} packets from ${sources} sources) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  return { path, planted: JSON.parse(readFileSync(truthPath, 'utf8')) as PlantedAlerts };
}

function check(result: WorkerResult, planted: PlantedAlerts): void {
  if (result.packets !== packets)
    throw new Error(
      `Benchmark aborted: ${result.ruleSet} matched ${result.packets} packets, the capture has ${packets}`,
    );
  if (result.ruleSet === 'none') {
    if (result.alerts !== 0) throw new Error(`Benchmark aborted: 0 rules raised ${result.alerts} alerts`);
    return;
  }
  for (const [sid, count] of Object.entries(planted)) {
    const got = result.bySid[sid] ?? 0;
    if (got !== count)
      throw new Error(
        `Benchmark aborted: ${result.ruleSet} raised sid ${sid} ${got} times, the generator planted ${count}`,
      );
  }
}

const mpps = (n: number, s: number): string => (n / s / 1e6).toFixed(2);

const { path, planted } = await capture();
readFileSync(path); // into the page cache before timing
const sets = SETS.filter((name) => name === 'none' || name === 'bundled' || existsSync(etDir));
const tcpdump = haveCommand('tcpdump') ? best(runs, 'tcpdump', ['-r', path, '-w', '/dev/null']) : null;
const tcpdumpRate = tcpdump === null ? null : packets / tcpdump.seconds;
const lines = [
  `signature benchmark: ${packets.toLocaleString('en')} packets (${(readFileSync(path).length / 2 ** 20).toFixed(0)} MiB pcap), best of ${runs}, node ${process.version}`,
  `${'rule set'.padEnd(24)} ${'rules'.padStart(6)} ${'compile'.padStart(8)} ${'match only'.padStart(12)} ${'(cpu)'.padStart(12)} ${'stream'.padStart(12)} ${'(cpu)'.padStart(12)} ${'wall'.padStart(8)} ${'peak RSS'.padStart(9)} ${'÷ tcpdump'.padStart(10)} ${'alerts'.padStart(9)}`,
];
const rate = (seconds: number): string => `${mpps(packets, seconds)} M/s`.padStart(12);
for (const name of sets) {
  const run = (mode: 'stream' | 'memory'): { m: Measured; r: WorkerResult } => {
    const m = best(runs, process.execPath, [worker, path, name, mode, etDir]);
    const r = JSON.parse(m.stdout) as WorkerResult;
    check(r, planted);
    return { m, r };
  };
  const stream = run('stream');
  const memory = run('memory');
  const ratio = tcpdumpRate === null ? 'n/a' : `${(packets / stream.r.runSeconds / tcpdumpRate).toFixed(2)}×`;
  lines.push(
    [
      name.padEnd(24),
      String(stream.r.rules).padStart(6),
      `${stream.r.compileSeconds.toFixed(2)} s`.padStart(8),
      rate(memory.r.runSeconds),
      rate(memory.r.runCpuSeconds),
      rate(stream.r.runSeconds),
      rate(stream.r.runCpuSeconds),
      `${stream.m.seconds.toFixed(2)} s`.padStart(8),
      `${(stream.m.maxRssKiB / 1024).toFixed(0)} MiB`.padStart(9),
      ratio.padStart(10),
      String(stream.r.alerts).padStart(9),
    ].join(' '),
  );
}
if (!existsSync(etDir)) lines.push(`ET sets skipped: ${etDir} is absent (set TEITEN_ET_RULES)`);
lines.push(
  tcpdump === null
    ? 'tcpdump: not installed; no baseline'
    : `tcpdump -r FILE -w /dev/null: ${tcpdump.seconds.toFixed(2)} s wall, ${mpps(packets, tcpdump.seconds)} Mpkt/s, ${(tcpdump.maxRssKiB / 1024).toFixed(0)} MiB`,
);
lines.push(
  'match only: matching batches already decoded in memory (wall, then CPU time); stream: decode + match in one pass (in-process wall, CPU).',
);
lines.push(
  "wall and peak RSS: the whole streaming process (node start-up, rule loading and compiling included). ÷ tcpdump: stream rate over tcpdump's read rate.",
);
lines.push('Planted alert counts checked for every rule set, in both runs.');
console.log(lines.join('\n'));
