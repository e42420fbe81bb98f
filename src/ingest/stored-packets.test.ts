/**
 * The overlap check reads the stored packets of the overlapped range in one
 * pass of a few windowed queries (not one per minute), and still finds every
 * stored packet: a re-framed copy of a day-long capture, a capture shifted
 * half-way over it, and a capture whose packets are out of time order.
 */

import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type AnalyticsStore, type SqlQuery } from '../store/index.js';
import { ingestCapture } from './ingest-capture.js';
import { bulkCapture } from './testdata/bulk-capture.js';
import { pcapOf, tempDir, writeTemp } from './testdata/captures.js';
import { TIME_ZONE, TOKYO } from './testdata/scenario.js';

const dir = tempDir();
const START_SEC = Date.parse('2010-06-01T00:00:00Z') / 1000;
/** A packet a second for six hours: 360 minutes of overlap. */
const PACKETS = 21_600;
let store: AnalyticsStore | undefined;

afterEach(async () => {
  await store?.close();
  store = undefined;
});

/** An in-memory store counting the queries that read raw packets. */
async function countingStore(): Promise<{ store: AnalyticsStore; packetQueries: () => number }> {
  const inner = await openStore(':memory:', { timeZone: TIME_ZONE });
  await inner.addSensor(TOKYO);
  let n = 0;
  const query = inner.query.bind(inner);
  inner.query = <T>(q: SqlQuery): Promise<T[]> => {
    if (/FROM packets WHERE/.test(q.sql) && !/COUNT\(\*\)/.test(q.sql)) n++;
    return query<T>(q);
  };
  return { store: inner, packetQueries: () => n };
}

/** Six hours of packets, one a second, and `extra` more after them. */
function sixHours(format: 'pcap' | 'pcapng', extra = 0): Buffer {
  return bulkCapture({ packets: PACKETS + extra, startSec: START_SEC, perSecond: 1, format });
}

describe('StoredPackets windows', () => {
  it('ingestCapture() checks a re-framed six-hour capture against the store in a few queries and finds every packet', async () => {
    const counting = await countingStore();
    store = counting.store;
    await ingestCapture(store, 'tokyo', writeTemp(dir, 'day.pcap', sixHours('pcap')), { geo: null, detection: null });
    const before = counting.packetQueries();
    const copy = await ingestCapture(store, 'tokyo', writeTemp(dir, 'day.pcapng', sixHours('pcapng')), {
      geo: null,
      detection: null,
    });
    expect(copy.record).toMatchObject({ packetsCounted: 0, duplicates: PACKETS });
    expect(copy.duplicatesOfStored).toBe(PACKETS);
    // 360 minutes of overlap: one query a minute made 360; windows of 1, 16, 256 minutes and the rest make 4,
    // after the two that read the stored ingest's exact first and last packet.
    expect(counting.packetQueries() - before).toBe(6);
  });

  it('ingestCapture() reads nothing back for a capture that starts later in the second the stored one ended', async () => {
    const counting = await countingStore();
    store = counting.store;
    const capture = (startUsec: number, packets: number): Buffer =>
      bulkCapture({ packets, startSec: START_SEC, perSecond: 1000, startUsec, format: 'pcap' });
    // The stored capture ends at START_SEC + 0.499 s.
    await ingestCapture(store, 'tokyo', writeTemp(dir, 'first-half.pcap', capture(0, 500)), {
      geo: null,
      detection: null,
    });
    let before = counting.packetQueries();
    const after = await ingestCapture(store, 'tokyo', writeTemp(dir, 'later.pcap', capture(600_000, 1000)), {
      geo: null,
      detection: null,
    });
    expect(after.record).toMatchObject({ packetsCounted: 1000, duplicates: 0 });
    // Its exact span only (two queries), no stored packets read.
    expect(counting.packetQueries() - before).toBe(2);
    // A capture reaching into the stored span still has its copies found: it starts at 0.4 s, copies from 0.4 to 0.499 s.
    before = counting.packetQueries();
    const inside = await ingestCapture(store, 'tokyo', writeTemp(dir, 'inside.pcap', capture(0, 100)), {
      geo: null,
      detection: null,
    });
    expect(inside.record).toMatchObject({ packetsCounted: 0, duplicates: 100 });
    expect(counting.packetQueries() - before).toBeGreaterThan(0);
  });

  it('ingestCapture() counts exactly the packets past the stored range of a capture shifted over it', async () => {
    const counting = await countingStore();
    store = counting.store;
    await ingestCapture(store, 'tokyo', writeTemp(dir, 'first.pcap', sixHours('pcap')), { geo: null, detection: null });
    const extra = 5000;
    const longer = await ingestCapture(store, 'tokyo', writeTemp(dir, 'longer.pcapng', sixHours('pcapng', extra)), {
      geo: null,
      detection: null,
    });
    expect(longer.record).toMatchObject({ packetsCounted: extra, duplicates: PACKETS });
  });

  it('ingestCapture() finds stored packets that arrive out of time order', async () => {
    const counting = await countingStore();
    store = counting.store;
    await ingestCapture(store, 'tokyo', writeTemp(dir, 'ordered.pcap', sixHours('pcap')), {
      geo: null,
      detection: null,
    });
    // The same packets, the second half first (records are all one size): reaches back to windows already dropped.
    const bytes = sixHours('pcap');
    const header = pcapOf([]).length;
    const half = header + ((bytes.length - header) / PACKETS) * (PACKETS / 2);
    const swapped = Buffer.concat([bytes.subarray(0, header), bytes.subarray(half), bytes.subarray(header, half)]);
    const again = await ingestCapture(store, 'tokyo', writeTemp(dir, 'swapped.pcap', swapped), {
      geo: null,
      detection: null,
    });
    expect(again.record).toMatchObject({ packetsCounted: 0, duplicates: PACKETS });
  });
});
