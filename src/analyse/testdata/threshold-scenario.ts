/**
 * @module
 * Test support: UDP probes to two sensors over three UTC days (2010-06-01 …
 * 03), seeded, for the threshold rules below (every type and track, and a
 * rule without threshold that covers some of their packets). One source
 * probes every 6–12 s from 06-01T18:00Z to 06-02T06:00Z, pausing 65 s about
 * once an hour, so its chains run across the middle day's start from hours
 * before it; others come in bursts. Every packet has
 * its own microsecond, so the time order of the merged stream is one order.
 */

import type { TestFrame } from '../../ingest/testdata/captures.js';
import { Rng } from '../../util/random.js';

/** 2010-06-01T00:00:00Z. */
export const T0 = 1_275_350_400;
const DAY = 86_400;
const HOUR = 3600;
export const EAST = { name: 'east', label: '', addresses: ['192.0.2.0/29'] };
export const WEST = { name: 'west', label: '', addresses: ['198.51.100.0/29'] };

export const THRESHOLD_RULES = `
alert udp any any -> any any (msg:"both by_src 5 in 60"; threshold:type both, track by_src, count 5, seconds 60; classtype:network-scan; sid:9100001; rev:1;)
alert udp any any -> any 53 (msg:"limit by_dst 2 in 30"; threshold:type limit, track by_dst, count 2, seconds 30; classtype:network-scan; sid:9100002; rev:1;)
alert udp any any -> any any (msg:"threshold by_src 3 in 20"; threshold:type threshold, track by_src, count 3, seconds 20; classtype:network-scan; sid:9100003; rev:1;)
alert udp any any -> any 53 (msg:"detection_filter by_src 4 in 40"; detection_filter:track by_src, count 4, seconds 40; classtype:network-scan; sid:9100004; rev:1;)
alert udp any any -> any 123 (msg:"plain NTP probe"; classtype:network-scan; sid:9100005; rev:1;)
alert udp any any -> any 1434 (msg:"limit by_rule 1 in 100"; threshold:type limit, track by_rule, count 1, seconds 100; classtype:misc-activity; sid:9100006; rev:1;)
alert udp any any -> any any (msg:"both by_both 2 in 10"; threshold:type both, track by_both, count 2, seconds 10; classtype:misc-activity; sid:9100007; rev:1;)
`;

/** Threshold rules of which no two share a category (so their matches group), and a rule without threshold covering some. */
export const DENSE_RULES = `
alert udp any any -> any any (msg:"both by_src 7 in 60"; threshold:type both, track by_src, count 7, seconds 60; classtype:network-scan; sid:9200001; rev:1;)
alert udp any any -> any 123 (msg:"plain NTP probe"; classtype:network-scan; sid:9200002; rev:1;)
alert udp any any -> any 53 (msg:"limit by_rule 3 in 2"; threshold:type limit, track by_rule, count 3, seconds 2; classtype:attempted-dos; sid:9200003; rev:1;)
alert udp any any -> any 1434 (msg:"threshold by_dst 2 in 60"; threshold:type threshold, track by_dst, count 2, seconds 60; classtype:misc-activity; sid:9200004; rev:1;)
alert udp any any -> any 7 (msg:"detection_filter by_src 5 in 30"; detection_filter:track by_src, count 5, seconds 30; classtype:trojan-activity; sid:9200005; rev:1;)
`;

export interface ScenarioPacket {
  sensor: string;
  /** Microseconds since the epoch. */
  us: number;
  src: string;
  dst: string;
  dport: number;
}

const PORTS = [53, 123, 1434, 7];

function dstOf(rng: Rng): { sensor: string; dst: string } {
  const sensor = rng.chance(0.5) ? EAST : WEST;
  const base = sensor.addresses[0]!.replace(/\.0\/29$/, '');
  return { sensor: sensor.name, dst: `${base}.${rng.int(8)}` };
}

/** The packets in time order (each at its own microsecond). */
export function thresholdPackets(seed: number): ScenarioPacket[] {
  const rng = new Rng(seed);
  const out: ScenarioPacket[] = [];
  const used = new Set<number>();
  const add = (sec: number, src: string): void => {
    let us = Math.floor(sec * 1e6);
    while (used.has(us)) us++;
    used.add(us);
    out.push({ ...dstOf(rng), us, src, dport: rng.pick(PORTS) });
  };
  for (let t = T0 + DAY - 6 * HOUR; t < T0 + DAY + 6 * HOUR; t += rng.between(6, 12) + (rng.chance(1 / 400) ? 65 : 0))
    add(t, '203.0.113.1');
  // Bursts of three other sources, some across local midnight.
  for (let b = 0; b < 60; b++) {
    const src = `203.0.113.${2 + rng.int(3)}`;
    let t = b % 10 === 0 ? T0 + DAY * (1 + rng.int(2)) - rng.between(0, 90) : T0 + rng.between(0, 3 * DAY - 600);
    const n = 1 + rng.int(15);
    for (let k = 0; k < n; k++) {
      add(t, src);
      t += rng.between(0, 12);
    }
  }
  return out.sort((a, b) => a.us - b.us);
}

/**
 * Bursts inside single seconds on 2010-06-01 and 02: two to four sources
 * send 5–40 probes each within one second, to both sensors in random order
 * and to random ports, so one chain's matches in a second come from two
 * sensors, with and without a rule without threshold covering them
 * (NTP), and from several sources (`by_dst`, `by_rule`). Each packet has its
 * own microsecond.
 */
export function denseThresholdPackets(seed: number): ScenarioPacket[] {
  const rng = new Rng(seed);
  const out: ScenarioPacket[] = [];
  const used = new Set<number>();
  for (let b = 0; b < 40; b++) {
    const sec = T0 + rng.int(2 * DAY);
    const sources = Array.from({ length: 2 + rng.int(3) }, () => `203.0.113.${10 + rng.int(20)}`);
    for (let n = 5 + rng.int(36); n > 0; n--) {
      let us = sec * 1e6 + rng.int(1e6);
      while (used.has(us)) us++;
      used.add(us);
      out.push({ ...dstOf(rng), us, src: rng.pick(sources), dport: rng.pick(PORTS) });
    }
  }
  return out.sort((a, b) => a.us - b.us);
}

export function frameOf(p: ScenarioPacket): TestFrame {
  return {
    sec: Math.floor(p.us / 1e6),
    nsec: (p.us % 1e6) * 1000,
    spec: {
      ip: { version: 4, src: p.src, dst: p.dst, id: p.us % 65536 },
      l4: { kind: 'udp', srcPort: 40000 + (p.us % 1000), dstPort: p.dport },
      payload: new Uint8Array(8),
    },
  };
}
