/**
 * @module
 * Header values of one visit's packets, per family: sequence numbers, IP ids,
 * TTLs, windows and the family's extra value (`aux`). Everything random is
 * drawn here, at planning time, so crafting a row later needs no randomness
 * and the output depends only on the plan.
 *
 * Sender traits follow the OS profile (`OS_INFO`): Windows counts IP ids up
 * and starts at TTL 128, Linux draws ids and starts at 64, raw-socket tools at
 * 255. Retransmissions repeat the sequence number. Scanner tools overwrite
 * the traits their fingerprint consists of.
 */

import type { CompiledStream } from './compiled.js';
import { OS_INFO, type FamilyName } from './families.js';
import type { PacketPlan } from './packet-plan.js';
import type { Rng } from '../util/random.js';

/** ZMap's constant IP identification. */
export const ZMAP_IP_ID = 54321;
const MASSCAN_WINDOW = 1024;
const ZMAP_WINDOW = 65535;
const TOOL_TTL = 255;
const LINUX_TTL = 64;
/**
 * Hops left on arrival of a traceroute probe that reaches a darknet address:
 * traceroute raises the TTL one probe at a time from 1, so a probe gets
 * through with only the hops it needed to spare (1–4), never with an OS's
 * initial TTL less the path. The bundled rule sid 9000600 asks for TTL < 5.
 */
const TRACEROUTE_TTL_SPARE = 4;
/** Windows ping's identifier (bytes 00 02 on the wire in XP-era stacks, read big-endian as 512). */
const WINDOWS_PING_ID = 0x0200;
const U16 = 0x10000;

/** Shared per-visit values the planner sets before `fill`. */
export interface Visit {
  src: number;
  dst: number;
  /** Router hops between sender and sensor (lowers the TTL). */
  hops: number;
  dport: number;
  /** Quoted victim (time-exceeded) or 0. */
  victim: number;
}

export type Filler = (
  plan: PacketPlan,
  range: { from: number; to: number },
  s: CompiledStream,
  visit: Visit,
  rng: Rng,
) => void;

/** Masscan's IP id: destination address, port and sequence number folded. */
export function masscanIpId(dst: number, dport: number, seq: number): number {
  return ((dst ^ dport ^ seq) >>> 0) & 0xffff;
}

function ipIds(plan: PacketPlan, from: number, to: number, s: CompiledStream, rng: Rng): void {
  if (s.os === 'windows') {
    const base = rng.int(U16);
    for (let i = from; i < to; i++) plan.ipId[i] = (base + (i - from)) & 0xffff;
  } else {
    for (let i = from; i < to; i++) plan.ipId[i] = rng.int(U16);
  }
}

function ttlAndWindow(plan: PacketPlan, from: number, to: number, s: CompiledStream, visit: Visit): void {
  const os = OS_INFO[s.os];
  for (let i = from; i < to; i++) {
    plan.ttl[i] = os.ttl - visit.hops;
    plan.win[i] = os.window;
  }
}

const synProbe: Filler = (plan, { from, to }, s, visit, rng) => {
  ipIds(plan, from, to, s, rng);
  ttlAndWindow(plan, from, to, s, visit);
  const seq = rng.uint32();
  const tsval = rng.uint32();
  for (let i = from; i < to; i++) {
    plan.seq[i] = seq;
    plan.aux[i] = (tsval + (i - from) * 1000) >>> 0;
  }
  switch (s.tool) {
    case 'zmap':
      for (let i = from; i < to; i++) {
        plan.ipId[i] = ZMAP_IP_ID;
        plan.ttl[i] = TOOL_TTL - visit.hops;
        plan.win[i] = ZMAP_WINDOW;
      }
      break;
    case 'masscan':
      for (let i = from; i < to; i++) {
        plan.ipId[i] = masscanIpId(visit.dst, plan.dport[i]!, seq);
        plan.ttl[i] = TOOL_TTL - visit.hops;
        plan.win[i] = MASSCAN_WINDOW;
      }
      break;
    case 'mirai': {
      const window = rng.int(U16);
      for (let i = from; i < to; i++) {
        plan.seq[i] = visit.dst;
        plan.ttl[i] = LINUX_TTL - visit.hops;
        plan.win[i] = window;
      }
      break;
    }
    case null:
      break;
  }
};

const ackProbe: Filler = (plan, { from, to }, s, visit, rng) => {
  ipIds(plan, from, to, s, rng);
  ttlAndWindow(plan, from, to, s, visit);
  const seq = rng.uint32();
  const ack = rng.uint32();
  for (let i = from; i < to; i++) {
    plan.seq[i] = seq;
    plan.ack[i] = ack;
  }
};

/** A victim's answer: Linux sends DF packets with IP id 0. */
const synAck: Filler = (plan, { from, to }, s, visit, rng) => {
  ttlAndWindow(plan, from, to, s, visit);
  const seq = rng.uint32();
  const ack = rng.uint32();
  for (let i = from; i < to; i++) {
    plan.seq[i] = seq;
    plan.ack[i] = ack;
  }
};

const rstAck: Filler = (plan, { from, to }, s, visit, rng) => {
  ttlAndWindow(plan, from, to, s, visit);
  for (let i = from; i < to; i++) {
    plan.ack[i] = rng.uint32();
    plan.win[i] = 0;
  }
};

/** UDP and ICMP requests: ids by OS, a fresh transaction value per packet. */
const datagram: Filler = (plan, { from, to }, s, visit, rng) => {
  ipIds(plan, from, to, s, rng);
  ttlAndWindow(plan, from, to, s, visit);
  for (let i = from; i < to; i++) plan.aux[i] = rng.uint32();
};

/**
 * Traceroute probes: low arriving TTLs. Taken from the packet's own random
 * value (`aux`, unused by the traceroute writer), so no extra draw shifts
 * the stream's other random values.
 */
const traceroute: Filler = (plan, range, s, visit, rng) => {
  datagram(plan, range, s, visit, rng);
  for (let i = range.from; i < range.to; i++) plan.ttl[i] = 1 + (plan.aux[i]! % TRACEROUTE_TTL_SPARE);
};

const windowsPing: Filler = (plan, { from, to }, s, visit, rng) => {
  ipIds(plan, from, to, s, rng);
  ttlAndWindow(plan, from, to, s, visit);
  const seq = rng.int(U16);
  for (let i = from; i < to; i++) plan.aux[i] = ((WINDOWS_PING_ID << 16) | ((seq + (i - from) * 0x100) & 0xffff)) >>> 0;
};

/** A router's error: its own TTL and id; `seq` keeps the quoted packet's IP id, `aux` its destination. */
const timeExceeded: Filler = (plan, { from, to }, s, visit, rng) => {
  ttlAndWindow(plan, from, to, s, visit);
  for (let i = from; i < to; i++) {
    plan.ipId[i] = rng.int(U16);
    plan.seq[i] = rng.int(U16);
    plan.aux[i] = visit.victim;
  }
};

export const FILLERS: Readonly<Record<FamilyName, Filler>> = {
  'syn-scan': synProbe,
  'proxy-probe': synProbe,
  'ack-probe': ackProbe,
  'udp-probe': datagram,
  slammer: datagram,
  nachi: windowsPing,
  'echo-request': windowsPing,
  'bittorrent-dht': datagram,
  'messenger-popup': datagram,
  'dns-any': datagram,
  traceroute,
  'dns-answer': datagram,
  'time-exceeded': timeExceeded,
  'syn-ack': synAck,
  'rst-ack': rstAck,
  'echo-reply': datagram,
};
