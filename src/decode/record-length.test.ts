/**
 * Records whose captured length exceeds the packet's original length, or the
 * snapshot length the file states, are counted as malformed
 * (`BAD_RECORD_LENGTH`), in pcap and pcapng alike; a snapshot length of 0
 * states none. The file is written byte by byte here, since the project's
 * writers never produce such records.
 */
import { describe, expect, it } from 'vitest';
import { DecodeStatus } from './batch.js';
import { decodeCapture } from './decode-capture.js';
import { Readable } from 'node:stream';

/** An Ethernet + IPv4 + UDP frame of 42 bytes to 192.0.2.1. */
const FRAME = Buffer.from(
  'ffffffffffff0000000000010800' + '4500001c00010000401100000a000001c0000201' + '04010035000800000000',
  'hex',
);

function pcap(snaplen: number, records: { capLen: number; wireLen: number }[]): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(snaplen, 16);
  header.writeUInt32LE(1, 20);
  const parts = [header];
  for (const [k, r] of records.entries()) {
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(1_700_000_000 + k, 0);
    rec.writeUInt32LE(r.capLen, 8);
    rec.writeUInt32LE(r.wireLen, 12);
    parts.push(rec, Buffer.concat([FRAME, Buffer.alloc(Math.max(0, r.capLen - FRAME.length))]).subarray(0, r.capLen));
  }
  return Buffer.concat(parts);
}

async function statuses(bytes: Buffer): Promise<number[]> {
  const out: number[] = [];
  await decodeCapture(Readable.from([bytes]), {
    onBatch: (b) => {
      for (let i = 0; i < b.length; i++) out.push(b.status[i]!);
    },
  });
  return out;
}

describe('record lengths', () => {
  it('decodeCapture() marks records longer than their packet or the snapshot length BAD_RECORD_LENGTH', async () => {
    const records = [
      { capLen: 42, wireLen: 42 }, // fine
      { capLen: 50, wireLen: 60 }, // fine: padded frame, cut below the wire length
      { capLen: 50, wireLen: 42 }, // more bytes than the packet had
      { capLen: 70, wireLen: 70 }, // over the snapshot length of 64
      { capLen: 42, wireLen: 1500 }, // a snaplen cut: fine
    ];
    const bad = DecodeStatus.BAD_RECORD_LENGTH;
    expect(await statuses(pcap(64, records))).toEqual([DecodeStatus.OK, DecodeStatus.OK, bad, bad, DecodeStatus.OK]);
    // Snapshot length 0: none stated, only the wire length is checked.
    expect(await statuses(pcap(0, records))).toEqual([
      DecodeStatus.OK,
      DecodeStatus.OK,
      bad,
      DecodeStatus.OK,
      DecodeStatus.OK,
    ]);
  });
});
