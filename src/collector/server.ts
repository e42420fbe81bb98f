/**
 * @module
 * `startCollector()`: the collector's HTTPS server (Fastify). Each route
 * authenticates in two steps around reading the body (`authenticate.ts`),
 * reads the body with its limit enforced while streaming (`read-body.ts`),
 * and hands the work to `storeSegment` / `storeHeartbeat`; every refusal
 * becomes an answer in the one error handler below. A watchdog opens
 * "no heartbeat" downtimes for live sensors that went silent.
 */

import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { GeoResolver } from '../classify/index.js';
import { OverlapUncheckedError, type DetectionSetup } from '../ingest/index.js';
import {
  decodeSegmentHeader,
  describeIssues,
  HEADERS,
  Heartbeat,
  PATHS,
  type ErrorAnswer,
  type SegmentAnswer,
} from '../sensor/index.js';
import {
  ConcurrentIngestError,
  StoreError,
  StoreErrorCode,
  type AnalyticsStore,
  type Sensor,
  type StoreOptions,
} from '../store/index.js';
import { checkHeaders, checkSignature, clockOffsetOf } from './authenticate.js';
import type { TlsMaterial } from './certificate.js';
import { CollectorError, CollectorErrorCode } from './errors.js';
import { storeHeartbeat } from './heartbeat-intake.js';
import { IngestQueue } from './ingest-queue.js';
import { NonceLedger } from './nonce-ledger.js';
import { onSilence } from './operating-time.js';
import { checkLength, readBodyBuffer, readBodyToFile } from './read-body.js';
import { storeSegments, type QueuedSegment, type SegmentOutcome } from './group-intake.js';
import { GroupJournal } from './group-journal.js';
import { SensorLocks } from './sensor-locks.js';
import { StoreLease } from './store-lease.js';

/** Room for four agents' upload windows (`DEFAULT_UPLOAD_WINDOW`). */
export const DEFAULT_QUEUE = 32;
export const DEFAULT_MAX_SEGMENT_BYTES = 256 * 1024 * 1024;
export const DEFAULT_DOWNTIME_AFTER_SEC = 180;
const MAX_HEARTBEAT_BYTES = 1024 * 1024;
const MAX_WATCHDOG_MS = 30_000;
const INCOMING_DIR = 'incoming';
const STORE_BUSY_RETRY_SEC = 5;

export interface CollectorOptions {
  /** Store target: DuckDB file or `clickhouse://…` URL; or a store the caller opened and will close. */
  store: string | AnalyticsStore;
  storeOptions?: StoreOptions & { idleCloseMs?: number };
  host: string;
  port: number;
  tls: TlsMaterial;
  /** Where uploads wait for their ingest (`incoming/`). */
  dataDir: string;
  geo: GeoResolver | null;
  detection: DetectionSetup | null;
  /** Uploads admitted at once (running + waiting), default 8. */
  queue?: number;
  maxSegmentBytes?: number;
  /** A live sensor silent for longer than this is down (default 180 s). */
  downtimeAfterSec?: number;
  /** How often the watchdog looks for silent sensors (default a third of `downtimeAfterSec`, at most 30 s). */
  watchdogMs?: number;
  /** Clock in epoch milliseconds (tests); default `Date.now`. */
  now?: () => number;
  /** One line per event; default none. */
  log?: (line: string) => void;
}

interface SensorSegment extends QueuedSegment {
  sensor: Sensor;
}

