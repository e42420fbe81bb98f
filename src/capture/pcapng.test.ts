import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectRecords, type CollectedRecord } from './collect-records.js';
import { CaptureErrorCode } from './errors.js';
import { BlockType } from './pcapng-format.js';
import { PcapngFramer } from './pcapng.js';
import { PcapngWriter, type PacketBlockKind } from './pcapng-writer.js';
import { LinkType } from './record.js';
import { readFormatError } from './test-kit.js';
import type { TsResolution } from './timestamp.js';
import { haveCommand } from '../util/have-command.js';

/** Little-endian pcapng written by hand: SHB, IDB (Ethernet), one EPB of 4 bytes at µs resolution. */
const HAND_HEX =
  '0a0d0d0a' +
  '1c000000' +
  '4d3c2b1a' +
  '0100' +
  '0000' +
  'ffffffffffffffff' +
  '1c000000' +
  '01000000' +
  '14000000' +
  '0100' +
  '0000' +
  '00000000' +
  '14000000' +
  '06000000' +
  '24000000' +
  '00000000' +
  '31af0500' +
  '40e2a507' +
  '04000000' +
  '3c000000' +
  'deadbeef' +
  '24000000';

const haveTshark = haveCommand('tshark');
if (!haveTshark) console.log('pcapng.test: tshark comparison skipped, tshark is not installed');

/** What a reader must return for a time written at `res`: truncated to whole units. */
function expectedNsec(nsec: number, res: TsResolution): number {
  const perSec = BigInt(res.base) ** BigInt(res.exponent);
  const units = (BigInt(nsec) * perSec) / 1_000_000_000n;
  return Number((units * 1_000_000_000n) / perSec);
}

interface Sample {
  bytes: Buffer;
  expected: CollectedRecord[];
  /** Stream offset after each block written. */
  ends: number[];
}

/**
 * Two sections in opposite byte orders; interfaces with decimal and binary
 * resolutions, offsets and snaplens; EPB, OPB and SPB; unknown blocks between.
 */
function sample(): Sample {
  const w = new PcapngWriter({ byteOrder: 'le', userAppl: 'teiten test' });
  const expected: CollectedRecord[] = [];
  const ends: number[] = [w.bytesWritten];
  const interfaces: Array<{ linkType: number; snaplen: number; res: TsResolution; offset: number }> = [];
  const addInterface = (linkType: number, snaplen: number, res: TsResolution, offset: number, name?: string) => {
    const id = w.addInterface({ linkType, snaplen, tsResolution: res, tsOffsetSec: offset, ...(name ? { name } : {}) });
    interfaces[id] = { linkType, snaplen, res, offset };
    ends.push(w.bytesWritten);
  };
  const write = (id: number, i: number, block: PacketBlockKind) => {
    const interfaceId = block === 'simple' ? 0 : id;
    const iface = interfaces[interfaceId]!;
    const length = (i * 13) % 80;
    const bytes = Uint8Array.from({ length }, (_, k) => (i + k * 3) & 0xff);
    const wireLen = block === 'simple' ? length : length + (i % 2) * 500;
    const tsSec = 1_650_000_000 + i * 11;
    const tsNsec = (i * 987_654_321) % 1_000_000_000;
    const fileOffset = w.bytesWritten;
    w.writePacket({ interfaceId, tsSec, tsNsec, bytes, wireLen, block });
    ends.push(w.bytesWritten);
    const capLen = iface.snaplen > 0 ? Math.min(length, iface.snaplen) : length;
    expected.push({
      linkType: iface.linkType,
      tsSec: block === 'simple' ? 0 : tsSec,
      tsNsec: block === 'simple' ? 0 : expectedNsec(tsNsec, iface.res),
      capLen,
      wireLen,
      snapLen: iface.snaplen,
      bytes: bytes.slice(0, capLen),
      fileOffset,
      interfaceId,
    });
  };
  const unknown = (type: number, size: number, fill?: number) => {
    w.writeBlock(
      type,
      Uint8Array.from({ length: size }, (_, k) => fill ?? k),
    );
    ends.push(w.bytesWritten);
  };
  addInterface(LinkType.EN10MB, 0, { base: 10, exponent: 9 }, 0, 'eth0');
  addInterface(LinkType.RAW, 50, { base: 2, exponent: 20 }, 86_400);
  addInterface(LinkType.LINUX_SLL, 0, { base: 2, exponent: 32 }, 0);
  for (let i = 0; i < 12; i++) write(i % 3, i, i % 4 === 3 ? 'obsolete' : 'enhanced');
  unknown(BlockType.INTERFACE_STATISTICS, 12, 0); // interface 0, time 0, no options
  unknown(0x0000_0123, 3); // a reserved type nobody defines
  write(0, 12, 'simple');
  w.startSection({ byteOrder: 'be' });
  ends.push(w.bytesWritten);
  addInterface(LinkType.LINUX_SLL2, 40, { base: 10, exponent: 6 }, -3600);
  addInterface(LinkType.EN10MB, 0, { base: 10, exponent: 3 }, 0);
  for (let i = 13; i < 25; i++) write(i % 2, i, i % 5 === 0 ? 'simple' : i % 3 === 0 ? 'obsolete' : 'enhanced');
  unknown(0x4000_0abc, 0);
  return { bytes: w.toBuffer(), expected, ends };
}

