/**
 * @module
 * The contract suite's shared fixture: store targets, two sensors, and a
 * small crafted capture with probes, backscatter, ICMP, IPv6 and packets for
 * other addresses, spread over two local days in Asia/Tokyo.
 */

import type { EnrichContext, EnrichedBatch } from '../../classify/enrich.js';
import { openCountryDb } from '../../classify/geo-sources.js';
import { TcpFlag } from '../../decode/batch.js';
import { parseLocalDate, TzClock } from '../../util/tz.js';
import { AddressMatcher } from '../address-matcher.js';
import type { AnalyticsStore, IngestMeta, Sensor, SensorDefinition, StoreOptions } from '../store.js';
import { craftEnriched, observe, type Frame, type Observation } from './observe.js';

/** A place a store lives; `open` migrates. */
export interface StoreTarget {
  open(options?: StoreOptions): Promise<AnalyticsStore>;
  /** True when a second `open` sees what the first wrote (false for `:memory:`). */
  readonly persistent: boolean;
  dispose(): Promise<void>;
}

export const TIME_ZONE = 'Asia/Tokyo';
const JST_OFFSET = 9 * 3600;
/** 2010-06-01 00:00 JST. */
export const DAY1 = parseLocalDate('2010-06-01');
export const DAY1_START = DAY1 * 86_400 - JST_OFFSET;

export const TOKYO: SensorDefinition = {
  name: 'tokyo-1',
  label: 'Tokyo /24',
  addresses: ['192.0.2.0/24', '2001:db8:1::/64'],
};
export const OSAKA: SensorDefinition = { name: 'osaka', addresses: ['198.51.100.7'] };

const SYN = TcpFlag.SYN;
const SYN_ACK = TcpFlag.SYN | TcpFlag.ACK;

function tcp(ts: number, src: string, dst: string, sport: number, dport: number, flags: number, payload?: string): Frame {
  return {
    tsSec: DAY1_START + ts,
    spec: { ip: { version: 4, src, dst }, l4: { kind: 'tcp', srcPort: sport, dstPort: dport, flags }, ...(payload ? { payload } : {}) },
  };
}

/** 14 packets: 11 to tokyo-1, 1 to osaka, 2 to nobody. */
export const FRAMES: readonly Frame[] = [
  tcp(3600, '1.2.3.4', '192.0.2.1', 40000, 445, SYN),
  tcp(3601, '1.2.3.4', '192.0.2.2', 40001, 445, SYN),
  tcp(3602, '1.2.3.4', '192.0.2.3', 40002, 445, SYN, 'hello'),
  tcp(7200, '8.8.8.8', '192.0.2.9', 80, 3000, SYN_ACK),
  tcp(7201, '8.8.8.8', '192.0.2.9', 80, 3001, SYN_ACK),
  tcp(7300, '5.6.7.8', '192.0.2.200', 666, 23, SYN),
  { tsSec: DAY1_START + 9000, spec: { ip: { version: 4, src: '203.0.113.5', dst: '192.0.2.4' }, l4: { kind: 'udp', srcPort: 1025, dstPort: 1434 }, payload: 'x'.repeat(100) } },
  { tsSec: DAY1_START + 9100, spec: { ip: { version: 4, src: '9.9.9.9', dst: '192.0.2.5' }, l4: { kind: 'icmp', type: 8 } } },
  { tsSec: DAY1_START + 9200, spec: { ip: { version: 6, src: '2001:db8:ffff::1', dst: '2001:db8:1::5' }, l4: { kind: 'icmpv6', type: 128 } } },
  tcp(9300, '1.2.3.4', '198.51.100.7', 40003, 445, SYN),
  tcp(9400, '1.2.3.4', '10.0.0.1', 40004, 445, SYN),
  { tsSec: DAY1_START + 9500, spec: { ip: { version: 6, src: '2001:db8:ffff::1', dst: '2001:db8:2::1' }, l4: { kind: 'icmpv6', type: 128 } } },
  tcp(86_400 + 60, '1.2.3.4', '192.0.2.1', 50000, 445, SYN),
  tcp(86_400 + 120, '4.4.4.4', '192.0.2.77', 50001, 445, SYN),
];

let geoContext: EnrichContext | undefined;

/** Real country lookups from the bundled database; ASN left 0. */
export function enrichContext(): EnrichContext {
  geoContext ??= { geo: { country: openCountryDb(), asn: null } };
  return geoContext;
}

export interface Scenario {
  tokyo: Sensor;
  osaka: Sensor;
  enriched: EnrichedBatch;
  observed: Observation;
  meta: IngestMeta;
}

/** Adds both sensors to `store` and rolls the crafted capture up for tokyo-1. */
export async function setUpScenario(store: AnalyticsStore): Promise<Scenario> {
  const tokyo = await store.addSensor(TOKYO);
  const osaka = await store.addSensor(OSAKA);
  const enriched = await craftEnriched(FRAMES, enrichContext());
  const matcher = AddressMatcher.fromSensors([tokyo, osaka]);
  const observed = observe([enriched], { sensorId: tokyo.id, matcher, clock: new TzClock(store.settings.timeZone) });
  const meta: IngestMeta = { sensorId: tokyo.id, fileName: 'crafted.pcap', sha256: 'ab'.repeat(32), bytes: 4242 };
  return { tokyo, osaka, enriched, observed, meta };
}

/** Ingests the scenario's observation (traffic, sources, raw packets) and commits. */
export async function ingestScenario(store: AnalyticsStore, s: Scenario): Promise<number> {
  const writer = await store.beginIngest(s.meta);
  await writer.appendTraffic(s.observed.traffic);
  await writer.appendSources(s.observed.sources);
  await writer.appendPackets(s.enriched, s.observed.sensorOf[0]!);
  return (await writer.commit(s.observed.summary)).id;
}

/** Rows sorted by their JSON text, for order-free comparison. */
export function sorted<T>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}
