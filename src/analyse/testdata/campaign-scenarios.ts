/**
 * @module
 * A seeded generator of scanning campaigns at a /24 telescope, with ground
 * truth: which sources belong to which planted campaign. Probes are crafted
 * with each tool's header habits (`detect/fingerprint.ts`; hping3: window
 * 64, source port +1 per probe, a host IP ID counter).
 *
 * Planted campaigns: Masscan rotating over 4 addresses in different
 * networks (each starts 10–50 s after the previous stopped, 12 ports, fixed
 * source port); ZMap from 3 addresses of one /24 on 443/TCP, together;
 * hping3 handing over from one address to another (10 ports); Nmap from two
 * addresses of one /24 (20 ports), together. Unrelated sources share their
 * ports: Mirai bots on 23/TCP, plain hosts on 445/TCP and lone ZMap scans of
 * 443/TCP at random times of the day, from random networks.
 */

import type { TestFrame } from '../../ingest/testdata/captures.js';
import { tcpOptions, type PacketSpec } from '../../simulate/craft/index.js';
import { Rng } from '../../util/random.js';
import { formatIpv4 } from '../../util/ip-address.js';

export const CAMPAIGN_SENSOR = { name: 'tokyo', label: '', addresses: ['198.51.100.0/24'] };
/** 2024-06-03T00:00:00Z; the period is that day (UTC). */
export const DAY0 = 1_717_372_800;
export const CAMPAIGN_PERIOD = '2024-06-03';
const DAY = 86_400;
const SYN = 0x02;

type Tool = 'masscan' | 'zmap' | 'hping3' | 'nmap' | 'mirai' | 'plain';

interface Scan {
  src: string;
  tool: Tool;
  ports: number[];
  start: number;
  duration: number;
  /** Probes per port. */
  perPort: number;
  ttl: number;
  sport: number;
  window: number;
}

export interface CampaignScenario {
  frames: TestFrame[];
  /** Source → planted campaign name; unrelated sources are absent. */
  campaignOf: Map<string, string>;
  sources: string[];
}

const COMMON_WINDOWS = [64240, 29200, 8192];

