/**
 * @module
 * Computes the answers most visitors ask for first (the latest period's
 * summary, rankings, findings and the pages showing them) right after the
 * server starts, through the server itself, so they land in the answer
 * cache and stay there while the store is unchanged: the first visitor of
 * `/api/top/country-ports` does not wait the seconds a whole quarter's
 * ranking takes to compute.
 */

import type { FastifyInstance } from 'fastify';

export const WARM_URLS: readonly string[] = [
  '/api/summary',
  '/api/top/ports',
  '/api/top/countries',
  '/api/top/sensors',
  '/api/top/country-ports',
  '/api/findings',
  '/',
  '/ports',
  '/countries',
  '/findings',
];

/** Requests `urls` one after the other (the compute gate is shared with visitors); resolves with the seconds taken and the failures. */
export async function warmAnswers(
  app: FastifyInstance,
  options: { urls?: readonly string[]; stopped?: () => boolean } = {},
): Promise<{ seconds: number; failed: string[] }> {
  const started = performance.now();
  const failed: string[] = [];
  for (const url of options.urls ?? WARM_URLS) {
    if (options.stopped?.() === true) break;
    const reply = await app.inject({ url }).catch(() => undefined);
    if (reply?.statusCode !== 200) failed.push(`${url} (${reply?.statusCode ?? 'no answer'})`);
  }
  return { seconds: (performance.now() - started) / 1000, failed };
}
