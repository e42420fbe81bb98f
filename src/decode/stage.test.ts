import { describe, expect, it } from 'vitest';
import { LinkType, newRawRecord, type RawRecord } from '../capture/record.js';
import { IpProto, PacketBatch, TcpFlag } from './batch.js';
import { BatchBuilder } from './batch-builder.js';
import { decodeFrame } from './decode-frame.js';
import { linkDecoder } from './link.js';
import { STAGE_SLOTS } from './stage.js';
import { batchColumns, concat, ethernet, filler, ipv4, ipv6, tcp, udp } from './test-kit.js';

/** A pcap record header's worth of bytes between frames, as in a reader's chunk. */
const RECORD_HEADER = 16;
/** Past `MAX_REGION_GAP`: the frame after such a gap starts a new region. */
const BIG_GAP = 200;
const RECORDS_PER_CHUNK = 700;

interface Frame {
  linkType: number;
  bytes: Uint8Array;
  capLen: number;
}

const FRAMES: Frame[] = [
  {
    linkType: LinkType.EN10MB,
    bytes: ethernet(0x0800, ipv4({ proto: IpProto.TCP }, tcp({ sport: 4444, dport: 445, flags: TcpFlag.SYN }))),
  },
  {
    linkType: LinkType.EN10MB,
    bytes: ethernet(0x86dd, ipv6({ next: IpProto.TCP }, tcp({ sport: 80, dport: 9, flags: 0x12, options: filler(8) }))),
  },
  {
    linkType: LinkType.EN10MB,
    bytes: ethernet(
      0x86dd,
      ipv6(
        { next: IpProto.ICMPV6 },
        concat(Uint8Array.of(1, 4, 0, 0, 0, 0, 0, 0), ipv6({ next: IpProto.UDP }, udp(9, 53, filler(4)))),
      ),
    ),
  },
  {
    linkType: LinkType.EN10MB,
    bytes: ethernet(
      0x0800,
      ipv4(
        { proto: IpProto.ICMP },
        concat(Uint8Array.of(11, 0, 0, 0, 0, 0, 0, 0), ipv4({ proto: IpProto.UDP }, udp(7, 33434, filler(12)))),
      ),
    ),
  },
  { linkType: LinkType.EN10MB, bytes: ethernet(0x0806, filler(28)) },
  { linkType: LinkType.EN10MB, bytes: ethernet(0x0800, ipv4({ proto: IpProto.UDP, fragWord: 185 }, filler(16))) },
  { linkType: LinkType.RAW, bytes: ipv4({ proto: IpProto.UDP }, udp(5060, 5060, filler(30))) },
].map((f) => ({ ...f, capLen: f.bytes.length }));
// A snaplen-cut copy of the SYN: captured 40 of its 54 bytes.
FRAMES.push({ ...FRAMES[0]!, capLen: 40 });

/** Frame `k` of the test sequence: runs of one link type, so link types change now and then. */
function frameFor(k: number): Frame {
  return k % 500 < 480 ? FRAMES[k % 6]! : FRAMES[6 + (k % 2)]!;
}

/** Lays `count` records out in chunks the way a reader hands them over: headers (or big gaps) between frames. */
function chunks(count: number): RawRecord[][] {
  const result: RawRecord[][] = [];
  for (let first = 0; first < count; first += RECORDS_PER_CHUNK) {
    const ks = Array.from({ length: Math.min(RECORDS_PER_CHUNK, count - first) }, (_, j) => first + j);
    const gapOf = (k: number): number => (k % 97 === 0 ? BIG_GAP : RECORD_HEADER);
    const size = ks.reduce((n, k) => n + gapOf(k) + frameFor(k).bytes.length, 0);
    const buffer = new Uint8Array(size).fill(0xee);
    let pos = 0;
    const records = ks.map((k) => {
      const frame = frameFor(k);
      pos += gapOf(k);
      buffer.set(frame.bytes, pos);
      const r = newRawRecord();
      Object.assign(r, {
        linkType: frame.linkType,
        tsSec: 1_700_000_000 + k,
        tsNsec: k * 1000,
        capLen: frame.capLen,
        wireLen: frame.bytes.length,
        data: buffer,
        offset: pos,
        fileOffset: pos,
      });
      pos += frame.bytes.length;
      return r;
    });
    result.push(records);
  }
  return result;
}

/** Every column of every packet, with data offsets made relative to the frame and the frame's bytes. */
function rows(batches: PacketBatch[]): string[] {
  const out: string[] = [];
  for (const batch of batches) {
    const columns = batchColumns(batch);
    for (let i = 0; i < batch.length; i++) {
      const off = batch.frameOff[i]!;
      const parts = columns
        .filter(([name]) => name !== 'frameOff')
        .map(([name, column, width]) => {
          const values = Array.from({ length: width }, (_, k) => column[i * width + k]!);
          // Offsets into `data` differ with the layout; relative to the frame they must agree.
          if (name === 'payloadOff' && values[0] !== 0) values[0] = values[0]! - off;
          return `${name}=${values.join(',')}`;
        });
      parts.push(`bytes=${Buffer.from(batch.data.subarray(off, off + batch.capLen[i]!)).toString('hex')}`);
      out.push(parts.join(' '));
    }
  }
  return out;
}

