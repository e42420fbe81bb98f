import { describe, expect, it } from 'vitest';
import { collectRecords } from './collect-records.js';
import { CaptureErrorCode } from './errors.js';
import { PcapFramer } from './pcap.js';
import { PcapWriter, type ByteOrder } from './pcap-writer.js';
import { readFormatError } from './test-kit.js';
import { LinkType, type RawRecord } from './record.js';

/** Little-endian microsecond pcap, written by hand: one 4-byte record of a 60-byte packet. */
const LE_MICRO_HEX =
  'd4c3b2a1' +
  '0200' +
  '0400' +
  '00000000' +
  '00000000' +
  'ffff0000' +
  '01000000' +
  '00105e5f' +
  '40e20100' +
  '04000000' +
  '3c000000' +
  'deadbeef';
/** Big-endian nanosecond pcap, raw IP, one 2-byte record. */
const BE_NANO_HEX =
  'a1b23c4d' +
  '0002' +
  '0004' +
  '00000000' +
  '00000000' +
  '00040000' +
  '00000065' +
  '5f5e1000' +
  '3b9ac9ff' +
  '00000002' +
  '00000002' +
  '4500';

function packets(count: number): Array<{ tsSec: number; tsNsec: number; bytes: Uint8Array; wireLen: number }> {
  return Array.from({ length: count }, (_, i) => ({
    tsSec: 1_700_000_000 + i,
    tsNsec: (i * 123_456_789) % 1_000_000_000,
    bytes: Uint8Array.from({ length: (i * 37) % 90 }, (_, k) => (k * 7 + i) & 0xff),
    wireLen: ((i * 37) % 90) + (i % 3 === 0 ? 1000 : 0),
  }));
}

function capture(options: { byteOrder: ByteOrder; nanosecond: boolean; count: number }): Buffer {
  const writer = new PcapWriter({ linkType: LinkType.EN10MB, snaplen: 65535, ...options });
  for (const p of packets(options.count)) writer.writePacket(p);
  return writer.toBuffer();
}

function readError(bytes: Uint8Array, chunkSize?: number): ReturnType<typeof readFormatError> {
  return readFormatError(bytes, { name: 'bad.pcap', chunkSize });
}

describe('PcapFramer', () => {
  it('PcapFramer reads a hand-written little-endian microsecond file', async () => {
    const { records, summary } = await collectRecords(Buffer.from(LE_MICRO_HEX, 'hex'));
    expect(records).toEqual([
      {
        linkType: 1,
        tsSec: 1_600_000_000,
        tsNsec: 123_456_000,
        capLen: 4,
        wireLen: 60,
        snapLen: 65_535,
        bytes: Uint8Array.of(0xde, 0xad, 0xbe, 0xef),
        fileOffset: 24,
        interfaceId: 0,
      },
    ]);
    expect(summary).toMatchObject({ format: 'pcap', records: 1, bytes: 4, wireBytes: 60, linkTypes: [1] });
  });

  it('PcapFramer reads a hand-written big-endian nanosecond file', async () => {
    const { records } = await collectRecords(Buffer.from(BE_NANO_HEX, 'hex'));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ linkType: 101, tsSec: 1_600_000_000, tsNsec: 999_999_999, capLen: 2 });
    expect(records[0]?.bytes).toEqual(Uint8Array.of(0x45, 0x00));
  });

  const variants = (['le', 'be'] as const).flatMap((byteOrder) =>
    [false, true].map((nanosecond) => ({ byteOrder, nanosecond })),
  );
  it.each(variants)('PcapFramer round-trips PcapWriter output ($byteOrder, nanosecond $nanosecond)', async (v) => {
    const input = packets(40);
    const { records, summary } = await collectRecords(capture({ ...v, count: 40 }));
    expect(records).toHaveLength(40);
    let offset = 24;
    records.forEach((r, i) => {
      const p = input[i]!;
      expect(r.tsSec).toBe(p.tsSec);
      expect(r.tsNsec).toBe(v.nanosecond ? p.tsNsec : Math.floor(p.tsNsec / 1000) * 1000);
      expect(r.bytes).toEqual(p.bytes);
      expect(r.capLen).toBe(p.bytes.length);
      expect(r.wireLen).toBe(p.wireLen);
      expect(r.fileOffset).toBe(offset);
      offset += 16 + r.capLen;
    });
    expect(summary.bytes).toBe(input.reduce((n, p) => n + p.bytes.length, 0));
    expect(summary.wireBytes).toBe(input.reduce((n, p) => n + p.wireLen, 0));
    expect(summary.firstTimestamp?.sec).toBe(1_700_000_000);
    expect(summary.lastTimestamp?.sec).toBe(1_700_000_039);
  });

  it('PcapFramer masks the FCS bits out of the link type field', async () => {
    const bytes = Buffer.from(LE_MICRO_HEX, 'hex');
    bytes.writeUInt32LE((4 << 28) | (1 << 26) | LinkType.EN10MB, 20);
    const { records } = await collectRecords(bytes);
    expect(records[0]?.linkType).toBe(LinkType.EN10MB);
  });

  it('PcapFramer carries a fraction of a second or more into the seconds', async () => {
    const bytes = Buffer.from(LE_MICRO_HEX, 'hex');
    bytes.writeUInt32LE(2_500_000, 24 + 4);
    const { records } = await collectRecords(bytes);
    expect(records[0]).toMatchObject({ tsSec: 1_600_000_002, tsNsec: 500_000_000 });
  });

  it('PcapFramer accepts a captured length somewhat above the header snaplen', async () => {
    const writer = new PcapWriter({ linkType: 1, snaplen: 70_000 });
    writer.writePacket({ tsSec: 1, tsNsec: 0, bytes: new Uint8Array(70_000) });
    const bytes = writer.toBuffer();
    bytes.writeUInt32LE(65_535, 16); // header now claims a smaller snaplen
    const { records } = await collectRecords(bytes);
    expect(records[0]?.capLen).toBe(70_000);
  });

  it('PcapFramer reads a header-only file as zero records', async () => {
    const { records, summary } = await collectRecords(capture({ byteOrder: 'le', nanosecond: false, count: 0 }));
    expect(records).toEqual([]);
    expect(summary).toMatchObject({ records: 0, linkTypes: [], firstTimestamp: undefined });
  });

  it('PcapFramer frames chunks pushed to feed() directly and stops when the sink says so', () => {
    const bytes = capture({ byteOrder: 'be', nanosecond: true, count: 10 });
    const seen: number[] = [];
    const framer = new PcapFramer(
      (r: RawRecord) => {
        seen.push(r.fileOffset);
        return seen.length < 4;
      },
      { fileName: 'x.pcap' },
    );
    expect(framer.feed(bytes.subarray(0, 100))).toBe(true);
    expect(framer.feed(bytes.subarray(100))).toBe(false);
    expect(framer.feed(bytes)).toBe(false);
    expect(seen).toHaveLength(4);
    expect(framer.stats.records).toBe(4);
    expect(() => framer.finish()).not.toThrow();
  });
});

