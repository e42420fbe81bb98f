/**
 * The segmenter against an independent truth: tshark's packet times of the
 * same real capture, bucketed per UTC time slice, and capinfos' count of
 * every segment file written (so the pcap bytes themselves are checked by
 * another reader). Plus size cuts and the empty segments of live mode.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectRecords, LinkType, newRawRecord, readCapture } from '../capture/index.js';
import { haveCommand } from '../util/have-command.js';
import { Segmenter, type SealedSegment } from './segmenter.js';

const CAPTURES_DIR = resolve(import.meta.dirname, '../../../shared/captures');
/** Captures in strict time order spanning more than 20 s (capinfos -o). */
const FILES = [
  'synscan.pcapng',
  'pkt.TCP.synflood.spoofed.pcap',
  'amp.dns.RRSIG.fragmented.pcap',
  'pkt.TCP.DOMINATE.syn.ecn.cwr.pcapng',
];
const haveCaptures = existsSync(CAPTURES_DIR);
const haveTools = haveCommand('tshark') && haveCommand('capinfos');
if (!haveCaptures) console.log(`segmenter.test: real-capture cases skipped, ${CAPTURES_DIR} is absent`);
else if (!haveTools) console.log('segmenter.test: real-capture cases skipped, tshark/capinfos not installed');

const work = mkdtempSync(join(tmpdir(), 'teiten-segmenter-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** tshark's packet counts per slice of `seconds`, keyed by the slice's start in µs. */
function tsharkSlices(path: string, seconds: number): Map<number, number> {
  const out = execFileSync('tshark', ['-r', path, '-T', 'fields', '-e', 'frame.time_epoch'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const slices = new Map<number, number>();
  for (const line of out.trim().split('\n')) {
    const [sec = '', frac = ''] = line.split('.');
    const us = Number(sec) * 1_000_000 + Number(frac.padEnd(9, '0').slice(0, 6));
    const start = us - (us % (seconds * 1_000_000));
    slices.set(start, (slices.get(start) ?? 0) + 1);
  }
  return slices;
}

function capinfosCount(bytes: Uint8Array, name: string): number {
  const path = join(work, name);
  writeFileSync(path, bytes);
  const out = execFileSync('capinfos', ['-M', '-c', '-T', '-r', path], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return Number(out.trim().split('\t')[1]);
}

async function segment(path: string, options: { seconds: number; bytes: number }): Promise<SealedSegment[]> {
  const segments: SealedSegment[] = [];
  const segmenter = new Segmenter({
    mode: 'replay',
    segmentSeconds: options.seconds,
    segmentBytes: options.bytes,
    onSegment: (s) => segments.push(s),
  });
  await readCapture(path, { onRecord: (r) => segmenter.push(r) });
  segmenter.finish();
  return segments;
}

describe.skipIf(!haveCaptures || !haveTools)('Segmenter on real captures', () => {
  it.each(FILES)('Segmenter cuts %s into UTC slices with the packet counts tshark and capinfos see', async (file) => {
    const path = join(CAPTURES_DIR, file);
    for (const seconds of [1, 5]) {
      const truth = tsharkSlices(path, seconds);
      const segments = await segment(path, { seconds, bytes: 1 << 30 });
      const got = new Map(
        segments.map((s) => [s.firstPacketUs - (s.firstPacketUs % (seconds * 1_000_000)), s.packets]),
      );
      expect(got).toEqual(truth);
      for (const [i, s] of segments.entries()) {
        expect(capinfosCount(s.bytes, `${file}.${seconds}.${i}.pcap`)).toBe(s.packets);
        // Both ends inside the slice.
        expect(Math.floor(s.lastPacketUs / (seconds * 1e6))).toBe(Math.floor(s.firstPacketUs / (seconds * 1e6)));
      }
      expect(segments.at(-1)?.recordsEnd).toBe([...truth.values()].reduce((a, b) => a + b, 0));
    }
  });

  it('Segmenter cuts by size and keeps every packet, byte for byte, in order', async () => {
    const path = join(CAPTURES_DIR, 'pkt.TCP.synflood.spoofed.pcap');
    const limit = 64 * 1024;
    const segments = await segment(path, { seconds: 60, bytes: limit });
    const original = await collectRecords(path);
    expect(segments.length).toBeGreaterThan(10);
    const replayed = [];
    for (const s of segments) {
      expect(s.bytes.length).toBeLessThanOrEqual(limit);
      replayed.push(...(await collectRecords(s.bytes)).records);
    }
    expect(replayed.length).toBe(original.records.length);
    for (const [i, r] of replayed.entries()) {
      const o = original.records[i]!;
      expect([r.tsSec, r.tsNsec, r.wireLen, Buffer.from(r.bytes).equals(Buffer.from(o.bytes))]).toEqual([
        o.tsSec,
        o.tsNsec,
        o.wireLen,
        true,
      ]);
    }
    expect(segments.filter((s) => s.reason === 'size').length).toBe(segments.length - 1);
  });
});

describe('Segmenter in live mode', () => {
  const S = 10_000_000;
  it('sealWindow() cuts an empty segment covering the listened part of each window', () => {
    const segments: SealedSegment[] = [];
    const start = 1_700_000_003_000_000; // 3 s into a 10 s window
    const segmenter = new Segmenter({
      mode: 'live',
      segmentSeconds: 10,
      segmentBytes: 1 << 20,
      linkType: LinkType.RAW,
      startUs: start,
      onSegment: (s) => segments.push(s),
    });
    expect(segmenter.sealWindow(start + 5_000_000)).toBe(false);
    expect(segmenter.sealWindow(1_700_000_010_000_000)).toBe(true);
    expect(segmenter.sealWindow(1_700_000_020_500_000)).toBe(true);
    expect(segments.map((s) => [s.packets, s.firstPacketUs, s.lastPacketUs, s.bytes.length, s.linkType])).toEqual([
      [0, start, 1_700_000_010_000_000 - 1, 24, LinkType.RAW],
      [0, 1_700_000_010_000_000, 1_700_000_020_000_000 - 1, 24, LinkType.RAW],
    ]);
    expect(segmenter.windowEndUs).toBe(1_700_000_020_000_000 + S);
  });

  it('Segmenter puts a late packet into the open segment, and cuts on a packet past the window', () => {
    const segments: SealedSegment[] = [];
    const segmenter = new Segmenter({
      mode: 'live',
      segmentSeconds: 10,
      segmentBytes: 1 << 20,
      startUs: 1_700_000_010_000_000,
      onSegment: (s) => segments.push(s),
    });
    const r = newRawRecord();
    r.linkType = LinkType.EN10MB;
    r.data = new Uint8Array(60);
    r.capLen = r.wireLen = 60;
    r.tsSec = 1_700_000_009; // late: before the window
    r.tsNsec = 999_000_000;
    segmenter.push(r);
    r.tsSec = 1_700_000_021; // next window
    r.tsNsec = 0;
    segmenter.push(r);
    segmenter.finish(1_700_000_025_000_000);
    expect(segments.map((s) => [s.packets, s.firstPacketUs, s.lastPacketUs, s.reason])).toEqual([
      [1, 1_700_000_009_999_000, 1_700_000_009_999_000, 'time'],
      [1, 1_700_000_021_000_000, 1_700_000_021_000_000, 'end'],
    ]);
  });
});
