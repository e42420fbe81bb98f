/**
 * Live capture end to end: a network namespace with a veth pair is the
 * sensor's network; the agent runs inside it (`tcpdump -i` the veth → agent
 * → HTTPS → collector on the host side), and UDP datagrams the test sends to
 * the sensor's address reach the store, with live segments (empty ones
 * included), kernel counters, running heartbeats and automatic operating
 * time. Needs root, `ip` and tcpdump; skips with a printed reason otherwise.
 */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { addressDays, openStore } from '../../src/store/index.js';
import { parsePeriod } from '../../src/util/period.js';
import { formatLocalDate, TzClock } from '../../src/util/tz.js';
import { trafficRows } from '../../src/ingest/testdata/captures.js';
import { vethPair } from '../../src/sensor/testdata/veth-pair.js';
import { enroll, startCollector, stopProcess, workDir, type CollectorProcess } from './network-kit.js';

const BIN = fileURLToPath(new URL('../../bin/teiten.js', import.meta.url));
const PAIR = vethPair('tl');
const { ns: NS, sensorIf: SENSOR_IF, hostAddr: HOST_ADDR, sensorAddr: SENSOR_ADDR } = PAIR;
const UDP_PORT = 7777;
const DATAGRAMS = 300;

function setUp(): string | undefined {
  const reason = PAIR.skipReason();
  if (reason !== undefined) return reason;
  try {
    PAIR.up();
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}

const skipReason = setUp();
if (skipReason !== undefined) console.log(`live-capture.test: skipped, ${skipReason}`);
afterAll(() => PAIR.down());

async function sendDatagrams(count: number): Promise<void> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, HOST_ADDR, resolve));
  for (let i = 0; i < count; i++) {
    await new Promise<void>((resolve, reject) =>
      socket.send(Buffer.from(`probe ${i}`), UDP_PORT, SENSOR_ADDR, (e) => (e ? reject(e) : resolve())),
    );
    await new Promise((r) => setTimeout(r, 3));
  }
  socket.close();
}

