import { describe, expect, it } from 'vitest';
import { decodeSegmentHeader, encodeSegmentHeader, HEADERS, type SegmentMeta } from './protocol.js';
import { newSecret, signatureMatches, signedHeaders, signingKey, type SignedParts } from './signing.js';

const META: SegmentMeta = {
  segmentId: 'a'.repeat(64),
  sequence: 3,
  firstPacketUs: 1_700_000_000_000_000,
  lastPacketUs: 1_700_000_060_000_000,
  packets: 12,
  agentDropped: 0,
  mode: 'live',
};

function partsFrom(headers: Record<string, string>, body: Uint8Array): SignedParts {
  return {
    method: 'POST',
    path: '/v1/segments',
    sensor: headers[HEADERS.sensor]!,
    timestampMs: Number(headers[HEADERS.timestamp]),
    nonce: headers[HEADERS.nonce]!,
    segmentHeader: headers[HEADERS.segment] ?? '',
    body,
  };
}

describe('signedHeaders()', () => {
  const key = signingKey(newSecret());
  const body = Buffer.from('capture bytes');
  const segmentHeader = encodeSegmentHeader(META);
  const headers = signedHeaders(key, { method: 'POST', path: '/v1/segments', sensor: 'tokyo-1', segmentHeader, body });

  it('verifies with the same key', () => {
    expect(signatureMatches(key, partsFrom(headers, body), headers[HEADERS.signature]!)).toBe(true);
  });

  it('fails for a tampered body, metadata, sensor, path or another key', () => {
    const parts = partsFrom(headers, body);
    const signature = headers[HEADERS.signature]!;
    expect(signatureMatches(key, { ...parts, body: Buffer.from('capture bytez') }, signature)).toBe(false);
    const other = encodeSegmentHeader({ ...META, packets: 13 });
    expect(signatureMatches(key, { ...parts, segmentHeader: other }, signature)).toBe(false);
    expect(signatureMatches(key, { ...parts, sensor: 'osaka-1' }, signature)).toBe(false);
    expect(signatureMatches(key, { ...parts, path: '/v1/heartbeat' }, signature)).toBe(false);
    expect(signatureMatches(key, { ...parts, timestampMs: parts.timestampMs + 1 }, signature)).toBe(false);
    expect(signatureMatches(signingKey(newSecret()), parts, signature)).toBe(false);
    expect(signatureMatches(key, parts, 'zz')).toBe(false);
  });
});

describe('decodeSegmentHeader()', () => {
  it('round-trips metadata', () => {
    expect(decodeSegmentHeader(encodeSegmentHeader(META))).toEqual(META);
  });

  it('names the field that is wrong', () => {
    const bad = Buffer.from(JSON.stringify({ ...META, sequence: -1 })).toString('base64url');
    expect(() => decodeSegmentHeader(bad)).toThrow(/sequence/);
    const reversed = Buffer.from(JSON.stringify({ ...META, lastPacketUs: 1 })).toString('base64url');
    expect(() => decodeSegmentHeader(reversed)).toThrow(/lastPacketUs/);
    expect(() => decodeSegmentHeader('!!!')).toThrow(/base64url JSON/);
  });
});
