/**
 * @module
 * What the agent does with each collector answer: use it (2xx), retry later
 * (network trouble, 5xx, 503/429 with `Retry-After`), or stop with the
 * collector's reason (401/403: the credentials are refused; other 4xx: the
 * collector will never take these bytes, and retrying them would block the
 * queue forever unnoticed).
 */
import type { z } from 'zod';
import type { CollectorResponse } from './collector-client.js';
import { AgentError, AgentErrorCode } from './errors.js';
import { ErrorAnswer } from './protocol.js';

const MS_PER_SEC = 1000;
/** A `Retry-After` beyond this is capped: the agent checks back at least this often. */
const MAX_RETRY_AFTER_MS = 300_000;

export type Answer<T> = { kind: 'ok'; value: T } | { kind: 'retry'; reason: string; afterMs: number | undefined };

export function readAnswer<T>(response: CollectorResponse, schema: z.ZodType<T>, what: string): Answer<T> {
  const { status } = response;
  const json = parseJson(response.body);
  if (status >= 200 && status < 300) {
    const parsed = schema.safeParse(json);
    if (parsed.success) return { kind: 'ok', value: parsed.data };
    return { kind: 'retry', reason: `the collector answered ${status} with an unexpected body`, afterMs: undefined };
  }
  const refusal = ErrorAnswer.safeParse(json);
  const reason = refusal.success
    ? `${refusal.data.reason} [${refusal.data.error}]`
    : response.body.toString('utf8').slice(0, 300);
  if (status === 401 || status === 403) {
    throw new AgentError(AgentErrorCode.REFUSED, `The collector refused the sensor's ${what} (${status}): ${reason}`);
  }
  if (status === 503 || status === 429) {
    return {
      kind: 'retry',
      reason: `collector busy (${status}): ${reason}`,
      afterMs: retryAfterMs(response.headers['retry-after']),
    };
  }
  if (status >= 500 || status === 408)
    return { kind: 'retry', reason: `collector error (${status}): ${reason}`, afterMs: undefined };
  throw new AgentError(AgentErrorCode.REJECTED, `The collector rejected the sensor's ${what} (${status}): ${reason}`);
}

/** `Retry-After` as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  let ms = Number.isFinite(seconds) ? seconds * MS_PER_SEC : Date.parse(value) - now;
  if (!Number.isFinite(ms)) return undefined;
  ms = Math.max(0, ms);
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
