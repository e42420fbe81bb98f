import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GeoResolver } from '../classify/geoip.js';
import { openStore, StoreErrorCode, type AnalyticsStore } from '../store/index.js';
import { IngestErrorCode } from './errors.js';
import { ingestCapture } from './ingest-capture.js';
import {
  at,
  baseTableCounts,
  pcapOf,
  pcapngOf,
  sourceRows,
  tempDir,
  testGeo,
  trafficRows,
  writeTemp,
} from './testdata/captures.js';
import { FRAMES, TIME_ZONE, TOKYO, TOKYO_SOURCES, TOKYO_TRAFFIC, V6_ONLY } from './testdata/scenario.js';

const dir = tempDir();
let geo: GeoResolver;
let store: AnalyticsStore;

beforeAll(async () => {
  geo = (await testGeo(dir)).geo;
});
beforeEach(async () => {
  store = await openStore(':memory:', { timeZone: TIME_ZONE });
});
afterEach(async () => {
  await store.close();
});

describe('ingestCapture()', () => {
  it('ingestCapture() stores exact hourly and source-day rows, split at local midnight in Asia/Tokyo', async () => {
    const sensor = await store.addSensor(TOKYO);
    const file = writeTemp(dir, 'scenario.pcap', pcapOf(FRAMES));
    const result = await ingestCapture(store, 'tokyo', file, { geo });
    expect(await trafficRows(store)).toEqual(TOKYO_TRAFFIC);
    expect(await sourceRows(store)).toEqual(TOKYO_SOURCES);
    expect(result.record).toMatchObject({
      sensorId: sensor.id,
      fileName: file,
      bytes: readFileSync(file).length,
      packetsRead: 10,
      packetsCounted: 7,
      packetsExcluded: 3,
      packetsMalformed: 1,
      duplicates: 0,
      firstSec: at('2010-06-01T14:59:59Z'),
      lastSec: at('2010-06-01T15:41:00Z'),
      rawPackets: 7,
    });
    expect(result).toMatchObject({ excludedOther: 3, excludedNotObserving: 0, trafficRows: 6, sourceRows: 5 });
    expect(await store.listIngests(sensor.id)).toEqual([result.record]);
    const raw = await store.query({
      sql: 'SELECT COUNT(*) AS n, COUNT(DISTINCT dst) AS dsts FROM packets',
      params: [],
    });
    expect(raw).toEqual([{ n: 7, dsts: 6 }]);
  });

  it('ingestCapture() records the SHA-256 of the file and the GeoIP databases used', async () => {
    await store.addSensor(TOKYO);
    const bytes = pcapngOf(FRAMES);
    const file = writeTemp(dir, 'scenario.pcapng', bytes);
    const { record } = await ingestCapture(store, 'tokyo', file, { geo });
    const { createHash } = await import('node:crypto');
    expect(record.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(record).toMatchObject({
      geoipDb: 'country.mmdb (test countries)',
      geoipBuildSec: at('2010-05-01T00:00:00Z'),
      asnDb: 'asn.mmdb (test ASNs)',
      packetsCounted: 7,
    });
    expect(await trafficRows(store)).toEqual(TOKYO_TRAFFIC);
  });

  it('ingestCapture() counts only the IPv6 block for an IPv6 sensor', async () => {
    await store.addSensor(V6_ONLY);
    const file = writeTemp(dir, 'v6.pcap', pcapOf(FRAMES));
    const { record } = await ingestCapture(store, 'v6only', file, { geo });
    expect(record).toMatchObject({ packetsRead: 10, packetsCounted: 1, packetsExcluded: 9 });
    expect(await trafficRows(store)).toEqual(TOKYO_TRAFFIC.filter((r) => r.v === 6));
    expect(await sourceRows(store)).toEqual(TOKYO_SOURCES.filter((r) => r.src.includes(':')));
  });

  it('ingestCapture() excludes packets stamped inside a recorded downtime', async () => {
    const sensor = await store.addSensor(TOKYO);
    await store.addDowntime(sensor.id, { from: '2010-06-01T15:30:00Z', to: '2010-06-01T15:35:00Z', note: 'power' });
    const file = writeTemp(dir, 'down.pcap', pcapOf(FRAMES));
    const result = await ingestCapture(store, 'tokyo', file, { geo });
    expect(result).toMatchObject({ excludedOther: 3, excludedNotObserving: 2 });
    expect(result.record).toMatchObject({ packetsCounted: 5, packetsExcluded: 5 });
    expect(await trafficRows(store)).toEqual(TOKYO_TRAFFIC.filter((r) => r.country !== 'CN'));
    expect(await sourceRows(store)).toEqual(TOKYO_SOURCES.filter((r) => r.src !== '61.1.2.3'));
  });

  it('ingestCapture() refuses the same capture twice, naming the file and the earlier ingest', async () => {
    await store.addSensor(TOKYO);
    const file = writeTemp(dir, 'twice.pcap', pcapOf(FRAMES));
    const first = await ingestCapture(store, 'tokyo', file, { geo });
    const copy = writeTemp(dir, 'copy-of-twice.pcap', readFileSync(file));
    await expect(ingestCapture(store, 'tokyo', copy, { geo })).rejects.toMatchObject({
      code: StoreErrorCode.DUPLICATE_INGEST,
      existingIngestId: first.record.id,
      message: expect.stringMatching(/copy-of-twice\.pcap.*ingest \d+ \(.*twice\.pcap\)/),
    });
    // A stream has no size to compare first: it is refused at the end of its pass, and nothing is kept.
    const stream = Readable.from([readFileSync(file)]);
    await expect(ingestCapture(store, 'tokyo', stream, { geo, fileName: 'piped' })).rejects.toMatchObject({
      code: StoreErrorCode.DUPLICATE_INGEST,
      message: expect.stringMatching(/piped/),
    });
    expect(await baseTableCounts(store)).toEqual({
      ingests: 1,
      traffic_hour_rows: 6,
      source_list_day_rows: 5,
      packet_rows: 7,
    });
    // Compressed, it is another file: the overlap rule then finds every packet a duplicate.
    const gz = writeTemp(dir, 'twice.pcap.gz', gzipSync(readFileSync(file)));
    const again = await ingestCapture(store, 'tokyo', gz, { geo });
    expect(again).toMatchObject({ duplicatesOfStored: 7, record: { packetsCounted: 0, duplicates: 7 } });
    expect(await trafficRows(store)).toEqual(TOKYO_TRAFFIC);
  });

  it('ingestCapture() leaves nothing of a capture cut mid-record and names the file and offset', async () => {
    await store.addSensor(TOKYO);
    const bytes = pcapOf(FRAMES);
    const cut = writeTemp(dir, 'cut.pcap', bytes.subarray(0, bytes.length - 10));
    const failing = ingestCapture(store, 'tokyo', cut, { geo, batchPackets: 2 });
    await expect(failing).rejects.toMatchObject({
      code: IngestErrorCode.FAILED,
      causeCode: 'TEITEN_CAPTURE_TRUNCATED',
      message: expect.stringMatching(/^Cannot ingest .*cut\.pcap, nothing of it was stored: .*cut\.pcap at byte \d+/),
    });
    expect(await baseTableCounts(store)).toEqual({
      ingests: 0,
      traffic_hour_rows: 0,
      source_list_day_rows: 0,
      packet_rows: 0,
    });
    // The intact capture goes in afterwards.
    const whole = writeTemp(dir, 'whole.pcap', bytes);
    await ingestCapture(store, 'tokyo', whole, { geo });
    expect(await trafficRows(store)).toEqual(TOKYO_TRAFFIC);
  });

  it('ingestCapture() refuses an unknown sensor and a missing file without storing anything', async () => {
    await store.addSensor(TOKYO);
    await expect(ingestCapture(store, 'nope', writeTemp(dir, 'x.pcap', pcapOf(FRAMES)), { geo })).rejects.toMatchObject(
      {
        code: StoreErrorCode.SENSOR_NOT_FOUND,
      },
    );
    await expect(ingestCapture(store, 'tokyo', `${dir}/missing.pcap`, { geo })).rejects.toMatchObject({
      code: 'TEITEN_CAPTURE_SOURCE',
      message: expect.stringMatching(/missing\.pcap/),
    });
    expect(await baseTableCounts(store)).toEqual({
      ingests: 0,
      traffic_hour_rows: 0,
      source_list_day_rows: 0,
      packet_rows: 0,
    });
  });

  it('ingestCapture() without raw retention stores rollups only', async () => {
    await store.close();
    store = await openStore(':memory:', { timeZone: TIME_ZONE, rawRetentionDays: 0 });
    await store.addSensor(TOKYO);
    const { record } = await ingestCapture(store, 'tokyo', writeTemp(dir, 'noraw.pcap', pcapOf(FRAMES)), { geo: null });
    expect(record).toMatchObject({ packetsCounted: 7, rawPackets: 0, geoipDb: '', asnDb: '' });
    expect(await baseTableCounts(store)).toMatchObject({ packet_rows: 0, traffic_hour_rows: 6 });
    const countries = await store.query({ sql: 'SELECT DISTINCT country FROM traffic_hour', params: [] });
    expect(countries).toEqual([{ country: 0 }]);
  });

  it('ingestCapture() reports progress by bytes read', async () => {
    await store.addSensor(TOKYO);
    const file = writeTemp(dir, 'progress.pcap', pcapOf(FRAMES));
    const seen: number[] = [];
    await ingestCapture(store, 'tokyo', file, { geo, onProgress: (p) => seen.push(p.bytesRead / p.totalBytes!) });
    expect(seen.at(-1)).toBe(1);
  });
});
