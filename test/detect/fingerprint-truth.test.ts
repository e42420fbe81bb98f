/**
 * Planted ZMap-, Masscan-, Mirai- and Nmap-like sources among random
 * scanners, through the real pipeline: the scanner detector must tag exactly
 * the planted tools (precision and recall ≥ 0.99, printed) and shape the
 * scans as planted.
 */
import { describe, expect, it } from 'vitest';
import { ScannerDetector, type ScannerResult, type ToolName } from '../../src/detect/index.js';
import { tcpOptions, type L4Spec } from '../../src/simulate/craft/index.js';
import { prng, randInt, runPipeline, score, TrafficBuilder } from './traffic-kit.js';
import { formatIpv4 } from '../../src/util/ip-address.js';

const T0 = 1_275_350_400;
const SENSOR_BASE = ((198 << 24) | (18 << 16)) >>> 0;
const SYN = 0x02;
const ICMP_ECHO_REQUEST = 8;
const NMAP_MSS = tcpOptions([{ kind: 'mss', value: 1460 }]);
const LINUX_SYN = tcpOptions([
  { kind: 'mss', value: 1460 },
  { kind: 'sack-permitted' },
  { kind: 'timestamps', value: 1, echo: 0 },
  { kind: 'nop' },
  { kind: 'window-scale', shift: 7 },
]);
const MSS_WS = tcpOptions([{ kind: 'mss', value: 1460 }, { kind: 'nop' }, { kind: 'window-scale', shift: 2 }]);

interface Planted {
  src: number;
  tools: ToolName[];
  shape: 'horizontal' | 'vertical' | 'any';
}

function generate(): { pcap: Buffer; planted: Planted[] } {
  const rand = prng(54321);
  const traffic = new TrafficBuilder();
  const used = new Set<number>();
  const planted: Planted[] = [];
  const newSource = (): number => {
    for (;;) {
      const v = randInt(rand, 0x0100_0000, 0xdfff_ffff) >>> 0;
      if (!used.has(v)) {
        used.add(v);
        return v;
      }
    }
  };
  const sensor = (): number => (SENSOR_BASE + randInt(rand, 0, 65_535)) >>> 0;
  const u32 = (): number => randInt(rand, 0, 2 ** 32 - 1) >>> 0;
  const u16 = (): number => randInt(rand, 0, 65_535);
  const syn = (init: Partial<Extract<L4Spec, { kind: 'tcp' }>> & { dstPort: number }): L4Spec => ({
    kind: 'tcp',
    srcPort: u16(),
    seq: u32(),
    window: 65_535,
    flags: SYN,
    ...init,
  });
  const start = (): number => T0 + rand() * 20 * 3600;

  for (let k = 0; k < 30; k++) {
    // ZMap: constant IP ID, one port, many addresses
    const src = newSource();
    const port = [80, 443, 22, 8080][k % 4]!;
    const t = start();
    const n = randInt(rand, 12, 200);
    for (let j = 0; j < n; j++) {
      const l4: L4Spec =
        k % 6 === 5 ? { kind: 'icmp', type: ICMP_ECHO_REQUEST, id: u16(), seq: 0 } : syn({ dstPort: port });
      traffic.add({ ts: t + j * 0.01, src, dst: sensor(), id: 54321, ttl: 255, l4 });
    }
    planted.push({ src, tools: ['zmap'], shape: 'horizontal' });
  }
  for (let k = 0; k < 30; k++) {
    // Masscan: IP ID from dst, port and seq
    const src = newSource();
    const ports = [22, 80, 443, 3389, 8443].slice(0, randInt(rand, 1, 5));
    const t = start();
    for (let j = 0, n = randInt(rand, 5, 150); j < n; j++) {
      const dst = sensor();
      const dstPort = ports[j % ports.length]!;
      const seq = u32();
      traffic.add({
        ts: t + j * 0.01,
        src,
        dst,
        id: (dst ^ dstPort ^ seq) & 0xffff,
        ttl: 255,
        l4: syn({ srcPort: 61_000, dstPort, seq, window: 1024 }),
      });
    }
    planted.push({ src, tools: ['masscan'], shape: 'any' });
  }
  for (let k = 0; k < 30; k++) {
    // Mirai: seq = destination address
    const src = newSource();
    const t = start();
    for (let j = 0, n = randInt(rand, 3, 80); j < n; j++) {
      const dst = sensor();
      traffic.add({
        ts: t + j,
        src,
        dst,
        id: u16(),
        l4: syn({ dstPort: rand() < 0.9 ? 23 : 2323, seq: dst, window: u16() }),
      });
    }
    planted.push({ src, tools: ['mirai'], shape: 'any' });
  }
  for (let k = 0; k < 30; k++) {
    // Nmap SYN scan: window 1024·k, MSS only, one host, many ports
    const src = newSource();
    const dst = sensor();
    const seq = u32();
    const sport = u16();
    const t = start();
    for (let j = 0, n = randInt(rand, 20, 300); j < n; j++) {
      traffic.add({
        ts: t + j * 0.001,
        src,
        dst,
        id: u16(),
        ttl: randInt(rand, 37, 59),
        l4: syn({
          srcPort: sport,
          dstPort: randInt(rand, 1, 1000),
          seq,
          window: 1024 * randInt(rand, 1, 4),
          options: NMAP_MSS,
        }),
      });
    }
    planted.push({ src, tools: ['nmap'], shape: 'vertical' });
  }
  for (let k = 0; k < 600; k++) {
    // Random scanners: no tool's constant
    const src = newSource();
    const t = start();
    const style = k % 4;
    for (let j = 0, n = randInt(rand, 1, 60); j < n; j++) {
      const dstPort = randInt(rand, 1, 65_535);
      const l4: L4Spec =
        style === 0
          ? syn({ dstPort, window: 64_240, options: LINUX_SYN })
          : style === 1
            ? syn({ dstPort, window: 1024 }) // masscan's window without its IP ID
            : style === 2
              ? syn({ dstPort, window: 2048, options: MSS_WS }) // Nmap's window, other options
              : { kind: 'udp', srcPort: u16(), dstPort };
      traffic.add({ ts: t + j, src, dst: sensor(), id: u16(), l4 });
    }
  }
  return { pcap: traffic.toPcap(), planted };
}

