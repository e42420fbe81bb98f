/**
 * @module
 * The collector's options from the command line, shared by `teiten
 * collector serve` and `teiten serve --collector`: TLS material (made once
 * in the data directory when no certificate is given), queue and size
 * limits, the silence after which a sensor is down, GeoIP and detection as
 * `teiten ingest` has them, and a timestamped log on stderr.
 */

import { openGeoResolver } from '../classify/index.js';
import { defaultCollectorDir, DEFAULT_DOWNTIME_AFTER_SEC, loadTls, type CollectorOptions } from '../collector/index.js';
import { DEFAULT_MEMORY_BUDGET, storeMemoryShare } from '../ingest/index.js';
import type { AnalyticsStore } from '../store/index.js';
import { parseByteSize } from './byte-size.js';
import { detectionSetupOf } from './detection-options.js';
import { UsageError } from './errors.js';
import { storeOpenOptions, storeTarget } from './store-target.js';

const LISTEN = /^(\[[0-9a-fA-F:.]+\]|[^:\s]+):(\d{1,5})$/;
const MAX_QUEUE = 1000;
const MAX_DOWNTIME_AFTER_SEC = 86_400;

/** `HOST:PORT` or `[V6]:PORT`. */
export function parseCollectorListen(text: string, option = 'listen'): { host: string; port: number } {
  const match = LISTEN.exec(text);
  const port = Number(match?.[2]);
  if (match === null || !(port >= 0 && port <= 65_535))
    throw new UsageError(`--${option} must be HOST:PORT (e.g. 0.0.0.0:8443), got '${text}'`);
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
}

function wholeNumber(values: Record<string, unknown>, name: string, range: [number, number]): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(String(raw)) || n < range[0] || n > range[1])
    throw new UsageError(`--${name} must be a whole number from ${range[0]} to ${range[1]}, got '${String(raw)}'`);
  return n;
}

/** Checks the collector's option values (before any store is opened); throws `UsageError`. */
export function checkCollectorValues(values: Record<string, unknown>): void {
  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined))
    throw new UsageError('give --tls-cert and --tls-key together');
  wholeNumber(values, 'queue', [1, MAX_QUEUE]);
  wholeNumber(values, 'downtime-after', [1, MAX_DOWNTIME_AFTER_SEC]);
  if (values['max-segment-bytes'] !== undefined)
    parseByteSize('max-segment-bytes', String(values['max-segment-bytes']));
}

/** `startCollector`'s options for `listen` over `store` (a target to open, or the caller's open store). */
export async function collectorOptionsOf(
  values: Record<string, unknown>,
  listen: { host: string; port: number },
  store: string | AnalyticsStore = storeTarget(values),
): Promise<CollectorOptions> {
  checkCollectorValues(values);
  const certFile = values['tls-cert'] as string | undefined;
  const keyFile = values['tls-key'] as string | undefined;
  const dataDir = (values['data-dir'] as string | undefined) ?? defaultCollectorDir(storeTarget(values));
  const queue = wholeNumber(values, 'queue', [1, MAX_QUEUE]);
  const maxSegmentBytes =
    values['max-segment-bytes'] === undefined
      ? undefined
      : parseByteSize('max-segment-bytes', String(values['max-segment-bytes']));
  const downtimeAfterSec =
    wholeNumber(values, 'downtime-after', [1, MAX_DOWNTIME_AFTER_SEC]) ?? DEFAULT_DOWNTIME_AFTER_SEC;
  const tls = await loadTls({
    dataDir,
    ...(certFile === undefined ? {} : { certFile, keyFile: keyFile! }),
    hostName: listen.host,
  });
  const geo = await openGeoResolver({});
  const detection = await detectionSetupOf({}, { quiet: false });
  const log = (line: string): void => void process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  return {
    store,
    storeOptions: { ...storeOpenOptions(values), memoryLimitBytes: storeMemoryShare(DEFAULT_MEMORY_BUDGET) },
    host: listen.host,
    port: listen.port,
    tls,
    dataDir,
    geo,
    detection,
    downtimeAfterSec,
    log,
    ...(queue === undefined ? {} : { queue }),
    ...(maxSegmentBytes === undefined ? {} : { maxSegmentBytes }),
  };
}
