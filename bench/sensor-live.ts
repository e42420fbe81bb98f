/**
 * @module
 * The live stage of `npm run bench:collector`: agent CPU and memory per
 * 10 k packets/s of live traffic. A network namespace with a veth pair is
 * the sensor's network; `teiten sensor run --interface` runs inside it
 * (tcpdump → agent → HTTPS → a collector on the host side) while this
 * process sends UDP datagrams to the sensor's address at a fixed rate. The
 * CPU seconds of the agent and of its tcpdump (from /proc, so other load on
 * the machine does not inflate them) over the steady window, and their
 * resident memory, are scaled to 10 k pkt/s. Before a figure is shown, the
 * packets the agent cut into segments must equal the packets sent, with no
 * kernel drop. Needs root and `ip`; skipped with a printed reason otherwise.
 */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vethPair } from '../src/sensor/testdata/veth-pair.js';

const PAIR = vethPair('tb');
const { ns: NS, sensorIf: SENSOR_IF, hostAddr: HOST_ADDR, sensorAddr: SENSOR_ADDR } = PAIR;
const CLOCK_TICKS = 100;
const PAGE_KIB = 4;
const WARMUP_MS = 3000;
const PER_10K = 10_000;

export interface LiveFigures {
  rate: number;
  seconds: number;
  sent: number;
  agentCpuPer10k: number;
  tcpdumpCpuPer10k: number;
  agentRssMiB: number;
  tcpdumpRssMiB: number;
}

export function liveSkipReason(): string | undefined {
  return PAIR.skipReason();
}

/** CPU ticks (user + system) and resident KiB of a process, from /proc. */
function usage(pid: number): { ticks: number; rssKiB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { ticks: Number(fields[11]) + Number(fields[12]), rssKiB: Number(fields[21]) * PAGE_KIB };
}

function childPid(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
  for (const child of children) if (readFileSync(`/proc/${child}/comm`, 'utf8').trim() === 'tcpdump') return child;
  throw new Error('the agent has no tcpdump child');
}

/** Sends `rate` datagrams per second for `seconds`, in 10 ms batches; returns how many were sent. */
async function send(rate: number, seconds: number): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, HOST_ADDR, resolve));
  const payload = Buffer.alloc(32, 0x61);
  const start = Date.now();
  let sent = 0;
  while (Date.now() - start < seconds * 1000) {
    const due = Math.floor(((Date.now() - start) / 1000) * rate);
    const pending: Promise<void>[] = [];
    for (; sent < due; sent++)
      pending.push(new Promise((resolve) => socket.send(payload, 9000 + (sent % 64), SENSOR_ADDR, () => resolve())));
    await Promise.all(pending);
    await new Promise((r) => setTimeout(r, 10));
  }
  socket.close();
  return sent;
}

/**
 * Runs the live stage against a collector the caller started with `startCollector(host, port)`
 * and credentials the caller enrolled with `enroll(collectorUrl, cidr)` (returns the credentials file).
 */
export async function measureLiveAgent(options: {
  bin: string;
  run: string;
  rate: number;
  seconds: number;
  startCollector: (host: string) => Promise<{ url: string; port: number; stop: () => Promise<void> }>;
  enroll: (url: string, cidr: string) => string;
}): Promise<LiveFigures> {
  try {
    PAIR.up();
    const collector = await options.startCollector(HOST_ADDR);
    const cred = options.enroll(collector.url, `${SENSOR_ADDR}/32`);
    const agent = spawn(
      'ip',
      [
        'netns',
        'exec',
        NS,
        process.execPath,
        options.bin,
        'sensor',
        'run',
        '--credentials',
        cred,
        '--spool',
        join(options.run, 'spool-live'),
        '--interface',
        SENSOR_IF,
        '--bpf',
        `udp and dst host ${SENSOR_ADDR}`,
        '--segment-seconds',
        '10',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    agent.stderr.on('data', (c: Buffer) => (log += c.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => agent.on('close', resolve));
    while (!log.includes('capture-started')) await new Promise((r) => setTimeout(r, 50));
    const tcpdump = childPid(agent.pid!);
    const warm = send(options.rate, options.seconds + WARMUP_MS / 1000);
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    const a0 = usage(agent.pid!);
    const t0 = usage(tcpdump);
    const w0 = Date.now();
    const sent = await warm;
    const window = (Date.now() - w0) / 1000;
    const a1 = usage(agent.pid!);
    const t1 = usage(tcpdump);
    agent.kill('SIGTERM');
    const code = await exited;
    await collector.stop();
    const cut = [...log.matchAll(/ segment-cut .*?packets=(\d+).*?kernelDropped=(\d+)/g)];
    const packets = cut.reduce((n, m) => n + Number(m[1]), 0);
    const dropped = cut.reduce((n, m) => n + Number(m[2]), 0);
    if (code !== 0 || packets !== sent || dropped !== 0) {
      throw new Error(
        `Benchmark aborted: live agent exit ${code}, cut ${packets} packets of ${sent} sent, ${dropped} dropped by the kernel`,
      );
    }
    const scale = PER_10K / options.rate;
    return {
      rate: options.rate,
      seconds: window,
      sent,
      agentCpuPer10k: ((a1.ticks - a0.ticks) / CLOCK_TICKS / window) * scale,
      tcpdumpCpuPer10k: ((t1.ticks - t0.ticks) / CLOCK_TICKS / window) * scale,
      agentRssMiB: a1.rssKiB / 1024,
      tcpdumpRssMiB: t1.rssKiB / 1024,
    };
  } finally {
    PAIR.down();
  }
}
