/**
 * @module
 * A darknet capture with payloads, for the signature benchmark: TCP SYN
 * probes (some from persistent scanners), backscatter, a little TCP data,
 * UDP probes carrying what darknets receive (DNS, BitTorrent DHT, SIP,
 * NetBIOS, SSDP, NTP, memcached, Messenger spam, Slammer, random binary
 * junk) and ICMP echoes. Seeded; returns the planted count of each payload
 * kind that exactly one bundled rule alerts on, so the benchmark can check
 * the matcher before printing any rate.
 *
 * Sources, which threshold rules track, are drawn from a pool (default
 * 200,000 addresses) with a skewed popularity, a few heavy scanners and a
 * long tail, as darknets see them; packets are 10 µs apart (100,000 packets
 * per second, a /8-sized telescope), so a minute's window holds every
 * source of a million-packet capture.
 */
import { renameSync } from 'node:fs';
import { LinkType, PcapWriter } from '../src/capture/index.js';
import { TcpFlag } from '../src/decode/index.js';
import {
  CraftBuffer,
  buildLinkHeader,
  ipv4IcmpFields,
  ipv4TcpFields,
  ipv4UdpFields,
  writeIpv4Icmp,
  writeIpv4Tcp,
  writeIpv4Udp,
} from '../src/simulate/craft/index.js';
import {
  bytes,
  dceRpcRequest,
  dnsQuery,
  ID20,
  MESSENGER_UUID,
  netbiosQuery,
  sipRequest,
  slammerPayload,
} from './darknet-payloads.js';
import { uniform as prng } from '../src/util/random.js';

/** Planted packets per bundled sid that alerts once per packet, without threshold. */
export type PlantedAlerts = Record<string, number>;

const SENSOR_NET = 0xc0000000; // 192.0.0.0/16 (documentation and test addresses)
const T0 = 1_275_350_400;
const TCP_PORTS = [445, 23, 22, 80, 8080, 3389, 1433, 9415, 3128, 5900, 139, 135, 2323, 7547, 37215];
/** Popularity skew: index = pool * u^SKEW, so low indices (heavy scanners) dominate. */
const SKEW = 4;
const PACKET_SPACING_NS = 10_000;
const WINDOWS_PING = bytes('abcdefghijklmnopqrstuvwabcdefghi');
const LINUX_PING = bytes(
  [0x4c, 0x1e, 0x04, 0x66, 0, 0, 0, 0],
  Array.from({ length: 48 }, (_, k) => 0x10 + k),
);
const HTTP_GET = bytes(
  'GET /cgi-bin/luci/;stok=/locale?form=country HTTP/1.1\r\nHost: 192.0.2.1\r\nUser-Agent: Mozilla/5.0\r\n\r\n',
);

interface UdpKind {
  port: number;
  payload: Uint8Array;
  weight: number;
  /** The bundled sid this kind raises once per packet, if any. */
  sid?: number;
  ttl?: number;
}

const UDP_KINDS: UdpKind[] = [
  { port: 53, payload: dnsQuery('isc.org', 255), weight: 6, sid: 9000500 },
  { port: 53, payload: dnsQuery('example.com', 1), weight: 8 },
  { port: 53, payload: dnsQuery('.', 2), weight: 2, sid: 9000501 },
  { port: 6881, payload: bytes('d1:ad2:id20:', ID20, 'e1:q4:ping1:t2:aa1:y1:qe'), weight: 6, sid: 9000200 },
  { port: 5060, payload: bytes(sipRequest('OPTIONS')), weight: 4, sid: 9000620 },
  { port: 137, payload: netbiosQuery(`CK${'A'.repeat(30)}`, 0x21), weight: 5, sid: 9000110 },
  {
    port: 1900,
    payload: bytes(
      'M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n',
    ),
    weight: 3,
    sid: 9000111,
  },
  { port: 123, payload: bytes([0x17, 0x00, 0x03, 0x2a], new Uint8Array(4)), weight: 2, sid: 9000112 },
  { port: 11211, payload: bytes([0, 1, 0, 0, 0, 1, 0, 0], 'stats\r\n'), weight: 2, sid: 9000113 },
  {
    port: 1026,
    payload: dceRpcRequest(MESSENGER_UUID, 'SECURITY ALERT: your computer is infected'),
    weight: 2,
    sid: 9000300,
  },
  { port: 1434, payload: slammerPayload(), weight: 1, sid: 9000001 },
  { port: 33435, payload: new Uint8Array(32), weight: 1, sid: 9000600, ttl: 1 },
];
const JUNK_WEIGHT = 20;

