import { beforeAll, describe, expect, it } from 'vitest';
import {
  bytes,
  dceRpcRequest,
  dnsQuery,
  hexBytes,
  ID20,
  isakmp,
  MESSENGER_UUID,
  netbiosQuery,
  sipRequest,
  slammerPayload,
} from '../../../bench/darknet-payloads.js';
import { TcpFlag } from '../../decode/batch.js';
import type { PacketSpec } from '../../simulate/craft/index.js';
import { CategoryMap } from './categories.js';
import { confickerPorts, confickerWeek } from './conficker-ports.js';
import { BUNDLED_RULES_PATH, DEFAULT_CATEGORIES_PATH, loadRuleFiles } from './load-rules.js';
import { SignatureEngine } from './signature-engine.js';
import { craftBatch, icmp, sidsPerPacket, T0, tcp, udp, type TimedPacket } from './testdata/craft-batch.js';

const { SYN, ACK, FIN, PSH, URG, RST } = TcpFlag;
const NBSTAT_NAME = `CK${'A'.repeat(30)}`;
const DST = '192.0.2.10';
const DST_U32 = 0xc000020a;
const [CONFICKER_TCP, CONFICKER_UDP] = confickerPorts(DST_U32, confickerWeek(T0));

/** n packets from one source, one a second. */
const burst = (n: number, make: (k: number) => PacketSpec): TimedPacket[] =>
  Array.from({ length: n }, (_, k) => ({ packet: make(k), at: k }));

interface Case {
  sid: number;
  /** Packets in order; the rule must alert on the last one. */
  positive: Array<PacketSpec | TimedPacket>;
  /** Each entry is its own sequence; the rule must not alert on any of its packets. */
  negative: Array<Array<PacketSpec | TimedPacket>>;
  /** Other bundled sids the last positive packet also raises (by design). */
  alsoRaises?: number[];
}

