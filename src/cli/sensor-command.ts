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
import { UsageError } from './errors.js';
import { command, flag, parsed, requiredText, optionalText, type OptionValues } from './options.js';
import { wholeNumber } from './parse-values.js';

const MAX_SEGMENT_SECONDS = 86_400;
const MAX_HEARTBEAT_SECONDS = 3600;
const DEFAULT_SEGMENT_BYTES = 64 * 2 ** 20;
const DEFAULT_SPOOL_MAX = 2 * 2 ** 30;

const OPTIONS = {
  credentials: requiredText('FILE is required'),
  interface: optionalText(),
  bpf: optionalText(),
  'include-outbound': flag(),
  read: optionalText(),
  spool: requiredText('DIR is required'),
  'segment-seconds': parsed(wholeNumber(1, MAX_SEGMENT_SECONDS)).default(60),
  'segment-bytes': parsed(parseByteSize).default(DEFAULT_SEGMENT_BYTES),
  'spool-max': parsed(parseByteSize).default(DEFAULT_SPOOL_MAX),
  'heartbeat-seconds': parsed(wholeNumber(1, MAX_HEARTBEAT_SECONDS)).default(30),
};

export const runSensor = command(OPTIONS, async (values, positionals) => {
  if (positionals.length !== 1 || positionals[0] !== 'run') throw new UsageError("expected 'teiten sensor run …'");
  const input = inputFrom(values);
  const spoolDir = values.spool;
  const segmentSeconds = values['segment-seconds'];
  const heartbeatSeconds = values['heartbeat-seconds'];
  const segmentBytes = values['segment-bytes'];
  const spoolMaxBytes = values['spool-max'];
  if (spoolMaxBytes < segmentBytes) throw new UsageError('--spool-max must be at least --segment-bytes');
  const credentials = await readCredentials(values.credentials);

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
});

function inputFrom(values: OptionValues<typeof OPTIONS>): AgentInput {
  const { interface: iface, read, bpf } = values;
  if (iface === undefined) {
    if (read === undefined) throw new UsageError('give exactly one of --interface IF and --read FILE|-');
    if (bpf !== undefined || values['include-outbound']) {
      throw new UsageError('--bpf and --include-outbound apply to --interface only');
    }
    return { kind: 'replay', path: read };
  }
  if (read !== undefined) throw new UsageError('give exactly one of --interface IF and --read FILE|-');
  return {
    kind: 'live',
    iface,
    ...(bpf === undefined ? {} : { bpf }),
    includeOutbound: values['include-outbound'],
  };
}