function readError(bytes: Uint8Array, chunkSize?: number): ReturnType<typeof readFormatError> {
  return readFormatError(bytes, { name: 'bad.pcapng', chunkSize });
}

describe('PcapngFramer', () => {
  it('PcapngFramer reads a hand-written file', async () => {
    const { records, summary } = await collectRecords(Buffer.from(HAND_HEX, 'hex'));
    expect(records).toEqual([
      {
        linkType: 1,
        tsSec: 1_600_000_000,
        tsNsec: 123_456_000,
        capLen: 4,
        wireLen: 60,
        snapLen: 0,
        bytes: Uint8Array.of(0xde, 0xad, 0xbe, 0xef),
        fileOffset: 48,
        interfaceId: 0,
      },
    ]);
    expect(summary).toMatchObject({ format: 'pcapng', records: 1, linkTypes: [1] });
  });

  it('PcapngFramer reads sections, interfaces, resolutions, offsets and all packet blocks', async () => {
    const { bytes, expected } = sample();
    const { records, summary } = await collectRecords(bytes);
    expect(records).toEqual(expected);
    expect(records.length).toBe(25);
    expect(summary.linkTypes).toEqual([LinkType.EN10MB, LinkType.RAW, LinkType.LINUX_SLL, LinkType.LINUX_SLL2]);
    expect(records.some((r) => r.capLen < r.wireLen && r.interfaceId === 1)).toBe(true);
  });

  it('PcapngFramer reads the sample delivered in 1-byte and odd-sized chunks identically', async () => {
    const { bytes, expected } = sample();
    for (const chunkSizes of [1, 3, [5, 17, 2], 64, 1000]) {
      const { records } = await collectRecords(bytes, { chunkSizes });
      expect(records, `chunks ${String(chunkSizes)}`).toEqual(expected);
    }
  });

  it('PcapngFramer derives simple packet lengths from the snaplen and the block', async () => {
    const w = new PcapngWriter();
    w.addInterface({ linkType: 1, snaplen: 64 });
    const body = new Uint8Array(4 + 100);
    new DataView(body.buffer).setUint32(0, 100, true);
    w.writeBlock(BlockType.SIMPLE_PACKET, body); // 100 bytes stored but snaplen 64
    const small = new Uint8Array(4 + 4);
    new DataView(small.buffer).setUint32(0, 3, true);
    w.writeBlock(BlockType.SIMPLE_PACKET, small); // 3 bytes, padded to 4
    const wide = new Uint8Array(4 + 8);
    new DataView(wide.buffer).setUint32(0, 1000, true);
    w.writeBlock(BlockType.SIMPLE_PACKET, wide); // original 1000, only 8 stored
    const { records } = await collectRecords(w.toBuffer());
    expect(records.map((r) => [r.capLen, r.wireLen])).toEqual([
      [64, 100],
      [3, 3],
      [8, 1000],
    ]);
  });
});

