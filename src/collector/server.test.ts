/**
 * The collector over real HTTPS on loopback (port 0), on DuckDB and, when
 * `CLICKHOUSE_URL` is set, on ClickHouse: an upload is counted exactly once
 * and equals `ingestCapture` of the same file; refused requests store
 * nothing; limits, validation and backpressure answer with their status.
 */

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GeoResolver } from '../classify/geoip.js';
import { ingestCapture } from '../ingest/index.js';
import { baseTableCounts, sourceRows, tempDir, testGeo, trafficRows } from '../ingest/testdata/captures.js';
import {
  encodeSegmentHeader,
  HEADERS,
  PATHS,
  signedHeaders,
  signingKey,
  type Heartbeat,
  type SegmentMeta,
} from '../sensor/index.js';
import { openStore, type AnalyticsStore } from '../store/index.js';
import { storeTargets } from '../store/testdata/clickhouse-test-db.js';
import { loadTls } from './certificate.js';
import { startCollector, type Collector } from './server.js';
import { post, segmentOf, send, uploadSegment } from './testdata/client.js';

const CAPTURES = join(import.meta.dirname, '../../../shared/captures');
const REFLECTION = join(CAPTURES, 'amp.TCP.reflection.SYNACK.pcap');
const SENSOR = { name: 'tokyo', addresses: ['10.10.10.0/24'] };
const SECRET = 'a-test-secret-of-more-than-thirty-two-characters';
const KEY = signingKey(SECRET);
/** A pcap file header and no record: an empty segment. */
const EMPTY_PCAP = Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex');

const clickHouseUrl = process.env['CLICKHOUSE_URL'];
const BACKENDS = storeTargets(clickHouseUrl, 'collector');

function heartbeat(overrides: Partial<Heartbeat> = {}): Heartbeat {
  return {
    sentUs: Date.now() * 1000,
    capture: 'replay',
    spool: { segments: 0, bytes: 0 },
    lastSequence: -1,
    losses: [],
    ...overrides,
  };
}

async function networkCounts(store: AnalyticsStore): Promise<Record<string, number>> {
  const out = await baseTableCounts(store);
  for (const table of [
    'collector_segments',
    'collector_heartbeats',
    'collector_nonces',
    'collector_spool_losses',
    'sensor_intervals',
  ]) {
    const [row] = await store.query<{ n: number }>({ sql: `SELECT COUNT(*) AS n FROM ${table}`, params: [] });
    out[table] = row!.n;
  }
  return out;
}

const present = existsSync(REFLECTION);
if (!present) console.log(`collector tests skipped: ${REFLECTION} is absent (see /work/shared/captures/README.md)`);

