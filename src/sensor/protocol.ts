/**
 * @module
 * The wire between a sensor agent (`teiten sensor run`) and the collector
 * (`teiten collector serve`): paths, headers, the metadata of an uploaded
 * capture segment, heartbeats and the collector's answers. One definition,
 * imported by both sides, validated with zod at each edge.
 *
 * A segment upload is `POST /v1/segments` with the capture bytes as the body
 * (`application/octet-stream`, pcap or pcapng, gzip allowed) and its metadata
 * as base64url JSON in the `x-teiten-segment` header, so the collector can
 * check size, identity and signature before it parses a byte of capture.
 */

import { z } from 'zod';

export const PATHS = {
  segments: '/v1/segments',
  heartbeat: '/v1/heartbeat',
} as const;

/** Request headers; the signature covers every one of them (see `signing.ts`). */
export const HEADERS = {
  sensor: 'x-teiten-sensor',
  timestamp: 'x-teiten-timestamp',
  nonce: 'x-teiten-nonce',
  signature: 'x-teiten-signature',
  segment: 'x-teiten-segment',
} as const;

/** Requests whose timestamp is further than this from the collector's clock are refused. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits');
/** Packet times cross the wire as integer microseconds since the Unix epoch (UTC, never local time). */
const epochMicros = z.number().int().nonnegative();
const count = z.number().int().nonnegative();

/** What the agent knows about one capture segment. `segmentId` is the SHA-256 of the uploaded bytes. */
export const SegmentMeta = z
  .object({
    segmentId: sha256Hex,
    /** Per sensor, from 0, one more for every segment the agent cut (dropped ones included). */
    sequence: count,
    firstPacketUs: epochMicros,
    lastPacketUs: epochMicros,
    packets: count,
    /** pcap statistics of the capture process for this segment's span (live capture only). */
    kernelReceived: count.optional(),
    kernelDropped: count.optional(),
    /** Packets the agent itself could not keep (e.g. a record it failed to frame). */
    agentDropped: count.default(0),
    /** `replay` segments (from `--read`) make no claim about the sensor's operating time. */
    mode: z.enum(['live', 'replay']),
  })
  .strict()
  .refine((m) => m.lastPacketUs >= m.firstPacketUs, {
    message: 'lastPacketUs is before firstPacketUs',
    path: ['lastPacketUs'],
  });
export type SegmentMeta = z.infer<typeof SegmentMeta>;

/** Segments the agent deleted unsent because its spool was full. */
export const SpoolLoss = z
  .object({
    firstSequence: count,
    lastSequence: count,
    segments: count,
    packets: count,
    fromUs: epochMicros,
    toUs: epochMicros,
  })
  .strict();
export type SpoolLoss = z.infer<typeof SpoolLoss>;

export const CaptureState = z.enum(['running', 'stopped', 'interface-down', 'replay']);
export type CaptureState = z.infer<typeof CaptureState>;

export const Heartbeat = z
  .object({
    /** The agent's clock when it sent this, in microseconds. */
    sentUs: epochMicros,
    capture: CaptureState,
    /** Why capture is not running, in the agent's words (e.g. tcpdump's last stderr line). */
    reason: z.string().max(500).optional(),
    spool: z.object({ segments: count, bytes: count }).strict(),
    /** Highest sequence number cut so far (-1 before the first). */
    lastSequence: z.number().int().min(-1),
    /** Spool losses not yet reported in an acknowledged heartbeat. */
    losses: z.array(SpoolLoss).max(10_000),
  })
  .strict();
export type Heartbeat = z.infer<typeof Heartbeat>;

/** Every answer carries the collector's view of the sensor's clock: collector time minus the request's timestamp. */
export const SegmentAnswer = z.object({
  status: z.enum(['stored', 'duplicate']),
  segmentId: sha256Hex,
  sequence: count,
  packets: count,
  clockOffsetMs: z.number(),
});
export type SegmentAnswer = z.infer<typeof SegmentAnswer>;

export const HeartbeatAnswer = z.object({
  status: z.literal('ok'),
  clockOffsetMs: z.number(),
});
export type HeartbeatAnswer = z.infer<typeof HeartbeatAnswer>;

/** Body of every refusal (4xx/5xx): a stable code and a sentence naming the field or check that failed. */
export const ErrorAnswer = z.object({
  error: z.string(),
  reason: z.string(),
  clockOffsetMs: z.number().optional(),
});
export type ErrorAnswer = z.infer<typeof ErrorAnswer>;

export function encodeSegmentHeader(meta: SegmentMeta): string {
  return Buffer.from(JSON.stringify(meta)).toString('base64url');
}

/** Parses the `x-teiten-segment` header; throws a `TypeError` naming the field on bad input. */
export function decodeSegmentHeader(value: string): SegmentMeta {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch (error) {
    throw new TypeError(`Cannot parse ${HEADERS.segment}: not base64url JSON`, { cause: error });
  }
  const parsed = SegmentMeta.safeParse(json);
  if (!parsed.success) throw new TypeError(`Invalid ${HEADERS.segment}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** "field.path: message" for each zod issue, for 400 answers and CLI errors. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(body)'}: ${i.message}`).join('; ');
}
