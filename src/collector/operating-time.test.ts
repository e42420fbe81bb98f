/**
 * Operating time from heartbeats and live segments, through a real collector
 * on loopback with its clock set by the test: a heartbeat gap and a stopped
 * capture become downtimes with their reasons, a live segment delivered late
 * cuts its span out of them, the watchdog opens a "no heartbeat" downtime,
 * a replay (back-fill) changes none of it, and the per-day-per-address
 * divisor (`addressDays`) uses all of it.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePeriod } from '../util/period.js';
import { TcpFlag } from '../decode/batch.js';
import { at, pcapOf, tempDir } from '../ingest/testdata/captures.js';
import { encodeSegmentHeader, PATHS, signingKey, type Heartbeat, type SegmentMeta } from '../sensor/index.js';
import { addressDays, OPEN_END_SEC, type SensorInterval } from '../store/index.js';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestCapture } from '../ingest/index.js';
import { storeTargets } from '../store/testdata/clickhouse-test-db.js';
import { loadTls } from './certificate.js';
import { NOTES } from './operating-time.js';
import { startCollector, type Collector } from './server.js';
import { post } from './testdata/client.js';

const KEY = signingKey('operating-time-test-secret-0123456789abcdef');
const SENSOR = { name: 'live1', addresses: ['192.0.2.0/24'] };
/** 12:00 in Tokyo (the store's zone) on 2026-01-10. */
const T0 = at('2026-01-10T03:00:00Z');
const DAY_END = at('2026-01-10T15:00:00Z');

function probe(sec: number, k: number) {
  return {
    sec,
    spec: {
      ip: { version: 4 as const, src: '61.0.0.9', dst: `192.0.2.${k}` },
      l4: { kind: 'tcp' as const, srcPort: 40000 + k, dstPort: 445, flags: TcpFlag.SYN },
    },
  };
}

const clickHouseUrl = process.env['CLICKHOUSE_URL'];
const BACKENDS = storeTargets(clickHouseUrl, 'operating');