describe('PcapFramer on bad input', () => {
  it('PcapFramer rejects a truncated file at every cut point after the complete records', async () => {
    const writer = new PcapWriter({ linkType: 1 });
    const ends: number[] = [];
    for (const p of packets(12)) {
      writer.writePacket(p);
      ends.push(writer.bytesWritten);
    }
    const bytes = writer.toBuffer();
    for (const chunkSize of [bytes.length, 7]) {
      for (let cut = 0; cut < bytes.length; cut++) {
        const complete = ends.filter((end) => end <= cut).length;
        const boundary = cut === 24 || ends.includes(cut);
        if (boundary) {
          const { records } = await collectRecords(bytes.subarray(0, cut), { chunkSizes: chunkSize });
          expect(records).toHaveLength(complete);
          continue;
        }
        const { error, records } = await readError(bytes.subarray(0, cut), chunkSize);
        expect(records, `cut ${cut}`).toBe(complete);
        expect(error.code).toBe(cut === 0 ? CaptureErrorCode.EMPTY : CaptureErrorCode.TRUNCATED);
        const expectedOffset = cut < 24 ? 0 : complete === 0 ? 24 : ends[complete - 1];
        expect(error.offset, `cut ${cut}`).toBe(expectedOffset);
        expect(error.message).toMatch(/^Cannot read capture bad\.pcap at byte \d+: /);
      }
    }
  });

  it('PcapFramer names header and data truncation in the message', async () => {
    const bytes = capture({ byteOrder: 'le', nanosecond: false, count: 2 });
    expect((await readError(bytes.subarray(0, 10))).error.message).toBe(
      'Cannot read capture bad.pcap at byte 0: file header truncated (10 of 24 bytes)',
    );
    expect((await readError(bytes.subarray(0, 30))).error.message).toBe(
      'Cannot read capture bad.pcap at byte 24: record header truncated (6 of 16 bytes)',
    );
    expect((await readError(bytes.subarray(0, 60))).error.message).toBe(
      'Cannot read capture bad.pcap at byte 40: record data truncated (20 of 53 bytes)',
    );
  });

  it('PcapFramer rejects a captured length above the 256 MiB cap without allocating it', async () => {
    const bytes = capture({ byteOrder: 'le', nanosecond: false, count: 3 });
    const second = 24 + 16; // first record is empty
    bytes.writeUInt32LE(0xfffffff0, second + 8);
    const { error, records } = await readError(bytes, 5);
    expect(error.code).toBe(CaptureErrorCode.RECORD_TOO_LARGE);
    expect(error.offset).toBe(second);
    expect(records).toBe(1);
  });

  it('PcapFramer rejects a captured length absurdly above the snaplen', async () => {
    const bytes = capture({ byteOrder: 'be', nanosecond: false, count: 2 });
    bytes.writeUInt32BE(5_000_000, 24 + 8);
    const { error } = await readError(bytes);
    expect(error.code).toBe(CaptureErrorCode.RECORD_TOO_LARGE);
    expect(error.offset).toBe(24);
    expect(error.detail).toMatch(/captured length 5000000 exceeds the snapshot length 65535/);
  });

  it('PcapFramer reports a lying length that runs past the end as truncation at its record', async () => {
    const bytes = capture({ byteOrder: 'le', nanosecond: false, count: 3 });
    bytes.writeUInt32LE(200_000, 24 + 8);
    const { error, records } = await readError(bytes);
    expect(records).toBe(0);
    expect(error.code).toBe(CaptureErrorCode.TRUNCATED);
    expect(error.offset).toBe(24);
  });

  it('PcapFramer rejects an unsupported version', async () => {
    const bytes = Buffer.from(LE_MICRO_HEX, 'hex');
    bytes.writeUInt16LE(1, 4);
    const { error } = await readError(bytes);
    expect(error.code).toBe(CaptureErrorCode.BAD_HEADER);
    expect(error.detail).toBe('unsupported pcap version 1.4');
  });

  it('PcapFramer rejects the modified pcap magic by name', () => {
    const framer = new PcapFramer(() => undefined, { fileName: 'm.pcap' });
    const bytes = Buffer.from(LE_MICRO_HEX, 'hex');
    bytes.writeUInt32LE(0xa1b2cd34, 0);
    expect(() => framer.feed(bytes)).toThrow(/modified \(Kuznetzov\) pcap format is not supported/);
  });
});
