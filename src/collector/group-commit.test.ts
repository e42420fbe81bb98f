/**
 * Group commit over real HTTPS on loopback, on DuckDB and, when
 * `CLICKHOUSE_URL` is set, on ClickHouse. Segments of a sensor that wait in
 * the queue together (here: behind another sensor's ingest) are one engine
 * ingest, each acknowledged only after its commit: the figures equal
 * `ingestCapture` of the whole file, a segment sent again (alone, or twice
 * in one group) is counted once, a malformed segment is refused alone while
 * the rest of its group commits, and a group whose ingest committed before
 * the collector died is completed from the journal at the next start.
 */

import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GeoResolver } from '../classify/geoip.js';
import { ingestCapture } from '../ingest/index.js';
import { sourceRows, tempDir, testGeo, trafficRows } from '../ingest/testdata/captures.js';
import { signingKey, type SegmentMeta } from '../sensor/index.js';
import { openStore, type AnalyticsStore } from '../store/index.js';
import { clickHouseTestDb } from '../store/testdata/clickhouse-test-db.js';
import { loadTls, type TlsMaterial } from './certificate.js';
import { GroupJournal } from './group-journal.js';
import { concatenatedPcap } from './segment-stream.js';
import { startCollector, type Collector } from './server.js';
import { segmentOf, uploadSegment, type Answer } from './testdata/client.js';
import { splitPcap } from './testdata/split-pcap.js';

const CAPTURES = join(import.meta.dirname, '../../../shared/captures');
const REFLECTION = join(CAPTURES, 'amp.TCP.reflection.SYNACK.pcap');
/** Other captures, each ingested once while a test's segments arrive (bytes already stored would not hold the queue). */
const BLOCKERS = [join(CAPTURES, 'pkt.TCP.synflood.spoofed.pcap'), join(CAPTURES, 'amp.dns.RRSIG.fragmented.pcap')];
const SENSOR = { name: 'tokyo', addresses: ['10.10.10.0/24'] };
const OTHER = { name: 'osaka', addresses: ['198.51.100.0/24'] };
const KEY = signingKey('a-test-secret-of-more-than-thirty-two-characters');
const OTHER_KEY = signingKey('another-test-secret-of-more-than-thirty-two-chars');
const PARTS = 4;

type Segment = { bytes: Buffer; meta: SegmentMeta };

const clickHouseUrl = process.env['CLICKHOUSE_URL'];
const BACKENDS: [string, (dir: string) => { target: string; drop: () => Promise<void> }][] = [
  ['duckdb', (dir) => ({ target: join(dir, 'collector.duckdb'), drop: async () => undefined })],
  ...(clickHouseUrl
    ? [
        [
          'clickhouse',
          () => {
            const db = clickHouseTestDb(clickHouseUrl, 'group');
            return { target: db.storeUrl, drop: db.drop };
          },
        ] as [string, (dir: string) => { target: string; drop: () => Promise<void> }],
      ]
    : []),
];

const present = [REFLECTION, ...BLOCKERS].every((f) => existsSync(f));
if (!present) console.log(`group-commit tests skipped: ${CAPTURES} lacks ${[REFLECTION, ...BLOCKERS].join(' or ')}`);

