/**
 * @module
 * Request signing between agent and collector: HMAC-SHA256 over the method,
 * path, sensor name, timestamp, nonce, the segment metadata header and the
 * body's SHA-256. The key is derived from the sensor's secret with a labelled
 * SHA-256, so the store keeps that hash and never the secret in the
 * credentials file. Whoever reads the store's key can sign as the sensor (an
 * HMAC verifier must hold its key); mutual TLS would avoid that at the price
 * of a certificate authority per deployment, which we chose not to require.
 */

import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { HEADERS } from './protocol.js';

const KEY_LABEL = 'teiten-sensor-key-v1\0';

/** The signing key the store keeps for a sensor: hex SHA-256 of a label and the secret. */
export function signingKey(secret: string): string {
  return createHash('sha256').update(KEY_LABEL).update(secret).digest('hex');
}

/** A new random secret for a credentials file (256 bits, base64url). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export interface SignedParts {
  method: string;
  path: string;
  sensor: string;
  timestampMs: number;
  nonce: string;
  /** The `x-teiten-segment` header, or '' when the request has none. */
  segmentHeader: string;
  body: Uint8Array;
  /** Lower-case hex SHA-256 of the body, used instead of hashing `body` when given (a verifier that streamed the body to disk). */
  bodySha256?: string;
}

function canonical(parts: SignedParts): string {
  const bodyHash = parts.bodySha256 ?? createHash('sha256').update(parts.body).digest('hex');
  return [
    parts.method.toUpperCase(),
    parts.path,
    parts.sensor,
    String(parts.timestampMs),
    parts.nonce,
    parts.segmentHeader,
    bodyHash,
  ].join('\n');
}

export function sign(key: string, parts: SignedParts): string {
  return createHmac('sha256', Buffer.from(key, 'hex')).update(canonical(parts)).digest('hex');
}

export function signatureMatches(key: string, parts: SignedParts, signature: string): boolean {
  const expected = Buffer.from(sign(key, parts), 'hex');
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The headers an agent sends with a request (`segmentHeader` included when not empty). */
export function signedHeaders(
  key: string,
  request: Omit<SignedParts, 'timestampMs' | 'nonce'> & { now?: number },
): Record<string, string> {
  const parts: SignedParts = {
    ...request,
    timestampMs: request.now ?? Date.now(),
    nonce: randomBytes(16).toString('hex'),
  };
  const headers: Record<string, string> = {
    [HEADERS.sensor]: parts.sensor,
    [HEADERS.timestamp]: String(parts.timestampMs),
    [HEADERS.nonce]: parts.nonce,
    [HEADERS.signature]: sign(key, parts),
  };
  if (parts.segmentHeader !== '') headers[HEADERS.segment] = parts.segmentHeader;
  return headers;
}