/** `teiten sensor run --interface` inside the namespace; `until()` waits for a log line. */
function startLiveAgent(
  dir: string,
  args: string[],
): {
  agent: ReturnType<typeof spawn>;
  exited: Promise<number | null>;
  until: (p: RegExp) => Promise<void>;
  log: () => string;
} {
  const agent = spawn(
    'ip',
    [
      'netns',
      'exec',
      NS,
      process.execPath,
      BIN,
      'sensor',
      'run',
      '--credentials',
      join(dir, 'veth.cred'),
      '--spool',
      join(dir, 'spool'),
      '--interface',
      SENSOR_IF,
      ...args,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  agent.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => agent.on('close', resolve));
  const until = async (pattern: RegExp): Promise<void> => {
    for (let i = 0; i < 400 && !pattern.test(log); i++) await new Promise((r) => setTimeout(r, 50));
    expect(log).toMatch(pattern);
  };
  return { agent, exited, until, log: () => log };
}

describe.skipIf(skipReason !== undefined)('live capture through tcpdump, agent and collector', () => {
  let collector: CollectorProcess | undefined;
  afterAll(async () => {
    if (collector !== undefined) await stopProcess(collector.cli, 'SIGKILL');
  });

  it('datagrams sent to the sensor address reach the store, with live segments, kernel counts, heartbeats and operating time', async () => {
    const dir = workDir('teiten-live-');
    collector = await startCollector(dir, { host: HOST_ADDR });
    await enroll(dir, 'veth', collector.url, `${SENSOR_ADDR}/32`);
    const { agent, exited, until, log } = startLiveAgent(dir, [
      '--bpf',
      `ip and not tcp port ${collector.port}`,
      '--segment-seconds',
      '2',
      '--heartbeat-seconds',
      '1',
    ]);
    await until(/capture-started/);
    await until(/segment-uploaded seq=0 /); // an empty window (nothing sent yet) is cut and delivered
    await sendDatagrams(DATAGRAMS);
    await new Promise((r) => setTimeout(r, 3500)); // the window closes (2 s + 1 s grace) and its segment is cut
    agent.kill('SIGTERM');
    expect(await exited, log()).toBe(0);
    await stopProcess(collector.cli);

    const store = await openStore(join(dir, 'collector.duckdb'));
    try {
      const sensor = (await store.findSensor('veth'))!;
      const udp = (await trafficRows(store, sensor.id)).filter((r) => r.service === `${UDP_PORT}/UDP`);
      expect(udp.reduce((n, r) => n + r.packets, 0)).toBe(DATAGRAMS);
      const [segments] = await store.query<{
        n: number;
        empty: number;
        live: number;
        received: number | null;
        packets: number;
      }>({
        sql: `SELECT COUNT(*) AS n, SUM(CASE WHEN packets = 0 THEN 1 ELSE 0 END) AS empty, SUM(CASE WHEN mode = 'live' THEN 1 ELSE 0 END) AS live,
          SUM(kernel_received) AS received, SUM(packets) AS packets FROM collector_segments WHERE sensor_id = ?`,
        params: [sensor.id],
      });
      expect(Number(segments!.live)).toBe(Number(segments!.n));
      expect(Number(segments!.empty)).toBeGreaterThan(0);
      expect(Number(segments!.packets)).toBeGreaterThanOrEqual(DATAGRAMS);
      // tcpdump's kernel counters saw at least what was delivered.
      expect(Number(segments!.received)).toBeGreaterThanOrEqual(Number(segments!.packets));
      const beats = await store.query<{ capture: string }>({
        sql: 'SELECT capture FROM collector_heartbeats WHERE sensor_id = ?',
        params: [sensor.id],
      });
      expect(beats.map((b) => b.capture)).toContain('running');
      expect(sensor.intervals.some((i) => i.kind === 'operating' && i.note.includes('live capture'))).toBe(true);
      // The only downtime is the agent's own stop (none for the moment tcpdump took to start).
      expect(
        sensor.intervals.filter((i) => i.kind === 'down').map((i) => i.note),
        `agent:\n${log()}\ncollector:\n${collector.cli.output().stdout}${collector.cli.output().stderr}`,
      ).toEqual(['collector: capture stopped: agent stopped']);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('a collector down for longer than the spool holds: stored plus reported losses equal exactly what was sent', async () => {
    const dir = workDir('teiten-live-loss-');
    collector = await startCollector(dir, { host: HOST_ADDR });
    await enroll(dir, 'veth', collector.url, `${SENSOR_ADDR}/32`);
    const port = collector.port;
    await stopProcess(collector.cli);
    // Only the test's datagrams are captured, so every packet is either stored or a reported loss.
    const { agent, exited, until, log } = startLiveAgent(dir, [
      '--bpf',
      `udp and dst host ${SENSOR_ADDR}`,
      '--segment-seconds',
      '1',
      '--segment-bytes',
      '4KiB',
      '--spool-max',
      '16KiB',
      '--heartbeat-seconds',
      '1',
    ]);
    await until(/capture-started/);
    const sent = 900;
    await sendDatagrams(sent);
    await until(/spool-loss/);
    await new Promise((r) => setTimeout(r, 2500)); // the last window is cut
    collector = await startCollector(dir, { host: HOST_ADDR, port });
    await until(/heartbeat capture=running .*losses=[1-9]/);
    await new Promise((r) => setTimeout(r, 1500));
    agent.kill('SIGTERM');
    expect(await exited, log()).toBe(0);
    await stopProcess(collector.cli);

    const store = await openStore(join(dir, 'collector.duckdb'));
    try {
      const sensor = (await store.findSensor('veth'))!;
      const stored = (await trafficRows(store, sensor.id)).reduce((n, r) => n + r.packets, 0);
      const [lost] = await store.query<{ packets: number; segments: number }>({
        sql: 'SELECT SUM(packets) AS packets, SUM(segments) AS segments FROM collector_spool_losses WHERE sensor_id = ?',
        params: [sensor.id],
      });
      const loggedLoss = (log().match(/ spool-loss .*?packets=(\d+)/g) ?? []).map((l) =>
        Number(/packets=(\d+)/.exec(l)![1]),
      );
      expect(Number(lost!.segments)).toBe(loggedLoss.length);
      expect(Number(lost!.packets)).toBe(loggedLoss.reduce((a, b) => a + b, 0));
      expect(Number(lost!.packets)).toBeGreaterThan(0);
      expect(stored + Number(lost!.packets)).toBe(sent);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('an agent killed for longer than --downtime-after leaves a "no heartbeat" downtime, and the day\'s address-days leave it out', async () => {
    const dir = workDir('teiten-live-gap-');
    // Enrolled first: with a 3 s limit the collector's watchdog keeps the DuckDB file busy. The certificate stays in its data directory.
    const setup = await startCollector(dir, { host: HOST_ADDR });
    await enroll(dir, 'veth', setup.url, `${SENSOR_ADDR}/32`);
    await stopProcess(setup.cli);
    const own = await startCollector(dir, { host: HOST_ADDR, port: setup.port, extra: ['--downtime-after', '3'] });
    try {
      const args = ['--bpf', `ip and not tcp port ${own.port}`, '--segment-seconds', '2', '--heartbeat-seconds', '1'];
      const first = startLiveAgent(dir, args);
      await first.until(/segment-uploaded seq=0 /);
      first.agent.kill('SIGKILL'); // no goodbye heartbeat: only silence tells the collector
      await first.exited;
      await new Promise((r) => setTimeout(r, 8000));
      const second = startLiveAgent(dir, args);
      await second.until(/heartbeat/);
      await new Promise((r) => setTimeout(r, 2000));
      second.agent.kill('SIGTERM');
      expect(await second.exited, second.log()).toBe(0);
    } finally {
      await stopProcess(own.cli);
    }
    const store = await openStore(join(dir, 'collector.duckdb'));
    try {
      const sensor = (await store.findSensor('veth'))!;
      const silent = sensor.intervals.filter((i) => i.kind === 'down' && i.note.startsWith('collector: no heartbeat'));
      expect(silent, JSON.stringify(sensor.intervals)).toHaveLength(1);
      const gap = silent[0]!.toSec - silent[0]!.fromSec;
      // Killed, 8 s of silence, then the restart's first heartbeat: the downtime spans most of it.
      expect(gap).toBeGreaterThanOrEqual(5);
      expect(gap).toBeLessThanOrEqual(20);
      const zone = store.settings.timeZone;
      const today = parsePeriod(formatLocalDate(new TzClock(zone).localDay(silent[0]!.fromSec)), { timeZone: zone });
      const without = addressDays(
        { ...sensor, intervals: sensor.intervals.filter((i) => i !== silent[0]) },
        today,
      ).total;
      // One address: the per-day-per-address divisor is shorter by exactly the silent seconds.
      expect(without - addressDays(sensor, today).total).toBeCloseTo(gap / 86_400, 9);
    } finally {
      await store.close();
    }
  }, 120_000);
});
