/**
 * A segment the engine refuses for good (it overlaps an ingest of the sensor
 * whose raw packets are gone, so duplicates cannot be told) is answered 409
 * with the engine's reason, not 500: an agent stops on it and keeps the
 * segment for an operator, instead of sending it again forever. In a group
 * (`storeSegments`), that segment fails alone and the others are stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestCapture } from '../ingest/index.js';
import { pcapOf, tempDir, writeTemp, type TestFrame } from '../ingest/testdata/captures.js';
import { signingKey } from '../sensor/index.js';
import { loadTls } from './certificate.js';
import { storeSegments } from './group-intake.js';
import { GroupJournal } from './group-journal.js';
import { startCollector, type Collector } from './server.js';
import { segmentOf, uploadSegment } from './testdata/client.js';

const KEY = signingKey('another-test-secret-of-more-than-thirty-two-chars');
const T0 = Date.parse('2010-06-01T03:00:00Z') / 1000;
const probes = (from: number, to: number): TestFrame[] =>
  Array.from({ length: to - from }, (_, k) => ({
    sec: T0 + from + k,
    spec: {
      ip: { version: 4, src: '1.0.16.1', dst: '192.0.2.1', id: from + k },
      l4: { kind: 'udp', srcPort: 1025, dstPort: 1434 },
    },
  }));

describe('collector answers for engine refusals', () => {
  const dir = tempDir('teiten-collector-409-');
  let collector: Collector;

  beforeAll(async () => {
    const tls = await loadTls({ dataDir: dir });
    collector = await startCollector({
      store: ':memory:',
      storeOptions: { rawRetentionDays: 0 },
      host: '127.0.0.1',
      port: 0,
      tls,
      dataDir: dir,
      geo: null,
      detection: null,
      queue: 2,
      maxSegmentBytes: 1_000_000,
    });
    await collector.useStore(async (store) => {
      const sensor = await store.addSensor({ name: 'tokyo', addresses: ['192.0.2.0/24'] });
      await store.network.addKey(sensor.id, KEY, Date.now());
      // Kept no raw packets (retention 0): a later capture over the same seconds cannot be checked for duplicates.
      await ingestCapture(store, 'tokyo', writeTemp(dir, 'first.pcap', pcapOf(probes(0, 10))), {
        geo: null,
        detection: null,
      });
    });
  });
  afterAll(async () => {
    await collector?.close();
  });

  it('a segment overlapping an ingest without raw packets gets 409 naming the overlap, and nothing is stored', async () => {
    const segment = await segmentOf(writeTemp(dir, 'overlap.pcap', pcapOf(probes(5, 15))), 0);
    const answer = await uploadSegment({ url: collector.url, key: KEY, sensor: 'tokyo' }, segment);
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({
      error: 'TEITEN_INGEST_OVERLAP_UNCHECKED',
      reason: expect.stringMatching(/falls inside ingest \d+ .*--allow-overlap/),
    });
    const ingests = await collector.useStore((store) => store.listIngests());
    expect(ingests).toHaveLength(1);
  });

  it('in a group, the overlapping segment is refused alone and the others are stored', async () => {
    const segments = [
      await segmentOf(writeTemp(dir, 'g0.pcap', pcapOf(probes(100, 110))), 10),
      await segmentOf(writeTemp(dir, 'g1.pcap', pcapOf(probes(3, 8))), 11),
      await segmentOf(writeTemp(dir, 'g2.pcap', pcapOf(probes(110, 120))), 12),
    ];
    const journal = await GroupJournal.open(dir);
    const outcomes = await collector.useStore(async (store) => {
      const sensor = (await store.findSensor('tokyo'))!;
      const options = { geo: null, detection: null, nowMs: Date.now(), clockOffsetMs: 0, bytes: 1 };
      return storeSegments(
        store,
        sensor,
        segments.map((s, k) => ({ meta: s.meta, file: writeTemp(dir, `q${k}.pcap`, s.bytes), options })),
        journal,
      );
    });
    expect(outcomes.map((o) => (o.ok ? o.answer.status : (o.error as { code?: string }).code))).toEqual([
      'stored',
      'TEITEN_INGEST_OVERLAP_UNCHECKED',
      'stored',
    ]);
    const counted = await collector.useStore(async (store) => (await store.listIngests()).map((i) => i.packetsCounted));
    expect(counted).toEqual([10, 10, 10]);
  });
});