export interface Collector {
  readonly url: string;
  readonly port: number;
  readonly fingerprint: string;
  /** Runs `fn` with the collector's store (status, tests), between its own uses on DuckDB. */
  useStore<T>(fn: (store: AnalyticsStore) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function startCollector(options: CollectorOptions): Promise<Collector> {
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  const maxSegmentBytes = options.maxSegmentBytes ?? DEFAULT_MAX_SEGMENT_BYTES;
  const downtimeAfterSec = options.downtimeAfterSec ?? DEFAULT_DOWNTIME_AFTER_SEC;
  const lease = new StoreLease(options.store, options.storeOptions);
  const nonces = new NonceLedger();
  const locks = new SensorLocks();
  const journal = await GroupJournal.open(options.dataDir);
  // Segments waiting together are stored sensor by sensor, each sensor's as one group commit.
  const queue = new IngestQueue<SensorSegment, SegmentAnswer>(options.queue ?? DEFAULT_QUEUE, async (jobs) => {
    const outcomes = new Map<SensorSegment, SegmentOutcome>();
    const bySensor = new Map<number, SensorSegment[]>();
    for (const job of jobs) bySensor.set(job.sensor.id, [...(bySensor.get(job.sensor.id) ?? []), job]);
    for (const [sensorId, group] of bySensor) {
      const sensor = group[0]!.sensor;
      try {
        const results = await locks.run(sensorId, () =>
          lease.use((store) => {
            log(`segments ${sensor.name} ${group.map((j) => `#${j.meta.sequence}`).join(' ')}: storing`);
            return storeSegments(store, sensor, group, journal);
          }),
        );
        group.forEach((job, i) => outcomes.set(job, results[i]!));
      } catch (error) {
        for (const job of group) outcomes.set(job, { ok: false, error });
      }
    }
    return jobs.map((job) => outcomes.get(job)!);
  });
  const offsets = new WeakMap<IncomingMessage, number>();
  const incoming = join(options.dataDir, INCOMING_DIR);
  await mkdir(incoming, { recursive: true, mode: 0o700 });
  // Bodies of uploads cut short by a crash: never acknowledged, the agent sends them again.
  for (const name of await readdir(incoming)) await rm(join(incoming, name), { force: true });
  await lease.use((store) => nonces.load(store, now()));
  const recovered = await lease.use((store) => journal.recover(store));
  if (recovered > 0) log(`recovered ${recovered} segment groups committed before the collector stopped`);

  const app = Fastify({ https: { cert: options.tls.cert, key: options.tls.key }, logger: false });
  app.removeAllContentTypeParsers();
  // Bodies are read by the routes themselves, streaming, with their own limits.
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const clockOffsetMs = offsets.get(request.raw);
    const send = (status: number, body: ErrorAnswer): FastifyReply =>
      reply.code(status).send(clockOffsetMs === undefined ? body : { ...body, clockOffsetMs });
    if (error instanceof CollectorError) {
      if (error.retryAfterSec !== undefined) void reply.header('retry-after', String(error.retryAfterSec));
      if (error.status >= 400 && error.status < 500)
        log(
          `refused ${request.method} ${request.url} from ${String(request.headers[HEADERS.sensor] ?? '?')}: ${error.code} ${error.message}`,
        );
      return send(error.status, { error: error.code, reason: error.message });
    }
    // Sending it again cannot help: the segment overlaps an ingest whose raw packets are gone; someone must decide (ingest --allow-overlap).
    if (error instanceof OverlapUncheckedError) return send(409, { error: error.code, reason: error.message });
    // Another ingest of the sensor committed meanwhile: sent again, the segment is stored or found a duplicate.
    if (error instanceof ConcurrentIngestError) {
      void reply.header('retry-after', String(STORE_BUSY_RETRY_SEC));
      return send(503, { error: error.code, reason: error.message });
    }
    if (error instanceof StoreError && error.code === StoreErrorCode.LOCKED) {
      void reply.header('retry-after', String(STORE_BUSY_RETRY_SEC));
      return send(503, { error: CollectorErrorCode.BUSY, reason: 'the store is held by another teiten process' });
    }
    const status = (error as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return send(status, {
        error: String((error as { code?: unknown }).code ?? 'TEITEN_COLLECTOR_BAD_REQUEST'),
        reason: (error as Error).message,
      });
    }
    log(
      `error ${request.method} ${request.url}: ${error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error)}`,
    );
    return send(500, {
      error: 'TEITEN_COLLECTOR_INTERNAL',
      reason: 'the collector failed to process the request; send it again',
    });
  });

  app.post(PATHS.segments, async (request) => {
    const raw = request.raw;
    const nowMs = now();
    const offset = clockOffsetOf(request.headers, nowMs);
    if (offset !== undefined) offsets.set(raw, offset);
    checkLength(raw, maxSegmentBytes);
    const auth = await lease.use((store) => checkHeaders(store, request.headers, nowMs));
    const segmentHeader = request.headers[HEADERS.segment];
    if (typeof segmentHeader !== 'string')
      throw new CollectorError(CollectorErrorCode.INVALID, `header ${HEADERS.segment} is missing`);
    let meta;
    try {
      meta = decodeSegmentHeader(segmentHeader);
    } catch (error) {
      throw new CollectorError(CollectorErrorCode.INVALID, (error as Error).message, { cause: error });
    }
    const slot = queue.reserve();
    const file = join(incoming, `${randomUUID()}.part`);
    try {
      const body = await readBodyToFile(raw, file, maxSegmentBytes);
      await lease.use((store) =>
        checkSignature(store, auth, {
          method: 'POST',
          path: PATHS.segments,
          segmentHeader,
          bodySha256: body.sha256,
          nonces,
          nowMs,
        }),
      );
      if (body.sha256 !== meta.segmentId) {
        throw new CollectorError(
          CollectorErrorCode.INVALID,
          `segmentId: ${meta.segmentId} is not the SHA-256 of the body (${body.sha256})`,
        );
      }
      log(`segment ${auth.sensor.name} #${meta.sequence}: ${body.bytes} bytes received, queued`);
      const answer = await slot.submit({
        sensor: auth.sensor,
        meta,
        file,
        options: {
          geo: options.geo,
          detection: options.detection,
          nowMs: now(),
          clockOffsetMs: auth.clockOffsetMs,
          bytes: body.bytes,
        },
      });
      log(`segment ${auth.sensor.name} #${meta.sequence} ${answer.status}: ${answer.packets} packets (${meta.mode})`);
      return answer;
    } finally {
      slot.release();
      await rm(file, { force: true });
    }
  });

  app.post(PATHS.heartbeat, async (request) => {
    const raw = request.raw;
    const nowMs = now();
    const offset = clockOffsetOf(request.headers, nowMs);
    if (offset !== undefined) offsets.set(raw, offset);
    const auth = await lease.use((store) => checkHeaders(store, request.headers, nowMs));
    const body = await readBodyBuffer(raw, MAX_HEARTBEAT_BYTES);
    const bodySha256 = createHash('sha256').update(body).digest('hex');
    await lease.use((store) =>
      checkSignature(store, auth, {
        method: 'POST',
        path: PATHS.heartbeat,
        segmentHeader: '',
        bodySha256,
        nonces,
        nowMs,
      }),
    );
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch (error) {
      throw new CollectorError(CollectorErrorCode.INVALID, '(body): not JSON', { cause: error });
    }
    const parsed = Heartbeat.safeParse(json);
    if (!parsed.success)
      throw new CollectorError(CollectorErrorCode.INVALID, `Invalid heartbeat: ${describeIssues(parsed.error)}`);
    const heartbeat = parsed.data;
    const answer = await locks.run(auth.sensor.id, () =>
      lease.use((store) =>
        storeHeartbeat(store, auth.sensor, {
          heartbeat,
          nowMs,
          clockOffsetMs: auth.clockOffsetMs,
          downtimeAfterSec,
        }),
      ),
    );
    log(
      `heartbeat ${auth.sensor.name}: capture ${heartbeat.capture}, spool ${heartbeat.spool.segments} segments, offset ${auth.clockOffsetMs} ms`,
    );
    return answer;
  });

  const watchdog = setInterval(
    () => {
      void lease
        .use(async (store) => {
          await nonces.pruneStored(store, now());
          for (const sensor of await store.listSensors()) {
            await locks.run(sensor.id, async () => {
              const last = await store.network.lastHeartbeat(sensor.id);
              if (last === undefined || now() - last.receivedMs <= downtimeAfterSec * 1000) return;
              if (await onSilence(store, sensor, last))
                log(`sensor ${sensor.name}: no heartbeat for ${downtimeAfterSec} s, downtime opened`);
            });
          }
        })
        .catch((error: unknown) => log(`watchdog: ${(error as Error).message}`));
    },
    options.watchdogMs ?? Math.min(MAX_WATCHDOG_MS, (downtimeAfterSec * 1000) / 3),
  );
  watchdog.unref();

  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `https://${host}:${port}`,
    port,
    fingerprint: options.tls.fingerprint,
    useStore: (fn) => lease.use(fn),
    async close() {
      clearInterval(watchdog);
      await app.close();
      await queue.drain();
      await lease.close();
    },
  };
}
