/**
 * The spool on a real directory: sequence numbers across reopenings, crash
 * debris, the full-spool policy (drop oldest unsent, never the segment in
 * flight) with every loss accounted exactly, and losses kept until a
 * heartbeat acknowledges them.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LinkType, newRawRecord } from '../capture/index.js';
import { Segmenter, type SealedSegment } from './segmenter.js';
import { Spool, segmentName } from './spool.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function spoolDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'teiten-spool-'));
  dirs.push(dir);
  return dir;
}

/** `count` one-second live segments of `packets` 100-byte packets each, from a fixed instant. */
function segments(count: number, packets: (i: number) => number): SealedSegment[] {
  const out: SealedSegment[] = [];
  const start = 1_700_000_000_000_000;
  const segmenter = new Segmenter({
    mode: 'live',
    segmentSeconds: 1,
    segmentBytes: 1 << 20,
    startUs: start,
    onSegment: (s) => out.push(s),
  });
  const r = newRawRecord();
  r.linkType = LinkType.RAW;
  r.data = new Uint8Array(100).fill(0x45);
  r.capLen = r.wireLen = 100;
  for (let i = 0; i < count; i++) {
    for (let p = 0; p < packets(i); p++) {
      r.tsSec = 1_700_000_000 + i;
      r.tsNsec = p * 1000;
      segmenter.push(r);
    }
    segmenter.sealWindow(start + (i + 1) * 1_000_000);
  }
  return out;
}

describe('Spool', () => {
  it('Spool keeps sequence numbers across reopenings and clears crash debris', async () => {
    const dir = spoolDir();
    const [a, b, c] = segments(3, () => 2);
    let spool = await Spool.open(dir, { maxBytes: 1 << 20 });
    await spool.commit(a!, { mode: 'live' });
    await spool.commit(b!, { mode: 'live' });
    await spool.remove(0);
    await spool.close();
    // A crash mid-commit leaves a temp file and a lone sidecar: neither is a segment.
    writeFileSync(join(dir, `${segmentName(2, 'pcap')}.tmp`), 'x');
    writeFileSync(join(dir, segmentName(2, 'json')), '{}');
    spool = await Spool.open(dir, { maxBytes: 1 << 20 });
    expect(spool.entries().map((e) => e.meta.sequence)).toEqual([1]);
    expect(readdirSync(dir).filter((n) => n.includes('000002'))).toEqual([]);
    const result = await spool.commit(c!, { mode: 'live' });
    expect(result.status === 'spooled' && result.entry.meta.sequence).toBe(2);
    await expect(Spool.open(dir, { maxBytes: 1 << 20 })).rejects.toMatchObject({ code: 'TEITEN_SENSOR_SPOOL' });
    await spool.close();
  });

  it('Spool drops the oldest unsent segments when full and accounts every lost packet', async () => {
    const dir = spoolDir();
    const all = segments(40, (i) => (i % 7) + 1);
    const one = all[0]!.bytes.length + 300;
    const spool = await Spool.open(dir, { maxBytes: one * 10 });
    spool.inFlight.add(0); // the uploader holds segment 0: it must survive
    for (const s of all) await spool.commit(s, { mode: 'live' });
    const kept = spool.entries();
    const losses = spool.losses.pending;
    const sent = all.reduce((n, s) => n + s.packets, 0);
    const keptPackets = kept.reduce((n, e) => n + e.meta.packets, 0);
    const lostPackets = losses.reduce((n, l) => n + l.packets, 0);
    expect(keptPackets + lostPackets).toBe(sent);
    expect(kept[0]!.meta.sequence).toBe(0);
    expect(spool.depth.bytes).toBeLessThanOrEqual(one * 10);
    // One range of consecutive drops, sequences 1..(first kept after 0)-1.
    expect(losses).toHaveLength(1);
    expect(losses[0]).toMatchObject({
      firstSequence: 1,
      lastSequence: kept[1]!.meta.sequence - 1,
      segments: kept[1]!.meta.sequence - 1,
    });
    const lostSeqs = new Set<number>();
    for (let q = losses[0]!.firstSequence; q <= losses[0]!.lastSequence; q++) lostSeqs.add(q);
    expect(lostPackets).toBe(all.filter((_, i) => lostSeqs.has(i)).reduce((n, s) => n + s.packets, 0));
    expect(losses[0]!.fromUs).toBe(all[1]!.firstPacketUs);
    await spool.close();

    // Durable: a reopened spool reports the same loss, and clears it only on acknowledgement.
    const again = await Spool.open(dir, { maxBytes: one * 10 });
    expect(again.losses.pending).toEqual(losses);
    const batch = again.losses.forHeartbeat();
    const late = await again.commit(segments(41, () => 7)[40]!, { mode: 'live' }); // a drop while the heartbeat is in flight
    expect(late.dropped.map((d) => d.sequence)).toEqual([0]);
    expect(again.losses.pending).toHaveLength(2);
    await again.losses.acknowledge(batch);
    expect(again.losses.pending.map((l) => [l.firstSequence, l.lastSequence])).toEqual([[0, 0]]);
    await again.close();
  });

  it('Spool drops the new segment itself when it alone does not fit', async () => {
    const dir = spoolDir();
    const [small, big] = segments(2, (i) => (i === 0 ? 1 : 50));
    const spool = await Spool.open(dir, { maxBytes: small!.bytes.length + 1000 });
    await spool.commit(small!, { mode: 'live' });
    spool.inFlight.add(0);
    const result = await spool.commit(big!, { mode: 'live' });
    expect(result.status).toBe('dropped');
    expect(spool.losses.pending).toEqual([
      {
        firstSequence: 1,
        lastSequence: 1,
        segments: 1,
        packets: 50,
        fromUs: big!.firstPacketUs,
        toUs: big!.lastPacketUs,
      },
    ]);
    expect(spool.lastSequence).toBe(1);
    await spool.close();
  });
});
