import { describe, expect, it } from 'vitest';
import { runPipeline, TrafficBuilder } from '../../test/detect/traffic-kit.js';
import { ScannerDetector, type ScannerOptions, type ScannerResult } from './scanners.js';
import { DEFAULT_SCAN_THRESHOLDS, scanTypeOf } from './scanners-source.js';
import { parseIpv4 } from '../util/ip-address.js';

const T0 = 1_275_350_400;
const SRC = parseIpv4('192.0.2.44');
const NET = parseIpv4('198.18.0.0');

async function detect(t: TrafficBuilder, options: ScannerOptions = {}): Promise<ScannerResult> {
  const d = new ScannerDetector(options);
  await runPipeline(t.toPcap(), [d]);
  return d.finish();
}

const syn = (t: TrafficBuilder, ts: number, dst: number, port: number, src = SRC): void =>
  t.add({ ts, src, dst, id: 1000 + port, l4: { kind: 'tcp', srcPort: 40_000, dstPort: port, seq: 7, flags: 2 } });

describe('ScannerDetector', () => {
  it('scanTypeOf() applies the stated thresholds', () => {
    const t = DEFAULT_SCAN_THRESHOLDS;
    expect(scanTypeOf(10, 1, t)).toBe('horizontal');
    expect(scanTypeOf(500, 2, t)).toBe('horizontal');
    expect(scanTypeOf(1, 10, t)).toBe('vertical');
    expect(scanTypeOf(2, 1000, t)).toBe('vertical');
    expect(scanTypeOf(10, 3, t)).toBe('mixed');
    expect(scanTypeOf(3, 10, t)).toBe('mixed');
    expect(scanTypeOf(50, 50, t)).toBe('mixed');
    expect(scanTypeOf(9, 9, t)).toBe('none');
  });

  it('finish() summarises a source with first/last seen, services and why', async () => {
    const t = new TrafficBuilder();
    for (let k = 0; k < 12; k++) syn(t, T0 + k, NET + k, 445);
    t.add({ ts: T0 + 20, src: SRC, dst: NET, l4: { kind: 'udp', srcPort: 5, dstPort: 1434 } });
    const r = await detect(t);
    expect(r.sources).toHaveLength(1);
    expect(r.sources[0]).toMatchObject({
      source: '192.0.2.44',
      packets: 13,
      addresses: 12,
      services: 2,
      scanType: 'horizontal',
      firstSeen: T0,
      lastSeen: T0 + 20,
      windowStart: T0,
      windowEnd: T0 + 86_400,
      topServices: [
        { service: '445/TCP', packets: 12 },
        { service: '1434/UDP', packets: 1 },
      ],
      tools: [],
      evidence: [],
    });
    expect(r.sources[0]!.why).toBe(
      '192.0.2.44 sent 13 probes to 12 addresses and 2 services (horizontal: ≥ 10 addresses and ≤ 2 services); no tool fingerprint',
    );
  });

  it('finish() splits sources by window and drops sources below both thresholds', async () => {
    const t = new TrafficBuilder();
    for (let k = 0; k < 12; k++) syn(t, T0 + 3000 + k * 100, NET + k, 80); // crosses the hour at T0 + 3600
    for (let k = 0; k < 5; k++) syn(t, T0 + k, NET + k, 80, SRC + 1);
    const hourly = await detect(t, { windowSec: 3600 });
    expect(hourly.sources).toEqual([]);
    expect(hourly.stats).toMatchObject({ probes: 17, sources: 3, reported: 0 });
    const daily = await detect(t);
    expect(daily.sources.map((s) => [s.source, s.addresses])).toEqual([['192.0.2.44', 12]]);
  });

  it('push() leaves reflected UDP replies, answers and IPv6 out', async () => {
    const t = new TrafficBuilder();
    for (let k = 0; k < 12; k++) {
      t.add({ ts: T0 + k, src: SRC, dst: NET + k, l4: { kind: 'udp', srcPort: 53, dstPort: 40_000 + k } });
      t.add({ ts: T0 + k, src: SRC, dst: NET + k, l4: { kind: 'tcp', srcPort: 80, dstPort: 40_000, flags: 0x12 } });
    }
    const r = await detect(t);
    expect(r.stats).toMatchObject({ probes: 0, reflected: 12 });
    expect(r.sources).toEqual([]);
  });

  it('finish() tags a tool only past minToolPackets and minToolFraction', async () => {
    const t = new TrafficBuilder();
    for (let k = 0; k < 4; k++)
      t.add({
        ts: T0 + k,
        src: SRC,
        dst: NET + k,
        id: k < 2 ? 54321 : k,
        l4: { kind: 'tcp', srcPort: 1, dstPort: 80, flags: 2 },
      });
    expect((await detect(t)).sources[0]).toMatchObject({
      tools: ['zmap'],
      evidence: [{ tool: 'zmap', packets: 2, fraction: 0.5, tagged: true }],
    });
    expect((await detect(t, { minToolFraction: 0.6 })).sources).toEqual([]);
    expect((await detect(t, { minToolPackets: 3 })).sources).toEqual([]);
  });

  it('push() past maxSources moves open sources to evidence rows that merge back to the same scanners', async () => {
    const t = new TrafficBuilder();
    for (let k = 0; k < 24; k++) syn(t, T0 + k, NET + (k >> 1), 80, SRC + (k % 2));
    const limited = await detect(t, { maxSources: 1 });
    const open = await detect(t);
    expect(limited.stats).toMatchObject({ probes: 24, sources: 2, reported: 2, evidenceRows: 24 });
    expect(open.stats).toMatchObject({ probes: 24, sources: 2, reported: 2, evidenceRows: 2 });
    expect(limited.sources).toEqual(open.sources);
    expect(open.sources.map((s) => [s.source, s.packets, s.addresses])).toEqual([
      ['192.0.2.44', 12, 12],
      ['192.0.2.45', 12, 12],
    ]);
  });

  it('sources with one probe, promoted ones and tool-tagged single probes give the hand-counted figures', async () => {
    const t = new TrafficBuilder();
    // A: one probe; B: two probes to two addresses, interleaved with others; C: one ZMap probe (IP ID 54321);
    // D: three probes to one address and two services, the earliest arriving last.
    syn(t, T0 + 5, NET + 1, 23, SRC);
    syn(t, T0 + 6, NET + 2, 445, SRC + 1);
    t.add({
      ts: T0 + 7,
      src: SRC + 2,
      dst: NET + 3,
      id: 54321,
      l4: { kind: 'tcp', srcPort: 1, dstPort: 80, flags: 2 },
    });
    syn(t, T0 + 8, NET + 4, 80, SRC + 3);
    syn(t, T0 + 9, NET + 5, 445, SRC + 1);
    syn(t, T0 + 10, NET + 4, 81, SRC + 3);
    syn(t, T0 + 4, NET + 4, 80, SRC + 3);
    const r = await detect(t, { minAddresses: 1, minServices: 1 });
    const figures = r.sources
      .map((s) => [s.source, s.packets, s.addresses, s.services, s.firstSeen, s.lastSeen, s.evidence.length])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(figures).toEqual([
      ['192.0.2.44', 1, 1, 1, T0 + 5, T0 + 5, 0],
      ['192.0.2.45', 2, 2, 1, T0 + 6, T0 + 9, 0],
      ['192.0.2.46', 1, 1, 1, T0 + 7, T0 + 7, 1],
      ['192.0.2.47', 3, 1, 2, T0 + 4, T0 + 10, 0],
    ]);
    const zmap = r.sources.find((s) => s.source === '192.0.2.46')!;
    expect(zmap.evidence).toEqual([expect.objectContaining({ tool: 'zmap', packets: 1, fraction: 1, tagged: false })]);
    expect(r.sources.find((s) => s.source === '192.0.2.47')!.topServices).toEqual([
      { service: '80/TCP', packets: 2 },
      { service: '81/TCP', packets: 1 },
    ]);
    expect(r.stats).toMatchObject({ probes: 7, sources: 4, evidenceRows: 4 });
  });

  it('probeBlocks() hands over one-probe sources a block at a time, evidenceBlocks() the others, every probe once', async () => {
    const t = new TrafficBuilder();
    // Ten sources with one probe each (the fourth a ZMap probe: IP ID 54321), then two with three probes.
    for (let k = 0; k < 10; k++) {
      if (k === 3)
        t.add({
          ts: T0 + k,
          src: SRC + k,
          dst: NET + k,
          id: 54321,
          l4: { kind: 'tcp', srcPort: 1, dstPort: 23, flags: 2 },
        });
      else syn(t, T0 + k, NET + k, 23, SRC + k);
    }
    for (let k = 0; k < 6; k++) syn(t, T0 + 20 + k, NET + k, 445, SRC + 20 + (k % 2));
    const d = new ScannerDetector();
    await runPipeline(t.toPcap(), [d]);
    const blocks = [...d.evidenceBlocks(3)];
    d.clearEvidence();
    const probes = [...d.probeBlocks(3)];
    expect(blocks.map((b) => b.rowCount)).toEqual([2]);
    expect(probes.map((b) => b.rowCount)).toEqual([3, 3, 3, 1]);
    // 2010-06-01 00:00 UTC is T0: every probe is in that day's window.
    const day = [T0, T0 + 86_400];
    const rows = blocks.flatMap((b) =>
      Array.from({ length: b.rowCount }, (_, r) => {
        const c = b.columns;
        const window = [c.windowStart[r], c.windowEnd[r]];
        return [c.src[r], c.packets[r], c.firstSec[r], c.lastSec[r], c.zmapPackets[r], c.nmapPackets[r], ...window];
      }),
    );
    const bySource = (a: unknown[], b: unknown[]): number => (a[0] as number) - (b[0] as number);
    expect(rows.sort(bySource)).toEqual([
      [SRC + 20, 3, T0 + 20, T0 + 24, 0, 0, ...day],
      [SRC + 21, 3, T0 + 21, T0 + 25, 0, 0, ...day],
    ]);
    const probeRows = probes.flatMap((b) =>
      Array.from({ length: b.rowCount }, (_, r) => {
        const c = b.columns;
        return [c.src[r], c.sec[r], c.dst[r], c.tools[r], c.windowStart[r], c.windowEnd[r]];
      }),
    );
    // The ZMap probe's tools hold the ZMap bit (`Tool.ZMAP`).
    const expected = Array.from({ length: 10 }, (_, k) => [SRC + k, T0 + k, NET + k, k === 3 ? 1 : 0, ...day]);
    expect(probeRows.sort(bySource)).toEqual(expected);
    // Forgotten once handed over: a later probe of a one-probe source is a new first probe.
    const later = new TrafficBuilder();
    syn(later, T0 + 30, NET + 99, 23, SRC);
    await runPipeline(later.toPcap(), [d]);
    expect([...d.evidenceBlocks(3)]).toEqual([]);
    const again = [...d.probeBlocks(3)];
    expect(again.map((b) => [b.rowCount, b.columns.src[0], b.columns.sec[0]])).toEqual([[1, SRC, T0 + 30]]);
  });

  it('push() counts a late probe (older than the current window) in its own window', async () => {
    const t = new TrafficBuilder();
    for (let k = 0; k < 9; k++) syn(t, T0 + 3500 + k, NET + k, 80);
    for (let k = 0; k < 10; k++) syn(t, T0 + 3600 + k, NET + 100 + k, 80);
    syn(t, T0 + 3599, NET + 9, 80); // late: back in the first hour
    const r = await detect(t, { windowSec: 3600 });
    expect(r.sources.map((s) => [s.windowStart, s.packets, s.addresses, s.firstSeen, s.lastSeen])).toEqual([
      [T0, 10, 10, T0 + 3500, T0 + 3599],
      [T0 + 3600, 10, 10, T0 + 3600, T0 + 3609],
    ]);
  });

  it('ScannerDetector rejects bad options with RangeError', () => {
    expect(() => new ScannerDetector({ minAddresses: -1 })).toThrow(/minAddresses is -1/);
    expect(() => new ScannerDetector({ minToolFraction: 2 })).toThrow(/at most 1/);
    expect(() => new ScannerDetector({ windowSec: 0.5 })).toThrow(/windowSec/);
  });
});
