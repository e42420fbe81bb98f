/**
 * End to end over the real captures in ../shared/captures: decode, enrich, and
 * compare every packet's service keys and TCP flag class with what tshark
 * reads from the same file (IP reassembly off, first occurrence of each field,
 * so an ICMP error's quoted ports do not count as the packet's own).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCapture } from '../decode/decode-capture.js';
import { TcpFlag } from '../decode/batch.js';
import { unpackCountry } from './country-code.js';
import { enrichBatch } from './enrich.js';
import { FLAG_CLASS_NAMES, flagClassOf } from './flag-class.js';
import { openCountryDb } from './geo-sources.js';
import { NO_PORT, formatServiceKey, serviceKey } from './service-key.js';
import { haveCommand } from '../util/have-command.js';

const CAPTURES = join(import.meta.dirname, '../../../shared/captures');
const FILES = [
  'pkt.TCP.synflood.spoofed.pcap',
  'amp.dns.RRSIG.fragmented.pcap',
  'amp.TCP.reflection.SYNACK.pcap',
  'synscan.pcapng',
];
const FIELDS = [
  'ip.proto',
  'ip.frag_offset',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.flags',
  'udp.srcport',
  'udp.dstport',
  'icmp.type',
];
const PROTO_NAMES: Record<string, string> = { '1': 'ICMP', '6': 'TCP', '17': 'UDP' };

interface Expected {
  dst: string;
  src: string;
  flags: string;
}

/** Per frame (1-based), the service keys and flag class tshark's fields imply; undefined for non-IPv4. */
function tsharkExpectations(path: string): Array<Expected | undefined> {
  const out = execFileSync(
    'tshark',
    [
      '-r',
      path,
      '-n',
      '-o',
      'ip.defragment:FALSE',
      '-T',
      'fields',
      '-E',
      'occurrence=f',
      '-E',
      'separator=/t',
      ...FIELDS.flatMap((f) => ['-e', f]),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((line) => {
      const [proto = '', frag = '', tsport, tdport, tflags, usport, udport, itype] = line.split('\t');
      if (proto === '') return undefined;
      // Other protocols are named by the key table (47 → GRE); only the number comes from tshark.
      const name = PROTO_NAMES[proto] ?? formatServiceKey(serviceKey(Number(proto), NO_PORT));
      if (Number(frag) > 0) return { dst: `frag/${name}`, src: `frag/${name}`, flags: 'NONE' };
      if (name === 'TCP')
        return { dst: `${tdport}/TCP`, src: `${tsport}/TCP`, flags: FLAG_CLASS_NAMES[flagClassOf(Number(tflags))]! };
      if (name === 'UDP') return { dst: `${udport}/UDP`, src: `${usport}/UDP`, flags: 'NONE' };
      if (name === 'ICMP') return { dst: `${itype}/ICMP`, src: `${itype}/ICMP`, flags: 'NONE' };
      return { dst: name, src: name, flags: 'NONE' };
    });
}

const ready = existsSync(CAPTURES) && haveCommand('tshark');

describe.skipIf(!ready)('enrichBatch() on real captures', () => {
  const country = ready ? openCountryDb() : null;

  for (const file of FILES) {
    it(`enrichBatch() matches tshark on every packet of ${file}`, async () => {
      const path = join(CAPTURES, file);
      const expected = tsharkExpectations(path);
      const seen: Expected[] = [];
      const countries = new Map<string, number>();
      let compared = 0;
      await decodeCapture(path, {
        onBatch: (batch) => {
          const e = enrichBatch(batch, { geo: { country, asn: null } });
          for (let i = 0; i < batch.length; i++) {
            const want = expected[batch.frame[i]! - 1];
            if (want === undefined || batch.ipVersion[i] !== 4) continue;
            seen.push({
              dst: formatServiceKey(e.service[i]!),
              src: formatServiceKey(e.srcService[i]!),
              flags: FLAG_CLASS_NAMES[e.flagClass[i]!]!,
            });
            expect(seen[seen.length - 1], `${file} frame ${batch.frame[i]}`).toEqual(want);
            const cc = unpackCountry(e.country[i]!);
            countries.set(cc, (countries.get(cc) ?? 0) + 1);
            compared++;
          }
        },
      });
      expect(compared).toBeGreaterThan(1000);
      expect(countries.has('')).toBe(false); // every IPv4 packet got a lookup
    }, 120_000);
  }

  it('enrichBatch() spreads the spoofed SYN flood over many countries, all SYN probes to 25565/TCP', async () => {
    const countries = new Set<string>();
    let syn = 0;
    await decodeCapture(join(CAPTURES, 'pkt.TCP.synflood.spoofed.pcap'), {
      onBatch: (batch) => {
        const e = enrichBatch(batch, { geo: { country, asn: null } });
        for (let i = 0; i < batch.length; i++) {
          if (formatServiceKey(e.service[i]!) === '25565/TCP' && e.flagClass[i] === flagClassOf(TcpFlag.SYN)) syn++;
          countries.add(unpackCountry(e.country[i]!));
        }
      },
    });
    expect(syn).toBe(37_841);
    expect(countries.size).toBeGreaterThan(100);
  }, 120_000);
});
