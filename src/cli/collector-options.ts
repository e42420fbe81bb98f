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
import { parsed, optionalText, type OptionValues } from './options.js';
import { wholeNumber } from './parse-values.js';
import { storeOpenOptions, storeTarget, type StoreChoice } from './store-target.js';

const LISTEN = /^(\[[0-9a-fA-F:.]+\]|[^:\s]+):(\d{1,5})$/;
const MAX_QUEUE = 1000;
const MAX_DOWNTIME_AFTER_SEC = 86_400;

/** `HOST:PORT` or `[V6]:PORT`. */
export function parseCollectorListen(value: string): { host: string; port: number } {
  const match = LISTEN.exec(value);
  const port = Number(match?.[2]);
  if (match === null || !(port >= 0 && port <= 65_535))
    throw new RangeError(`must be HOST:PORT (e.g. 0.0.0.0:8443), got '${value}'`);
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
}

/** The collector's options (declared for parseArgs in `commands.ts`). */
export const COLLECTOR_SHAPE = {
  'tls-cert': optionalText(),
  'tls-key': optionalText(),
  'data-dir': optionalText(),
  queue: parsed(wholeNumber(1, MAX_QUEUE)).optional(),
  'max-segment-bytes': parsed(parseByteSize).optional(),
  'downtime-after': parsed(wholeNumber(1, MAX_DOWNTIME_AFTER_SEC)).default(DEFAULT_DOWNTIME_AFTER_SEC),
};

type CollectorValues = OptionValues<typeof COLLECTOR_SHAPE> & StoreChoice;

/** Checks what the collector's options need together (before any store is opened); throws `UsageError`. */
export function checkCollectorValues(values: CollectorValues): void {
  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined))
    throw new UsageError('give --tls-cert and --tls-key together');
}

/** `startCollector`'s options for `listen` over `store` (a target to open, or the caller's open store). */
export async function collectorOptionsOf(
  values: CollectorValues,
  listen: { host: string; port: number },
  store: string | AnalyticsStore = storeTarget(values),
): Promise<CollectorOptions> {
  checkCollectorValues(values);
  const { queue } = values;
  const certFile = values['tls-cert'];
  const keyFile = values['tls-key'];
  const dataDir = values['data-dir'] ?? defaultCollectorDir(storeTarget(values));
  const maxSegmentBytes = values['max-segment-bytes'];
  const downtimeAfterSec = values['downtime-after'];
  const tls = await loadTls({
    dataDir,
    ...(certFile === undefined || keyFile === undefined ? {} : { certFile, keyFile }),
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
