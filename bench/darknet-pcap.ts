/**
 * @module
 * A darknet-shaped benchmark capture: small packets in the mix a telescope
 * sees (TCP SYN probes, SYN/ACK and RST/ACK backscatter, UDP probes with a
 * short payload, ICMP echo and time-exceeded), written with the project's own
 * crafting library and pcap writer from a seeded generator. Returns the
 * planted per-protocol counts so the benchmark can check every decoder.
 */
import { renameSync } from 'node:fs';
import type { Writable } from 'node:stream';
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
import { uniform as prng } from '../src/util/random.js';

export interface PlantedCounts {
  packets: number;
  tcp: number;
  udp: number;
  icmp: number;
}

const SENSOR_NET = 0xc0000200; // 192.0.2.0/24
const PROBE_PORTS = [445, 23, 1433, 135, 139, 80, 8080, 3389, 22, 9415];
const UDP_PORTS = [1434, 137, 53, 6881, 1026, 5060];
const T0 = 1_275_350_400; // 2010-06-01T00:00:00Z
const DEFAULT_SPACING_NS = 1000;
const NS_PER_SECOND = 1e9;

export interface DarknetOptions {
  seed?: number;
  /** Draws each packet's source address; default a new uniformly random address per packet. */
  source?: (random: () => number) => number;
  /** The /24 the packets go to, as a 32-bit address; default 192.0.2.0 (several sensors need disjoint blocks). */
  sensorNet?: number;
  /** Capture time of the first packet, seconds since the epoch; default 2010-06-01T00:00:00Z. */
  startSec?: number;
  /** Capture time between packets in nanoseconds; default 1,000 (a million packets a second). */
  spacingNs?: number;
}

/** Writes the capture to `path` (atomically, through a `.part` file). */
export async function writeDarknetPcap(
  path: string,
  packets: number,
  options: DarknetOptions = {},
): Promise<PlantedCounts> {
  const partial = `${path}.part`;
  const counts = await writeDarknetCapture(partial, packets, options);
  renameSync(partial, path);
  return counts;
}

/** Writes the capture to a file path or a stream (the memory benchmark pipes it). */
export async function writeDarknetCapture(
  output: string | Writable,
  packets: number,
  options: DarknetOptions = {},
): Promise<PlantedCounts> {
  const random = prng(options.seed ?? 1);
  const source = options.source ?? ((r: () => number) => (r() * 0xdfffffff + 0x01000000) >>> 0);
  const sensorNet = options.sensorNet ?? SENSOR_NET;
  const spacingNs = options.spacingNs ?? DEFAULT_SPACING_NS;
  const linkHeader = buildLinkHeader({ kind: 'ethernet' }, 4);
  const tcp = ipv4TcpFields({ linkHeader, window: 1024 });
  const udp = ipv4UdpFields({ linkHeader, payload: new Uint8Array(16) });
  const icmp = ipv4IcmpFields({ linkHeader, payload: new Uint8Array(32) });
  const scratch = new CraftBuffer(new Uint8Array(256));
  const writer = new PcapWriter({ linkType: LinkType.EN10MB, output });
  const counts: PlantedCounts = { packets, tcp: 0, udp: 0, icmp: 0 };
  for (let k = 0; k < packets; k++) {
    const src = source(random);
    const dst = (sensorNet | (k & 0xff)) >>> 0;
    const roll = random();
    let length: number;
    if (roll < 0.7) {
      const backscatter = roll >= 0.55;
      tcp.src = src;
      tcp.dst = dst;
      tcp.ipId = k & 0xffff;
      tcp.srcPort = backscatter ? (roll < 0.65 ? 80 : 6667) : 1024 + (k % 60000);
      tcp.dstPort = backscatter ? 1024 + (k % 60000) : PROBE_PORTS[k % PROBE_PORTS.length]!;
      tcp.flags = !backscatter ? TcpFlag.SYN : roll < 0.65 ? TcpFlag.SYN | TcpFlag.ACK : TcpFlag.RST | TcpFlag.ACK;
      tcp.seq = (random() * 0xffffffff) >>> 0;
      tcp.ack = backscatter ? (random() * 0xffffffff) >>> 0 : 0;
      length = writeIpv4Tcp(scratch, tcp);
      counts.tcp++;
    } else if (roll < 0.9) {
      udp.src = src;
      udp.dst = dst;
      udp.srcPort = 1024 + (k % 60000);
      udp.dstPort = UDP_PORTS[k % UDP_PORTS.length]!;
      length = writeIpv4Udp(scratch, udp);
      counts.udp++;
    } else {
      icmp.src = src;
      icmp.dst = dst;
      icmp.type = roll < 0.97 ? 8 : 0;
      icmp.seq = k & 0xffff;
      length = writeIpv4Icmp(scratch, icmp);
      counts.icmp++;
    }
    const ns = k * spacingNs;
    if (
      !writer.writePacket({
        tsSec: (options.startSec ?? T0) + Math.floor(ns / NS_PER_SECOND),
        tsNsec: ns % NS_PER_SECOND,
        bytes: scratch.bytes.subarray(0, length),
      })
    ) {
      await writer.drained();
    }
  }
  await writer.close();
  return counts;
}