describe.each(BACKENDS)('operating time from heartbeats and live segments on %s', (_kind, makeBackend) => {
  const dir = tempDir('teiten-operating-');
  const backend = makeBackend();
  let clockMs = T0 * 1000;
  let collector: Collector;

  beforeAll(async () => {
    collector = await startCollector({
      store: backend.target,
      host: '127.0.0.1',
      port: 0,
      tls: await loadTls({ dataDir: dir }),
      dataDir: dir,
      geo: null,
      detection: null,
      downtimeAfterSec: 180,
      watchdogMs: 50,
      now: () => clockMs,
    });
    await collector.useStore(async (store) => {
      const sensor = await store.addSensor(SENSOR);
      await store.network.addKey(sensor.id, KEY, clockMs);
    });
  });
  afterAll(async () => {
    await collector?.close();
    await backend.drop();
  });

  const target = (): { url: string; key: string; sensor: string } => ({
    url: collector.url,
    key: KEY,
    sensor: SENSOR.name,
  });
  const intervals = (): Promise<SensorInterval[]> =>
    collector.useStore(async (store) => store.sensorIntervals((await store.findSensor(SENSOR.name))!.id));

  async function beat(sec: number, capture: Heartbeat['capture'], reason?: string): Promise<void> {
    clockMs = sec * 1000;
    const body: Heartbeat = {
      sentUs: sec * 1_000_000,
      capture,
      spool: { segments: 0, bytes: 0 },
      lastSequence: -1,
      losses: [],
      ...(reason === undefined ? {} : { reason }),
    };
    const answer = await post({
      ...target(),
      path: PATHS.heartbeat,
      body: Buffer.from(JSON.stringify(body)),
      now: clockMs,
    });
    expect(answer.body).toEqual({ status: 'ok', clockOffsetMs: 0 });
  }

  it('onHeartbeat() records a gap longer than --downtime-after and a stopped capture as downtimes with their reasons', async () => {
    await beat(T0, 'running');
    await beat(T0 + 60, 'running');
    await beat(T0 + 120, 'running');
    await beat(T0 + 720, 'running');
    await beat(T0 + 780, 'stopped', 'tcpdump exited with status 1');
    expect(await intervals()).toEqual([
      { kind: 'operating', fromSec: T0, toSec: OPEN_END_SEC, note: NOTES.live },
      { kind: 'down', fromSec: T0 + 120, toSec: T0 + 720, note: `${NOTES.noHeartbeat} for 600 s` },
      { kind: 'down', fromSec: T0 + 720, toSec: OPEN_END_SEC, note: `${NOTES.stopped}: tcpdump exited with status 1` },
    ]);
    await beat(T0 + 900, 'running');
    expect((await intervals()).at(-1)).toEqual({
      kind: 'down',
      fromSec: T0 + 720,
      toSec: T0 + 900,
      note: `${NOTES.stopped}: tcpdump exited with status 1`,
    });
  });

  it('a live segment delivered after the gap cuts its span out of the downtime, and its packets are counted', async () => {
    const bytes = pcapOf([probe(T0 + 200, 1), probe(T0 + 250, 2), probe(T0 + 300, 3)]);
    const meta: SegmentMeta = {
      segmentId: createHash('sha256').update(bytes).digest('hex'),
      sequence: 0,
      firstPacketUs: (T0 + 200) * 1e6,
      lastPacketUs: (T0 + 300) * 1e6,
      packets: 3,
      kernelReceived: 3,
      kernelDropped: 0,
      agentDropped: 0,
      mode: 'live',
    };
    clockMs = (T0 + 950) * 1000;
    const answer = await post({
      ...target(),
      path: PATHS.segments,
      body: bytes,
      segmentHeader: encodeSegmentHeader(meta),
      now: clockMs,
    });
    expect(answer.body).toMatchObject({ status: 'stored', packets: 3 });
    const downs = (await intervals()).filter((i) => i.kind === 'down').map((i) => [i.fromSec - T0, i.toSec - T0]);
    expect(downs).toEqual([
      [120, 200],
      [301, 720],
      [720, 900],
    ]);
    const [ingest] = await collector.useStore((store) => store.listIngests());
    expect([ingest!.packetsCounted, ingest!.packetsExcluded]).toEqual([3, 0]);
  });

  it('addressDays() of the day uses the automatic intervals: operating from the first heartbeat, minus each downtime', async () => {
    const sensor = (await collector.useStore((store) => store.findSensor(SENSOR.name)))!;
    const day = addressDays(sensor, parsePeriod('2026-01-10', { timeZone: 'Asia/Tokyo' }));
    const down = 200 - 120 + (720 - 301) + (900 - 720);
    const observed = DAY_END - T0 - down;
    expect(day.days[0]!.fraction).toBeCloseTo(observed / 86_400, 12);
    expect(day.total).toBeCloseTo((256 * observed) / 86_400, 9);
  });

  it('the watchdog opens a "no heartbeat" downtime for a live sensor silent past the limit; the next heartbeat closes it', async () => {
    clockMs = (T0 + 900 + 181) * 1000;
    // The watchdog runs every 50 ms; on a loaded machine a round may take seconds.
    await expect
      .poll(async () => (await intervals()).at(-1), { timeout: 10_000, interval: 100 })
      .toEqual({ kind: 'down', fromSec: T0 + 900, toSec: OPEN_END_SEC, note: NOTES.noHeartbeat });
    await beat(T0 + 1500, 'running');
    expect((await intervals()).at(-1)).toEqual({
      kind: 'down',
      fromSec: T0 + 900,
      toSec: T0 + 1500,
      note: `${NOTES.noHeartbeat} for 600 s`,
    });
  });

  it('a spool loss reported by a live agent becomes a downtime over its time range, recorded once however often it is reported', async () => {
    const loss = {
      firstSequence: 5,
      lastSequence: 6,
      segments: 2,
      packets: 40,
      fromUs: (T0 + 1600) * 1e6,
      toUs: (T0 + 1719) * 1e6,
    };
    for (const sec of [T0 + 1560, T0 + 1620]) {
      clockMs = sec * 1000;
      const body: Heartbeat = {
        sentUs: sec * 1e6,
        capture: 'running',
        spool: { segments: 3, bytes: 999 },
        lastSequence: 9,
        losses: [loss],
      };
      expect(
        (await post({ ...target(), path: PATHS.heartbeat, body: Buffer.from(JSON.stringify(body)), now: clockMs }))
          .status,
      ).toBe(200);
    }
    const losses = (await intervals()).filter((i) => i.note.startsWith(NOTES.spoolLoss));
    expect(losses).toEqual([
      {
        kind: 'down',
        fromSec: T0 + 1600,
        toSec: T0 + 1720,
        note: `${NOTES.spoolLoss}: sequences 5-6, 2 segments, 40 packets`,
      },
    ]);
    expect(await collector.useStore(async (store) => (await store.network.losses()).length)).toBe(1);
  });

  it('a sensor that already held data keeps its earlier time operating when its first live heartbeat arrives', async () => {
    const oldKey = signingKey('operating-time-test-secret-old-sensor-0123456789');
    const file = join(dir, 'old.pcap');
    writeFileSync(
      file,
      pcapOf(
        [probe(at('2025-12-01T00:00:00Z'), 1)].map((f) => ({
          ...f,
          spec: { ...f.spec, ip: { ...f.spec.ip, dst: '198.51.100.1' } },
        })),
      ),
    );
    await collector.useStore(async (store) => {
      const sensor = await store.addSensor({ name: 'old1', addresses: ['198.51.100.0/24'] });
      await store.network.addKey(sensor.id, oldKey, clockMs);
      expect((await ingestCapture(store, 'old1', file, { geo: null, detection: null })).record.packetsCounted).toBe(1);
    });
    clockMs = (T0 + 2000) * 1000;
    const body: Heartbeat = {
      sentUs: (T0 + 2000) * 1e6,
      capture: 'running',
      spool: { segments: 0, bytes: 0 },
      lastSequence: -1,
      losses: [],
    };
    expect(
      (
        await post({
          url: collector.url,
          key: oldKey,
          sensor: 'old1',
          path: PATHS.heartbeat,
          body: Buffer.from(JSON.stringify(body)),
          now: clockMs,
        })
      ).status,
    ).toBe(200);
    const old = await collector.useStore(async (store) => store.sensorIntervals((await store.findSensor('old1'))!.id));
    expect(old).toEqual([
      { kind: 'operating', fromSec: 0, toSec: T0 + 2000, note: NOTES.before },
      { kind: 'operating', fromSec: T0 + 2000, toSec: OPEN_END_SEC, note: NOTES.live },
    ]);
  });

  it('replay heartbeats make no claim', async () => {
    const before = await intervals();
    await beat(T0 + 1680, 'replay');
    await beat(T0 + 3000, 'replay');
    expect(await intervals()).toEqual(before);
  });

  it("a replay back-filling the live sensor's past claims no operating time: its packets before live capture or in a downtime are not counted", async () => {
    const before = await intervals();
    const bytes = pcapOf([probe(T0 - 3600, 7), probe(T0 + 60, 8), probe(T0 + 150, 9)]);
    const meta: SegmentMeta = {
      segmentId: createHash('sha256').update(bytes).digest('hex'),
      sequence: 100,
      firstPacketUs: (T0 - 3600) * 1e6,
      lastPacketUs: (T0 + 150) * 1e6,
      packets: 3,
      agentDropped: 0,
      mode: 'replay',
    };
    expect(
      (
        await post({
          ...target(),
          path: PATHS.segments,
          body: bytes,
          segmentHeader: encodeSegmentHeader(meta),
          now: clockMs,
        })
      ).body,
    ).toMatchObject({ status: 'stored', packets: 3 });
    expect(await intervals()).toEqual(before);
    const ingest = await collector.useStore(async (store) => {
      const row = await store.network.findSegment((await store.findSensor(SENSOR.name))!.id, meta.segmentId, 100);
      return (await store.listIngests()).find((i) => i.id === row?.ingestId);
    });
    // Only T0 + 60 lies in operating time: T0 - 3600 is before the first heartbeat, T0 + 150 inside the "no heartbeat" downtime.
    expect([ingest?.packetsCounted, ingest?.packetsExcluded]).toEqual([1, 2]);
  });

  it('a downtime found later leaves out the spans of live segments already received in it', async () => {
    await beat(T0 + 3100, 'running');
    const bytes = pcapOf([probe(T0 + 3120, 4), probe(T0 + 3150, 5)]);
    const meta: SegmentMeta = {
      segmentId: createHash('sha256').update(bytes).digest('hex'),
      sequence: 1,
      firstPacketUs: (T0 + 3120) * 1e6,
      lastPacketUs: (T0 + 3150) * 1e6,
      packets: 2,
      kernelReceived: 2,
      kernelDropped: 0,
      agentDropped: 0,
      mode: 'live',
    };
    clockMs = (T0 + 3160) * 1000;
    expect(
      (
        await post({
          ...target(),
          path: PATHS.segments,
          body: bytes,
          segmentHeader: encodeSegmentHeader(meta),
          now: clockMs,
        })
      ).body,
    ).toMatchObject({ status: 'stored', packets: 2 });
    await beat(T0 + 3400, 'running');
    // Found by this heartbeat's gap or by the watchdog first: the same time either way.
    const downs = (await intervals())
      .filter((i) => i.kind === 'down' && i.fromSec >= T0 + 3000)
      .map((i) => [i.fromSec - T0, i.toSec - T0]);
    expect(downs).toEqual([
      [3100, 3120],
      [3151, 3400],
    ]);
  });
});
