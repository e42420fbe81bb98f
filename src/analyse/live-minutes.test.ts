/**
 * Packets and sources per minute from the raw packets, against frames
 * counted by hand, on DuckDB and (with `CLICKHOUSE_URL`) ClickHouse.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ingestCapture } from '../ingest/index.js';
import { pcapOf, tempDir, writeTemp, type TestFrame } from '../ingest/testdata/captures.js';
import { openStore, type AnalyticsStore } from '../store/index.js';
import { storeTargets } from '../store/testdata/clickhouse-test-db.js';
import { liveMinutes } from './live-minutes.js';

const MINUTE = 24_000_000; // 2015-08-19T16:00Z, in minutes since the epoch
const udp = (sec: number, src: string): TestFrame => ({
  sec,
  spec: { ip: { version: 4, src, dst: '192.0.2.1' }, l4: { kind: 'udp', srcPort: 1025, dstPort: 53 } },
});
// Minute +0: three packets from two sources; minute +2: two packets from one source; one to another host (not counted).
const FRAMES = [
  udp(MINUTE * 60 + 1, '1.0.16.1'),
  udp(MINUTE * 60 + 30, '1.0.16.1'),
  udp(MINUTE * 60 + 59, '1.0.16.2'),
  udp((MINUTE + 2) * 60, '1.0.16.3'),
  udp((MINUTE + 2) * 60 + 10, '1.0.16.3'),
  {
    sec: MINUTE * 60 + 5,
    spec: { ip: { version: 4, src: '1.0.16.9', dst: '198.51.100.1' }, l4: { kind: 'udp', srcPort: 1, dstPort: 53 } },
  },
] as const satisfies readonly TestFrame[];

const url = process.env['CLICKHOUSE_URL'];
const targets = storeTargets(url, 'live');

describe.each(targets)('liveMinutes() on %s', (_name, make) => {
  const backend = make();
  let store: AnalyticsStore;
  afterAll(async () => {
    await store?.close();
    await backend.drop();
  });

  it('liveMinutes() lists every minute of the window with its packets and distinct sources', async () => {
    store = await openStore(backend.target);
    await store.addSensor({ name: 'tokyo', addresses: ['192.0.2.0/24'] });
    await ingestCapture(store, 'tokyo', writeTemp(tempDir('teiten-live-'), 'live.pcap', pcapOf(FRAMES)), {
      geo: null,
      detection: null,
    });
    const series = await liveMinutes(store, { untilSec: (MINUTE + 3) * 60 + 20, minutes: 5 });
    expect(series).toEqual([
      { minute: '2015-08-19T15:59:00Z', packets: 0, sources: 0 },
      { minute: '2015-08-19T16:00:00Z', packets: 3, sources: 2 },
      { minute: '2015-08-19T16:01:00Z', packets: 0, sources: 0 },
      { minute: '2015-08-19T16:02:00Z', packets: 2, sources: 1 },
      { minute: '2015-08-19T16:03:00Z', packets: 0, sources: 0 },
    ]);
    await expect(liveMinutes(store, { untilSec: 0, minutes: 0 })).rejects.toThrow(
      /minutes 0 must be a whole number from 1 to 1440/,
    );
  });
});
