import { describe, expect, it } from 'vitest';
import { LinkType, newRawRecord, type RawRecord } from '../capture/record.js';
import { DecodeStatus, IpProto, PacketBatch, TcpFlag } from './batch.js';
import { BatchBuilder } from './batch-builder.js';
import { UnsupportedLinkTypeError } from './errors.js';
import { concat, ethernet, filler, hex, ipv4, ipv6, slotValues, tcp, udp } from './test-kit.js';

// Real 60-byte SYN frame (pkt.TCP.synflood.spoofed.pcap).
const SYN_FRAME = hex(`
  4c72b97cb5b7 44f4770fea49 0800
  4500 0028 e915 0000 f206 e098 a0a14a6c 0a0a0a0a
  a39d 63dd 36fc0000 00000000 5002 0000 724a 0000
  0000 8666 5455`);

function record(frame: Uint8Array, fields: Partial<RawRecord> = {}): RawRecord {
  const r = newRawRecord();
  r.linkType = LinkType.EN10MB;
  r.data = frame;
  r.capLen = frame.length;
  r.wireLen = frame.length;
  return Object.assign(r, fields);
}

function collect(options: { capacity?: number; dataCapacity?: number } = {}): {
  builder: BatchBuilder;
  batches: PacketBatch[];
} {
  const batches: PacketBatch[] = [];
  return { builder: new BatchBuilder({ onBatch: (b) => batches.push(b), ...options }), batches };
}

