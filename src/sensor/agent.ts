/**
 * @module
 * `runAgent()`: the sensor agent behind `teiten sensor run`. One input (live
 * tcpdump or a replayed file) feeds the segmenter and the spool; the uploader
 * and the heartbeats run beside it. A replay ends once every segment is
 * acknowledged and every loss reported; live capture runs until `signal`
 * aborts (SIGTERM). Refused credentials or a wrong certificate reject with an
 * `AgentError`, leaving the spool for the next start.
 */
import type { Credentials } from './credentials.js';
import { streamLog, type AgentLog } from './agent-log.js';
import { backoffDelay, sleep, sleepUntil } from './backoff.js';
import { ClockWatch } from './clock-watch.js';
import { CollectorClient } from './collector-client.js';
import { HeartbeatSender, type CaptureStatus } from './heartbeat-sender.js';
import { captureLive } from './live-capture.js';
import { replayCapture, replayKey } from './replay-input.js';
import { SegmentCommitter } from './segment-committer.js';
import { Spool } from './spool.js';
import { Uploader } from './uploader.js';

/** How long a stopping live agent keeps uploading what is spooled before it exits. */
const STOP_DRAIN_MS = 5_000;
/**
 * Live capture: the first heartbeat waits this long at most for tcpdump to
 * start, so it does not report `stopped` for the second tcpdump takes to
 * open the interface (the collector would record that as downtime).
 */
const FIRST_HEARTBEAT_WAIT_MS = 10_000;

export type AgentInput =
  { kind: 'live'; iface: string; bpf?: string; includeOutbound: boolean } | { kind: 'replay'; path: string };

export interface AgentOptions {
  credentials: Credentials;
  input: AgentInput;
  spoolDir: string;
  segmentSeconds: number;
  segmentBytes: number;
  spoolMaxBytes: number;
  heartbeatSeconds: number;
  log?: AgentLog;
}

export interface AgentSummary {
  segmentsCut: number;
  packetsCut: number;
  segmentsAcknowledged: number;
}

export async function runAgent(options: AgentOptions, signal: AbortSignal): Promise<AgentSummary> {
  const log = options.log ?? streamLog();
  const spool = await Spool.open(options.spoolDir, { maxBytes: options.spoolMaxBytes });
  const { input } = options;
  const live = input.kind === 'live';
  const key = input.kind === 'replay' ? await replayKey(input.path) : undefined;
  const status: CaptureStatus = { state: live ? 'stopped' : 'replay' };
  const client = new CollectorClient(options.credentials);
  const clock = new ClockWatch(log);
  const committer = new SegmentCommitter({
    spool,
    log,
    mode: live ? 'live' : 'replay',
    ...(key === undefined ? {} : { replayKey: key }),
  });
  const uploader = new Uploader({ spool, client, clock, log });
  const heartbeats = new HeartbeatSender({
    spool,
    client,
    clock,
    log,
    status: () => status,
    intervalMs: options.heartbeatSeconds * 1000,
  });
  log('agent-started', {
    sensor: options.credentials.sensor,
    collector: client.origin,
    input: input.kind === 'live' ? `interface:${input.iface}` : `read:${input.path}`,
    spool: options.spoolDir,
    spooled: spool.depth.segments,
    nextSeq: spool.lastSequence + 1,
    pendingLosses: spool.losses.pending.length,
  });

  // Background work stops on `background.abort()`; the first fatal error (refusal, certificate) stops everything.
  const background = new AbortController();
  const inputStop = new AbortController();
  let fatal: unknown;
  let onFatal: () => void = () => undefined;
  const fatalSeen = new Promise<void>((resolve) => (onFatal = resolve));
  const stopped = new Promise<void>((resolve) =>
    inputStop.signal.addEventListener('abort', () => resolve(), { once: true }),
  );
  const fail = (error: unknown): void => {
    fatal ??= error;
    inputStop.abort();
    background.abort();
    onFatal();
  };
  const onStop = (): void => inputStop.abort();
  signal.addEventListener('abort', onStop, { once: true });
  if (signal.aborted) inputStop.abort();
  const uploading = uploader.run(background.signal).catch(fail);
  const captureStarting = live
    ? Promise.race([
        sleep(FIRST_HEARTBEAT_WAIT_MS, background.signal),
        waitFor(() => status.state !== 'stopped', background.signal),
      ])
    : Promise.resolve();
  const beating = heartbeats.run(background.signal, captureStarting).catch(fail);

  try {
    if (input.kind === 'live') {
      await Promise.race([
        captureLive(
          {
            ...input,
            committer,
            log,
            status,
            segmentSeconds: options.segmentSeconds,
            segmentBytes: options.segmentBytes,
          },
          inputStop.signal,
        ),
        fatalSeen,
      ]);
      if (fatal === undefined) {
        // Aborted once drained, so the limit's timer does not hold the process for its 5 s.
        const drainDone = new AbortController();
        await drained(spool, sleepUntil(fatalSeen, STOP_DRAIN_MS, drainDone.signal));
        drainDone.abort();
      }
    } else {
      const summary = await Promise.race([
        replayCapture({
          input: input.path,
          committer,
          segmentSeconds: options.segmentSeconds,
          segmentBytes: options.segmentBytes,
          skipRecords: key === undefined ? 0 : spool.replayedRecords(key),
          signal: inputStop.signal,
        }),
        fatalSeen,
      ]);
      if (summary !== undefined) log('replay-read', { records: summary.records, segments: committer.segments });
      if (!signal.aborted) await drained(spool, Promise.race([fatalSeen, stopped]));
      if (fatal === undefined && !signal.aborted) await reportLosses(heartbeats, spool, background.signal);
    }
    if (fatal !== undefined) throw fatal;
    background.abort();
    await Promise.all([uploading, beating]);
    if (fatal !== undefined) throw fatal;
    // A last heartbeat with the final state and sequence (best effort: the next start reports again).
    await heartbeats.send().catch(() => false);
    log('agent-stopped', {
      segmentsCut: committer.segments,
      acknowledged: uploader.acknowledged,
      spooled: spool.depth.segments,
    });
    return {
      segmentsCut: committer.segments,
      packetsCut: committer.packets,
      segmentsAcknowledged: uploader.acknowledged,
    };
  } finally {
    signal.removeEventListener('abort', onStop);
    background.abort();
    await spool.close();
  }
}

/** Resolves when the spool is empty, or when `giveUp` resolves. */
async function drained(spool: Spool, giveUp: Promise<void>): Promise<void> {
  let over = false;
  void giveUp.then(() => (over = true));
  while (!over && spool.depth.segments > 0) await Promise.race([spool.changed(), giveUp]);
}

/** Resolves once `done()` holds (checked every 100 ms) or `signal` aborts. */
async function waitFor(done: () => boolean, signal: AbortSignal): Promise<void> {
  while (!done() && !signal.aborted) await sleep(100, signal);
}

/** Heartbeats until every pending spool loss is acknowledged. */
async function reportLosses(heartbeats: HeartbeatSender, spool: Spool, signal: AbortSignal): Promise<void> {
  for (let attempt = 0; spool.losses.pending.length > 0 && !signal.aborted; attempt++) {
    if (await heartbeats.send()) continue;
    await sleep(backoffDelay(attempt), signal);
  }
}
