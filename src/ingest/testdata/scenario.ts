/**
 * @module
 * The ingest tests' crafted capture: ten packets around local midnight of
 * 2010-06-02 in Asia/Tokyo (15:00:00Z), with probes, backscatter, UDP, ICMP,
 * ICMPv6, and three packets the sensor must not count (another address, ARP,
 * an IPv4 header with IHL 3), plus the rows the store must hold after it.
 */

import { TcpFlag } from '../../decode/batch.js';
import { buildPacket } from '../../simulate/craft/index.js';
import type { SensorDefinition } from '../../store/index.js';
import { at, sortRows, type ReadableSourceRow, type ReadableTrafficRow, type TestFrame } from './captures.js';

export const TIME_ZONE = 'Asia/Tokyo';
export const TOKYO: SensorDefinition = { name: 'tokyo', label: 'Tokyo /24', addresses: ['192.0.2.0/24', '2001:db8:1::/64'] };
/** A sensor of its own that only sees the IPv6 block. */
export const V6_ONLY: SensorDefinition = { name: 'v6only', addresses: ['2001:db8:1::/48'] };

function tcp(sec: number, src: string, dst: string, ports: [number, number], flags: number): TestFrame {
  return { sec, spec: { ip: { version: 4, src, dst }, l4: { kind: 'tcp', srcPort: ports[0], dstPort: ports[1], flags } } };
}

const badIhl = buildPacket({
  link: { kind: 'ethernet' },
  ip: { version: 4, src: '1.0.16.1', dst: '192.0.2.1' },
  l4: { kind: 'tcp', srcPort: 40009, dstPort: 445, flags: TcpFlag.SYN },
});
badIhl[14] = 0x43; // version 4, IHL 3

export const FRAMES: readonly TestFrame[] = [
  // 23:59:59 on 2010-06-01 in Tokyo, and the next second is the next local day.
  tcp(at('2010-06-01T14:59:59Z'), '1.0.16.1', '192.0.2.1', [40000, 445], TcpFlag.SYN),
  tcp(at('2010-06-01T15:00:00Z'), '1.0.16.1', '192.0.2.1', [40001, 445], TcpFlag.SYN),
  tcp(at('2010-06-01T15:00:01Z'), '1.0.16.1', '192.0.2.2', [40002, 445], TcpFlag.SYN),
  tcp(at('2010-06-01T15:30:00Z'), '61.1.2.3', '192.0.2.9', [80, 3000], TcpFlag.SYN | TcpFlag.ACK),
  {
    sec: at('2010-06-01T15:30:01Z'),
    spec: { ip: { version: 4, src: '61.1.2.3', dst: '192.0.2.4' }, l4: { kind: 'udp', srcPort: 1025, dstPort: 1434 }, payload: 'x'.repeat(100) },
  },
  { sec: at('2010-06-01T15:40:00Z'), spec: { ip: { version: 4, src: '9.9.9.9', dst: '192.0.2.5' }, l4: { kind: 'icmp', type: 8 } } },
  {
    sec: at('2010-06-01T15:41:00Z'),
    spec: { ip: { version: 6, src: '2001:db8:ff00::1', dst: '2001:db8:1::5' }, l4: { kind: 'icmpv6', type: 128 } },
  },
  tcp(at('2010-06-01T15:42:00Z'), '1.0.16.1', '198.51.100.7', [40003, 445], TcpFlag.SYN),
  { sec: at('2010-06-01T15:43:00Z'), spec: { link: { kind: 'ethernet', etherType: 0x0806 }, payload: new Uint8Array(28) } },
  { sec: at('2010-06-01T15:44:00Z'), bytes: badIhl },
];

/** Wire lengths: Ethernet 14 + IPv4 20 + TCP 20; + UDP 8 + 100 payload; + ICMP 8; Ethernet + IPv6 40 + ICMPv6 8. */
const TCP_BYTES = 54;
const UDP_BYTES = 142;
const ICMP_BYTES = 42;
const ICMPV6_BYTES = 62;

const row = (r: Omit<ReadableTrafficRow, 'v'> & { v?: number }): ReadableTrafficRow => ({ v: 4, ...r });

/** `traffic_hour` after ingesting FRAMES for TOKYO (sorted like `trafficRows`). */
export const TOKYO_TRAFFIC: readonly ReadableTrafficRow[] = sortRows([
  row({ day: '2010-06-01', hour: 23, service: '445/TCP', sport: 'eph/TCP', country: 'JP', flag: 'SYN', class: 'PROBE', packets: 1, bytes: TCP_BYTES }),
  row({ day: '2010-06-02', hour: 0, service: '445/TCP', sport: 'eph/TCP', country: 'JP', flag: 'SYN', class: 'PROBE', packets: 2, bytes: 2 * TCP_BYTES }),
  row({ day: '2010-06-02', hour: 0, service: '3000/TCP', sport: '80/TCP', country: 'CN', flag: 'SYN/ACK', class: 'RESPONSE', packets: 1, bytes: TCP_BYTES }),
  row({ day: '2010-06-02', hour: 0, service: '1434/UDP', sport: 'eph/UDP', country: 'CN', flag: 'NONE', class: 'PROBE', packets: 1, bytes: UDP_BYTES }),
  row({ day: '2010-06-02', hour: 0, service: '8/ICMP', sport: '8/ICMP', country: 'ZZ', flag: 'NONE', class: 'PROBE', packets: 1, bytes: ICMP_BYTES }),
  row({ day: '2010-06-02', hour: 0, v: 6, service: '128/ICMPv6', sport: '128/ICMPv6', country: 'TW', flag: 'NONE', class: 'PROBE', packets: 1, bytes: ICMPV6_BYTES }),
]);

/** `source_day` after ingesting FRAMES for TOKYO. */
export const TOKYO_SOURCES: readonly ReadableSourceRow[] = sortRows([
  { day: '2010-06-01', src: '1.0.16.1', country: 'JP', asn: 2519, service: '445/TCP', packets: 1 },
  { day: '2010-06-02', src: '1.0.16.1', country: 'JP', asn: 2519, service: '445/TCP', packets: 2 },
  { day: '2010-06-02', src: '61.1.2.3', country: 'CN', asn: 4134, service: '3000/TCP', packets: 1 },
  { day: '2010-06-02', src: '61.1.2.3', country: 'CN', asn: 4134, service: '1434/UDP', packets: 1 },
  { day: '2010-06-02', src: '9.9.9.9', country: 'ZZ', asn: 0, service: '8/ICMP', packets: 1 },
  { day: '2010-06-02', src: '2001:db8:ff00::1', country: 'TW', asn: 0, service: '128/ICMPv6', packets: 1 },
]);
