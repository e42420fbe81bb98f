/**
 * @module
 * A finished answer as it is kept and sent: its text, and gzip of it when
 * that is worth it, compressed once when the answer is made (not per
 * request). A ranking table's JSON holds every item of both periods (what
 * `teiten stats --json` prints) and shrinks about tenfold; a client that
 * does not accept gzip gets the text.
 */

import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CachedAnswer } from './answer-cache.js';

const gzipAsync = promisify(gzip);
/** Below this many characters the headers would eat the saving. */
const MIN_COMPRESSED_CHARS = 1024;

/** Whether an `Accept-Encoding` header accepts gzip: `gzip` or `*` listed with a quality above 0. */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  return header.split(',').some((part) => {
    const [name = '', ...params] = part.split(';').map((x) => x.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return (name === 'gzip' || name === '*') && (q === undefined || Number(q.slice(2)) > 0);
  });
}

/** `body` of content type `type`, with its gzip when large enough, and the answer's own `headers`. */
export async function finishAnswer(
  type: string,
  body: string,
  headers: Readonly<Record<string, string>> = {},
): Promise<CachedAnswer> {
  if (body.length < MIN_COMPRESSED_CHARS) return { type, body, gzip: null, headers };
  return { type, body, gzip: await gzipAsync(body), headers };
}

/** Sends `answer`, compressed when the client accepts gzip. */
export function sendAnswer(request: FastifyRequest, reply: FastifyReply, answer: CachedAnswer): FastifyReply {
  reply
    .type(answer.type)
    .headers(answer.headers ?? {})
    .header('vary', 'accept-encoding');
  const accepts = request.headers['accept-encoding'];
  if (answer.gzip !== null && acceptsGzip(typeof accepts === 'string' ? accepts : undefined)) {
    return reply.header('content-encoding', 'gzip').send(answer.gzip);
  }
  return reply.send(answer.body);
}