describe('ScannerDetector fingerprints on planted tools', () => {
  const data = generate();
  let result: ScannerResult;

  it('push() tags the planted tools with precision and recall ≥ 0.99', async () => {
    const detector = new ScannerDetector();
    await runPipeline(data.pcap, [detector]);
    result = detector.finish();
    const found = new Set(result.sources.flatMap((s) => s.tools.map((t) => `${s.source}:${t}`)));
    const truth = new Set(data.planted.flatMap((p) => p.tools.map((t) => `${formatIpv4(p.src)}:${t}`)));
    const overall = score(found, truth);
    console.log(
      `fingerprints: ${truth.size} planted, ${found.size} tagged, precision ${overall.precision.toFixed(4)}, recall ${overall.recall.toFixed(4)}`,
    );
    for (const tool of ['zmap', 'masscan', 'mirai', 'nmap']) {
      const s = score(
        new Set([...found].filter((k) => k.endsWith(`:${tool}`))),
        new Set([...truth].filter((k) => k.endsWith(`:${tool}`))),
      );
      console.log(`  ${tool}: precision ${s.precision.toFixed(4)}, recall ${s.recall.toFixed(4)}`);
      expect(s.precision).toBeGreaterThanOrEqual(0.99);
      expect(s.recall).toBeGreaterThanOrEqual(0.99);
    }
    expect(overall.precision).toBeGreaterThanOrEqual(0.99);
    expect(overall.recall).toBeGreaterThanOrEqual(0.99);
  });

  it('finish() gives each tagged source its evidence and planted shape', () => {
    const bySource = new Map(result.sources.map((s) => [s.sourceAddress, s]));
    for (const p of data.planted) {
      const s = bySource.get(p.src)!;
      const evidence = s.evidence.find((e) => e.tool === p.tools[0])!;
      expect(evidence).toMatchObject({ fraction: 1, packets: s.packets, tagged: true });
      if (p.shape !== 'any') expect(s.scanType).toBe(p.shape);
      expect(s.why).toContain(p.tools[0]);
    }
  });
});
