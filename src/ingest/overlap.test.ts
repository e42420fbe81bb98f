import { afterEach, describe, expect, it } from 'vitest';
import { TcpFlag } from '../decode/batch.js';
import { openStore, type AnalyticsStore, type StoreOptions } from '../store/index.js';
import { IngestErrorCode } from './errors.js';
import { ingestCapture } from './ingest-capture.js';
import {
  at,
  baseTableCounts,
  pcapOf,
  pcapngOf,
  tempDir,
  trafficRows,
  writeTemp,
  type TestFrame,
} from './testdata/captures.js';
import { TIME_ZONE, TOKYO } from './testdata/scenario.js';

const dir = tempDir();
const T0 = at('2010-06-01T03:00:00Z');
let store: AnalyticsStore | undefined;

afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function open(options: StoreOptions = {}): Promise<AnalyticsStore> {
  store = await openStore(':memory:', { timeZone: TIME_ZONE, ...options });
  await store.addSensor(TOKYO);
  return store;
}

/** Probe k: one SYN a second from T0 + k, each a distinct packet (own source port, IP ID, sequence), k µs past the second. */
function probe(k: number): TestFrame {
  return {
    sec: T0 + k,
    nsec: k * 1000 + 7,
    spec: {
      ip: { version: 4, src: '1.0.16.1', dst: `192.0.2.${1 + (k % 200)}`, id: k },
      l4: { kind: 'tcp', srcPort: 40000 + k, dstPort: 445, flags: TcpFlag.SYN, seq: 1000 * k },
    },
  };
}

const probes = (from: number, to: number): TestFrame[] => Array.from({ length: to - from }, (_, j) => probe(from + j));

async function totalPackets(s: AnalyticsStore): Promise<number> {
  return (await trafficRows(s)).reduce((sum, r) => sum + r.packets, 0);
}

describe('ingestCapture() overlap rule', () => {
  it('ingestCapture() does not count packets an overlapping capture already stored', async () => {
    const s = await open();
    await ingestCapture(s, 'tokyo', writeTemp(dir, 'a.pcap', pcapOf(probes(0, 10))), { geo: null });
    // The second capture overlaps seconds 5..9 and is written by another tool: nanosecond pcapng, same µs.
    const b = await ingestCapture(s, 'tokyo', writeTemp(dir, 'b.pcapng', pcapngOf(probes(5, 15))), { geo: null });
    expect(b).toMatchObject({
      duplicatesOfStored: 5,
      duplicatesInCapture: 0,
      record: { packetsCounted: 5, duplicates: 5 },
    });
    expect(await totalPackets(s)).toBe(15);
    // A capture after the stored ones is not compared with anything.
    const c = await ingestCapture(s, 'tokyo', writeTemp(dir, 'c.pcap', pcapOf(probes(20, 25))), { geo: null });
    expect(c.record).toMatchObject({ packetsCounted: 5, duplicates: 0 });
  });

  it('ingestCapture() counts a retransmission (same fields, later time) but not a second copy of one frame', async () => {
    const s = await open();
    const again = { ...probe(3), sec: T0 + 4 };
    // Copies of one frame seen on two interfaces, side by side in the merged capture.
    const frames = [probe(1), { ...probe(1), iface: 1 }, probe(2), { ...probe(2), iface: 1 }, probe(3), again];
    const r = await ingestCapture(s, 'tokyo', writeTemp(dir, 'two-if.pcapng', pcapngOf(frames)), { geo: null });
    expect(r).toMatchObject({
      duplicatesInCapture: 2,
      duplicatesOfStored: 0,
      record: { packetsRead: 6, packetsCounted: 4, duplicates: 2 },
    });
    expect(await totalPackets(s)).toBe(4);
    expect(await baseTableCounts(s)).toMatchObject({ packet_rows: 4 });
  });

  it('ingestCapture() finds a repeat only within the recent-packet window', async () => {
    const s = await open();
    const frames = [probe(1), ...probes(2, 12), probe(1)];
    const wide = await ingestCapture(s, 'tokyo', writeTemp(dir, 'wide.pcap', pcapOf(frames)), {
      geo: null,
      recentPackets: 16,
    });
    expect(wide.duplicatesInCapture).toBe(1);
    const s2 = await open();
    const narrow = await ingestCapture(s2, 'tokyo', writeTemp(dir, 'narrow.pcap', pcapOf(frames)), {
      geo: null,
      recentPackets: 4,
    });
    expect(narrow.duplicatesInCapture).toBe(0);
    await s2.close();
  });

  it('ingestCapture() refuses an overlap with an ingest that kept no raw packets, unless allowed', async () => {
    const s = await open({ rawRetentionDays: 0 });
    await ingestCapture(s, 'tokyo', writeTemp(dir, 'a0.pcap', pcapOf(probes(0, 10))), { geo: null });
    const b = writeTemp(dir, 'b0.pcap', pcapOf(probes(5, 15)));
    await expect(ingestCapture(s, 'tokyo', b, { geo: null })).rejects.toMatchObject({
      code: IngestErrorCode.OVERLAP_UNCHECKED,
      overlapped: { fileName: expect.stringMatching(/a0\.pcap$/) },
      message: expect.stringMatching(
        /b0\.pcap: its packet at 2010-06-01T03:00:05Z falls inside ingest \d+ \(.*a0\.pcap, 2010-06-01T03:00:00Z to 2010-06-01T03:00:09Z\).*--allow-overlap/,
      ),
    });
    expect(await baseTableCounts(s)).toMatchObject({ ingests: 1, traffic_hour_rows: 1 });
    const allowed = await ingestCapture(s, 'tokyo', b, { geo: null, allowOverlap: true });
    expect(allowed).toMatchObject({ overlapUnchecked: 5, duplicatesOfStored: 0, record: { packetsCounted: 10 } });
    expect(await totalPackets(s)).toBe(20);
  });

  it('ingestCapture() refuses an overlap with an ingest whose raw packets were pruned', async () => {
    const clock = { now: T0 + 86_400 };
    const s = await open({ now: () => clock.now });
    await ingestCapture(s, 'tokyo', writeTemp(dir, 'old.pcap', pcapOf(probes(0, 10))), { geo: null });
    clock.now += 31 * 86_400;
    expect((await s.applyRetention()).steps.find((step) => step.class === 'packets')?.rows).toBe(10);
    const b = writeTemp(dir, 'late.pcap', pcapOf(probes(8, 12)));
    await expect(ingestCapture(s, 'tokyo', b, { geo: null })).rejects.toMatchObject({
      code: IngestErrorCode.OVERLAP_UNCHECKED,
    });
    // Outside the pruned ingest's span nothing is asked.
    const after = await ingestCapture(s, 'tokyo', writeTemp(dir, 'after.pcap', pcapOf(probes(10, 12))), { geo: null });
    expect(after.record.packetsCounted).toBe(2);
  });
});