describe.skipIf(!present).each(BACKENDS)('group commit on %s', (_kind, makeBackend) => {
  const dir = tempDir('teiten-group-');
  const backend = makeBackend(dir);
  const lines: string[] = [];
  let geo: GeoResolver;
  let tls: TlsMaterial;
  let collector: Collector;
  let segments: Segment[];
  let blockerSequence = 0;
  const target = (): { url: string; key: string; sensor: string } => ({
    url: collector.url,
    key: KEY,
    sensor: SENSOR.name,
  });

  const start = async (): Promise<Collector> =>
    startCollector({
      store: backend.target,
      host: '127.0.0.1',
      port: 0,
      tls,
      dataDir: dir,
      geo,
      detection: null,
      log: (line) => lines.push(line),
    });

  beforeAll(async () => {
    geo = (await testGeo(dir)).geo;
    tls = await loadTls({ dataDir: dir });
    collector = await start();
    await collector.useStore(async (store) => {
      await store.network.addKey((await store.addSensor(SENSOR)).id, KEY, Date.now());
      await store.network.addKey((await store.addSensor(OTHER)).id, OTHER_KEY, Date.now());
    });
    segments = [];
    for (const [k, bytes] of (await splitPcap(REFLECTION, PARTS)).entries()) {
      const file = join(dir, `part-${k}.pcap`);
      await writeFile(file, bytes);
      segments.push(await segmentOf(file, k));
    }
  });
  afterAll(async () => {
    await collector?.close();
    await backend.drop();
  });

  /**
   * Uploads `batch` at once while another sensor's capture is being ingested,
   * so they wait in the queue together and form one batch.
   */
  async function uploadTogether(batch: readonly Segment[]): Promise<Answer[]> {
    const seen = lines.length;
    const blocker = uploadSegment(
      { url: collector.url, key: OTHER_KEY, sensor: OTHER.name },
      await segmentOf(BLOCKERS[blockerSequence]!, blockerSequence++),
    );
    while (!lines.slice(seen).some((l) => l.startsWith(`segments ${OTHER.name} `)))
      await new Promise((r) => setTimeout(r, 5));
    const answers = await Promise.all(batch.map((s) => uploadSegment(target(), s)));
    expect((await blocker).status).toBe(200);
    return answers;
  }

  const tokyo = (): Promise<{
    ingests: number;
    traffic: unknown[];
    sources: unknown[];
    rows: { sequence: number; ingestId: number; packetsRead: number; packetsCounted: number }[];
  }> =>
    collector.useStore(async (store: AnalyticsStore) => {
      const sensor = (await store.findSensor(SENSOR.name))!;
      return {
        ingests: (await store.listIngests(sensor.id)).length,
        traffic: await trafficRows(store, sensor.id),
        sources: await sourceRows(store, sensor.id),
        rows: (await store.network.segments(sensor.id)).map(({ sequence, ingestId, packetsRead, packetsCounted }) => ({
          sequence,
          ingestId,
          packetsRead,
          packetsCounted,
        })),
      };
    });

  async function reference(): Promise<{ traffic: unknown[]; sources: unknown[]; counted: number }> {
    const store = await openStore(':memory:');
    try {
      await store.addSensor(SENSOR);
      const direct = await ingestCapture(store, SENSOR.name, REFLECTION, { geo, detection: null });
      return {
        traffic: await trafficRows(store),
        sources: await sourceRows(store),
        counted: direct.record.packetsCounted,
      };
    } finally {
      await store.close();
    }
  }

  it('segments waiting together are one ingest, each acknowledged with its own packets; a malformed one is refused alone; figures equal the whole file', async () => {
    const [s0, s1, s2, s3] = segments as [Segment, Segment, Segment, Segment];
    const badCount: Segment = { bytes: s2.bytes, meta: { ...s2.meta, packets: s2.meta.packets + 1 } };
    const answers = await uploadTogether([s0, s1, badCount, s3]);
    expect(answers.map((a) => [a.status, a.body['status'] ?? a.body['error']])).toEqual([
      [200, 'stored'],
      [200, 'stored'],
      [400, 'TEITEN_COLLECTOR_INVALID'],
      [200, 'stored'],
    ]);
    expect(answers[2]!.body['reason']).toMatch(/^packets: the metadata says/);
    expect(answers.map((a) => a.body['packets'])).toEqual([
      s0.meta.packets,
      s1.meta.packets,
      undefined,
      s3.meta.packets,
    ]);
    const partial = await tokyo();
    expect(partial.ingests).toBe(1);
    expect(partial.rows.map((r) => r.sequence)).toEqual([0, 1, 3]);
    expect(new Set(partial.rows.map((r) => r.ingestId)).size).toBe(1);

    // The refused one sent again, right, with a re-send of a stored one and the same upload twice: the re-sends are duplicates.
    const again = await uploadTogether([s2, s1, s2]);
    // The two copies of s2 race: whichever the collector admits first is stored, the other is its duplicate.
    expect(again[1]!.body['status']).toBe('duplicate');
    expect([again[0]!.body['status'], again[2]!.body['status']].sort()).toEqual(['duplicate', 'stored']);
    const got = await tokyo();
    const want = await reference();
    expect(got.traffic).toEqual(want.traffic);
    expect(got.sources).toEqual(want.sources);
    expect(got.rows.map((r) => [r.sequence, r.packetsRead])).toEqual(
      segments.map((s) => [s.meta.sequence, s.meta.packets]),
    );
    expect(got.rows.reduce((n, r) => n + r.packetsCounted, 0)).toBe(want.counted);
    expect(got.rows.reduce((n, r) => n + r.packetsRead, 0)).toBe(8000);
  });

  it('a group whose ingest committed before the collector died gets its segment rows at the next start; re-sent, its segments are duplicates', async () => {
    const cut = await splitPcap(REFLECTION, 2);
    const files = [join(dir, 'again-0.pcap'), join(dir, 'again-1.pcap')];
    for (const [k, bytes] of cut.entries()) await writeFile(files[k]!, bytes);
    const group = [await segmentOf(files[0]!, 10), await segmentOf(files[1]!, 11)];
    // What a collector killed between the group's commit and its segment rows leaves: the journal and the ingest.
    const journal = await GroupJournal.open(dir);
    const before = await tokyo();
    await collector.useStore(async (store) => {
      const sensor = (await store.findSensor(SENSOR.name))!;
      const rows = group.map(({ meta }) => ({
        sensorId: sensor.id,
        sequence: meta.sequence,
        segmentId: meta.segmentId,
        localDay: 0,
        firstUs: meta.firstPacketUs,
        lastUs: meta.lastPacketUs,
        packets: meta.packets,
        kernelReceived: -1,
        kernelDropped: -1,
        agentDropped: 0,
        mode: meta.mode,
        bytes: 0,
        receivedMs: Date.now(),
      }));
      const intent = await journal.begin(sensor.id, rows);
      await ingestCapture(store, SENSOR.name, concatenatedPcap(files), {
        geo,
        detection: null,
        fileName: intent.fileName,
      });
    });
    await collector.close();
    collector = await start();
    expect(lines.some((l) => l === 'recovered 1 segment groups committed before the collector stopped')).toBe(true);
    const answers = await Promise.all(group.map((s) => uploadSegment(target(), s)));
    expect(answers.map((a) => a.body['status'])).toEqual(['duplicate', 'duplicate']);
    const after = await tokyo();
    expect(after.ingests).toBe(before.ingests + 1);
    const recovered = after.rows.filter((r) => r.sequence >= 10);
    expect(recovered.map((r) => [r.sequence, r.packetsRead])).toEqual(
      group.map((s) => [s.meta.sequence, s.meta.packets]),
    );
    expect(recovered.reduce((n, r) => n + r.packetsCounted, 0)).toBe(0); // every packet was a duplicate of the first test's
  });
});
