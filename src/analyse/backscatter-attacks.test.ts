/**
 * When a derived attack is published: only once every sensor of the
 * telescope has delivered past its end plus the flow timeout, or the
 * delivery horizon has passed (the hand-built attack of
 * `ingest/testdata/detection-scenario.ts`: 120 SYN/ACKs at tokyo, ending at
 * `ATTACK.endSec`; a second sensor, osaka, delivers later or not at all).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ATTACK_SETTINGS } from '../detect/index.js';
import { ingestCapture } from '../ingest/index.js';
import { pcapOf, tempDir, testGeo, writeTemp, type TestFrame } from '../ingest/testdata/captures.js';
import {
  ATTACK,
  CURRENT_FRAMES,
  DETECT_PERIOD,
  DETECT_SENSOR,
  DETECT_TIME_ZONE,
} from '../ingest/testdata/detection-scenario.js';
import { openStore, type AnalyticsStore } from '../store/index.js';
import type { GeoResolver } from '../classify/index.js';
import { DEFAULT_DELIVERY_HORIZON_SEC, telescopeAttacks } from './backscatter-attacks.js';
import { parsePeriod } from '../util/period.js';
import { resolveScopes } from './scope.js';

const period = parsePeriod(DETECT_PERIOD, { timeZone: DETECT_TIME_ZONE });
const quietFrom = ATTACK.endSec + DEFAULT_ATTACK_SETTINGS.flowTimeoutSec;
let store: AnalyticsStore;
let geo: GeoResolver;
let dir = '';

const probe = (sec: number): TestFrame => ({
  sec,
  spec: { ip: { version: 4, src: '61.7.7.8', dst: '198.51.100.3' }, l4: { kind: 'udp', srcPort: 5000, dstPort: 53 } },
});

async function attacksAt(nowSec: number): Promise<{ closed: number[]; open: number[] }> {
  const { current } = await resolveScopes(store, period);
  const result = await telescopeAttacks(store, current, undefined, { nowSec });
  return { closed: result.attacks.map((a) => a.packets), open: result.openAttacks.map((a) => a.packets) };
}

beforeAll(async () => {
  dir = tempDir('teiten-attack-delivery-');
  ({ geo } = await testGeo(dir));
  store = await openStore(':memory:', { timeZone: DETECT_TIME_ZONE });
  await store.addSensor(DETECT_SENSOR);
  await store.addSensor({ name: 'osaka', label: '', addresses: ['198.51.100.0/28'] });
  await ingestCapture(store, 'tokyo', writeTemp(dir, 'current.pcap', pcapOf(CURRENT_FRAMES)), { geo });
}, 60_000);

afterAll(async () => {
  await store?.close();
});

describe('telescopeAttacks() delivery', () => {
  it('keeps an attack open while a sensor has delivered nothing, until the horizon passes', async () => {
    expect(await attacksAt(quietFrom + 60)).toEqual({ closed: [], open: [ATTACK.packets] });
    expect(await attacksAt(quietFrom + DEFAULT_DELIVERY_HORIZON_SEC - 1)).toEqual({
      closed: [],
      open: [ATTACK.packets],
    });
    expect(await attacksAt(quietFrom + DEFAULT_DELIVERY_HORIZON_SEC)).toEqual({ closed: [ATTACK.packets], open: [] });
  });

  it('closes the attack once the lagging sensor delivers past its end plus the flow timeout, not before', async () => {
    await ingestCapture(store, 'osaka', writeTemp(dir, 'osaka-early.pcap', pcapOf([probe(quietFrom - 10)])), { geo });
    expect(await attacksAt(quietFrom + 60)).toEqual({ closed: [], open: [ATTACK.packets] });
    await ingestCapture(store, 'osaka', writeTemp(dir, 'osaka-late.pcap', pcapOf([probe(quietFrom + 1)])), { geo });
    expect(await attacksAt(quietFrom + 60)).toEqual({ closed: [ATTACK.packets], open: [] });
  });
});
