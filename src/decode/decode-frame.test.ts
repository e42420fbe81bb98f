import { describe, expect, it } from 'vitest';
import { LinkType } from '../capture/record.js';
import { DecodeStatus, IpProto, PacketBatch, TcpFlag } from './batch.js';
import { clearDecodedColumns, decodeClearedSlot, decodeFrame } from './decode-frame.js';
import { linkDecoder } from './link.js';
import { batchColumns, concat, ethernet, filler, hex, ipv4, ipv6, ipv6Ext, slotValues, tcp, udp } from './test-kit.js';

interface Fixture {
  frame: Uint8Array;
  linkType?: number;
  wireLen?: number;
}

const UNREACH_QUOTE = ipv6({ next: IpProto.UDP }, udp(33434, 53, filler(8)));
const ICMPV6_ERROR = ethernet(
  0x86dd,
  ipv6(
    { next: IpProto.HOPOPT },
    concat(ipv6Ext(IpProto.ICMPV6, 0), Uint8Array.of(1, 4, 0, 0, 0, 0, 0, 0), UNREACH_QUOTE),
  ),
);
const TCP_SYN = ethernet(
  0x0800,
  ipv4({ proto: IpProto.TCP, fragWord: 0x4000 }, tcp({ sport: 1, dport: 2, flags: TcpFlag.SYN })),
);

/** One frame per DecodeStatus code, decoded as Ethernet unless stated. */
const STATUS_FIXTURES: Record<keyof typeof DecodeStatus, Fixture> = {
  OK: { frame: TCP_SYN },
  NON_IP: { frame: ethernet(0x0806, filler(28)) },
  TRUNCATED: { frame: TCP_SYN.subarray(0, 40), wireLen: TCP_SYN.length },
  BAD_LINK: { frame: hex('00163e0decf2 985d8211') },
  BAD_IP_VERSION: { frame: hex('7500 0028'), linkType: LinkType.RAW },
  BAD_IHL: { frame: ethernet(0x0800, ipv4({ proto: IpProto.TCP, ihl: 4 }, filler(20))) },
  BAD_IP_LENGTH: { frame: ethernet(0x0800, ipv4({ proto: IpProto.TCP, totalLen: 19 }, filler(20))) },
  BAD_IPV6_EXT: { frame: ethernet(0x86dd, ipv6({ next: IpProto.IPV6_OPTS }, hex('11 02 0000 00000000'))) },
  BAD_TCP_HEADER: {
    frame: ethernet(0x0800, ipv4({ proto: IpProto.TCP }, tcp({ sport: 1, dport: 2, flags: 2, dataOffset: 4 }))),
  },
  BAD_UDP_LENGTH: { frame: ethernet(0x0800, ipv4({ proto: IpProto.UDP }, udp(1, 2, filler(4), 7))) },
  SHORT_L4: { frame: ethernet(0x0800, ipv4({ proto: IpProto.UDP }, filler(5))) },
  BAD_RECORD_LENGTH: { frame: TCP_SYN, wireLen: TCP_SYN.length - 1 },
};

const EXTRA_FIXTURES: Fixture[] = [
  { frame: ICMPV6_ERROR },
  { frame: ethernet(0x0800, ipv4({ proto: IpProto.UDP, fragWord: 0x2000 | 3 }, filler(40))) },
  {
    frame: concat(hex('1e000000'), ipv6({ next: IpProto.TCP }, tcp({ sport: 5, dport: 6, flags: 0x1ff }))),
    linkType: LinkType.NULL,
  },
];

/** Places a fixture in slot `i` of `batch` (after `at` bytes of data) and decodes it. */
function decodeInto(batch: PacketBatch, i: number, at: number, fixture: Fixture): number {
  batch.data.set(fixture.frame, at);
  batch.frameOff[i] = at;
  batch.capLen[i] = fixture.frame.length;
  batch.wireLen[i] = fixture.wireLen ?? fixture.frame.length;
  const data = batch.data;
  return decodeFrame(
    batch,
    i,
    new DataView(data.buffer, data.byteOffset, data.byteLength),
    linkDecoder(fixture.linkType ?? LinkType.EN10MB)!,
  );
}

describe('decodeFrame()', () => {
  it.each(Object.entries(STATUS_FIXTURES))('decodeFrame() reports %s', (name, fixture) => {
    const batch = new PacketBatch(1, 4096);
    expect(decodeInto(batch, 0, 0, fixture)).toBe(DecodeStatus[name as keyof typeof DecodeStatus]);
    expect(batch.status[0]).toBe(DecodeStatus[name as keyof typeof DecodeStatus]);
  });

  it('decodeFrame() fixtures cover every DecodeStatus code', () => {
    expect(Object.keys(STATUS_FIXTURES).sort()).toEqual(Object.keys(DecodeStatus).sort());
  });

  it('decodeFrame() tests enumerate all 37 per-packet columns of PacketBatch', () => {
    expect(batchColumns(new PacketBatch(2, 16)).map(([name]) => name)).toHaveLength(37);
  });

  it('decodeFrame() writes every column of a reused slot', () => {
    const fixtures = [...Object.values(STATUS_FIXTURES), ...EXTRA_FIXTURES];
    for (const fixture of fixtures) {
      const fresh = new PacketBatch(3, 8192);
      decodeInto(fresh, 1, 300, fixture);
      const dirty = new PacketBatch(3, 8192);
      for (const [, column] of batchColumns(dirty)) (column as unknown as Uint8Array).fill(0xee);
      decodeInto(dirty, 1, 300, fixture);
      expect(slotValues(dirty, 1)).toEqual(slotValues(fresh, 1));
    }
  });

  it('clearDecodedColumns() leaves used slots ready for decodeClearedSlot()', () => {
    const fixtures = [...Object.values(STATUS_FIXTURES), ...EXTRA_FIXTURES];
    const dirty = new PacketBatch(fixtures.length, 1 << 16);
    for (const [, column] of batchColumns(dirty)) (column as unknown as Uint8Array).fill(0xee);
    clearDecodedColumns(dirty, fixtures.length);
    const view = new DataView(dirty.data.buffer);
    fixtures.forEach((fixture, i) => {
      dirty.data.set(fixture.frame, i * 512);
      dirty.frameOff[i] = i * 512;
      dirty.capLen[i] = fixture.frame.length;
      dirty.wireLen[i] = fixture.wireLen ?? fixture.frame.length;
      decodeClearedSlot(dirty, i, view, linkDecoder(fixture.linkType ?? LinkType.EN10MB)!);
      const fresh = new PacketBatch(fixtures.length, 1 << 16);
      decodeInto(fresh, i, i * 512, fixture);
      expect(slotValues(dirty, i)).toEqual(slotValues(fresh, i));
    });
  });
});
