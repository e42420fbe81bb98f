/**
 * @module
 * A seeded generator of reflection floods at a two-sensor telescope, with
 * its ground truth: the frames (crafted with the simulator's packet
 * builder) and the episodes they must give, counted by the generator as it
 * writes each packet, not by the code under test.
 *
 * Planted: a DNS reflection on one tokyo address (answers from 8 reflectors,
 * some continued by fragments), the same again after a pause longer than
 * the gap (a second episode), an NTP reflection on an osaka address seen
 * partly through ICMP port-unreachable errors quoting the spoofed queries, a
 * Memcached reflector flooded from randomly spoofed sources (answers to 12
 * addresses over both sensors), and what must not become an episode: 30 DNS
 * answers from only 2 reflectors to one address, and scattered single
 * answers.
 */

import type { TestFrame } from '../../ingest/testdata/captures.js';
import type { PacketSpec } from '../../simulate/craft/index.js';
import { Rng } from '../../util/random.js';
import { formatIpv4, parseIpv4 } from '../../util/ip-address.js';

export const TOKYO = { name: 'tokyo', label: '', addresses: ['198.51.100.0/28'] };
export const OSAKA = { name: 'osaka', label: '', addresses: ['203.0.113.0/28'] };
/** 2024-05-10T00:00:00Z; the period is that day and the next (UTC). */
export const T0 = 1_715_299_200;
export const FLOOD_PERIOD = '2024-05-10..2024-05-11';

const IP_UDP_HEADERS = 28;
const FRAGMENT_OFFSET = 1480;
const CLIENT_PORT = 40_000;

export interface PlantedEpisode {
  kind: 'reflection' | 'reflector-flood';
  service: string;
  target: string;
  start: number;
  end: number;
  replies: number;
  quotedQueries: number;
  replyBytes: number;
  fragmentBytes: number;
  reflectors: number;
  sensorAddresses: number;
}

interface Planted extends PlantedEpisode {
  reflectorSet: Set<string>;
  addressSet: Set<string>;
}

export interface FloodScenario {
  /** Frames per sensor name, in time order. */
  frames: Map<string, TestFrame[]>;
  truth: PlantedEpisode[];
}

const sensorOf = (dst: string): string => (dst.startsWith('198.51.100.') ? TOKYO.name : OSAKA.name);

export function reflectionFloods(seed: number): FloodScenario {
  const rng = new Rng(seed);
  const frames = new Map<string, TestFrame[]>([[TOKYO.name, []], [OSAKA.name, []]]);
  const truth: Planted[] = [];
  const push = (sec: number, spec: PacketSpec): void => {
    frames.get(sensorOf(formatIpv4(parseIpv4(String(spec.ip!.dst)))))!.push({ sec, nsec: rng.int(1_000_000) * 1000, spec });
  };
  const reflector = (): string => formatIpv4(((61 << 24) | rng.int(1 << 24)) >>> 0);
  const episode = (kind: Planted['kind'], service: string, target: string): Planted => {
    const e: Planted = {
      kind, service, target, start: Infinity, end: -Infinity, replies: 0, quotedQueries: 0, replyBytes: 0, fragmentBytes: 0, reflectors: 0,
      sensorAddresses: 0, reflectorSet: new Set(), addressSet: new Set(),
    };
    truth.push(e);
    return e;
  };
  const seen = (e: Planted, sec: number, from: string, to: string): void => {
    e.start = Math.min(e.start, sec);
    e.end = Math.max(e.end, sec);
    e.reflectorSet.add(from);
    e.addressSet.add(to);
  };
  const answer = (e: Planted | null, o: { sec: number; from: string; to: string; port: number; size: number; fragment?: number }): void => {
    push(o.sec, { ip: { version: 4, src: o.from, dst: o.to, moreFragments: o.fragment !== undefined }, l4: { kind: 'udp', srcPort: o.port, dstPort: CLIENT_PORT }, payload: new Uint8Array(o.size) });
    if (o.fragment !== undefined) push(o.sec, { ip: { version: 4, src: o.from, dst: o.to, fragmentOffset: FRAGMENT_OFFSET, protocol: 17 }, payload: new Uint8Array(o.fragment) });
    if (e === null) return;
    e.replies++;
    e.replyBytes += IP_UDP_HEADERS + o.size;
    e.fragmentBytes += o.fragment === undefined ? 0 : 20 + o.fragment;
    seen(e, Math.floor(o.sec), o.from, o.to);
  };

  // DNS reflection on 198.51.100.5, twice, 2 h apart.
  for (const start of [T0 + 3_600, T0 + 3_600 + 7_200]) {
    const e = episode('reflection', '53/UDP', '198.51.100.5');
    const dns = Array.from({ length: 8 }, reflector);
    for (let k = 0; k < 60; k++) {
      const from = dns[k % dns.length]!;
      const big = k % 5 === 0;
      answer(e, { sec: start + k * 2, from, to: e.target, port: 53, size: big ? 1452 : 300 + rng.int(900), ...(big ? { fragment: 200 + rng.int(800) } : {}) });
    }
  }
  // NTP reflection on 203.0.113.7: 30 answers from 5 reflectors and 10 quoted queries bounced by routers.
  const ntp = episode('reflection', '123/UDP', '203.0.113.7');
  const ntpReflectors = Array.from({ length: 5 }, reflector);
  for (let k = 0; k < 30; k++) answer(ntp, { sec: T0 + 20_000 + k * 3, from: ntpReflectors[k % 5]!, to: ntp.target, port: 123, size: 440 });
  for (let k = 0; k < 10; k++) {
    const to = reflector();
    const sec = T0 + 20_001 + k * 5;
    push(sec, {
      ip: { version: 4, src: '192.0.2.254', dst: ntp.target },
      l4: { kind: 'icmp', type: 3, code: 3, quote: { ip: { version: 4, src: ntp.target, dst: to }, l4: { kind: 'udp', srcPort: CLIENT_PORT, dstPort: 123 }, payload: new Uint8Array(8) } },
    });
    ntp.quotedQueries++;
    seen(ntp, sec, to, ntp.target);
  }
  // A Memcached reflector answering queries spoofed from 12 telescope addresses.
  const memcached = reflector();
  const flood = episode('reflector-flood', '11211/UDP', memcached);
  const spoofed = [...Array.from({ length: 6 }, (_, i) => `198.51.100.${i + 1}`), ...Array.from({ length: 6 }, (_, i) => `203.0.113.${i + 1}`)];
  for (let k = 0; k < 48; k++) answer(flood, { sec: T0 + 40_000 + k * 7, from: memcached, to: spoofed[k % spoofed.length]!, port: 11211, size: 1400 });
  // Not episodes: 30 answers from 2 reflectors to one address; 20 scattered answers.
  const pair = [reflector(), reflector()];
  for (let k = 0; k < 30; k++) answer(null, { sec: T0 + 50_000 + k, from: pair[k % 2]!, to: '198.51.100.9', port: 53, size: 500 });
  for (let k = 0; k < 20; k++) answer(null, { sec: T0 + 60_000 + k * 400, from: reflector(), to: `203.0.113.${1 + (k % 14)}`, port: 53, size: 120 });

  for (const list of frames.values()) list.sort((a, b) => a.sec - b.sec || (a.nsec ?? 0) - (b.nsec ?? 0));
  return {
    frames,
    truth: truth.map(({ reflectorSet, addressSet, ...e }) => ({ ...e, reflectors: reflectorSet.size, sensorAddresses: addressSet.size })),
  };
}
