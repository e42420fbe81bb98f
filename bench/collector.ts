/**
 * @module
 * `npm run bench:collector`: the observation network end to end. Four agents
 * (`teiten sensor run --read`) replay four telescope captures into one
 * collector (`teiten collector serve`, DuckDB) over loopback HTTPS, against
 * `teiten ingest` of the same four files into a fresh store in the same run.
 *
 * Every contender is a separate process under GNU time (wall, peak RSS,
 * CPU). The end-to-end rate is all packets over the time from starting the
 * agents to the last agent's exit, which happens only once the collector
 * acknowledged every segment, i.e. after its durable commit. The ingest rate
 * is all packets over the summed wall time of the four `teiten ingest` runs
 * (one DuckDB writer, as in the collector). Both include Node start-up and
 * GeoIP opening: once per ingest run, once for the collector. Before any rate
 * is shown, the collector's stored traffic must equal the ingest's, sensor by
 * sensor. The collector's engine ingests are counted (group commit makes
 * fewer than segments), and CPU seconds of the ingest runs and of the
 * collector (from /proc) are printed: on a shared machine the wall-time
 * ratio moves with other work, the CPU ratio much less.
 *
 * Live stage (`sensor-live.ts`): agent and tcpdump CPU and memory per 10 k
 * packets/s of live traffic through a veth pair into a collector.
 *
 * Options (env): BENCH_PACKETS total packets (default 2,000,000, split over
 * the four files), BENCH_SEGMENT_BYTES (default 8MiB), BENCH_STAGES (default
 * `replay,live`), BENCH_LIVE_RATE (default 10000 pkt/s), BENCH_LIVE_SECONDS
 * (default 30).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trafficRows } from '../src/ingest/testdata/captures.js';
import { openStore } from '../src/store/index.js';
import { liveSkipReason, measureLiveAgent } from './sensor-live.js';
import { writeTelescopePcap } from './telescope-pcap.js';

const AGENTS = 4;
const stages = (process.env['BENCH_STAGES'] ?? 'replay,live').split(',');
const liveRate = Number(process.env['BENCH_LIVE_RATE'] ?? 10_000);
const liveSeconds = Number(process.env['BENCH_LIVE_SECONDS'] ?? 30);
const packets = Number(process.env['BENCH_PACKETS'] ?? 2_000_000);
const segmentBytes = process.env['BENCH_SEGMENT_BYTES'] ?? '8MiB';
const perFile = Math.floor(packets / AGENTS);
const dir = fileURLToPath(new URL('../../.bench/network/', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/teiten.js', import.meta.url));
const GNU_TIME = '/usr/bin/time';
const MARK = 'TEITEN_BENCH';
const CLOCK_TICKS = 100;
/** Issue 13's target: end to end at least this share of `teiten ingest`. */
const TARGET_SHARE = 0.8;
/** Sensor i watches 198.18.i.0/24 (RFC 2544 benchmarking space), so the sensors are disjoint. */
const sensorNet = (i: number): number => (0xc6120000 | (i << 8)) >>> 0;
const cidr = (i: number): string => `198.18.${i}.0/24`;