function collect(capacity?: number): { builder: BatchBuilder; batches: PacketBatch[] } {
  const batches: PacketBatch[] = [];
  const builder = new BatchBuilder({
    onBatch: (b) => batches.push(b),
    ...(capacity === undefined ? {} : { capacity }),
  });
  return { builder, batches };
}

/** Overwrites a chunk, as a reader reusing its buffer would once the chunk is settled. */
function scribble(records: RawRecord[]): void {
  records[0]?.data.fill(0x5a);
}

describe('staged decoding', () => {
  const count = STAGE_SLOTS * 2 + 777;

  it.each([[undefined], [1000], [3]])(
    'pushRetained() and settle() give the batches push() gives (capacity %s)',
    (capacity) => {
      const copied = collect(capacity);
      for (const chunk of chunks(count)) for (const r of chunk) copied.builder.push(r);
      copied.builder.flush();
      const retained = collect(capacity);
      for (const chunk of chunks(count)) {
        for (const r of chunk) retained.builder.pushRetained(r);
        retained.builder.settle();
        scribble(chunk);
      }
      retained.builder.flush();
      expect(retained.batches.map((b) => b.length)).toEqual(copied.batches.map((b) => b.length));
      expect(rows(retained.batches)).toEqual(rows(copied.batches));
      expect(retained.builder.stats()).toEqual(copied.builder.stats());
    },
  );

  it('pushRetained() keeps two builders that interleave apart', () => {
    const reference = collect(1000);
    for (const chunk of chunks(count)) for (const r of chunk) reference.builder.push(r);
    reference.builder.flush();
    const a = collect(1000);
    const b = collect(1000);
    const chunksA = chunks(count);
    const chunksB = chunks(count);
    for (let c = 0; c < chunksA.length; c++) {
      const [ra, rb] = [chunksA[c]!, chunksB[c]!];
      for (let j = 0; j < ra.length; j++) {
        a.builder.pushRetained(ra[j]!);
        b.builder.pushRetained(rb[j]!);
      }
      a.builder.settle();
      b.builder.settle();
      scribble(ra);
      scribble(rb);
    }
    a.builder.flush();
    b.builder.flush();
    expect(rows(a.batches)).toEqual(rows(reference.batches));
    expect(rows(b.batches)).toEqual(rows(reference.batches));
  });

  it('decodeFrame() lets a builder settle its staged packets first', () => {
    const reference = collect();
    const [chunk] = chunks(50);
    for (const r of chunk!) reference.builder.push(r);
    reference.builder.flush();
    const retained = collect();
    for (const r of chunk!) retained.builder.pushRetained(r);
    const other = new PacketBatch(1, 64);
    const frame = FRAMES[0]!.bytes;
    other.data.set(frame);
    other.capLen[0] = frame.length;
    other.wireLen[0] = frame.length;
    decodeFrame(other, 0, new DataView(other.data.buffer), linkDecoder(LinkType.EN10MB)!);
    expect(other.dport[0]).toBe(445);
    scribble(chunk!);
    retained.builder.flush();
    expect(rows(retained.batches)).toEqual(rows(reference.batches));
  });

  it('recycle() takes back a batch of staged packets and leaves nothing of them', () => {
    const batches: PacketBatch[] = [];
    const builder = new BatchBuilder({ onBatch: (b) => batches.push(b), capacity: 6 });
    const [chunk] = chunks(12);
    for (const r of chunk!.slice(0, 6)) builder.pushRetained(r);
    const first = batches[0]!;
    builder.recycle(first);
    for (const r of chunk!.slice(6)) builder.pushRetained(r);
    builder.flush();
    expect(batches[1]).toBe(first);
    const reference = collect(6);
    for (const r of chunk!) reference.builder.push(r);
    reference.builder.flush();
    expect(rows([first])).toEqual(rows([reference.batches[1]!]));
  });
});

describe('BatchBuilder data capacity', () => {
  it('push() starts a small batch at 512 data bytes per packet and grows it for larger frames', () => {
    const { builder, batches } = collect(3);
    const big = ethernet(0x0800, ipv4({ proto: IpProto.UDP }, udp(53, 4444, filler(1200))));
    const record = chunks(1)[0]![0]!;
    builder.push(record);
    builder.flush();
    expect(batches[0]!.data.length).toBe(3 * 512);
    for (let k = 0; k < 3; k++)
      builder.push(
        Object.assign(newRawRecord(), {
          linkType: LinkType.EN10MB,
          data: big,
          capLen: big.length,
          wireLen: big.length,
        }),
      );
    expect(batches.map((b) => b.length)).toEqual([1, 3]);
    expect(batches[1]!.data.length).toBeGreaterThanOrEqual(3 * big.length);
    expect(batches[1]!.payloadLen[2]).toBe(1200);
  });
});
