/**
 * @module
 * `npm run bench:decode`: teiten's capture+decode rate against libtrace's
 * `tracestats` and `tcpdump -r FILE -w /dev/null` on the same darknet-shaped
 * pcap, in the same run. Each contender runs as its own process under GNU
 * time (best of N), so wall time and peak RSS are measured the same way.
 * Packet counts per protocol are checked against the generator's truth and
 * against tracestats' BPF filters before any rate is printed.
 *
 * A last stage pipes a multi-GB capture (BENCH_STREAM_PACKETS, default
 * 50,000,000 ≈ 3.2 GB) from a generator process into teiten's stdin and
 * reports teiten's own peak RSS: decoding must stay in constant memory.
 *
 * Options (env): BENCH_PACKETS (default 5,000,000), BENCH_RUNS (default 3),
 * BENCH_STREAM_PACKETS (0 skips the stream stage).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeDarknetPcap, type PlantedCounts } from './darknet-pcap.js';
import { haveCommand } from '../src/util/have-command.js';
import { best, type Measured } from './measure.js';

const packets = Number(process.env.BENCH_PACKETS ?? 5_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const dir = fileURLToPath(new URL('../../.bench/', import.meta.url));
const worker = fileURLToPath(new URL('./decode-worker.js', import.meta.url));
const streamPackets = Number(process.env.BENCH_STREAM_PACKETS ?? 50_000_000);
const generator = fileURLToPath(new URL('./darknet-stream.js', import.meta.url));
/** Issue 2's bound for decoding a multi-GB input. */
const MAX_STREAM_RSS_MIB = 256;

async function capture(): Promise<{ path: string; planted: PlantedCounts }> {
  mkdirSync(dir, { recursive: true });
  const path = `${dir}darknet-${packets}.pcap`;
  const truthPath = `${path}.json`;
  if (!existsSync(path) || !existsSync(truthPath)) {
    const started = Date.now();
    const planted = await writeDarknetPcap(path, packets);
    writeFileSync(truthPath, JSON.stringify(planted));
    console.log(`generated ${path} (${packets} packets) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return { path, planted: JSON.parse(readFileSync(truthPath, 'utf8')) as PlantedCounts };
}

function check(what: string, got: number, want: number): void {
  if (got !== want) throw new Error(`Benchmark aborted: ${what} counted ${got}, the generator planted ${want}`);
}

/** tracestats prints one line per filter: `  name:  count  bytes`. */
function tracestatsCount(output: string, filter: string): number {
  const line = output.split('\n').find((l) => l.trim().startsWith(`${filter}:`));
  if (line === undefined) throw new Error(`tracestats printed no line for filter '${filter}'`);
  return Number(line.trim().split(/\s+/)[1]);
}

function row(name: string, m: Measured, teiten: Measured): string {
  const rate = packets / m.seconds;
  const ratio = m === teiten ? '1.00' : (m.seconds / teiten.seconds).toFixed(2);
  return `${name.padEnd(34)} ${m.seconds.toFixed(2).padStart(7)} s ${(rate / 1e6).toFixed(2).padStart(7)} Mpkt/s ${(m.maxRssKiB / 1024).toFixed(0).padStart(6)} MiB  ${ratio.padStart(6)}`;
}

const { path, planted } = await capture();
const teiten = best(runs, process.execPath, [worker, path]);
const counts = JSON.parse(teiten.stdout) as {
  packets: number;
  seconds: number;
  tcp: number;
  udp: number;
  icmp: number;
};
check('teiten packets', counts.packets, planted.packets);
check('teiten TCP', counts.tcp, planted.tcp);
check('teiten UDP', counts.udp, planted.udp);
check('teiten ICMP', counts.icmp, planted.icmp);

const lines = [
  `decode benchmark: ${packets.toLocaleString('en')} packets, best of ${runs}, node ${process.version}`,
  `${'contender'.padEnd(34)} ${'wall'.padStart(9)} ${'rate'.padStart(14)} ${'peak RSS'.padStart(10)}  teiten speed-up`,
  row('teiten decode + per-port tally', teiten, teiten),
];
if (haveCommand('tracestats')) {
  const trace = best(runs, 'tracestats', ['-f', 'tcp', '-f', 'udp', '-f', 'icmp', `pcapfile:${path}`]);
  check('tracestats TCP', tracestatsCount(trace.stdout, 'tcp'), planted.tcp);
  check('tracestats UDP', tracestatsCount(trace.stdout, 'udp'), planted.udp);
  check('tracestats ICMP', tracestatsCount(trace.stdout, 'icmp'), planted.icmp);
  lines.push(row('tracestats -f tcp -f udp -f icmp', trace, teiten));
} else {
  lines.push('tracestats: not installed (apt-get install libtrace-tools); skipped');
}
if (haveCommand('tcpdump')) {
  lines.push(row('tcpdump -r FILE -w /dev/null', best(runs, 'tcpdump', ['-r', path, '-w', '/dev/null']), teiten));
} else {
  lines.push('tcpdump: not installed; skipped');
}
lines.push(
  `teiten in-process rate (excluding node start-up): ${(counts.packets / counts.seconds / 1e6).toFixed(2)} Mpkt/s`,
);
console.log(lines.join('\n'));

/** Pipes `streamPackets` generated packets into `decode-worker -` and checks its counts and peak RSS. */
function streamStage(): void {
  const script = `'${process.execPath}' '${generator}' ${streamPackets} 2>"$0" | '${process.execPath}' '${worker}' -`;
  const plantedPath = `${dir}stream-planted.json`;
  const result = spawnSync('sh', ['-c', script, plantedPath], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`Stream stage failed (${result.status}): ${result.stderr}`);
  const got = JSON.parse(result.stdout) as { packets: number; seconds: number; maxRssKiB: number; tcp: number };
  const want = JSON.parse(readFileSync(plantedPath, 'utf8')) as PlantedCounts;
  check('stream packets', got.packets, want.packets);
  check('stream TCP', got.tcp, want.tcp);
  const gib = (got.packets * STREAM_BYTES_PER_PACKET) / 2 ** 30;
  const rssMiB = got.maxRssKiB / 1024;
  console.log(
    `stream stage: ${got.packets.toLocaleString('en')} packets (~${gib.toFixed(1)} GiB) through stdin in ${got.seconds.toFixed(1)} s; teiten peak RSS ${rssMiB.toFixed(0)} MiB (bound ${MAX_STREAM_RSS_MIB} MiB)`,
  );
  if (rssMiB > MAX_STREAM_RSS_MIB)
    throw new Error(`Decoding a stream used ${rssMiB.toFixed(0)} MiB, over the ${MAX_STREAM_RSS_MIB} MiB bound`);
}

/** Mean pcap bytes per generated packet (16-byte record header + frame), from the 5M-packet file. */
const STREAM_BYTES_PER_PACKET = statSync(path).size / packets;
if (streamPackets > 0) streamStage();