interface Timed {
  seconds: number;
  /** User + system CPU seconds. */
  cpuSeconds: number;
  maxRssKiB: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A teiten process, asynchronously (the collector and agents run side by side): under GNU time, or directly
 * when it must be signalled (GNU time does not pass SIGTERM on); then its peak RSS is read from /proc.
 */
function timed(
  args: string[],
  options: { direct?: boolean } = {},
): {
  done: Promise<Timed>;
  kill: (signal: NodeJS.Signals) => void;
  stdout: () => string;
  peakRssKiB: () => number;
  cpuSeconds: () => number;
} {
  const child =
    options.direct === true
      ? spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(GNU_TIME, ['-f', `${MARK} %e %M %U %S`, process.execPath, BIN, ...args], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const done = new Promise<Timed>((resolve) => {
    child.on('close', (code) => {
      const line =
        stderr
          .split('\n')
          .reverse()
          .find((l) => l.startsWith(MARK)) ?? `${MARK} NaN NaN NaN NaN`;
      const [, seconds, rss, user, system] = line.split(' ');
      resolve({
        seconds: Number(seconds),
        maxRssKiB: Number(rss),
        cpuSeconds: Number(user) + Number(system),
        code,
        stdout,
        stderr,
      });
    });
  });
  const peakRssKiB = (): number =>
    Number(/VmHWM:\s*(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? NaN);
  // utime and stime, fields 14 and 15 of /proc/PID/stat (proc(5)), in clock ticks of 1/100 s on Linux.
  const cpuSeconds = (): number => {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  };
  return { done, kill: (signal) => child.kill(signal), stdout: () => stdout, peakRssKiB, cpuSeconds };
}

function cli(args: string[]): void {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`teiten ${args.join(' ')} failed: ${r.stderr}`);
}

async function trafficOf(db: string): Promise<string> {
  const store = await openStore(db);
  try {
    const out: unknown[] = [];
    for (let i = 0; i < AGENTS; i++) out.push(await trafficRows(store, (await store.findSensor(`s${i}`))!.id));
    return JSON.stringify(out);
  } finally {
    await store.close();
  }
}

/** Ingests the collector made: with group commit, fewer than the segments it stored. */
async function ingestCount(db: string): Promise<number> {
  const store = await openStore(db);
  try {
    return (await store.listIngests()).length;
  } finally {
    await store.close();
  }
}

async function replayStage(): Promise<void> {
  const files: string[] = [];
  for (let i = 0; i < AGENTS; i++) {
    const path = join(dir, `telescope-${perFile}-s${i}.pcap`);
    if (!existsSync(path)) await writeTelescopePcap(path, perFile, { seed: 10 + i, sensorNet: sensorNet(i) });
    files.push(path);
  }
  const run = join(dir, 'run');
  rmSync(run, { recursive: true, force: true });
  mkdirSync(run, { recursive: true });

  // Reference: teiten ingest of the four files, one after another into one store.
  const refDb = join(run, 'ingest.duckdb');
  let ingestSeconds = 0;
  let ingestCpu = 0;
  let ingestRss = 0;
  for (let i = 0; i < AGENTS; i++) {
    cli(['sensors', 'add', `s${i}`, '--from', '2000-01-01T00:00:00Z', '--address', cidr(i), '--db', refDb]);
    const m = await timed(['ingest', '--db', refDb, '--sensor', `s${i}`, files[i]!]).done;
    if (m.code !== 0) throw new Error(`teiten ingest failed (${m.code}): ${m.stderr}`);
    ingestSeconds += m.seconds;
    ingestCpu += m.cpuSeconds;
    ingestRss = Math.max(ingestRss, m.maxRssKiB);
  }

  // The network: one collector, four agents.
  const netDb = join(run, 'collector.duckdb');
  const dataDir = join(run, 'collector-data');
  const collector = timed(['collector', 'serve', '--db', netDb, '--listen', '127.0.0.1:0', '--data-dir', dataDir], {
    direct: true,
  });
  while (!/SHA-256 fingerprint/.test(collector.stdout())) await new Promise((r) => setTimeout(r, 50));
  const url = /listening on (\S+)/.exec(collector.stdout())![1]!;
  for (let i = 0; i < AGENTS; i++) {
    cli([
      'sensors',
      'enroll',
      `s${i}`,
      '--address',
      cidr(i),
      '--collector',
      url,
      '--out',
      join(run, `s${i}.cred`),
      '--db',
      netDb,
      '--data-dir',
      dataDir,
      '--wait',
      '60',
    ]);
  }
  const started = process.hrtime.bigint();
  const agents = files.map(
    (file, i) =>
      timed([
        'sensor',
        'run',
        '--credentials',
        join(run, `s${i}.cred`),
        '--read',
        file,
        '--spool',
        join(run, `spool-s${i}`),
        '--segment-bytes',
        segmentBytes,
      ]).done,
  );
  const results = await Promise.all(agents);
  const e2eSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  for (const r of results) if (r.code !== 0) throw new Error(`an agent failed (${r.code}): ${r.stderr}`);
  const collectorRssKiB = collector.peakRssKiB();
  const collectorCpu = collector.cpuSeconds();
  collector.kill('SIGTERM');
  await collector.done;

  const same = (await trafficOf(netDb)) === (await trafficOf(refDb));
  if (!same) throw new Error('Benchmark aborted: the collector stored other traffic figures than teiten ingest');
  const segments = results.reduce((n, r) => n + (r.stderr.match(/ segment-uploaded /g) ?? []).length, 0);
  const total = perFile * AGENTS;
  const ingestRate = total / ingestSeconds;
  const e2eRate = total / e2eSeconds;
  const mib = (kib: number): string => `${(kib / 1024).toFixed(0)} MiB`;
  console.log(
    `observation network: ${AGENTS} agents × ${perFile} packets (telescope captures), ${segments} segments of ≤ ${segmentBytes}, loopback HTTPS, DuckDB`,
  );
  console.log(
    `teiten ingest (4 files in turn)       ${ingestSeconds.toFixed(2).padStart(7)} s ${(ingestRate / 1e3).toFixed(0).padStart(6)} kpkt/s  peak RSS ${mib(ingestRss)}`,
  );
  console.log(
    `agents → collector, end to end        ${e2eSeconds.toFixed(2).padStart(7)} s ${(e2eRate / 1e3).toFixed(0).padStart(6)} kpkt/s  ` +
      `collector peak RSS ${mib(collectorRssKiB)}, agent peak RSS ${results.map((r) => mib(r.maxRssKiB)).join(' / ')}`,
  );
  console.log(`collector: ${await ingestCount(netDb)} engine ingests for the ${segments} segments (group commit)`);
  const agentsCpu = results.reduce((n, r) => n + r.cpuSeconds, 0);
  console.log(
    `CPU seconds: teiten ingest ${ingestCpu.toFixed(1)}, collector ${collectorCpu.toFixed(1)} (${((ingestCpu / collectorCpu) * 100).toFixed(0)} % of its rate in CPU terms), ` +
      `agents ${agentsCpu.toFixed(1)} (load-independent: compare when other work shares the cores)`,
  );
  console.log(
    `end to end / ingest: ${((e2eRate / ingestRate) * 100).toFixed(0)} % (target ≥ ${TARGET_SHARE * 100} %); stored figures equal: ${same}`,
  );
}

async function liveStage(): Promise<void> {
  const skip = liveSkipReason();
  if (skip !== undefined) {
    console.log(`live stage skipped: ${skip}`);
    return;
  }
  const run = join(dir, 'live');
  rmSync(run, { recursive: true, force: true });
  mkdirSync(run, { recursive: true });
  const db = join(run, 'collector.duckdb');
  const dataDir = join(run, 'collector-data');
  const f = await measureLiveAgent({
    bin: BIN,
    run,
    rate: liveRate,
    seconds: liveSeconds,
    startCollector: async (host) => {
      const c = timed(['collector', 'serve', '--db', db, '--listen', `${host}:0`, '--data-dir', dataDir], {
        direct: true,
      });
      while (!/SHA-256 fingerprint/.test(c.stdout())) await new Promise((r) => setTimeout(r, 50));
      const url = /listening on (\S+)/.exec(c.stdout())![1]!;
      return {
        url,
        port: Number(new URL(url).port),
        stop: async () => {
          c.kill('SIGTERM');
          await c.done;
        },
      };
    },
    enroll: (url, cidr) => {
      const cred = join(run, 'live.cred');
      cli([
        'sensors',
        'enroll',
        'live',
        '--address',
        cidr,
        '--collector',
        url,
        '--out',
        cred,
        '--db',
        db,
        '--data-dir',
        dataDir,
        '--wait',
        '60',
      ]);
      return cred;
    },
  });
  console.log(
    `live capture: ${f.sent} datagrams at ${f.rate} pkt/s through a veth pair, all cut into segments, 0 kernel drops; steady window ${f.seconds.toFixed(1)} s`,
  );
  console.log(
    `per 10 k pkt/s: agent ${(f.agentCpuPer10k * 100).toFixed(1)} % of a core, tcpdump ${(f.tcpdumpCpuPer10k * 100).toFixed(1)} %; ` +
      `resident memory agent ${f.agentRssMiB.toFixed(0)} MiB, tcpdump ${f.tcpdumpRssMiB.toFixed(0)} MiB`,
  );
}

if (!existsSync(GNU_TIME)) throw new Error(`Cannot benchmark: ${GNU_TIME} (Debian package 'time') is missing`);
mkdirSync(dir, { recursive: true });
if (stages.includes('replay')) await replayStage();
if (stages.includes('live')) await liveStage();
