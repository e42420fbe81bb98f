import { describe, expect, it } from 'vitest';
import { ingestCapture } from '../ingest/index.js';
import { pcapOf, tempDir, writeTemp } from '../ingest/testdata/captures.js';
import { openStore } from '../store/index.js';
import { storeVersionOf } from './store-version.js';

describe('storeVersionOf()', () => {
  it('storeVersionOf() changes when a sensor is edited or an ingest commits, read at most every checkMs', async () => {
    const store = await openStore(':memory:', { timeZone: 'Asia/Tokyo' });
    let now = 0;
    const version = storeVersionOf(store, { checkMs: 100, now: () => now });
    const empty = await version();
    const sensor = await store.addSensor({ name: 'tokyo', addresses: ['192.0.2.0/24'] });
    expect(await version()).toBe(empty);
    now = 100;
    const withSensor = await version();
    expect(withSensor).not.toBe(empty);
    await store.addDowntime(sensor.id, { from: 1000, to: 2000 });
    now = 200;
    const withDowntime = await version();
    expect(withDowntime).not.toBe(withSensor);
    const frame = { sec: 1_300_000_000, spec: { ip: { version: 4 as const, src: '1.0.16.1', dst: '192.0.2.1' }, l4: { kind: 'udp' as const, srcPort: 1, dstPort: 53 } } };
    await ingestCapture(store, 'tokyo', writeTemp(tempDir('teiten-version-'), 'one.pcap', pcapOf([frame])), { geo: null, detection: null });
    now = 300;
    expect(await version()).not.toBe(withDowntime);
    await store.close();
  });
});
