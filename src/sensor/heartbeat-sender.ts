/**
 * @module
 * `HeartbeatSender`: every `--heartbeat-seconds` tells the collector the
 * capture state, the spool's depth, the last sequence cut and the spool
 * losses not yet acknowledged. Losses are cleared only once a heartbeat that
 * carried them is acknowledged, so a lost heartbeat re-reports them.
 */
import type { AgentLog } from './agent-log.js';
import { sleep } from './backoff.js';
import { readAnswer } from './collector-answer.js';
import { CollectorUnreachableError, type CollectorClient } from './collector-client.js';
import type { ClockWatch } from './clock-watch.js';
import { HeartbeatAnswer, PATHS, type CaptureState, type Heartbeat } from './protocol.js';
import type { Spool } from './spool.js';

export interface CaptureStatus {
  state: CaptureState;
  reason?: string;
}

export interface HeartbeatOptions {
  spool: Spool;
  client: CollectorClient;
  clock: ClockWatch;
  log: AgentLog;
  status: () => CaptureStatus;
  intervalMs: number;
}

export class HeartbeatSender {
  readonly #o: HeartbeatOptions;

  constructor(options: HeartbeatOptions) {
    this.#o = options;
  }

  /** Send one heartbeat; true when acknowledged. Rejects only when the collector refuses the sensor. */
  async send(): Promise<boolean> {
    const { spool, client, clock, log } = this.#o;
    const status = this.#o.status();
    const losses = spool.losses.forHeartbeat();
    const heartbeat: Heartbeat = {
      sentUs: Date.now() * 1000,
      capture: status.state,
      ...(status.reason === undefined ? {} : { reason: status.reason.slice(0, 500) }),
      spool: spool.depth,
      lastSequence: spool.lastSequence,
      losses,
    };
    let failure: string;
    try {
      const response = await client.send({
        method: 'POST',
        path: PATHS.heartbeat,
        body: Buffer.from(JSON.stringify(heartbeat)),
        contentType: 'application/json',
      });
      const answer = readAnswer(response, HeartbeatAnswer, 'heartbeat');
      if (answer.kind === 'ok') {
        clock.observe(answer.value.clockOffsetMs);
        await spool.losses.acknowledge(losses);
        log('heartbeat', {
          capture: status.state,
          spool: heartbeat.spool.segments,
          lastSeq: heartbeat.lastSequence,
          losses: losses.length,
          offsetMs: Math.round(answer.value.clockOffsetMs),
        });
        return true;
      }
      failure = answer.reason;
    } catch (error: unknown) {
      spool.losses.heartbeatFailed();
      if (!(error instanceof CollectorUnreachableError)) throw error;
      failure = error.message;
    }
    spool.losses.heartbeatFailed();
    log('heartbeat-failed', { reason: failure });
    return false;
  }

  /** A heartbeat once `first` resolves, then every interval, until `signal` aborts. */
  async run(signal: AbortSignal, first: Promise<void> = Promise.resolve()): Promise<void> {
    await first;
    while (!signal.aborted) {
      await this.send();
      await sleep(this.#o.intervalMs, signal);
    }
  }
}
