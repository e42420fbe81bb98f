/**
 * A capture whose writer died mid-record: refused whole by default (the
 * error names the file and the offset, and the store is left as it was),
 * counted up to its last complete record with `keepTruncated`, on this thread
 * and on the decode thread, with the offset recorded on the ingest.
 */

import { createHash } from 'node:crypto';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GeoResolver } from '../classify/geoip.js';
import { openStore, type AnalyticsStore } from '../store/index.js';
import { IngestErrorCode, IngestFailedError } from './errors.js';
import { ingestCapture } from './ingest-capture.js';
import { baseTableCounts, pcapOf, sourceRows, tempDir, testGeo, trafficRows, writeTemp } from './testdata/captures.js';
import { FRAMES, TIME_ZONE, TOKYO } from './testdata/scenario.js';

const dir = tempDir();
/** Bytes of the last record left in the cut file (its 16-byte header and a few data bytes). */
const KEPT_OF_LAST = 20;
let geo: GeoResolver;
let store: AnalyticsStore;

beforeAll(async () => {
  geo = (await testGeo(dir)).geo;
});
beforeEach(async () => {
  store = await openStore(':memory:', { timeZone: TIME_ZONE });
  await store.addSensor(TOKYO);
});
afterEach(async () => {
  await store.close();
});

/** The scenario cut inside its last record, and where that record starts. */
function cutCapture(): { bytes: Buffer; lastRecordAt: number } {
  const lastRecordAt = pcapOf(FRAMES.slice(0, -1)).length;
  return { bytes: pcapOf(FRAMES).subarray(0, lastRecordAt + KEPT_OF_LAST), lastRecordAt };
}

/** What the complete records alone give, ingested as a file of their own. */
async function expectedRows(): Promise<{ traffic: unknown; sources: unknown }> {
  const other = await openStore(':memory:', { timeZone: TIME_ZONE });
  try {
    await other.addSensor(TOKYO);
    await ingestCapture(other, 'tokyo', writeTemp(dir, 'complete-part.pcap', pcapOf(FRAMES.slice(0, -1))), {
      geo,
      detection: null,
    });
    return { traffic: await trafficRows(other), sources: await sourceRows(other) };
  } finally {
    await other.close();
  }
}

describe('ingestCapture() on a capture cut inside a record', () => {
  it('ingestCapture() refuses it whole by default, naming the file and the offset of the incomplete record', async () => {
    const { bytes, lastRecordAt } = cutCapture();
    const file = writeTemp(dir, 'cut-default.pcap', bytes);
    const error = await ingestCapture(store, 'tokyo', file, { geo }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestFailedError);
    expect(error).toMatchObject({
      code: IngestErrorCode.FAILED,
      causeCode: 'TEITEN_CAPTURE_TRUNCATED',
      fileName: file,
      offset: lastRecordAt,
    });
    expect((error as Error).message).toContain(`${file} at byte ${lastRecordAt}`);
    expect((error as Error).message).toContain('--keep-truncated');
    expect(await store.listIngests()).toEqual([]);
    expect(Object.values(await baseTableCounts(store)).every((n) => n === 0)).toBe(true);
  });

  for (const thread of [false, true]) {
    it(`ingestCapture() with keepTruncated counts every complete record and records the offset (decode thread ${thread})`, async () => {
      const { bytes, lastRecordAt } = cutCapture();
      const file = writeTemp(dir, `cut-${thread}.pcap`, bytes);
      const { record } = await ingestCapture(store, 'tokyo', file, { geo, keepTruncated: true, decodeThread: thread });
      expect(record).toMatchObject({
        truncatedAt: lastRecordAt,
        packetsRead: FRAMES.length - 1,
        bytes: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      });
      const expected = await expectedRows();
      expect(await trafficRows(store)).toEqual(expected.traffic);
      expect(await sourceRows(store)).toEqual(expected.sources);
      expect(await store.listIngests()).toEqual([record]);
    });
  }

  it('ingestCapture() with keepTruncated still refuses a file cut inside its file header', async () => {
    const file = writeTemp(dir, 'cut-header.pcap', pcapOf(FRAMES).subarray(0, 10));
    const error = await ingestCapture(store, 'tokyo', file, { geo, keepTruncated: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: IngestErrorCode.FAILED, causeCode: 'TEITEN_CAPTURE_TRUNCATED', offset: 0 });
    expect(await store.listIngests()).toEqual([]);
  });
});
