import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EnrichedBatch } from '../classify/enrich.js';
import { TcpFlag } from '../decode/batch.js';
import { compileScenario } from './compile-scenario.js';
import type { CompiledStream } from './compiled.js';
import { masscanIpId, ZMAP_IP_ID } from './family-fill.js';
import { loadScenario } from './scenario-load.js';
import { countryNetworks } from './simulate.js';
import { simulateAndRead } from './testdata/simulate-read.js';
import { tallyCaptures } from './testdata/decode-tally.js';

/** What one decoded packet looked like, with the stream it was planted by. */
interface Seen {
  stream: CompiledStream;
  proto: number;
  src: number;
  dst: number;
  sport: number;
  dport: number;
  ttl: number;
  ipId: number;
  ipLen: number;
  flags: number;
  seq: number;
  window: number;
  tcpHeader: number;
  icmpType: number;
  innerDst: number;
  innerSrc: number;
  innerDport: number;
  payload: Uint8Array;
}

const seen = new Map<string, Seen[]>();
const SEED = 7;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'teiten-families-'));
  const result = await simulateAndRead('detector-check', { outDir: dir, seed: SEED });
  // Recompile independently to learn which stream each source address belongs to.
  const compiled = compileScenario(loadScenario('detector-check').scenario, {
    networks: countryNetworks(),
    seed: SEED,
  });
  const owners = new Map<number, CompiledStream[]>();
  for (const stream of compiled.streams) {
    for (const address of stream.pool.addresses) owners.set(address, [...(owners.get(address) ?? []), stream]);
  }
  await tallyCaptures(result.truth, dir, {
    onPacket: ({ batch }: EnrichedBatch, i) => {
      const streams = [...new Set(owners.get(batch.src4[i]!) ?? [])];
      const entries = new Set(streams.map((s) => s.entry));
      if (entries.size !== 1) return;
      // Backscatter entries give two streams (syn-ack, rst-ack) sharing victims: tell them by flags.
      const flags = batch.tcpFlags[i]!;
      const stream =
        streams.length === 1
          ? streams[0]!
          : streams.find((s) => (s.family === 'rst-ack') === ((flags & TcpFlag.RST) !== 0))!;
      const off = batch.payloadOff[i]!;
      const record: Seen = {
        stream,
        proto: batch.proto[i]!,
        src: batch.src4[i]!,
        dst: batch.dst4[i]!,
        sport: batch.sport[i]!,
        dport: batch.dport[i]!,
        ttl: batch.ttl[i]!,
        ipId: batch.ipId[i]!,
        ipLen: batch.ipLen[i]!,
        flags,
        seq: batch.tcpSeq[i]!,
        window: batch.tcpWin[i]!,
        tcpHeader: batch.tcpHdrLen[i]!,
        icmpType: batch.icmpType[i]!,
        innerDst: batch.innerDst4[i]!,
        innerSrc: batch.innerSrc4[i]!,
        innerDport: batch.innerDport[i]!,
        payload: batch.data.slice(off, off + batch.payloadLen[i]!),
      };
      let list = seen.get(stream.name);
      if (list === undefined) seen.set(stream.name, (list = []));
      list.push(record);
    },
  });
});

function packetsOf(name: string): Seen[] {
  const list = seen.get(name) ?? [];
  expect(list.length, `packets of ${name}`).toBeGreaterThan(0);
  return list;
}

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