const CASES: Case[] = [
  // Worm
  {
    sid: 9000001,
    positive: [udp(1434, slammerPayload())],
    negative: [
      [udp(1434, slammerPayload(300))],
      [udp(1433, slammerPayload())],
      [udp(1434, bytes([0x02], slammerPayload().subarray(1)))],
    ],
  },
  {
    sid: 9000002,
    positive: [icmp(8, 0, new Uint8Array(64).fill(0xaa))],
    negative: [
      [icmp(8, 0, bytes(new Array<number>(63).fill(0xaa), [0xab]))],
      [icmp(8, 0, new Uint8Array(56).fill(0xaa))],
      [icmp(0, 0, new Uint8Array(64).fill(0xaa))],
    ],
    alsoRaises: [],
  },
  {
    sid: 9000003,
    positive: [udp(CONFICKER_UDP, bytes(hexBytes('0102030405060708'), new Uint8Array(30)), { dst: DST })],
    negative: [[udp(CONFICKER_TCP, 'x', { dst: DST })], [udp(CONFICKER_UDP, 'x', { dst: '192.0.2.11' })]],
  },
  {
    sid: 9000004,
    positive: [tcp(CONFICKER_TCP, SYN, { dst: DST })],
    negative: [[tcp(CONFICKER_UDP, SYN, { dst: DST })], [tcp(CONFICKER_TCP, SYN | ACK, { dst: DST })]],
  },
  // Scan
  { sid: 9000100, positive: [tcp(9415, SYN)], negative: [[tcp(9416, SYN)], [tcp(8080, SYN | ACK)], [tcp(3128, RST)]] },
  {
    sid: 9000101,
    positive: burst(20, (k) => tcp(1000 + k, SYN)),
    negative: [
      burst(19, (k) => tcp(1000 + k, SYN)),
      burst(20, (k) => tcp(1000 + k, SYN, { src: `198.51.100.${k + 1}` })),
    ],
  },
  {
    sid: 9000102,
    positive: burst(20, (k) => udp(1000 + k, 'x')),
    negative: [
      burst(19, (k) => udp(1000 + k, 'x')),
      burst(20, (k) => udp(1000 + k, 'x', { src: `203.0.113.${k + 1}` })),
    ],
  },
  {
    sid: 9000103,
    positive: burst(10, (k) => icmp(8, 0, 'abcdefgh', { dst: `192.0.2.${k + 1}` })),
    negative: [
      burst(9, (k) => icmp(8, 0, 'abcdefgh', { dst: `192.0.2.${k + 1}` })),
      burst(10, () => icmp(0, 0, 'abcdefgh')),
    ],
  },
  {
    sid: 9000104,
    positive: [tcp(80, ACK, { ack: 0x12345678 })],
    negative: [[tcp(80, SYN | ACK)], [tcp(80, RST | ACK)], [tcp(80, ACK | PSH, { payload: 'GET / HTTP/1.0\r\n\r\n' })]],
  },
  { sid: 9000105, positive: [tcp(22, 0)], negative: [[tcp(22, SYN)]] },
  { sid: 9000106, positive: [tcp(22, FIN)], negative: [[tcp(22, FIN | ACK)], [tcp(22, FIN | PSH | URG)]] },
  { sid: 9000107, positive: [tcp(22, FIN | PSH | URG)], negative: [[tcp(22, FIN | PSH | URG | ACK)], [tcp(22, FIN)]] },
  {
    sid: 9000110,
    positive: [udp(137, netbiosQuery(NBSTAT_NAME, 0x21))],
    negative: [[udp(137, netbiosQuery(NBSTAT_NAME, 0x20))], [udp(137, netbiosQuery(`EB${'A'.repeat(30)}`, 0x21))]],
  },
  {
    sid: 9000111,
    positive: [
      udp(
        1900,
        'M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n',
      ),
    ],
    negative: [[udp(1900, 'NOTIFY * HTTP/1.1\r\n\r\n')], [udp(1901, 'M-SEARCH * HTTP/1.1\r\n\r\n')]],
  },
  {
    sid: 9000112,
    positive: [udp(123, bytes([0x17, 0x00, 0x03, 0x2a], new Uint8Array(4)))],
    negative: [
      [udp(123, bytes([0x1b], new Uint8Array(47)))],
      [udp(123, bytes([0x17, 0x00, 0x03, 0x14], new Uint8Array(4)))],
    ],
  },
  {
    sid: 9000113,
    positive: [udp(11211, bytes([0, 1, 0, 0, 0, 1, 0, 0], 'stats\r\n'))],
    negative: [[udp(11211, bytes([0, 1, 0, 0, 0, 1, 0, 0], 'get foo\r\n'))], [udp(11211, 'stats\r\n')]],
  },
  // Scan(P2P)
  {
    sid: 9000200,
    positive: [udp(6881, bytes('d1:ad2:id20:', ID20, 'e1:q4:ping1:t2:aa1:y1:qe'))],
    negative: [[udp(6881, bytes('d1:q4:ping1:t2:aa1:y1:qe'))], [udp(6881, bytes('xd1:ad2:id20:', ID20))]],
  },
  {
    sid: 9000201,
    positive: [udp(6881, bytes('d1:rd2:id20:', ID20, 'e1:t2:aa1:y1:re'))],
    negative: [[udp(6881, bytes('d1:ad2:id20:', ID20, 'e1:q4:ping1:t2:aa1:y1:qe'))]],
  },
  {
    sid: 9000202,
    positive: [tcp(6881, PSH | ACK, { payload: bytes([19], 'BitTorrent protocol', new Uint8Array(8), ID20, ID20) })],
    negative: [
      [tcp(6881, PSH | ACK, { payload: bytes([19], 'BitTorrent protocoL') })],
      [tcp(6881, PSH | ACK, { payload: bytes('GET /announce?info_hash=x HTTP/1.0\r\n\r\n') })],
    ],
  },
  {
    sid: 9000203,
    positive: [
      udp(
        6881,
        bytes(
          hexBytes('0100 1234 00000000 00000000 00100000 0001 0000'),
          [19],
          'BitTorrent protocol',
          new Uint8Array(8),
          ID20,
        ),
      ),
    ],
    negative: [[udp(6881, bytes([19], 'BitTorrent protocol', new Uint8Array(28)))]],
  },
  {
    sid: 9000204,
    positive: [udp(6969, bytes(hexBytes('0000041727101980 00000000 cafebabe')))],
    negative: [
      [udp(6969, bytes(hexBytes('0000041727101980 00000001 cafebabe'), new Uint8Array(82)))],
      [udp(6969, bytes(hexBytes('0000041727101980 00000000 cafebabe 00')))],
    ],
  },
  // UDP spam
  {
    sid: 9000300,
    positive: [udp(1027, dceRpcRequest(MESSENGER_UUID, 'SECURITY ALERT: your computer is infected, visit ...'))],
    negative: [
      [udp(1029, dceRpcRequest(MESSENGER_UUID, 'x'))],
      [udp(1026, dceRpcRequest(hexBytes('000102030405060708090a0b0c0d0e0f'), 'x'))],
    ],
  },
  // DoS
  {
    sid: 9000400,
    positive: [udp(27444, 'aaa l44adsl 203.0.113.9')],
    negative: [[udp(27444, 'aaa secret 203.0.113.9')], [udp(27445, 'aaa l44adsl 203.0.113.9')]],
  },
  { sid: 9000401, positive: [udp(31335, '*HELLO*')], negative: [[udp(31336, '*HELLO*')], [udp(31335, 'HELLO')]] },
  {
    sid: 9000402,
    positive: [icmp(0, 0, 'abcdefghijklmnop')],
    negative: [[icmp(8, 0, 'abcdefghijklmnop')], [icmp(3, 3, '')]],
  },
  // DNS
  {
    sid: 9000500,
    positive: [udp(53, dnsQuery('isc.org', 255))],
    negative: [[udp(53, dnsQuery('isc.org', 1))], [udp(53, dnsQuery('isc.org', 255, 1, 0x8180))]],
  },
  {
    sid: 9000501,
    positive: [udp(53, dnsQuery('.', 2))],
    negative: [[udp(53, dnsQuery('.', 255))], [udp(53, dnsQuery('example.com', 2))]],
    alsoRaises: [],
  },
  {
    sid: 9000502,
    positive: [udp(53, dnsQuery('VERSION.BIND', 16, 3))],
    negative: [[udp(53, dnsQuery('version.bind', 1, 1))], [udp(53, dnsQuery('version.bind', 16, 3, 0x8400))]],
  },
  { sid: 9000503, positive: [udp(53, 'probe')], negative: [[udp(53, dnsQuery('a.b', 1))], [udp(54, 'probe')]] },
  { sid: 9000504, positive: [tcp(53, SYN)], negative: [[tcp(53, SYN | ACK)], [tcp(54, SYN)]] },
  // Others
  {
    sid: 9000600,
    positive: [udp(33435, new Uint8Array(32), { ttl: 1 })],
    negative: [[udp(33435, new Uint8Array(32), { ttl: 64 })], [udp(33600, new Uint8Array(32), { ttl: 1 })]],
  },
  {
    sid: 9000610,
    positive: [udp(500, isakmp(1, 0x10, 13))],
    negative: [[udp(500, isakmp(1, 0x10, 0))], [udp(500, isakmp(1, 0x20, 13))]],
  },
  {
    sid: 9000611,
    positive: [udp(500, isakmp(13, 0x10, 0))],
    negative: [[udp(500, isakmp(13, 0x20, 0))], [udp(500, isakmp(1, 0x10, 0))]],
  },
  {
    sid: 9000620,
    positive: [udp(5060, sipRequest('OPTIONS'))],
    negative: [[udp(5070, sipRequest('OPTIONS'))], [udp(5060, sipRequest('NOTIFY'))]],
  },
  { sid: 9000621, positive: [udp(5060, sipRequest('REGISTER'))], negative: [[udp(5060, sipRequest('OPTIONS'))]] },
  { sid: 9000622, positive: [udp(5061, sipRequest('INVITE'))], negative: [[udp(5060, sipRequest('REGISTER'))]] },
];

