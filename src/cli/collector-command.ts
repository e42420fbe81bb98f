/**
 * @module
 * `teiten collector serve --db FILE|--store URL --listen HOST:PORT
 * [--tls-cert F --tls-key F] [--data-dir D] [--queue N]
 * [--max-segment-bytes N] [--downtime-after SECONDS]`: runs the collector
 * until SIGINT or SIGTERM, then closes it (in-flight uploads finish first).
 * Prints the listen URL and the certificate fingerprint enrolment pins.
 */

import { startCollector } from '../collector/index.js';
import { COLLECTOR_SHAPE, collectorOptionsOf, parseCollectorListen } from './collector-options.js';
import { UsageError } from './errors.js';
import { command, parsed } from './options.js';
import { writeOut } from './output.js';
import { STORE_SHAPE } from './store-target.js';

const OPTIONS = {
  ...STORE_SHAPE,
  listen: parsed(parseCollectorListen).optional(),
  ...COLLECTOR_SHAPE,
};

export const runCollector = command(OPTIONS, async (values, positionals) => {
  if (positionals[0] !== 'serve' || positionals.length !== 1)
    throw new UsageError(
      `expected the subcommand serve${positionals[0] === undefined ? '' : `, got '${positionals.join(' ')}'`}`,
    );
  if (values.listen === undefined) throw new UsageError('--listen HOST:PORT is required');
  const options = await collectorOptionsOf(values, values.listen);
  const collector = await startCollector(options);
  await writeOut(
    `collector listening on ${collector.url}\ncertificate ${options.tls.certFile}\nSHA-256 fingerprint ${collector.fingerprint}\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  options.log?.('stopping: finishing uploads in progress');
  await collector.close();
  return 0;
});