describe('planted families', () => {
  it('slammer: one 376-byte datagram to 1434/UDP starting with 0x04', () => {
    for (const p of packetsOf('slammer')) {
      expect([p.proto, p.dport, p.payload.length, p.ipLen, p.payload[0]]).toEqual([17, 1434, 376, 404, 0x04]);
      expect(text(p.payload)).toContain('sock');
    }
  });

  it('nachi: ICMP echo request with 64 bytes of 0xAA; plain pings carry the Windows payload', () => {
    for (const p of packetsOf('nachi')) {
      expect([p.proto, p.icmpType, p.ipLen, p.payload.length]).toEqual([1, 8, 92, 64]);
      expect(p.payload.every((b) => b === 0xaa)).toBe(true);
    }
    for (const p of packetsOf('ping')) expect(text(p.payload)).toBe('abcdefghijklmnopqrstuvwabcdefghi');
  });

  it('syn-scan: Windows SYNs from TTL 128 with MSS/SACK options, Linux ones from TTL 64 with timestamps', () => {
    for (const p of packetsOf('conficker')) {
      expect([p.dport, p.flags, p.window, p.tcpHeader]).toEqual([445, TcpFlag.SYN, 65535, 28]);
      expect(p.ttl).toBeGreaterThan(100);
      expect(p.ttl).toBeLessThanOrEqual(128);
    }
    for (const p of packetsOf('telnet')) {
      expect([p.dport, p.window, p.tcpHeader]).toEqual([23, 5840, 40]);
      expect(p.ttl).toBeLessThanOrEqual(64);
    }
    for (const p of packetsOf('proxy-9415')) expect([p.sport, p.dport]).toEqual([6000, 9415]);
    for (const p of packetsOf('proxies')) expect([8080, 3128, 1080, 8000]).toContain(p.dport);
    for (const p of packetsOf('ack-ping')) expect(p.flags).toBe(TcpFlag.ACK);
    const together = packetsOf('bots-135-139-445');
    expect(new Set(together.map((p) => p.dport))).toEqual(new Set([135, 139, 445]));
  });

  it('bittorrent-dht: a bencoded ping to the one port each sensor address is pinged on', () => {
    const portsByAddress = new Map<number, Set<number>>();
    for (const p of packetsOf('bittorrent')) {
      expect(text(p.payload)).toMatch(/^d1:ad2:id20:[\s\S]{20}e1:q4:ping1:t2:[a-z]{2}1:y1:qe$/);
      portsByAddress.set(p.dst, (portsByAddress.get(p.dst) ?? new Set()).add(p.dport));
    }
    for (const ports of portsByAddress.values()) expect(ports.size).toBe(1);
  });

  it('messenger-popup: a DCE/RPC v4 request to the Messenger interface on 1026–1028/UDP', () => {
    for (const p of packetsOf('messenger')) {
      expect([1026, 1027, 1028]).toContain(p.dport);
      expect([p.payload[0], p.payload[1]]).toEqual([4, 0]);
      expect(Buffer.from(p.payload.subarray(24, 40)).toString('hex')).toBe('f8917b5a00ffd011a9b200c04fb6e6fc');
    }
  });

  it('dns-any, dns-answer and traceroute look like what they are', () => {
    for (const p of packetsOf('dns-any')) {
      expect(p.dport).toBe(53);
      expect(text(p.payload)).toContain('\x03isc\x03org\x00\x00\xff\x00\x01');
    }
    for (const p of packetsOf('dns-reflection')) {
      expect(p.sport).toBe(53);
      expect(p.dport).toBeGreaterThanOrEqual(1024);
      expect([p.payload[2], p.payload[3], p.payload[7]]).toEqual([0x81, 0x80, 13]);
    }
    for (const p of packetsOf('traceroute')) {
      expect(p.dport).toBeGreaterThanOrEqual(33434);
      expect(p.dport).toBeLessThanOrEqual(33534);
      expect(p.payload[0]).toBe(0x40);
      expect(p.ttl).toBeGreaterThanOrEqual(1);
      expect(p.ttl).toBeLessThanOrEqual(4);
    }
  });

  it('time-exceeded: routers quote the forged packet from the sensor to the victim', () => {
    const reflectors = packetsOf('dns-reflection')[0]!.stream.pool.addresses;
    for (const p of packetsOf('reflection-time-exceeded')) {
      expect([p.proto, p.icmpType, p.innerDport, p.innerSrc]).toEqual([1, 11, 53, p.dst]);
      expect(reflectors).toContain(p.innerDst);
    }
    for (const p of packetsOf('web-time-exceeded')) expect(p.innerDport).toBe(80);
  });

  it('backscatter: SYN/ACK and RST/ACK from the victim port, echo replies for ICMP floods', () => {
    for (const p of packetsOf('irc-6667:syn-ack'))
      expect([p.sport, p.flags]).toEqual([6667, TcpFlag.SYN | TcpFlag.ACK]);
    for (const p of packetsOf('game-servers:rst-ack')) {
      expect([p.flags, p.window]).toEqual([TcpFlag.RST | TcpFlag.ACK, 0]);
      expect([6116, 6532, 31414]).toContain(p.sport);
    }
    for (const p of packetsOf('icmp-flood:echo-reply')) expect([p.proto, p.icmpType]).toEqual([1, 0]);
  });

  it('scanner tools carry their fingerprints', () => {
    for (const p of packetsOf('zmap-https')) expect([p.ipId, p.window, p.tcpHeader]).toEqual([ZMAP_IP_ID, 65535, 20]);
    for (const p of packetsOf('masscan-rdp'))
      expect([p.ipId, p.window, p.dport]).toEqual([masscanIpId(p.dst, p.dport, p.seq), 1024, 3389]);
    for (const p of packetsOf('mirai')) {
      expect(p.seq).toBe(p.dst);
      expect([23, 2323]).toContain(p.dport);
    }
  });
});
