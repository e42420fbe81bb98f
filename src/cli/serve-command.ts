/**
 * @module
 * `teiten serve [--db FILE|--store URL] [--listen HOST:PORT]`: the
 * dashboard and JSON API over one store until SIGINT or SIGTERM, then a
 * graceful close (listener first, in-flight requests finished, store last).
 */

import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { buildServer } from '../serve/index.js';
import type { CommandRun } from './commands.js';
import { UsageError } from './errors.js';
import { positiveInteger } from './parse-values.js';
import { storeTarget, withStore } from './store-target.js';

const DEFAULT_LISTEN = '127.0.0.1:8080';
const MAX_PORT = 65_535;
/** Requests per minute per client: a person clicking around never gets near it, a scraper loop does. */
const DEFAULT_RATE_LIMIT = 600;

/** `HOST:PORT`, `[::1]:PORT` or `:PORT` (loopback). */
export function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(text);
  const port = Number(match?.[3]);
  if (match === null || !Number.isInteger(port) || port > MAX_PORT) {
    throw new UsageError(`--listen must be HOST:PORT (e.g. 127.0.0.1:8080), got '${text}'`);
  }
  return { host: match[1] ?? (match[2] === '' ? '127.0.0.1' : match[2]!), port };
}

export const runServe: CommandRun = async (values) => {
  const listen = parseListen(String(values['listen'] ?? DEFAULT_LISTEN));
  const rateLimit = values['rate-limit'] === '0' ? 0 : (positiveInteger(values['rate-limit'], 'rate-limit') ?? DEFAULT_RATE_LIMIT);
  const target = storeTarget(values);
  // Serving an empty store a typo just created would show nothing and say nothing.
  if (values['store'] === undefined && target !== ':memory:' && !existsSync(target)) {
    throw new UsageError(`no store at ${target}: ingest captures first, or name one with --db FILE or --store URL`);
  }
  return withStore(values, async (store) => {
    const app = await buildServer(store, { logger: values['quiet'] !== true, rateLimit: { perWindow: rateLimit } });
    const address = await app.listen({ host: listen.host, port: listen.port });
    process.stdout.write(`teiten: serving ${address}/ (API ${address}/api/openapi.json); Ctrl-C stops\n`);
    await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
    await app.close();
    return 0;
  });
};
