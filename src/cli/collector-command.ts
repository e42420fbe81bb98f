/**
 * @module
 * `teiten collector serve --db FILE|--store URL --listen HOST:PORT
 * [--tls-cert F --tls-key F] [--data-dir D] [--queue N]
 * [--max-segment-bytes N] [--downtime-after SECONDS]`: runs the collector
 * until SIGINT or SIGTERM, then closes it (in-flight uploads finish first).
 * Prints the listen URL and the certificate fingerprint enrolment pins.
 */

import { openGeoResolver } from '../classify/index.js';
import { defaultCollectorDir, DEFAULT_DOWNTIME_AFTER_SEC, loadTls, startCollector } from '../collector/index.js';
import { DEFAULT_MEMORY_BUDGET, storeMemoryShare } from '../ingest/index.js';
import { parseByteSize } from './byte-size.js';
import type { CommandRun } from './commands.js';
import { detectionSetupOf } from './detection-options.js';
import { UsageError } from './errors.js';
import { writeOut } from './output.js';
import { storeOpenOptions, storeTarget } from './store-target.js';

const LISTEN = /^(\[[0-9a-fA-F:.]+\]|[^:\s]+):(\d{1,5})$/;
const MAX_QUEUE = 1000;
const MAX_DOWNTIME_AFTER_SEC = 86_400;

/** `HOST:PORT` or `[V6]:PORT`. */
export function parseListen(text: string): { host: string; port: number } {
  const match = LISTEN.exec(text);
  const port = Number(match?.[2]);
  if (match === null || !(port >= 0 && port <= 65_535)) throw new UsageError(`--listen must be HOST:PORT (e.g. 0.0.0.0:8443), got '${text}'`);
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
}

function wholeNumber(values: Record<string, unknown>, name: string, range: [number, number]): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(String(raw)) || n < range[0] || n > range[1]) throw new UsageError(`--${name} must be a whole number from ${range[0]} to ${range[1]}, got '${String(raw)}'`);
  return n;
}

export const runCollector: CommandRun = async (values, positionals) => {
  if (positionals[0] !== 'serve' || positionals.length !== 1) throw new UsageError(`expected the subcommand serve${positionals[0] === undefined ? '' : `, got '${positionals.join(' ')}'`}`);
  if (typeof values.listen !== 'string') throw new UsageError('--listen HOST:PORT is required');
  const { host, port } = parseListen(values.listen);
  const certFile = values['tls-cert'] as string | undefined;
  const keyFile = values['tls-key'] as string | undefined;
  if ((certFile === undefined) !== (keyFile === undefined)) throw new UsageError('give --tls-cert and --tls-key together');
  const target = storeTarget(values);
  const dataDir = (values['data-dir'] as string | undefined) ?? defaultCollectorDir(target);
  const queue = wholeNumber(values, 'queue', [1, MAX_QUEUE]);
  const maxSegmentBytes = values['max-segment-bytes'] === undefined ? undefined : parseByteSize('max-segment-bytes', String(values['max-segment-bytes']));
  const downtimeAfterSec = wholeNumber(values, 'downtime-after', [1, MAX_DOWNTIME_AFTER_SEC]) ?? DEFAULT_DOWNTIME_AFTER_SEC;
  const tls = await loadTls({ dataDir, ...(certFile === undefined ? {} : { certFile, keyFile: keyFile! }), hostName: host });
  const geo = await openGeoResolver({});
  const detection = await detectionSetupOf({}, { quiet: false });
  const log = (line: string): void => void process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const collector = await startCollector({
    store: target,
    storeOptions: { ...storeOpenOptions(values), memoryLimitBytes: storeMemoryShare(DEFAULT_MEMORY_BUDGET) },
    host, port, tls, dataDir, geo, detection, downtimeAfterSec, log,
    ...(queue === undefined ? {} : { queue }),
    ...(maxSegmentBytes === undefined ? {} : { maxSegmentBytes }),
  });
  await writeOut(`collector listening on ${collector.url}\ncertificate ${tls.certFile}\nSHA-256 fingerprint ${collector.fingerprint}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  log('stopping: finishing uploads in progress');
  await collector.close();
  return 0;
};