describe('BatchBuilder', () => {
  it('push() copies the frame and sets the framing columns', () => {
    const { builder, batches } = collect();
    const buffer = concat(filler(7), SYN_FRAME, filler(5));
    builder.push(record(buffer, { offset: 7, capLen: 60, wireLen: 60, tsSec: 1_620_000_000, tsNsec: 999_999_999 }));
    buffer.fill(0); // the record's bytes are only valid during push()
    builder.flush();
    expect(batches).toHaveLength(1);
    const b = batches[0]!;
    expect(b.length).toBe(1);
    expect(b.frame[0]).toBe(1);
    expect(b.tsSec[0]).toBe(1_620_000_000);
    expect(b.tsNsec[0]).toBe(999_999_999);
    expect(b.capLen[0]).toBe(60);
    expect(b.frameOff[0]).toBe(0);
    expect(b.dataUsed).toBe(60);
    expect(b.data.subarray(0, 60)).toEqual(SYN_FRAME);
    expect(b.status[0]).toBe(DecodeStatus.OK);
    expect(b.dport[0]).toBe(25565);
  });

  it('push() emits a batch as soon as it holds capacity packets', () => {
    const { builder, batches } = collect({ capacity: 3 });
    for (let k = 0; k < 7; k++) builder.push(record(SYN_FRAME, { tsSec: k }));
    expect(batches.map((b) => b.length)).toEqual([3, 3]);
    builder.flush();
    expect(batches.map((b) => b.length)).toEqual([3, 3, 1]);
    expect(batches.flatMap((b) => Array.from(b.frame.subarray(0, b.length)))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(Array.from(batches[1]!.frameOff.subarray(0, 3))).toEqual([0, 60, 120]);
    expect(batches[2]!.tsSec[0]).toBe(6);
    expect(new Set(batches).size).toBe(3);
  });

  it('push() starts a new batch when the frame bytes would overflow the data', () => {
    const { builder, batches } = collect({ dataCapacity: 150 });
    for (let k = 0; k < 5; k++) builder.push(record(SYN_FRAME));
    builder.flush();
    expect(batches.map((b) => b.length)).toEqual([2, 2, 1]);
    expect(batches.map((b) => b.dataUsed)).toEqual([120, 120, 60]);
    expect(batches.every((b) => b.status[0] === DecodeStatus.OK && b.status[b.length - 1] === DecodeStatus.OK)).toBe(
      true,
    );
  });

  it('push() gives a frame larger than the data capacity a batch of its own', () => {
    const { builder, batches } = collect({ dataCapacity: 100 });
    const big = ethernet(0x0800, ipv4({ proto: IpProto.UDP }, udp(53, 4444, filler(258))));
    builder.push(record(SYN_FRAME));
    builder.push(record(big));
    builder.push(record(SYN_FRAME));
    builder.flush();
    expect(batches.map((b) => b.length)).toEqual([1, 1, 1]);
    const own = batches[1]!;
    expect(own.data.length).toBe(big.length);
    expect(own.frame[0]).toBe(2);
    expect(own.status[0]).toBe(DecodeStatus.OK);
    expect(own.payloadLen[0]).toBe(258);
    expect(own.data).toEqual(big);
    expect(batches[2]!.frame[0]).toBe(3);
  });

  it('flush() emits nothing when no packet is pending', () => {
    const { builder, batches } = collect({ capacity: 2 });
    builder.flush();
    builder.push(record(SYN_FRAME));
    builder.push(record(SYN_FRAME));
    builder.flush();
    expect(batches).toHaveLength(1);
  });

  it('push() throws UnsupportedLinkTypeError naming the link type, frame and file offset', () => {
    const { builder, batches } = collect();
    builder.push(record(SYN_FRAME));
    let error: unknown;
    try {
      builder.push(record(SYN_FRAME, { linkType: 147, fileOffset: 1234 }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnsupportedLinkTypeError);
    const e = error as UnsupportedLinkTypeError;
    expect(e.code).toBe('TEITEN_DECODE_LINKTYPE');
    expect(e.linkType).toBe(147);
    expect(e.frame).toBe(2);
    expect(e.fileOffset).toBe(1234);
    expect(e.message).toBe('Cannot decode frame 2 at file offset 1234: link type unknown (147) is not supported');
    // Nothing was consumed: the next good frame is frame 2.
    builder.push(record(SYN_FRAME));
    builder.flush();
    expect(Array.from(batches[0]!.frame.subarray(0, 2))).toEqual([1, 2]);
    expect(builder.stats().packets).toBe(2);
  });

  it('push() rejects a record whose capLen runs past its buffer', () => {
    const { builder } = collect();
    expect(() => builder.push(record(SYN_FRAME, { offset: 10 }))).toThrow(RangeError);
  });

  it('constructor rejects a capacity below 1', () => {
    expect(() => new BatchBuilder({ onBatch: () => {}, capacity: 0 })).toThrow(RangeError);
    expect(() => new BatchBuilder({ onBatch: () => {}, dataCapacity: 0.5 })).toThrow(RangeError);
  });

  it('stats() counts packets, bytes, statuses, link types, fragments and IP versions', () => {
    const { builder } = collect({ capacity: 2 });
    const fragment = ethernet(0x0800, ipv4({ proto: IpProto.UDP, fragWord: 185 }, filler(16)));
    const raw6 = ipv6({ next: IpProto.TCP }, tcp({ sport: 1, dport: 2, flags: TcpFlag.SYN }));
    builder.push(record(SYN_FRAME));
    builder.push(record(SYN_FRAME.subarray(0, 40), { wireLen: 60 }));
    builder.push(record(fragment));
    builder.push(record(raw6, { linkType: LinkType.RAW }));
    builder.push(record(ethernet(0x0806, filler(28))));
    const stats = builder.stats();
    expect(stats.packets).toBe(5);
    expect(stats.capturedBytes).toBe(60 + 40 + fragment.length + raw6.length + 42);
    expect(stats.wireBytes).toBe(60 + 60 + fragment.length + raw6.length + 42);
    expect(stats.byStatus[DecodeStatus.OK]).toBe(3);
    expect(stats.byStatus[DecodeStatus.TRUNCATED]).toBe(1);
    expect(stats.byStatus[DecodeStatus.NON_IP]).toBe(1);
    expect(stats.byStatus.reduce((a, b) => a + b, 0)).toBe(5);
    expect(stats.byLinkType).toEqual(
      new Map([
        [LinkType.EN10MB, 4],
        [LinkType.RAW, 1],
      ]),
    );
    expect(stats.fragments).toBe(1);
    expect(stats.ipv4).toBe(3);
    expect(stats.ipv6).toBe(1);
  });

  it('recycle() reuses a returned batch and leaves nothing of its old packets', () => {
    const icmpError = ethernet(
      0x86dd,
      ipv6(
        { next: IpProto.ICMPV6 },
        concat(Uint8Array.of(1, 4, 0, 0, 0, 0, 0, 0), ipv6({ next: IpProto.UDP }, udp(9, 53, filler(4)))),
      ),
    );
    const synack = ethernet(
      0x0800,
      ipv4({ proto: IpProto.TCP }, tcp({ sport: 80, dport: 9, flags: 0x12, options: filler(8) })),
    );
    const arp = ethernet(0x0806, filler(28));
    const batches: PacketBatch[] = [];
    const builder = new BatchBuilder({ onBatch: (b) => batches.push(b), capacity: 2, dataCapacity: 512 });
    builder.push(record(icmpError));
    builder.push(record(synack));
    const first = batches[0]!;
    expect(first.innerDport[0]).toBe(53);
    builder.recycle(first);
    builder.push(record(arp));
    builder.push(record(arp));
    expect(batches[1]).toBe(first);
    const reference = collect({ capacity: 2, dataCapacity: 512 });
    reference.builder.push(record(arp));
    reference.builder.push(record(arp));
    for (const i of [0, 1]) expect(slotValues(first, i)).toEqual(slotValues(reference.batches[0]!, i));
    expect(Array.from(first.frame.subarray(0, 2))).toEqual([3, 4]);
  });

  it('recycle() ignores a batch of another shape', () => {
    const batches: PacketBatch[] = [];
    const builder = new BatchBuilder({ onBatch: (b) => batches.push(b), capacity: 1, dataCapacity: 256 });
    builder.recycle(new PacketBatch(2, 256));
    builder.push(record(SYN_FRAME));
    expect(batches[0]!.capacity).toBe(1);
  });
});