describe('bundled darknet rules (data/rules/teiten-darknet.rules)', () => {
  let engine: SignatureEngine;
  beforeAll(async () => {
    const load = await loadRuleFiles([BUNDLED_RULES_PATH]);
    expect(load.errors.map((e) => e.message)).toEqual([]);
    expect(load.skipped).toEqual([]);
    engine = new SignatureEngine(load.rules, { categories: await CategoryMap.load([DEFAULT_CATEGORIES_PATH]) });
  });

  it('every bundled rule has a positive and a negative test, and sits in its sid range', () => {
    expect(CASES.map((c) => c.sid).sort()).toEqual(engine.rules.map((r) => r.sid).sort());
    for (const c of CASES) expect(c.negative.length).toBeGreaterThan(0);
    const ranges: Record<string, number> = {
      Worm: 90000,
      Scan: 90001,
      'Scan(P2P)': 90002,
      'UDP spam': 90003,
      DoS: 90004,
      DNS: 90005,
      Others: 90006,
    };
    engine.rules.forEach((rule, r) => expect(ranges[engine.categoryOf(r)]).toBe(Math.floor(rule.sid / 100)));
  });

  for (const c of CASES) {
    it(`rule ${c.sid} alerts on its positive packets and not on its negatives`, () => {
      engine.resetState();
      const perPacket = sidsPerPacket(engine, craftBatch(c.positive));
      expect(perPacket[perPacket.length - 1]!.sort()).toEqual([c.sid, ...(c.alsoRaises ?? [])].sort());
      expect(perPacket.slice(0, -1).some((sids) => sids.includes(c.sid))).toBe(false);
      for (const negative of c.negative) {
        engine.resetState();
        const sids = sidsPerPacket(engine, craftBatch(negative)).flat();
        expect(sids).not.toContain(c.sid);
      }
    });
  }
});