export async function writeSignaturePcap(
  path: string,
  packets: number,
  options: { seed?: number; sources?: number } = {},
): Promise<PlantedAlerts> {
  const seed = options.seed ?? 7;
  const random = prng(seed);
  const linkHeader = buildLinkHeader({ kind: 'ethernet' }, 4);
  const tcp = ipv4TcpFields({ linkHeader, window: 1024 });
  const udp = ipv4UdpFields({ linkHeader });
  const icmp = ipv4IcmpFields({ linkHeader });
  const scratch = new CraftBuffer(new Uint8Array(2048));
  const junk = Array.from({ length: 256 }, () =>
    Uint8Array.from({ length: 16 + Math.floor(random() * 480) }, () => Math.floor(random() * 256)),
  );
  const nachi = new Uint8Array(64).fill(0xaa);
  const pool = Uint32Array.from(
    { length: options.sources ?? 200_000 },
    () => (random() * 0xdfffffff + 0x01000000) >>> 0,
  );
  const udpTotal = UDP_KINDS.reduce((n, k) => n + k.weight, JUNK_WEIGHT);
  const planted: PlantedAlerts = { 9000002: 0, 9000402: 0 };
  for (const kind of UDP_KINDS) if (kind.sid !== undefined) planted[kind.sid] = 0;
  const partial = `${path}.part`;
  const writer = new PcapWriter({ linkType: LinkType.EN10MB, output: partial });
  for (let k = 0; k < packets; k++) {
    const src = pool[Math.floor(pool.length * random() ** SKEW)]!;
    const dst = (SENSOR_NET | Math.floor(random() * 0x10000)) >>> 0;
    const roll = random();
    let length: number;
    if (roll < 0.6) {
      tcp.src = src;
      tcp.dst = dst;
      tcp.ipId = k & 0xffff;
      tcp.seq = (random() * 0xffffffff) >>> 0;
      tcp.payload = null;
      if (roll < 0.5) {
        tcp.srcPort = 1024 + (k % 60000);
        tcp.dstPort = random() < 0.8 ? TCP_PORTS[k % TCP_PORTS.length]! : 1024 + Math.floor(random() * 64000);
        tcp.flags = TcpFlag.SYN;
        tcp.ack = 0;
      } else if (roll < 0.58) {
        tcp.srcPort = random() < 0.5 ? 80 : 443;
        tcp.dstPort = 1024 + (k % 60000);
        tcp.flags = random() < 0.6 ? TcpFlag.SYN | TcpFlag.ACK : TcpFlag.RST | TcpFlag.ACK;
        tcp.ack = (random() * 0xffffffff) >>> 0;
      } else {
        tcp.srcPort = 1024 + (k % 60000);
        tcp.dstPort = 80;
        tcp.flags = TcpFlag.PSH | TcpFlag.ACK;
        tcp.ack = (random() * 0xffffffff) >>> 0;
        tcp.payload = HTTP_GET;
      }
      length = writeIpv4Tcp(scratch, tcp);
    } else if (roll < 0.9) {
      udp.src = src;
      udp.dst = dst;
      udp.srcPort = 1024 + (k % 60000);
      udp.ttl = 64;
      let pick = random() * udpTotal;
      const kind = UDP_KINDS.find((candidate) => (pick -= candidate.weight) < 0);
      if (kind === undefined) {
        udp.dstPort = 2048 + Math.floor(random() * 60000);
        udp.payload = junk[k & 0xff]!;
      } else {
        udp.dstPort = kind.port;
        udp.payload = kind.payload;
        udp.ttl = kind.ttl ?? 64;
        if (kind.sid !== undefined) planted[kind.sid]!++;
      }
      length = writeIpv4Udp(scratch, udp);
    } else {
      icmp.src = src;
      icmp.dst = dst;
      icmp.seq = k & 0xffff;
      const kind = random();
      icmp.type = kind < 0.15 ? 0 : 8;
      icmp.payload = kind < 0.15 ? WINDOWS_PING : kind < 0.55 ? WINDOWS_PING : kind < 0.9 ? LINUX_PING : nachi;
      if (icmp.type === 0) planted[9000402]!++;
      else if (icmp.payload === nachi) planted[9000002]!++;
      length = writeIpv4Icmp(scratch, icmp);
    }
    const ns = k * PACKET_SPACING_NS;
    if (
      !writer.writePacket({
        tsSec: T0 + Math.floor(ns / 1e9),
        tsNsec: ns % 1e9,
        bytes: scratch.bytes.subarray(0, length),
      })
    ) {
      await writer.drained();
    }
  }
  await writer.close();
  renameSync(partial, path);
  return planted;
}
