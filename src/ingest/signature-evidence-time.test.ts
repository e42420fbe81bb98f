/**
 * Found by `npm run fuzz` (run 1930 of seed 20261207): a pcapng record whose
 * timestamp a flipped bit moved to the 23rd century made the whole ingest
 * fail, because a threshold match's time in µs was past 2^53. Such a packet
 * still counts; it only decides no threshold rule.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GeoResolver } from '../classify/geoip.js';
import { TcpFlag } from '../decode/batch.js';
import { openStore, type AnalyticsStore } from '../store/index.js';
import { ingestCapture } from './ingest-capture.js';
import { at, pcapngOf, tempDir, testGeo, writeTemp, type TestFrame } from './testdata/captures.js';
import { TIME_ZONE, TOKYO } from './testdata/scenario.js';

const dir = tempDir();
/** 2286-11-20: 10^16 µs, past 2^53 µs; 10^19 ns still fits pcapng's 64-bit time. */
const FAR_FUTURE = 1e10;
let geo: GeoResolver;
let store: AnalyticsStore;

/**
 * `frames` as pcapng with the last packet's time set to `sec` (nanoseconds
 * since the epoch, in the block's two 32-bit halves): the writer refuses
 * such a time, the reader must take it.
 */
function withLastTime(frames: TestFrame[], sec: number): Buffer {
  const bytes = pcapngOf(frames);
  const EPB = 6;
  let last = -1;
  for (let at = 0; at < bytes.length; at += bytes.readUInt32LE(at + 4)) if (bytes.readUInt32LE(at) === EPB) last = at;
  const ns = BigInt(sec) * 1_000_000_000n;
  bytes.writeUInt32LE(Number(ns >> 32n), last + 12);
  bytes.writeUInt32LE(Number(ns & 0xffff_ffffn), last + 16);
  return bytes;
}

const syn = (sec: number, port: number): TestFrame => ({
  sec,
  spec: {
    ip: { version: 4, src: '1.0.16.1', dst: '192.0.2.1' },
    l4: { kind: 'tcp', srcPort: port, dstPort: 445, flags: TcpFlag.SYN },
  },
});

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

describe('threshold matches of a packet dated past 2^53 µs', () => {
  it('ingestCapture() counts the packet and stores threshold matches for the packets with a storable time only', async () => {
    const frames = [syn(at('2010-06-01T00:00:00Z'), 40000), syn(at('2010-06-01T00:00:01Z'), 40001)];
    const path = writeTemp(dir, 'far-future.pcapng', withLastTime(frames, FAR_FUTURE));
    const result = await ingestCapture(store, 'tokyo', path, { geo });
    expect(result.record.packetsCounted).toBe(2);
    const [one] = await store.query<{ n: number }>({
      sql: 'SELECT SUM(matches) AS n FROM signature_match_rows WHERE us < ?',
      params: [2 ** 53],
    });
    const [all] = await store.query<{ n: number }>({
      sql: 'SELECT SUM(matches) AS n FROM signature_match_rows',
      params: [],
    });
    // The 2010 SYN matches the bundled threshold rules; the far-future one adds nothing.
    expect(one!.n).toBeGreaterThan(0);
    expect(all!.n).toBe(one!.n);
    const alone = await openStore(':memory:', { timeZone: TIME_ZONE });
    await alone.addSensor(TOKYO);
    await ingestCapture(alone, 'tokyo', writeTemp(dir, 'only-2010.pcapng', pcapngOf(frames.slice(0, 1))), { geo });
    const [expected] = await alone.query<{ n: number }>({
      sql: 'SELECT SUM(matches) AS n FROM signature_match_rows',
      params: [],
    });
    await alone.close();
    expect(all!.n).toBe(expected!.n);
  });
});