describe.skipIf(!present).each(BACKENDS)('collector on %s', (_kind, makeBackend) => {
  const dir = tempDir('teiten-collector-');
  const backend = makeBackend();
  let geo: GeoResolver;
  let collector: Collector;
  let target: { url: string; key: string; sensor: string };

  beforeAll(async () => {
    geo = (await testGeo(dir)).geo;
    const tls = await loadTls({ dataDir: dir });
    collector = await startCollector({
      store: backend.target,
      host: '127.0.0.1',
      port: 0,
      tls,
      dataDir: dir,
      geo,
      detection: null,
      queue: 1,
      maxSegmentBytes: 2_500_000,
    });
    await collector.useStore(async (store) => {
      const sensor = await store.addSensor(SENSOR);
      await store.network.addKey(sensor.id, KEY, Date.now());
    });
    target = { url: collector.url, key: KEY, sensor: SENSOR.name };
  });
  afterAll(async () => {
    await collector?.close();
    await backend.drop();
  });

  const counts = (): Promise<Record<string, number>> => collector.useStore(networkCounts);

  it('storeSegment() counts an upload once, equal to ingestCapture() of the file, and answers a re-send as duplicate', async () => {
    const segment = await segmentOf(REFLECTION, 0);
    const first = await uploadSegment(target, segment);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      status: 'stored',
      segmentId: segment.meta.segmentId,
      sequence: 0,
      packets: 8000,
    });
    expect(first.fingerprint).toBe(collector.fingerprint);
    const again = await uploadSegment(target, segment);
    expect(again.body).toMatchObject({ status: 'duplicate', packets: 8000 });

    const reference = await openStore(':memory:');
    try {
      await reference.addSensor(SENSOR);
      const direct = await ingestCapture(reference, SENSOR.name, REFLECTION, { geo, detection: null });
      const got = await collector.useStore(async (store) => ({
        ingests: await store.listIngests(),
        traffic: await trafficRows(store),
        sources: await sourceRows(store),
        segments: await store.network.segments(),
      }));
      expect(got.ingests).toHaveLength(1);
      const strip = ({
        id: _i,
        startedSec: _s,
        ingestedSec: _n,
        fileName: _f,
        sensorId: _x,
        ...rest
      }: typeof direct.record): object => rest;
      expect(strip(got.ingests[0]!)).toEqual(strip(direct.record));
      expect(got.ingests[0]!.packetsRead).toBe(8000);
      expect(got.traffic).toEqual(await trafficRows(reference));
      expect(got.sources).toEqual(await sourceRows(reference));
      expect(got.segments).toHaveLength(1);
      expect(got.segments[0]).toMatchObject({
        sequence: 0,
        ingestId: got.ingests[0]!.id,
        packets: 8000,
        packetsRead: 8000,
        packetsCounted: direct.record.packetsCounted,
        mode: 'replay',
      });
    } finally {
      await reference.close();
    }
  });

  it('storeSegment() records a segment whose ingest committed before a crash (no segment row yet) without counting it again', async () => {
    const file = join(CAPTURES, 'amp.UDP.snmp.src161.pcapng');
    const segment = await segmentOf(file, 40);
    // What a collector killed between the engine's commit and the segment row leaves behind.
    const committed = await collector.useStore((store) =>
      ingestCapture(store, SENSOR.name, file, { geo, detection: null }),
    );
    const before = await counts();
    const answer = await uploadSegment(target, segment);
    expect(answer.body).toMatchObject({ status: 'stored', sequence: 40, packets: committed.record.packetsRead });
    const after = await counts();
    expect(after['ingests']).toBe(before['ingests']);
    expect(after['traffic_hour_rows']).toBe(before['traffic_hour_rows']);
    const row = await collector.useStore(async (store) =>
      store.network.findSegment((await store.findSensor(SENSOR.name))!.id, segment.meta.segmentId, 40),
    );
    expect(row?.ingestId).toBe(committed.record.id);
  });

  it('accepts a segment sent with another content type or none', async () => {
    for (const [sequence, type] of [
      [50, 'application/vnd.tcpdump.pcap'],
      [51, ''],
    ] as const) {
      const segment = {
        bytes: EMPTY_PCAP,
        meta: {
          segmentId: createHash('sha256').update(EMPTY_PCAP).digest('hex'),
          sequence,
          firstPacketUs: 0,
          lastPacketUs: 0,
          packets: 0,
          agentDropped: 0,
          mode: 'replay' as const,
        },
      };
      const answer = await uploadSegment(target, segment, { edit: (h) => ({ ...h, 'content-type': type }) });
      expect([type, answer.status, answer.body['status']]).toEqual([type, 200, 'stored']);
    }
  });

  it('storeSegment() records empty segments by (sensor, id, sequence) without an ingest', async () => {
    const before = await counts();
    const meta = (sequence: number): SegmentMeta => ({
      segmentId: createHash('sha256').update(EMPTY_PCAP).digest('hex'),
      sequence,
      firstPacketUs: 0,
      lastPacketUs: 0,
      packets: 0,
      agentDropped: 0,
      mode: 'replay',
    });
    expect((await uploadSegment(target, { bytes: EMPTY_PCAP, meta: meta(1) })).body).toMatchObject({
      status: 'stored',
      packets: 0,
    });
    expect((await uploadSegment(target, { bytes: EMPTY_PCAP, meta: meta(2) })).body).toMatchObject({
      status: 'stored',
      packets: 0,
    });
    expect((await uploadSegment(target, { bytes: EMPTY_PCAP, meta: meta(1) })).body).toMatchObject({
      status: 'duplicate',
    });
    const after = await counts();
    expect(after['ingests']).toBe(before['ingests']);
    expect(after['collector_segments']).toBe(before['collector_segments']! + 2);
  });

  it('authentication refuses a wrong key, an unknown sensor, a replay, a tampered body or metadata and clock skew, storing nothing', async () => {
    const segment = await segmentOf(join(CAPTURES, 'amp.UDP.isakmp.pcap'), 10);
    const heartbeatBody = Buffer.from(JSON.stringify(heartbeat()));
    const accepted = signedHeaders(KEY, {
      method: 'POST',
      path: PATHS.heartbeat,
      sensor: SENSOR.name,
      segmentHeader: '',
      body: heartbeatBody,
    });
    expect((await send(target.url, PATHS.heartbeat, accepted, heartbeatBody)).status).toBe(200);
    const before = await counts();
    const cases: [string, () => ReturnType<typeof post>, number, string][] = [
      [
        'wrong key',
        () => uploadSegment({ ...target, key: signingKey('another secret, also long enough to pass') }, segment),
        401,
        'TEITEN_COLLECTOR_BAD_SIGNATURE',
      ],
      [
        'unknown sensor',
        () => uploadSegment({ ...target, sensor: 'osaka' }, segment),
        401,
        'TEITEN_COLLECTOR_UNKNOWN_SENSOR',
      ],
      ['replay', () => send(target.url, PATHS.heartbeat, accepted, heartbeatBody), 401, 'TEITEN_COLLECTOR_REPLAY'],
      [
        'tampered body',
        () =>
          uploadSegment(target, segment, {
            sendBody: Buffer.concat([segment.bytes.subarray(0, -1), Buffer.from([segment.bytes.at(-1)! ^ 1])]),
          }),
        401,
        'TEITEN_COLLECTOR_BAD_SIGNATURE',
      ],
      [
        'tampered metadata',
        () =>
          uploadSegment(target, segment, {
            edit: (h) => ({ ...h, [HEADERS.segment]: encodeSegmentHeader({ ...segment.meta, sequence: 11 }) }),
          }),
        401,
        'TEITEN_COLLECTOR_BAD_SIGNATURE',
      ],
      [
        'skew',
        () => uploadSegment(target, segment, { now: Date.now() - 6 * 60_000 }),
        401,
        'TEITEN_COLLECTOR_CLOCK_SKEW',
      ],
    ];
    const offsets: number[] = [];
    for (const [name, sendIt, status, code] of cases) {
      const answer = await sendIt();
      offsets.push(answer.body['clockOffsetMs'] as number);
      expect([name, answer.status, answer.body['error']]).toEqual([name, status, code]);
      expect(typeof answer.body['reason']).toBe('string');
      expect(typeof answer.body['clockOffsetMs']).toBe('number');
    }
    expect(offsets[5]).toBeGreaterThanOrEqual(6 * 60_000);
    expect(await counts()).toEqual(before);
  });

  it('a revoked sensor is refused with 403 and its upload not stored', async () => {
    const other = { name: 'osaka', addresses: ['198.51.100.0/24'] };
    const otherKey = signingKey(`${SECRET}-osaka`);
    await collector.useStore(async (store) => {
      const sensor = await store.addSensor(other);
      await store.network.addKey(sensor.id, otherKey, Date.now());
      await store.network.revokeKeys(sensor.id, Date.now());
    });
    const before = await counts();
    const answer = await uploadSegment(
      { url: target.url, key: otherKey, sensor: 'osaka' },
      await segmentOf(join(CAPTURES, 'amp.UDP.isakmp.pcap'), 0),
    );
    expect([answer.status, answer.body['error']]).toEqual([403, 'TEITEN_COLLECTOR_REVOKED']);
    expect(await counts()).toEqual(before);
  });

  it('limits: 413 for a body over --max-segment-bytes, 400 naming the field for bad metadata or a wrong segment id', async () => {
    const before = await counts();
    const big = await segmentOf(join(CAPTURES, 'pkt.TCP.synflood.spoofed.pcap'), 20);
    const tooLarge = await uploadSegment(target, big);
    expect([tooLarge.status, tooLarge.body['error']]).toEqual([413, 'TEITEN_COLLECTOR_TOO_LARGE']);
    const small = await segmentOf(join(CAPTURES, 'amp.UDP.isakmp.pcap'), 21);
    const badField = await post({
      ...target,
      path: PATHS.segments,
      body: small.bytes,
      segmentHeader: Buffer.from(JSON.stringify({ ...small.meta, packets: -1 })).toString('base64url'),
    });
    expect(badField.status).toBe(400);
    expect(badField.body['reason']).toMatch(/packets/);
    const wrongId = await uploadSegment(target, {
      bytes: small.bytes,
      meta: { ...small.meta, segmentId: 'ab'.repeat(32) },
    });
    expect(wrongId.status).toBe(400);
    expect(wrongId.body['reason']).toMatch(/^segmentId: /);
    const wrongCount = await uploadSegment(target, { bytes: small.bytes, meta: { ...small.meta, packets: 5 } });
    expect(wrongCount.status).toBe(400);
    expect(wrongCount.body['reason']).toMatch(/^packets: /);
    const badBeat = await post({
      ...target,
      path: PATHS.heartbeat,
      body: Buffer.from(JSON.stringify({ ...heartbeat(), capture: 'sleeping' })),
    });
    expect(badBeat.status).toBe(400);
    expect(badBeat.body['reason']).toMatch(/capture/);
    const after = await counts();
    expect({ ...after, collector_nonces: 0 }).toEqual({ ...before, collector_nonces: 0 });
  });

  it('limits: a chunked body (no Content-Length) is refused with 413 once it passes the limit while streaming', async () => {
    const before = await counts();
    const big = await segmentOf(join(CAPTURES, 'pkt.TCP.synflood.spoofed.pcap'), 22);
    const headers = signedHeaders(KEY, {
      method: 'POST',
      path: PATHS.segments,
      sensor: SENSOR.name,
      segmentHeader: encodeSegmentHeader(big.meta),
      body: big.bytes,
    });
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        new URL(PATHS.segments, target.url),
        {
          method: 'POST',
          rejectUnauthorized: false,
          agent: false,
          headers: { ...headers, 'content-type': 'application/octet-stream' },
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      for (let offset = 0; offset < big.bytes.length; offset += 65_536)
        req.write(big.bytes.subarray(offset, offset + 65_536));
      req.end();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: 'TEITEN_COLLECTOR_TOO_LARGE' });
    expect({ ...(await counts()), collector_nonces: 0 }).toEqual({ ...before, collector_nonces: 0 });
  });

  it('backpressure: with the queue full an upload gets 503 and Retry-After, and the held one is still stored', async () => {
    const held = await segmentOf(join(CAPTURES, 'amp.UDP.isakmp.pcap'), 30);
    const headers = signedHeaders(KEY, {
      method: 'POST',
      path: PATHS.segments,
      sensor: SENSOR.name,
      segmentHeader: encodeSegmentHeader(held.meta),
      body: held.bytes,
    });
    // The first upload sends half its body and waits: it holds the only place in the queue.
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        new URL(PATHS.segments, target.url),
        {
          method: 'POST',
          rejectUnauthorized: false,
          agent: false,
          headers: {
            ...headers,
            'content-type': 'application/octet-stream',
            'content-length': String(held.bytes.length),
          },
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.write(held.bytes.subarray(0, 1000));
      setTimeout(() => req.end(held.bytes.subarray(1000)), 1500);
    });
    await new Promise((r) => setTimeout(r, 500));
    const refused = await uploadSegment(target, await segmentOf(join(CAPTURES, 'amp.dns.RRSIG.fragmented.pcap'), 31));
    expect([refused.status, refused.body['error']]).toEqual([503, 'TEITEN_COLLECTOR_BUSY']);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    const done = await answer;
    expect(done.status).toBe(200);
    expect(JSON.parse(done.body)).toMatchObject({ status: 'stored', sequence: 30 });
  });
});
