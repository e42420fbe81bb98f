/**
 * @module
 * A minimal signed HTTPS client for the collector's tests: what an agent
 * sends, built from the wire definitions of `sensor/`, with every part
 * overridable so tests can tamper with one thing at a time.
 */

import { createHash } from 'node:crypto';
import { request } from 'node:https';
import { readFile } from 'node:fs/promises';
import { readCapture } from '../../capture/index.js';
import { encodeSegmentHeader, PATHS, signedHeaders, type SegmentMeta } from '../../sensor/index.js';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  /** SHA-256 fingerprint of the certificate the server presented. */
  fingerprint: string;
}

export interface PostOptions {
  url: string;
  path: string;
  key: string;
  sensor: string;
  body: Uint8Array;
  segmentHeader?: string;
  /** Request timestamp (default now). */
  now?: number;
  /** Applied to the signed headers before sending (tampering, replays). */
  edit?: (headers: Record<string, string>) => Record<string, string>;
  /** Body actually sent, when it should differ from the signed one. */
  sendBody?: Uint8Array;
}

export function post(options: PostOptions): Promise<Answer> {
  const headers = signedHeaders(options.key, {
    method: 'POST', path: options.path, sensor: options.sensor, segmentHeader: options.segmentHeader ?? '', body: options.body,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  return send(options.url, options.path, { ...(options.edit?.(headers) ?? headers) }, options.sendBody ?? options.body);
}

/** Sends exactly these headers and body (a content type by path unless `headers` has one; `''` sends none). */
export function send(url: string, path: string, headers: Record<string, string>, body: Uint8Array): Promise<Answer> {
  const type = headers['content-type'] ?? (path === PATHS.heartbeat ? 'application/json' : 'application/octet-stream');
  const { 'content-type': _given, ...rest } = headers;
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, url), {
      method: 'POST',
      rejectUnauthorized: false,
      agent: false,
      headers: { ...rest, ...(type === '' ? {} : { 'content-type': type }), 'content-length': String(body.length) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const fingerprint = (res.socket as unknown as { getPeerCertificate(): { fingerprint256: string } }).getPeerCertificate?.().fingerprint256 ?? '';
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>), fingerprint });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(Buffer.from(body));
  });
}

/** A segment's metadata for a capture's bytes, as an agent would describe it. */
export async function segmentOf(file: string, sequence: number, mode: SegmentMeta['mode'] = 'replay'): Promise<{ bytes: Buffer; meta: SegmentMeta }> {
  const bytes = await readFile(file);
  let first = Infinity;
  let last = 0;
  const summary = await readCapture(file, {
    onRecord: (r) => {
      const us = r.tsSec * 1_000_000 + Math.floor(r.tsNsec / 1000);
      if (us < first) first = us;
      if (us > last) last = us;
      return true;
    },
  });
  const meta: SegmentMeta = {
    segmentId: createHash('sha256').update(bytes).digest('hex'), sequence,
    firstPacketUs: summary.records === 0 ? 0 : first, lastPacketUs: summary.records === 0 ? 0 : last,
    packets: summary.records, agentDropped: 0, mode,
  };
  return { bytes, meta };
}

export function uploadSegment(target: { url: string; key: string; sensor: string }, segment: { bytes: Uint8Array; meta: SegmentMeta }, extra: Partial<PostOptions> = {}): Promise<Answer> {
  return post({ ...target, path: PATHS.segments, body: segment.bytes, segmentHeader: encodeSegmentHeader(segment.meta), ...extra });
}

