/**
 * @module
 * `npm run bench:collector-intake`: packets per second through the collector, end
 * to end over loopback HTTPS, against `ingestCapture` (what `teiten ingest`
 * runs) of the same segment files, in the same run and process.
 *
 * BENCH_SENSORS (default 4) sensors of the bundled `monthly-2007-07`
 * scenario are simulated (BENCH_SCALE, default 0.5) and each capture is cut
 * into segments of BENCH_SEGMENT_PACKETS packets (default 5,000). Then:
 * 1. direct: every segment file ingested with `ingestCapture`, sensor after
 *    sensor, into a fresh DuckDB file;
 * 2. collector: one uploader per sensor (the agents) sends its segments in
 *    sequence, signed, all sensors at once, into another fresh DuckDB file
 *    through `startCollector`; each upload waits for its acknowledgement.
 * Detection is on in both (the default rules), GeoIP as the CLI opens it.
 * The counted packets of both stores must be equal before a rate is shown.
 * The agent side (`teiten sensor run`) is not measured here: the uploaders
 * read segment files already cut.
 */

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openGeoResolver } from '../src/classify/geo-sources.js';
import { LinkType, PcapWriter, readCapture } from '../src/capture/index.js';
import { loadTls, startCollector } from '../src/collector/index.js';
import { defaultDetectionSetup, ingestCapture } from '../src/ingest/index.js';
import { encodeSegmentHeader, PATHS, signedHeaders, signingKey, type SegmentMeta } from '../src/sensor/index.js';
import { readTruth, simulateScenario } from '../src/simulate/index.js';
import { openStore } from '../src/store/index.js';

const sensors = Number(process.env.BENCH_SENSORS ?? 4);
const scale = Number(process.env.BENCH_SCALE ?? 0.5);
const segmentPackets = Number(process.env.BENCH_SEGMENT_PACKETS ?? 5000);
const dir = fileURLToPath(new URL('../../.bench/collector/', import.meta.url));

interface Segment {
  file: string;
  meta: SegmentMeta;
}

/** Cuts a capture into pcap segments of `segmentPackets` packets. */
async function cut(capture: string, prefix: string): Promise<Segment[]> {
  const segments: Segment[] = [];
  let writer: PcapWriter | undefined;
  let first = 0;
  let last = 0;
  let count = 0;
  const close = (): void => {
    if (writer === undefined) return;
    const bytes = writer.toBuffer();
    const file = `${prefix}-${String(segments.length).padStart(5, '0')}.pcap`;
    writeFileSync(file, bytes);
    segments.push({
      file,
      meta: {
        segmentId: createHash('sha256').update(bytes).digest('hex'),
        sequence: segments.length,
        firstPacketUs: first,
        lastPacketUs: last,
        packets: count,
        agentDropped: 0,
        mode: 'replay',
      },
    });
    writer = undefined;
  };
  await readCapture(capture, {
    onRecord: (r) => {
      const us = r.tsSec * 1_000_000 + Math.floor(r.tsNsec / 1000);
      if (writer === undefined) {
        writer = new PcapWriter({ linkType: LinkType.EN10MB, nanosecond: false });
        first = us;
        last = us;
        count = 0;
      }
      writer.writePacket({ tsSec: r.tsSec, tsNsec: r.tsNsec, bytes: r.data.subarray(r.offset, r.offset + r.capLen) });
      first = Math.min(first, us);
      last = Math.max(last, us);
      if (++count === segmentPackets) close();
    },
  });
  close();
  return segments;
}

function upload(url: string, sensor: string, key: string, segment: Segment): Promise<string> {
  const body = readFileSync(segment.file);
  const segmentHeader = encodeSegmentHeader(segment.meta);
  const headers = signedHeaders(key, { method: 'POST', path: PATHS.segments, sensor, segmentHeader, body });
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(PATHS.segments, url),
      {
        method: 'POST',
        rejectUnauthorized: false,
        headers: { ...headers, 'content-type': 'application/octet-stream', 'content-length': String(body.length) },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          res.statusCode === 200 ? resolve(text) : reject(new Error(`upload answered ${res.statusCode}: ${text}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function counted(target: string): Promise<number> {
  const store = await openStore(target);
  try {
    return (await store.listIngests()).reduce((sum, r) => sum + r.packetsCounted, 0);
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const simulated = await simulateScenario('monthly-2007-07', { outDir: join(dir, 'sim'), scale });
  const truth = readTruth(simulated.truthPath);
  const chosen = simulated.files.slice(0, sensors);
  const definitions = chosen.map((f) => ({
    name: f.sensor,
    addresses: [...truth.sensors.find((s) => s.name === f.sensor)!.addresses],
  }));
  const segments = new Map<string, Segment[]>();
  for (const f of chosen) segments.set(f.sensor, await cut(f.path, join(dir, f.sensor)));
  const packets = chosen.reduce((sum, f) => sum + f.packets, 0);
  const segmentCount = [...segments.values()].reduce((sum, s) => sum + s.length, 0);
  const geo = await openGeoResolver({});
  const detection = await defaultDetectionSetup();

  const directDb = join(dir, 'direct.duckdb');
  const store = await openStore(directDb);
  for (const d of definitions) await store.addSensor(d);
  let started = performance.now();
  for (const [sensor, list] of segments)
    for (const s of list) await ingestCapture(store, sensor, s.file, { geo, detection });
  const directSec = (performance.now() - started) / 1000;
  await store.close();

  const collectorDb = join(dir, 'collector.duckdb');
  const keys = new Map<string, string>();
  const setup = await openStore(collectorDb);
  for (const d of definitions) {
    const sensor = await setup.addSensor(d);
    const key = signingKey(`bench-secret-${d.name}-0123456789abcdefghij`);
    await setup.network.addKey(sensor.id, key, Date.now());
    keys.set(d.name, key);
  }
  await setup.close();
  const collector = await startCollector({
    store: collectorDb,
    host: '127.0.0.1',
    port: 0,
    tls: await loadTls({ dataDir: join(dir, 'tls') }),
    dataDir: join(dir, 'data'),
    geo,
    detection,
  });
  started = performance.now();
  await Promise.all(
    [...segments].map(async ([sensor, list]) => {
      for (const s of list) await upload(collector.url, sensor, keys.get(sensor)!, s);
    }),
  );
  const collectorSec = (performance.now() - started) / 1000;
  await collector.close();

  const [direct, viaCollector] = [await counted(directDb), await counted(collectorDb)];
  if (direct !== viaCollector) throw new Error(`Counts differ: direct ingest ${direct}, collector ${viaCollector}`);
  const rate = (sec: number): string => `${Math.round(packets / sec).toLocaleString('en')} pkt/s`;
  process.stdout.write(
    [
      `${sensors} sensors, ${packets.toLocaleString('en')} packets in ${segmentCount} segments of up to ${segmentPackets} packets; ${direct.toLocaleString('en')} counted by both`,
      `ingestCapture, segment after segment: ${directSec.toFixed(2)} s, ${rate(directSec)}`,
      `collector, ${sensors} uploaders over HTTPS: ${collectorSec.toFixed(2)} s, ${rate(collectorSec)} (${((directSec / collectorSec) * 100).toFixed(0)} % of direct)`,
      '',
    ].join('\n'),
  );
}

await main();
