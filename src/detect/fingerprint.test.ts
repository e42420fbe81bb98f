import { describe, expect, it } from 'vitest';
import { type EnrichedBatch } from '../classify/index.js';
import { tcpOptions } from '../simulate/craft/index.js';
import { runPipeline, TrafficBuilder } from '../../test/detect/traffic-kit.js';
import { fingerprintOf, toolNames } from './fingerprint.js';
import { parseIpv4 } from '../util/ip-address.js';

const SRC = parseIpv4('198.18.0.11');
const MSS = tcpOptions([{ kind: 'mss', value: 1460 }]);

async function tools(t: TrafficBuilder, options: { snaplen?: number } = {}): Promise<string[][]> {
  const out: string[][] = [];
  const pcap = t.toPcap();
  let bytes: Uint8Array = pcap;
  if (options.snaplen !== undefined) bytes = cutRecords(pcap, options.snaplen);
  await runPipeline(bytes, [
    {
      push(enriched: EnrichedBatch) {
        for (let i = 0; i < enriched.batch.length; i++) out.push(toolNames(fingerprintOf(enriched, i)));
      },
    },
  ]);
  return out;
}

/** The same little-endian pcap with every record cut to `snaplen` bytes, as a short-snaplen sensor writes it. */
function cutRecords(pcap: Buffer, snaplen: number): Buffer {
  const parts: Buffer[] = [pcap.subarray(0, 24)];
  for (let at = 24; at < pcap.length;) {
    const cap = pcap.readUInt32LE(at + 8);
    const keep = Math.min(cap, snaplen);
    const header = Buffer.from(pcap.subarray(at, at + 16));
    header.writeUInt32LE(keep, 8);
    parts.push(header, pcap.subarray(at + 16, at + 16 + keep));
    at += 16 + cap;
  }
  return Buffer.concat(parts);
}

describe('fingerprintOf()', () => {
  it('fingerprintOf() matches masscan 1.3.2 probes recorded from the real tool', async () => {
    // dst, dport, seq and IP ID of three SYNs masscan sent from 198.18.0.11 in a network namespace.
    const recorded = [
      ['198.18.1.0', 80, 3_838_081_076, 0x7964],
      ['198.18.1.0', 22, 2_731_598_876, 0xe50a],
      ['198.18.1.1', 443, 2_365_928_982, 0x36ac],
    ] as const;
    const t = new TrafficBuilder();
    recorded.forEach(([dst, dport, seq, id], k) =>
      t.add({
        ts: k,
        src: SRC,
        dst: parseIpv4(dst),
        id,
        ttl: 255,
        l4: { kind: 'tcp', srcPort: 54_077, dstPort: dport, seq, window: 1024, flags: 2 },
      }),
    );
    t.add({
      ts: 9,
      src: SRC,
      dst: parseIpv4('198.18.1.0'),
      id: 0x7965,
      l4: { kind: 'tcp', srcPort: 54_077, dstPort: 80, seq: 3_838_081_076, window: 1024, flags: 2 },
    });
    expect(await tools(t)).toEqual([['masscan'], ['masscan'], ['masscan'], []]);
  });

  it('fingerprintOf() matches ZMap on any probe, Mirai and Nmap on SYNs only', async () => {
    const dst = parseIpv4('198.18.1.5');
    const t = new TrafficBuilder();
    t.add({ ts: 1, src: SRC, dst, id: 54321, l4: { kind: 'tcp', srcPort: 1, dstPort: 80, seq: 1, flags: 2 } });
    t.add({ ts: 2, src: SRC, dst, id: 54321, l4: { kind: 'icmp', type: 8 } });
    t.add({ ts: 3, src: SRC, dst, id: 54321, l4: { kind: 'tcp', srcPort: 80, dstPort: 1, flags: 0x12 } }); // an answer, not a probe
    t.add({ ts: 4, src: SRC, dst, id: 7, l4: { kind: 'tcp', srcPort: 1, dstPort: 23, seq: dst, flags: 2 } });
    t.add({ ts: 5, src: SRC, dst, id: 7, l4: { kind: 'tcp', srcPort: 1, dstPort: 23, seq: dst, flags: 0x10 } });
    for (const window of [1024, 2048, 3072, 4096])
      t.add({
        ts: 6,
        src: SRC,
        dst,
        id: 9,
        l4: { kind: 'tcp', srcPort: 1, dstPort: 22, seq: 5, window, options: MSS, flags: 2 },
      });
    t.add({
      ts: 7,
      src: SRC,
      dst,
      id: 9,
      l4: { kind: 'tcp', srcPort: 1, dstPort: 22, seq: 5, window: 5120, options: MSS, flags: 2 },
    });
    t.add({
      ts: 8,
      src: SRC,
      dst,
      id: 9,
      l4: { kind: 'tcp', srcPort: 1, dstPort: 22, seq: 5, window: 1024, flags: 2 },
    });
    t.add({
      ts: 9,
      src: SRC,
      dst,
      id: 9,
      l4: { kind: 'tcp', srcPort: 1, dstPort: 22, seq: 5, window: 1024, options: MSS, flags: 2 },
      payload: new Uint8Array(4),
    });
    t.add({
      ts: 10,
      src: SRC,
      dst,
      id: 9,
      l4: {
        kind: 'tcp',
        srcPort: 1,
        dstPort: 22,
        seq: 5,
        window: 1024,
        flags: 2,
        options: tcpOptions([{ kind: 'window-scale', shift: 1 }]),
      },
    });
    expect(await tools(t)).toEqual([
      ['zmap'],
      ['zmap'],
      [],
      ['mirai'],
      [],
      ['nmap'],
      ['nmap'],
      ['nmap'],
      ['nmap'],
      [],
      [],
      [],
      [],
    ]);
  });

  it('fingerprintOf() takes a 24-byte header as the Nmap layout when a snaplen cut the options', async () => {
    const t = new TrafficBuilder();
    t.add({
      ts: 1,
      src: SRC,
      dst: parseIpv4('198.18.1.5'),
      id: 9,
      l4: { kind: 'tcp', srcPort: 1, dstPort: 22, seq: 5, window: 2048, options: MSS, flags: 2 },
    });
    expect(await tools(t, { snaplen: 54 })).toEqual([['nmap']]);
  });
});
