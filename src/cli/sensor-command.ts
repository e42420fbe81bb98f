/**
 * @module
 * `teiten sensor run`: the observation-point agent (see `src/sensor/agent.ts`).
 *
 *     sensor run --credentials NAME.cred (--interface IF [--bpf EXPR] [--include-outbound] | --read FILE|-)
 *                --spool DIR [--segment-seconds 60] [--segment-bytes 64MiB] [--spool-max 2GiB] [--heartbeat-seconds 30]
 *
 * SIGTERM or SIGINT stops a live agent cleanly (last segment spooled, a final
 * heartbeat); exit code 1 with the reason when the collector refuses the
 * credentials or presents the wrong certificate.
 */
import { readCredentials, runAgent, type AgentInput } from '../sensor/index.js';
import { parseByteSize } from './byte-size.js';
import type { CommandRun } from './commands.js';
import { UsageError } from './errors.js';
import { positiveInteger } from './parse-values.js';

const MAX_SEGMENT_SECONDS = 86_400;
const MAX_HEARTBEAT_SECONDS = 3600;
const DEFAULT_SEGMENT_BYTES = '64MiB';
const DEFAULT_SPOOL_MAX = '2GiB';

export const runSensor: CommandRun = async (values, positionals) => {
  if (positionals.length !== 1 || positionals[0] !== 'run') throw new UsageError("expected 'teiten sensor run …'");
  const credentialsFile = values.credentials;
  if (typeof credentialsFile !== 'string') throw new UsageError('--credentials FILE is required');
  const spoolDir = values.spool;
  if (typeof spoolDir !== 'string') throw new UsageError('--spool DIR is required');
  const input = inputFrom(values);
  const segmentSeconds = positiveInteger(values['segment-seconds'], 'segment-seconds') ?? 60;
  if (segmentSeconds > MAX_SEGMENT_SECONDS)
    throw new UsageError(`--segment-seconds must be at most ${MAX_SEGMENT_SECONDS}`);
  const heartbeatSeconds = positiveInteger(values['heartbeat-seconds'], 'heartbeat-seconds') ?? 30;
  if (heartbeatSeconds > MAX_HEARTBEAT_SECONDS)
    throw new UsageError(`--heartbeat-seconds must be at most ${MAX_HEARTBEAT_SECONDS}`);
  const segmentBytes = parseByteSize('segment-bytes', String(values['segment-bytes'] ?? DEFAULT_SEGMENT_BYTES));
  const spoolMaxBytes = parseByteSize('spool-max', String(values['spool-max'] ?? DEFAULT_SPOOL_MAX));
  if (spoolMaxBytes < segmentBytes) throw new UsageError('--spool-max must be at least --segment-bytes');
  const credentials = await readCredentials(credentialsFile);

  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    await runAgent(
      { credentials, input, spoolDir, segmentSeconds, segmentBytes, spoolMaxBytes, heartbeatSeconds },
      stop.signal,
    );
    return 0;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
};

function inputFrom(values: Record<string, unknown>): AgentInput {
  const iface = values.interface;
  const read = values.read;
  if ((iface === undefined) === (read === undefined))
    throw new UsageError('give exactly one of --interface IF and --read FILE|-');
  if (typeof read === 'string') {
    if (values.bpf !== undefined || values['include-outbound'] !== undefined) {
      throw new UsageError('--bpf and --include-outbound apply to --interface only');
    }
    return { kind: 'replay', path: read };
  }
  const bpf = values.bpf;
  return {
    kind: 'live',
    iface: String(iface),
    ...(typeof bpf === 'string' ? { bpf } : {}),
    includeOutbound: values['include-outbound'] === true,
  };
}
