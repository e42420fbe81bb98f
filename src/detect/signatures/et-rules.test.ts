import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bytes, dnsQuery } from '../../../bench/darknet-payloads.js';
import { TcpFlag } from '../../decode/batch.js';
import { loadRuleFiles, type RuleLoad } from './load-rules.js';
import { SignatureEngine } from './signature-engine.js';
import { craftBatch, icmp, sidsPerPacket, tcp, udp, type TimedPacket } from './testdata/craft-batch.js';

/** Emerging Threats Open rules kept outside the project (see /work/shared/rules/README.md). */
const ET_DIR = process.env.TEITEN_ET_RULES ?? '/work/shared/rules/et-open';
const available = existsSync(ET_DIR);
if (!available) console.log(`ET rule tests skipped: ${ET_DIR} is absent (set TEITEN_ET_RULES to an et-open directory)`);

function ruleFiles(): string[] {
  return readdirSync(ET_DIR)
    .filter((f) => f.endsWith('.rules'))
    .sort()
    .map((f) => join(ET_DIR, f));
}

function countByKeyword(load: RuleLoad): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const s of load.skipped) counts.set(s.keyword, (counts.get(s.keyword) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

describe.skipIf(!available)('Emerging Threats Open rules', () => {
  let strict: RuleLoad;
  let engine: SignatureEngine;
  let alertLines = 0;

  beforeAll(async () => {
    const files = ruleFiles();
    alertLines = files.reduce(
      (n, f) =>
        n +
        readFileSync(f, 'latin1')
          .split('\n')
          .filter((l) => /^alert\s/.test(l)).length,
      0,
    );
    strict = await loadRuleFiles(files);
    engine = new SignatureEngine(strict.rules);
  });

  it('loadRuleFiles() loads or skips every ET rule with a named keyword, and reports no syntax error', async () => {
    expect(alertLines).toBeGreaterThan(2800);
    expect(strict.errors.map((e) => e.message)).toEqual([]);
    expect(strict.rules.length + strict.skipped.length).toBe(alertLines);
    for (const s of strict.skipped) {
      expect(s.keyword).not.toBe('');
      expect(s.reason).not.toBe('');
      expect(s.sid).not.toBeNull();
    }
    const relaxed = await loadRuleFiles(ruleFiles(), { assumeEstablished: true });
    expect(relaxed.errors).toEqual([]);
    expect(relaxed.rules.length).toBeGreaterThan(strict.rules.length);
    for (const rule of relaxed.rules) {
      if (rule.notes.length > 0) expect(rule.notes[0]).toMatch(/flow:established assumed/);
    }
    console.log(
      [
        `ET rules: ${alertLines} alert rules; loaded ${strict.rules.length}, skipped ${strict.skipped.length}, errors ${strict.errors.length}`,
        `skipped by keyword: ${countByKeyword(strict)
          .map(([k, n]) => `${k}=${n}`)
          .join(', ')}`,
        `with assumeEstablished: loaded ${relaxed.rules.length}, skipped ${relaxed.skipped.length}: ${countByKeyword(
          relaxed,
        )
          .map(([k, n]) => `${k}=${n}`)
          .join(', ')}`,
      ].join('\n'),
    );
  });

  /** Alerts (by sid) of a packet sequence on the whole ET engine, fresh threshold state. */
  const sids = (packets: Array<Parameters<typeof craftBatch>[0][number]>): number[][] => {
    engine.resetState();
    return sidsPerPacket(engine, craftBatch(packets));
  };

  it('ET 2008581 (BitTorrent DHT ping, nocase, threshold both 1/300 s) alerts once per source', () => {
    const ping = bytes('D1:AD2:ID20:', '01234567890123456789', 'e1:q4:ping1:t2:aa1:y1:qe');
    const got = sids([
      { packet: udp(6881, ping), at: 0 },
      { packet: udp(6882, ping), at: 10 },
      { packet: udp(6881, ping), at: 301 },
    ]);
    expect(got.map((s) => s.includes(2008581))).toEqual([true, false, true]);
    expect(sids([udp(6881, bytes('d1:rd2:id20:', '01234567890123456789'))]).flat()).not.toContain(2008581);
  });

  it('ET 2101616 (named version attempt: two absolute contents, nocase, offset) matches version.bind only', () => {
    expect(sids([udp(53, dnsQuery('VERSION.BIND', 16, 3))])[0]).toContain(2101616);
    expect(sids([udp(53, dnsQuery('version.example', 16, 3))])[0]).not.toContain(2101616);
    expect(sids([udp(54, dnsQuery('version.bind', 16, 3))])[0]).not.toContain(2101616);
  });

  it('ET 2100366 (PING *NIX: itype, content depth 32) tells a Linux ping from a Windows one', () => {
    const linux = bytes(
      [0x4c, 0x1e, 0x04, 0x66, 0, 0, 0, 0],
      Array.from({ length: 48 }, (_, k) => 0x10 + k),
    );
    const windows = bytes('abcdefghijklmnopqrstuvwabcdefghi');
    expect(sids([icmp(8, 0, linux)])[0]).toContain(2100366);
    expect(sids([icmp(8, 0, windows)])[0]).not.toContain(2100366);
    expect(sids([icmp(0, 0, linux)])[0]).not.toContain(2100366);
  });

  it('ET 2009098 (Manolito ping: dsize, content chain with distance, sport range) needs every byte in place', () => {
    const ping = (gap: number): Uint8Array =>
      bytes([0x3d, 0x01, 0xd9], new Array<number>(gap).fill(0x20), [0xed, 0xbb]);
    expect(sids([udp(41170, ping(13), { srcPort: 2000 })])[0]).toContain(2009098);
    expect(sids([udp(41170, ping(13), { srcPort: 1000 })])[0]).not.toContain(2009098);
    expect(
      sids([udp(41170, bytes([0x3d, 0xd9], new Array<number>(14).fill(0x20), [0xed, 0xbb]), { srcPort: 2000 })])[0],
    ).not.toContain(2009098);
  });

  it('ET 2016016 (DNS amplification: relative pcre, within, relative byte_test, threshold by_dst) alerts on the 5th big ANY query', () => {
    const anyEdns = (udpSize: number): Uint8Array => {
      const query = dnsQuery('isc.org', 255);
      query[11] = 1; // ARCOUNT 1: the OPT record follows
      return bytes(query, [0x00, 0x00, 0x29, udpSize >> 8, udpSize & 0xff, 0, 0, 0, 0, 0, 0]);
    };
    const five = (size: number): TimedPacket[] =>
      Array.from({ length: 5 }, (_, k) => ({ packet: udp(53, anyEdns(size), { src: `203.0.113.${k + 1}` }), at: k }));
    expect(sids(five(4096)).map((s) => s.includes(2016016))).toEqual([false, false, false, false, true]);
    expect(sids(five(4095)).flat()).not.toContain(2016016);
  });

  it('ET 2001219 (potential SSH scan: flags:S,12 with threshold both 5/120 s) alerts on the 5th SYN to 22', () => {
    const syns = Array.from({ length: 6 }, (_, k) => ({
      packet: tcp(22, TcpFlag.SYN | TcpFlag.ECE | TcpFlag.CWR, { dst: `192.0.2.${k + 1}` }),
      at: k,
    }));
    expect(sids(syns).map((s) => s.includes(2001219))).toEqual([false, false, false, false, true, false]);
    expect(sids(syns.map((s) => ({ ...s, packet: tcp(22, TcpFlag.SYN | TcpFlag.ACK) }))).flat()).not.toContain(2001219);
  });

  it('ET 2018489 (Nmap OS detection UDP probe: dsize 300, 300 Cs, port ranges) matches the probe only', () => {
    const probe = 'C'.repeat(300);
    expect(sids([udp(40000, probe, { srcPort: 50000 })])[0]).toContain(2018489);
    expect(sids([udp(40000, probe.slice(1), { srcPort: 50000 })])[0]).not.toContain(2018489);
    expect(sids([udp(40000, probe, { srcPort: 5000 })])[0]).not.toContain(2018489);
  });
});
