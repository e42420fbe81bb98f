/**
 * Agents and collector as separate processes over loopback HTTPS: replayed
 * captures give the figures `teiten ingest` of the same files gives; a
 * collector SIGKILLed during a group commit, or an agent SIGKILLed
 * mid-upload, and restarted loses nothing and counts nothing twice; a wrong
 * certificate or a revoked sensor stops the agent with an error and stores
 * nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type RunningCli } from '../cli/run-cli.js';
import {
  CAPTURES,
  capturesPresent,
  cidrOf,
  enroll,
  figures,
  ingestReference,
  segmentRows,
  startAgent,
  startCollector,
  stopProcess,
  workDir,
  type CollectorProcess,
} from './network-kit.js';

if (!capturesPresent) console.log(`agent-collector.test: skipped, ${CAPTURES} is absent`);

const FILES = {
  reflection: join(CAPTURES, 'amp.TCP.reflection.SYNACK.pcap'),
  isakmp: join(CAPTURES, 'amp.UDP.isakmp.pcap'),
  synscan: join(CAPTURES, 'synscan.pcapng'),
};
const SYNFLOOD = join(CAPTURES, 'pkt.TCP.synflood.spoofed.pcap');
const REPLAY_ARGS = ['--segment-bytes', '64KiB', '--segment-seconds', '5', '--heartbeat-seconds', '2'];
const running: RunningCli[] = [];
afterAll(async () => {
  for (const cli of running) await stopProcess(cli, 'SIGKILL');
});

function track<T extends RunningCli | CollectorProcess>(p: T): T {
  running.push('cli' in p ? p.cli : p);
  return p;
}

/** Resolves once the agent has logged `n` acknowledged segments. */
async function uploaded(agent: RunningCli, n: number): Promise<void> {
  while ((agent.output().stderr.match(/ segment-uploaded /g) ?? []).length < n) {
    if (agent.child.exitCode !== null) throw new Error(`agent ended early: ${agent.output().stderr}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Waits until the agent's last log line with a spool count shows at least
 * `n` segments spooled and not yet acknowledged: a kill then lands with
 * segments to resume. (Waiting for uploads alone let a collector that keeps
 * up empty the spool before the kill.)
 */
async function spooled(agent: RunningCli, n: number): Promise<void> {
  for (;;) {
    const counts = [...agent.output().stderr.matchAll(/ spool=(\d+)/g)];
    if (counts.length > 0 && Number(counts[counts.length - 1]![1]) >= n) return;
    if (agent.child.exitCode !== null) throw new Error(`agent ended early: ${agent.output().stderr}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * The flood capture arrived whole and once: the collector's figures equal
 * `teiten ingest` of the file, and its segments are one row per sequence
 * number from 0, holding every one of the capture's 37,841 packets.
 */
async function expectFloodOnce(dir: string): Promise<void> {
  const got = await figures(join(dir, 'collector.duckdb'), ['flood']);
  const want = await figures(await ingestReference(dir, { flood: SYNFLOOD }), ['flood']);
  expect(got).toEqual(want);
  const rows = await segmentRows(join(dir, 'collector.duckdb'), 'flood');
  expect([rows.rows, rows.sequences, rows.maxSequence + 1, rows.packets]).toEqual([
    rows.rows,
    rows.rows,
    rows.rows,
    37_841,
  ]);
}

describe.skipIf(!capturesPresent)('agent and collector over loopback HTTPS', () => {
  it('three agents replaying three captures deliver the figures teiten ingest gives for the files', async () => {
    const dir = workDir('teiten-net-three-');
    const collector = track(await startCollector(dir));
    for (const [i, name] of Object.keys(FILES).entries()) await enroll(dir, name, collector.url, cidrOf(i));
    const agents = Object.entries(FILES).map(([name, file]) =>
      track(startAgent(dir, name, ['--read', file, ...REPLAY_ARGS])),
    );
    const results = await Promise.all(agents.map((a) => a.result));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    await stopProcess(collector.cli);
    const reference = await ingestReference(dir, FILES);
    const names = Object.keys(FILES);
    const got = await figures(join(dir, 'collector.duckdb'), names);
    const want = await figures(reference, names);
    expect(got).toEqual(want);
    for (const name of names) {
      const rows = await segmentRows(join(dir, 'collector.duckdb'), name);
      expect(rows.rows).toBe(rows.sequences);
      expect(rows.maxSequence).toBe(rows.rows - 1);
      expect(rows.packets).toBe(want[name]!.packets);
    }
    expect(want.reflection!.packets).toBe(8000);
  }, 180_000);

  it('a collector SIGKILLed during a group commit and restarted ends with every packet counted once', async () => {
    const dir = workDir('teiten-net-kill-collector-');
    let collector = track(await startCollector(dir));
    await enroll(dir, 'flood', collector.url);
    const agent = track(startAgent(dir, 'flood', ['--read', SYNFLOOD, ...REPLAY_ARGS]));
    await uploaded(agent, 3);
    // Killed as soon as it starts storing several segments as one ingest.
    while (!/segments flood #\d+ #\d+/.test(collector.cli.output().stderr)) {
      if (agent.child.exitCode !== null) throw new Error(`agent ended before a group commit: ${agent.output().stderr}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    collector.cli.child.kill('SIGKILL');
    await collector.cli.result;
    await agent.printed('segment-retry');
    collector = track(await startCollector(dir, { port: collector.port }));
    const result = await agent.result;
    expect(result.code, result.stderr).toBe(0);
    await stopProcess(collector.cli);
    await expectFloodOnce(dir);
  }, 180_000);

  it('an agent SIGKILLed mid-run and restarted resumes from its spool: nothing lost, nothing twice', async () => {
    const dir = workDir('teiten-net-kill-agent-');
    const collector = track(await startCollector(dir));
    await enroll(dir, 'flood', collector.url);
    // A small spool makes the replay wait for acknowledgements, so the kill lands while the file is still being read.
    const SMALL_SPOOL = ['--spool-max', '256KiB'];
    const first = track(startAgent(dir, 'flood', ['--read', SYNFLOOD, ...REPLAY_ARGS, ...SMALL_SPOOL]));
    await uploaded(first, 3);
    await spooled(first, 2);
    first.child.kill('SIGKILL');
    expect((await first.result).signal).toBe('SIGKILL');
    const state = JSON.parse(readFileSync(join(dir, 'spool-flood', 'state.json'), 'utf8')) as {
      replay: { recordsEnd: number };
    };
    expect(state.replay.recordsEnd).toBeGreaterThan(0);
    expect(state.replay.recordsEnd).toBeLessThan(37_841);
    const second = track(startAgent(dir, 'flood', ['--read', SYNFLOOD, ...REPLAY_ARGS, ...SMALL_SPOOL]));
    const result = await second.result;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/agent-started .* spooled=[1-9]/);
    await stopProcess(collector.cli);
    await expectFloodOnce(dir);
  }, 180_000);

  it('an agent facing a certificate that is not the pinned one, or revoked credentials, exits 1 and stores nothing', async () => {
    const dir = workDir('teiten-net-refused-');
    const collector = track(await startCollector(dir));
    const cred = await enroll(dir, 'pinned', collector.url);
    const wrong = JSON.parse(readFileSync(cred, 'utf8')) as { fingerprint: string };
    wrong.fingerprint = wrong.fingerprint.replace(/^../, wrong.fingerprint.startsWith('00') ? '11' : '00');
    writeFileSync(join(dir, 'impostor.cred'), JSON.stringify(wrong));
    const impostor = await runCli([
      'sensor',
      'run',
      '--credentials',
      join(dir, 'impostor.cred'),
      '--spool',
      join(dir, 'spool-impostor'),
      '--read',
      FILES.synscan,
    ]);
    expect(impostor.code).toBe(1);
    expect(impostor.stderr).toMatch(/not the pinned .*TEITEN_SENSOR_CERTIFICATE/s);

    await enroll(dir, 'revoked', collector.url, cidrOf(1));
    const revoke = await runCli([
      'sensors',
      'revoke',
      'revoked',
      '--db',
      join(dir, 'collector.duckdb'),
      '--wait',
      '60',
    ]);
    expect(revoke.code, revoke.stderr).toBe(0);
    const refused = await runCli([
      'sensor',
      'run',
      '--credentials',
      join(dir, 'revoked.cred'),
      '--spool',
      join(dir, 'spool-revoked'),
      '--read',
      FILES.synscan,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/The collector refused .*\(40[13]\): .*TEITEN_SENSOR_REFUSED/s);
    await stopProcess(collector.cli);
    for (const name of ['pinned', 'revoked'])
      expect((await segmentRows(join(dir, 'collector.duckdb'), name)).rows).toBe(0);
  }, 120_000);
});
