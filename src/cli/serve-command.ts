/**
 * @module
 * `teiten serve [--db FILE|--store URL] [--listen HOST:PORT]
 * [--admin-token-file F] [--reports-dir D] [--collector HOST:PORT …]`: the
 * dashboard and JSON API over one store until SIGINT or SIGTERM, then a
 * graceful close (listeners first, in-flight requests and uploads finished,
 * store last). With `--collector` the collector of `teiten collector serve`
 * runs in the same process on its own HTTPS port, over the same open store
 * (a DuckDB file can be open in one process only), and admin enrolments
 * write its URL and fingerprint into the credentials.
 */

import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { startCollector, storedFingerprint, defaultCollectorDir, type Collector } from '../collector/index.js';
import { AdminTokenFileError, buildServer, readAdminToken, warmAnswers } from '../serve/index.js';
import { storeKindOf } from '../store/index.js';
import {
  checkCollectorValues,
  COLLECTOR_SHAPE,
  collectorOptionsOf,
  parseCollectorListen,
} from './collector-options.js';
import { UsageError } from './errors.js';
import { command, flag, parsed, optionalText } from './options.js';
import { wholeNumber } from './parse-values.js';
import { STORE_SHAPE, storeDisplayName, storeTarget, withStore } from './store-target.js';

const DEFAULT_LISTEN = '127.0.0.1:8080';
const MAX_PORT = 65_535;
/** Requests per minute per client: a person clicking around never gets near it, a scraper loop does. */
const DEFAULT_RATE_LIMIT = 600;

/** `HOST:PORT`, `[::1]:PORT` or `:PORT` (loopback). */
function parseListen(value: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(value);
  const port = Number(match?.[3]);
  if (match === null || !Number.isInteger(port) || port > MAX_PORT) {
    throw new RangeError(`must be HOST:PORT (e.g. 127.0.0.1:8080), got '${value}'`);
  }
  return { host: match[1] ?? (match[2] === '' ? '127.0.0.1' : match[2]!), port };
}

/** The reports archive when `--reports-dir` is not given: beside a DuckDB file, else in the user's data directory. */
export function defaultReportsDir(target: string): string {
  if (storeKindOf(target) === 'duckdb' && target !== ':memory:')
    return join(dirname(resolve(target)), 'teiten-reports');
  return join(process.env['XDG_DATA_HOME'] || join(homedir(), '.local', 'share'), 'teiten', 'reports');
}

const OPTIONS = {
  ...STORE_SHAPE,
  listen: parsed(parseListen).default(parseListen(DEFAULT_LISTEN)),
  'rate-limit': parsed(wholeNumber(0)).default(DEFAULT_RATE_LIMIT),
  'admin-token-file': optionalText(),
  'reports-dir': optionalText(),
  collector: parsed(parseCollectorListen).optional(),
  ...COLLECTOR_SHAPE,
  quiet: flag(),
};

async function adminToken(file: string | undefined): Promise<string | undefined> {
  if (file === undefined) return undefined;
  try {
    return await readAdminToken(file);
  } catch (error) {
    if (error instanceof AdminTokenFileError) throw new UsageError(error.message);
    throw error;
  }
}

export const runServe = command(OPTIONS, async (values) => {
  const { listen, collector: collectorListen } = values;
  const rateLimit = values['rate-limit'];
  if (collectorListen !== undefined) checkCollectorValues(values);
  const token = await adminToken(values['admin-token-file']);
  const target = storeTarget(values);
  // Serving an empty store a typo just created would show nothing and say nothing.
  if (values.store === undefined && target !== ':memory:' && !existsSync(target)) {
    throw new UsageError(`no store at ${target}: ingest captures first, or name one with --db FILE or --store URL`);
  }
  const reportsDir = values['reports-dir'] ?? defaultReportsDir(target);
  return withStore(values, async (store) => {
    let collector: Collector | undefined;
    if (collectorListen !== undefined)
      collector = await startCollector(await collectorOptionsOf(values, collectorListen, store));
    const fingerprint =
      collector?.fingerprint ?? (await storedFingerprint(values['data-dir'] ?? defaultCollectorDir(target)));
    const app = await buildServer(store, {
      logger: !values.quiet,
      rateLimit: { perWindow: rateLimit },
      reportsDir,
      databaseName: storeDisplayName(values),
      enrolment: {
        ...(collector === undefined ? {} : { collector: collector.url }),
        ...(fingerprint === undefined ? {} : { fingerprint }),
      },
      ...(token === undefined ? {} : { adminToken: token }),
    });
    try {
      const address = await app.listen({ host: listen.host, port: listen.port });
      const lines = [`teiten: serving ${address}/ (API ${address}/api/openapi.json); Ctrl-C stops`];
      if (token !== undefined) lines.push(`teiten: admin routes open to the token of ${values['admin-token-file']}`);
      if (collector !== undefined)
        lines.push(`teiten: collector listening on ${collector.url}, SHA-256 fingerprint ${collector.fingerprint}`);
      process.stdout.write(`${lines.join('\n')}\n`);
      let stopping = false;
      const warming = warmAnswers(app, { stopped: () => stopping }).then(({ seconds, failed }) => {
        if (stopping) return;
        process.stderr.write(
          `teiten: the latest period's answers computed in ${seconds.toFixed(1)} s${failed.length === 0 ? '' : `; failed: ${failed.join(', ')}`}\n`,
        );
      });
      await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
      stopping = true;
      // The answer being computed finishes before the store closes under it.
      await warming;
    } finally {
      await app.close();
      await collector?.close();
    }
    return 0;
  });
});
