/**
 * @module
 * A hand-built capture for the detection stage, with every figure it must
 * give worked out by hand below (the test GeoIP database of `captures.ts`:
 * 61/8 is CN, 1.0.16/20 JP, 2001:db8:ff00::/40 TW).
 *
 * Current capture, local day 2010-06-01 in Asia/Tokyo unless noted:
 * - a SQL Slammer datagram 61.1.1.1 → 1434/UDP, an exact copy of it (a
 *   duplicate, not counted) and one to another host (excluded);
 * - Nachi/Welchia echoes (64 × 0xAA) from 1.0.16.5: three on 06-01, one on
 *   06-02 (the first second after local midnight);
 * - BitTorrent DHT pings: 61.2.2.2 on 06-01, 2001:db8:ff00::1 (IPv6) on 06-02;
 * - a SYN/ACK flood from victim 61.5.5.5, source port 6667: 120 packets one
 *   second apart over 8 sensor addresses (one DoS attack), plus a copy of
 *   the first (a duplicate);
 * - five ICMP port unreachables from router 61.9.9.9 quoting our SYN to
 *   1.0.16.9:80 (backscatter naming victim 1.0.16.9, JP);
 * - three echo replies from 61.6.6.6 (backscatter, and the DoS signature);
 * - a ZMap scan from 61.7.7.7: 16 SYNs with IP ID 54321 to 8 addresses × 2 ports.
 *
 * Previous capture (2010-05-31): two Slammer datagrams from 61.1.1.1 and ten
 * SYN/ACKs from 61.5.5.5:6667 (below the attack threshold of 100 packets).
 */

import { TcpFlag } from '../../decode/batch.js';
import { dhtPingPayload, nachiPayload, slammerPayload } from '../../simulate/payloads.js';
import type { SensorDefinition } from '../../store/index.js';
import { at, type TestFrame } from './captures.js';

export const DETECT_TIME_ZONE = 'Asia/Tokyo';
/** 8 IPv4 addresses and one IPv6 entry: 9 addresses per day for the divisors, 8 for extrapolation. */
export const DETECT_SENSOR: SensorDefinition = { name: 'tokyo', label: 'Tokyo /29', addresses: ['192.0.2.0/29', '2001:db8:1::1'] };
export const DETECT_PERIOD = '2010-06-01..2010-06-02';

const T = at('2010-06-01T03:00:00Z'); // 12:00 local on 2010-06-01
const SENSOR_V4 = (k: number): string => `192.0.2.${k % 8}`;

const slammer = (sec: number, src: string, dst: string, id: number): TestFrame => ({
  sec, spec: { ip: { version: 4, src, dst, id }, l4: { kind: 'udp', srcPort: 1025, dstPort: 1434 }, payload: slammerPayload() },
});
const nachi = (sec: number, dst: string, seq: number): TestFrame => ({
  sec, spec: { ip: { version: 4, src: '1.0.16.5', dst }, l4: { kind: 'icmp', type: 8, id: 0x200, seq }, payload: nachiPayload() },
});
const synAck = (sec: number, k: number): TestFrame => ({
  sec, spec: { ip: { version: 4, src: '61.5.5.5', dst: SENSOR_V4(k), id: k }, l4: { kind: 'tcp', srcPort: 6667, dstPort: 1024 + k, flags: TcpFlag.SYN | TcpFlag.ACK, seq: 7 * k, ack: 11 * k + 1 } },
});

function currentFrames(): TestFrame[] {
  const frames: TestFrame[] = [
    slammer(T, '61.1.1.1', '192.0.2.1', 1),
    slammer(T, '61.1.1.1', '192.0.2.1', 1),
    slammer(T + 1, '61.1.1.1', '10.0.0.1', 2),
    nachi(T + 2, '192.0.2.2', 1),
    nachi(T + 3, '192.0.2.3', 2),
    { sec: T + 4, spec: { ip: { version: 4, src: '61.2.2.2', dst: '192.0.2.4' }, l4: { kind: 'udp', srcPort: 6881, dstPort: 6881 }, payload: dhtPingPayload() } },
  ];
  for (let k = 0; k < 120; k++) {
    frames.push(synAck(T + 10 + k, k));
    if (k === 0) frames.push(synAck(T + 10, 0));
  }
  for (let k = 0; k < 5; k++) {
    frames.push({ sec: T + 200 + k, spec: { ip: { version: 4, src: '61.9.9.9', dst: '192.0.2.5' }, l4: { kind: 'icmp', type: 3, code: 3, quote: {
      ip: { version: 4, src: '192.0.2.5', dst: '1.0.16.9' }, l4: { kind: 'tcp', srcPort: 40000 + k, dstPort: 80, flags: TcpFlag.SYN },
    } } } });
  }
  for (let k = 0; k < 3; k++) {
    frames.push({ sec: T + 300 + k, spec: { ip: { version: 4, src: '61.6.6.6', dst: '192.0.2.6' }, l4: { kind: 'icmp', type: 0, id: 9, seq: k } } });
  }
  for (let k = 0; k < 16; k++) {
    frames.push({ sec: T + 400 + k, spec: { ip: { version: 4, src: '61.7.7.7', dst: SENSOR_V4(k), id: 54321 }, l4: {
      kind: 'tcp', srcPort: 50000 + k, dstPort: k < 8 ? 80 : 443, flags: TcpFlag.SYN, seq: 12345,
    } } });
  }
  frames.push(
    nachi(at('2010-06-01T14:59:59Z'), '192.0.2.2', 3),
    nachi(at('2010-06-01T15:00:01Z'), '192.0.2.3', 4),
    { sec: at('2010-06-01T15:00:02Z'), spec: { ip: { version: 6, src: '2001:db8:ff00::1', dst: '2001:db8:1::1' }, l4: { kind: 'udp', srcPort: 6881, dstPort: 6881 }, payload: dhtPingPayload() } },
  );
  return frames;
}

export const CURRENT_FRAMES: readonly TestFrame[] = currentFrames();

const P = at('2010-05-31T03:00:00Z');
export const PREVIOUS_FRAMES: readonly TestFrame[] = [
  slammer(P, '61.1.1.1', '192.0.2.1', 1),
  slammer(P + 10, '61.1.1.1', '192.0.2.2', 2),
  ...Array.from({ length: 10 }, (_, k) => synAck(P + 20 + k, k)),
];

/** The attack's start, end and rates as the detector computes them. */
export const ATTACK = {
  victim: '61.5.5.5',
  startSec: T + 10,
  endSec: T + 129,
  packets: 120,
};

export const SCANNER = { src: '61.7.7.7', firstSec: T + 400, lastSec: T + 415, windowStart: at('2010-06-01T00:00:00Z') };