describe.skipIf(!haveTshark)('PcapngWriter and PcapngFramer against tshark', () => {
  it('PcapngWriter output reads the same in tshark as in PcapngFramer', () => {
    const { bytes, expected } = sample();
    const dir = mkdtempSync(join(tmpdir(), 'teiten-pcapng-'));
    const path = join(dir, 'sample.pcapng');
    writeFileSync(path, bytes);
    const fields = ['frame.interface_id', 'frame.time_epoch', 'frame.cap_len', 'frame.len'];
    const out = execFileSync('tshark', ['-r', path, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    rmSync(dir, { recursive: true });
    // tshark prints no time for simple packet blocks; we report 0.
    const theirs = out
      .trim()
      .split('\n')
      .map((line) => line.replace(/\t\t/, '\t0.000000000\t'));
    const ours = expected.map(
      (r) => `${r.interfaceId}\t${r.tsSec}.${String(r.tsNsec).padStart(9, '0')}\t${r.capLen}\t${r.wireLen}`,
    );
    expect(theirs).toEqual(ours);
  });
});

describe('PcapngFramer on bad input', () => {
  it('PcapngFramer rejects a truncated file at every cut point after the complete blocks', async () => {
    const { bytes, expected, ends } = sample();
    for (const chunkSize of [bytes.length, 5]) {
      for (let cut = 0; cut < bytes.length; cut++) {
        const complete = expected.filter((r) => ends[ends.indexOf(r.fileOffset) + 1]! <= cut).length;
        if (ends.includes(cut)) {
          const { records } = await collectRecords(bytes.subarray(0, cut), { chunkSizes: chunkSize });
          expect(records).toHaveLength(complete);
          continue;
        }
        const { error, records } = await readError(bytes.subarray(0, cut), chunkSize);
        expect(records, `cut ${cut}`).toBe(complete);
        expect(error.code, `cut ${cut}`).toBe(cut === 0 ? CaptureErrorCode.EMPTY : CaptureErrorCode.TRUNCATED);
        const blockStart = cut < 4 ? 0 : Math.max(0, ...ends.filter((end) => end < cut));
        expect(error.offset, `cut ${cut}`).toBe(blockStart);
      }
    }
  });

  /** The hand-written file with one 32-bit field of the EPB (at `field` bytes into it) replaced. */
  function patchedEpb(field: number, value: number): Buffer {
    const bytes = Buffer.from(HAND_HEX, 'hex');
    bytes.writeUInt32LE(value, 48 + field);
    return bytes;
  }

  it.each([
    ['not a multiple of 4', 38, CaptureErrorCode.BAD_BLOCK, 48, /block length 38 is not a multiple of 4/],
    ['below 12', 8, CaptureErrorCode.BAD_BLOCK, 48, /block length 8 is not a multiple of 4 of at least 12/],
    ['above the cap', 0x2000_0000, CaptureErrorCode.RECORD_TOO_LARGE, 48, /exceeds the 268435456-byte limit/],
    ['below the EPB fixed size', 12, CaptureErrorCode.BAD_BLOCK, 48, /shorter than its fixed 32/],
  ])('PcapngFramer rejects a block length %s', async (_, length, code, offset, detail) => {
    const bytes = patchedEpb(4, length);
    if (length === 12) bytes.writeUInt32LE(12, 48 + 8); // make the trailer of a 12-byte block agree
    const { error } = await readError(bytes);
    expect(error.code).toBe(code);
    expect(error.offset).toBe(offset);
    expect(error.detail).toMatch(detail);
  });

  it('PcapngFramer rejects a trailing length that differs from the leading one', async () => {
    const bytes = Buffer.from(HAND_HEX, 'hex');
    bytes.writeUInt32LE(40, bytes.length - 4);
    const { error } = await readError(bytes);
    expect(error).toMatchObject({ code: CaptureErrorCode.BAD_BLOCK, offset: bytes.length - 4 });
    expect(error.detail).toBe('trailing block length 40 does not match the leading 36');
  });

  it('PcapngFramer rejects a captured length larger than its block', async () => {
    const { error } = await readError(patchedEpb(20, 5));
    expect(error).toMatchObject({ code: CaptureErrorCode.BAD_BLOCK, offset: 48 + 20 });
    expect(error.detail).toBe('captured length 5 exceeds the 36-byte enhanced packet block');
  });

  it('PcapngFramer rejects a packet on an interface the section does not have', async () => {
    const { error } = await readError(patchedEpb(8, 1));
    expect(error.detail).toBe('enhanced packet block refers to interface 1 but the section has 1');
    const w = new PcapngWriter();
    w.addInterface({ linkType: 1 });
    w.startSection({ byteOrder: 'be' });
    const bytes = w.toBuffer();
    const epb = Buffer.from(HAND_HEX, 'hex').subarray(48); // little-endian EPB for interface 0
    const { error: afterReset } = await readError(Buffer.concat([bytes, epb.swap32()]));
    expect(afterReset.code).toBe(CaptureErrorCode.BAD_BLOCK);
    expect(afterReset.detail).toMatch(/refers to interface 0 but the section has 0/);
  });

  it('PcapngFramer rejects a simple packet block before any interface', async () => {
    const w = new PcapngWriter();
    w.writeBlock(BlockType.SIMPLE_PACKET, new Uint8Array(8));
    const { error } = await readError(w.toBuffer());
    expect(error).toMatchObject({ code: CaptureErrorCode.BAD_BLOCK, offset: 28 });
  });

  it('PcapngFramer rejects a bad byte-order magic, a bad first block and version 2', async () => {
    const bom = Buffer.from(HAND_HEX, 'hex');
    bom.writeUInt32LE(0x12345678, 8);
    expect((await readError(bom)).error).toMatchObject({ code: CaptureErrorCode.BAD_MAGIC, offset: 8 });
    const framer = new PcapngFramer(() => undefined, { fileName: 'x.pcapng' });
    expect(() => framer.feed(Buffer.from(HAND_HEX, 'hex').subarray(28))).toThrow(/first block has type 0x00000001/);
    const version = Buffer.from(HAND_HEX, 'hex');
    version.writeUInt16LE(2, 12);
    expect((await readError(version)).error.detail).toBe('unsupported pcapng version 2.0');
  });

  it('PcapngFramer rejects an interface option that runs past its block', async () => {
    const w = new PcapngWriter();
    w.addInterface({ linkType: 1, name: 'abcd' });
    const bytes = w.toBuffer();
    bytes.writeUInt16LE(200, 28 + 16 + 2); // if_name length
    const { error } = await readError(bytes);
    expect(error).toMatchObject({ code: CaptureErrorCode.BAD_BLOCK, offset: 28 + 16 });
    expect(error.detail).toBe('interface option 2 of length 200 runs past the end of its block');
  });
});