export function campaignScenario(seed: number): CampaignScenario {
  const rng = new Rng(seed);
  const scans: Scan[] = [];
  const campaignOf = new Map<string, string>();
  const usedNets = new Set<number>();
  const net24 = (): number => {
    for (;;) {
      const net = ((11 + rng.int(200)) << 16) | rng.int(1 << 16);
      if (!usedNets.has(net)) {
        usedNets.add(net);
        return net;
      }
    }
  };
  const host = (net: number, h?: number): string => formatIpv4(((net << 8) | (h ?? 1 + rng.int(254))) >>> 0);
  const ttl = (initial: number): number => initial - 5 - rng.int(20);
  const ports = (n: number): number[] => {
    const set = new Set<number>();
    while (set.size < n) set.add(1 + rng.int(9999));
    return [...set];
  };
  const plant = (name: string, list: Scan[]): void => {
    for (const s of list) {
      scans.push(s);
      campaignOf.set(s.src, name);
    }
  };
  const dayTime = (): number => DAY0 + 600 + rng.int(DAY - 8000);

  // Masscan rotating over four networks.
  const masscanPorts = ports(12);
  let t = dayTime();
  plant('masscan-rotation', Array.from({ length: 4 }, (): Scan => {
    const s: Scan = { src: host(net24()), tool: 'masscan', ports: masscanPorts, start: t, duration: 300 + rng.int(300), perPort: 4, ttl: ttl(255), sport: 61000, window: 1024 };
    t = s.start + s.duration + 10 + rng.int(40);
    return s;
  }));
  // ZMap from one /24, together.
  const zmapNet = net24();
  const zStart = dayTime();
  plant('zmap-block', [1, 2, 3].map((h): Scan => ({
    src: host(zmapNet, h * 7), tool: 'zmap', ports: [443], start: zStart + rng.int(20), duration: 900, perPort: 30, ttl: ttl(255), sport: 40000 + rng.int(20000), window: 65535,
  })));
  // hping3 handing over.
  const hpingPorts = ports(10);
  const h1: Scan = { src: host(net24()), tool: 'hping3', ports: hpingPorts, start: dayTime(), duration: 400, perPort: 3, ttl: ttl(64), sport: 1000 + rng.int(30000), window: 64 };
  const h2: Scan = { ...h1, src: host(net24()), start: h1.start + h1.duration + 5 + rng.int(30), ttl: ttl(64), sport: 1000 + rng.int(30000) };
  plant('hping3-handover', [h1, h2]);
  // Nmap from two addresses of one /24, together.
  const nmapNet = net24();
  const nmapPorts = ports(20);
  const nStart = dayTime();
  plant('nmap-pair', [1, 2].map((h): Scan => ({
    src: host(nmapNet, h * 50), tool: 'nmap', ports: nmapPorts, start: nStart + rng.int(30), duration: 200, perPort: 1, ttl: ttl(64), sport: 30000 + rng.int(30000), window: 1024,
  })));
  // Unrelated sources sharing those ports.
  for (let k = 0; k < 25; k++) {
    scans.push({ src: host(net24()), tool: 'mirai', ports: [23], start: dayTime(), duration: 300 + rng.int(3000), perPort: 20, ttl: ttl(64), sport: 0, window: 0 });
    scans.push({
      src: host(net24()), tool: 'plain', ports: [445], start: dayTime(), duration: 300 + rng.int(3000), perPort: 15, ttl: ttl(rng.int(2) === 0 ? 64 : 128), sport: 0,
      window: COMMON_WINDOWS[rng.int(COMMON_WINDOWS.length)]!,
    });
  }
  for (let k = 0; k < 10; k++) {
    scans.push({ src: host(net24()), tool: 'zmap', ports: [443], start: dayTime(), duration: 600 + rng.int(1200), perPort: 20, ttl: ttl(255), sport: 40000 + rng.int(20000), window: 65535 });
  }

  const frames: TestFrame[] = [];
  for (const s of scans) {
    const probes = s.ports.length * s.perPort;
    let ipId = rng.int(0x10000);
    for (let p = 0; p < probes; p++) {
      const dstPort = s.ports[p % s.ports.length]!;
      const dstNum = ((198 << 24) | (51 << 16) | (100 << 8) | rng.int(256)) >>> 0;
      const sec = s.start + Math.floor((p * s.duration) / Math.max(probes - 1, 1));
      frames.push({ sec, nsec: rng.int(1_000_000) * 1000, spec: probe(s, { p, dstNum, dstPort, ipId: (ipId = (ipId + 1 + rng.int(3)) & 0xffff) }, rng) });
    }
  }
  frames.sort((a, b) => a.sec - b.sec || (a.nsec ?? 0) - (b.nsec ?? 0));
  return { frames, campaignOf, sources: scans.map((s) => s.src) };
}

function probe(s: Scan, at: { p: number; dstNum: number; dstPort: number; ipId: number }, rng: Rng): PacketSpec {
  const dst = formatIpv4(at.dstNum);
  const ip = { version: 4 as const, src: s.src, dst, ttl: s.ttl };
  const tcp = { kind: 'tcp' as const, dstPort: at.dstPort, flags: SYN };
  switch (s.tool) {
    case 'masscan': {
      const seq = rng.uint32();
      return { ip: { ...ip, id: (at.dstNum ^ at.dstPort ^ seq) & 0xffff }, l4: { ...tcp, srcPort: s.sport, seq, window: s.window } };
    }
    case 'zmap':
      return { ip: { ...ip, id: 54321 }, l4: { ...tcp, srcPort: s.sport + rng.int(64), seq: rng.uint32(), window: s.window } };
    case 'hping3':
      return { ip: { ...ip, id: at.ipId }, l4: { ...tcp, srcPort: s.sport + at.p, seq: rng.uint32(), window: s.window } };
    case 'nmap':
      return { ip: { ...ip, id: rng.int(0x10000) }, l4: { ...tcp, srcPort: s.sport, seq: rng.uint32(), window: s.window, options: tcpOptions([{ kind: 'mss', value: 1460 }]) } };
    case 'mirai':
      return { ip: { ...ip, id: rng.int(0x10000) }, l4: { ...tcp, srcPort: 1024 + rng.int(60000), seq: at.dstNum, window: rng.int(0x10000) } };
    case 'plain':
      return { ip: { ...ip, id: rng.int(0x10000) }, l4: { ...tcp, srcPort: 49152 + rng.int(16000), seq: rng.uint32(), window: s.window } };
  }
}
