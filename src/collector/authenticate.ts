/**
 * @module
 * Authentication of a request in two steps. `checkHeaders` runs before the
 * body is read: the sensor headers are well-formed, the timestamp is within
 * `MAX_CLOCK_SKEW_MS` of the collector's clock, and the sensor exists with a
 * valid key. `checkSignature` runs once the body's hash is known: the HMAC of
 * `sensor/signing.ts` matches, then the nonce is claimed (replays refused).
 * Every failure is a `CollectorError` (401/403) and nothing is stored.
 */

import type { IncomingHttpHeaders } from 'node:http';
import { HEADERS, MAX_CLOCK_SKEW_MS, signatureMatches } from '../sensor/index.js';
import type { AnalyticsStore, Sensor } from '../store/index.js';
import { CollectorError, CollectorErrorCode } from './errors.js';
import type { NonceLedger } from './nonce-ledger.js';

const NONCE = /^[A-Za-z0-9_-]{16,128}$/;
const SIGNATURE = /^[0-9a-f]{64}$/;
const TIMESTAMP = /^\d{1,16}$/;

export interface RequestAuth {
  sensor: Sensor;
  key: string;
  timestampMs: number;
  nonce: string;
  signature: string;
  /** Collector clock minus the request's timestamp. */
  clockOffsetMs: number;
}

function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  if (typeof value !== 'string' || value === '')
    throw new CollectorError(CollectorErrorCode.BAD_REQUEST, `header ${name} is missing`);
  return value;
}

/** The request timestamp's offset, or undefined when the header is absent or malformed (for error answers). */
export function clockOffsetOf(headers: IncomingHttpHeaders, nowMs: number): number | undefined {
  const value = headers[HEADERS.timestamp];
  return typeof value === 'string' && TIMESTAMP.test(value) ? nowMs - Number(value) : undefined;
}

export async function checkHeaders(
  store: AnalyticsStore,
  headers: IncomingHttpHeaders,
  nowMs: number,
): Promise<RequestAuth> {
  const name = header(headers, HEADERS.sensor);
  const stamp = header(headers, HEADERS.timestamp);
  const nonce = header(headers, HEADERS.nonce);
  const signature = header(headers, HEADERS.signature);
  if (!TIMESTAMP.test(stamp))
    throw new CollectorError(CollectorErrorCode.BAD_REQUEST, `header ${HEADERS.timestamp} must be epoch milliseconds`);
  if (!NONCE.test(nonce))
    throw new CollectorError(
      CollectorErrorCode.BAD_REQUEST,
      `header ${HEADERS.nonce} must be 16 to 128 characters of A-Z, a-z, 0-9, _ and -`,
    );
  if (!SIGNATURE.test(signature))
    throw new CollectorError(
      CollectorErrorCode.BAD_REQUEST,
      `header ${HEADERS.signature} must be 64 lowercase hex digits`,
    );
  const timestampMs = Number(stamp);
  const clockOffsetMs = nowMs - timestampMs;
  if (Math.abs(clockOffsetMs) > MAX_CLOCK_SKEW_MS) {
    throw new CollectorError(
      CollectorErrorCode.CLOCK_SKEW,
      `the request's timestamp is ${clockOffsetMs} ms off the collector's clock (at most ±${MAX_CLOCK_SKEW_MS} ms): set the sensor's clock (NTP)`,
    );
  }
  const sensor = await store.findSensor(name);
  const keys = sensor === undefined ? [] : await store.network.keys(sensor.id);
  const valid = keys.filter((k) => k.revokedMs === 0);
  if (sensor === undefined || keys.length === 0)
    throw new CollectorError(CollectorErrorCode.UNKNOWN_SENSOR, `no enrolled sensor named ${JSON.stringify(name)}`);
  if (valid.length === 0)
    throw new CollectorError(CollectorErrorCode.REVOKED, `the credentials of sensor ${name} were revoked`);
  return { sensor, key: valid[valid.length - 1]!.keyHash, timestampMs, nonce, signature, clockOffsetMs };
}

export interface SignedRequest {
  method: string;
  path: string;
  segmentHeader: string;
  bodySha256: string;
}

/** Checks the HMAC, then claims the nonce: after this the request is authentic and new. */
export async function checkSignature(
  store: AnalyticsStore,
  auth: RequestAuth,
  request: SignedRequest & { nonces: NonceLedger; nowMs: number },
): Promise<void> {
  const parts = {
    method: request.method,
    path: request.path,
    sensor: auth.sensor.name,
    timestampMs: auth.timestampMs,
    nonce: auth.nonce,
    segmentHeader: request.segmentHeader,
    body: new Uint8Array(0),
    bodySha256: request.bodySha256,
  };
  if (!signatureMatches(auth.key, parts, auth.signature)) {
    throw new CollectorError(
      CollectorErrorCode.BAD_SIGNATURE,
      'the signature does not match the request (wrong key, or the body or a header was changed)',
    );
  }
  await request.nonces.claim(store, {
    sensorId: auth.sensor.id,
    nonce: auth.nonce,
    timestampMs: auth.timestampMs,
    nowMs: request.nowMs,
  });
}
